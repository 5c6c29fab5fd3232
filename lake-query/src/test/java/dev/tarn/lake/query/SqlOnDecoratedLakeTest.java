package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.PermissionDeniedException;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.spi.LakeInternals;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL runs on any lake that provides internals, and still asks the policy as the decorated handle's
 * principal.
 */
class SqlOnDecoratedLakeTest {
    @TempDir Path dir;

    private static Lake decorate(Lake inner) {
        return (Lake)
                Proxy.newProxyInstance(
                        SqlOnDecoratedLakeTest.class.getClassLoader(),
                        new Class<?>[] {Lake.class, LakeInternals.Provider.class},
                        (proxy, method, args) -> {
                            if (method.getDeclaringClass() == LakeInternals.Provider.class) {
                                return ((LakeInternals.Provider) inner)
                                        .internals((LakeInternals.Key) args[0]);
                            }
                            try {
                                return method.invoke(inner, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
    }

    @Test
    void aDecoratedHandleQueriesWithItsPrincipalsRights() {
        try (Lake owner =
                Lake.builder()
                        .location(dir.resolve("lake"))
                        .principal(Principal.of("owner"))
                        .accessPolicy(
                                (p, priv, res) ->
                                        p.name().equals("owner")
                                                || (priv == Privilege.READ
                                                        && !res.equals("raw/salaries")))
                        .open()) {
            owner.ingest("raw/clicks")
                    .bytes(
                            "{\"user\":1}\n{\"user\":2}\n".getBytes(StandardCharsets.UTF_8),
                            "c.ndjson")
                    .commit();
            owner.ingest("raw/salaries")
                    .bytes("user,salary\n1,100\n".getBytes(StandardCharsets.UTF_8), "s.csv")
                    .commit();
            Lake analyst = decorate(owner.as(Principal.of("analyst")));
            assertEquals(
                    2L,
                    ((Number) Sql.of(analyst).query("SELECT count(*) FROM raw.clicks").scalar())
                            .longValue());
            assertThrows(
                    PermissionDeniedException.class,
                    () -> Sql.of(analyst).query("SELECT count(*) FROM raw.salaries"));
        }
    }
}
