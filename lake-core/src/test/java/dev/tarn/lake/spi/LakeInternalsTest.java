package dev.tarn.lake.spi;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.exceptions.PermissionDeniedException;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.storage.WriteMode;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

class LakeInternalsTest {
    private static final DatasetId T = DatasetId.of("processed", "t");

    @Test
    void aTarnModuleGetsTheTrustedStoreAndTheRightsOfItsHandle() {
        try (Lake lake =
                Lake.builder()
                        .temporary()
                        .accessPolicy(
                                (p, priv, res) ->
                                        !p.name().equals("guest") || priv == Privilege.READ)
                        .open()) {
            LakeInternals guest = LakeInternals.of(lake.as(Principal.of("guest")));
            assertEquals("guest", guest.principal().name());
            assertSame(
                    LakeInternals.of(lake).store(),
                    guest.store(),
                    "one store per opened lake, whoever asks");
            assertThrows(
                    PermissionDeniedException.class,
                    () -> guest.authorize(Privilege.WRITE, T.toString()));
            guest.authorize(Privilege.READ, T.toString());
            assertThrows(
                    PermissionDeniedException.class,
                    () -> guest.ensureDataset(T, DatasetKind.TABLE));
            assertTrue(lake.catalog().dataset(T).isEmpty());

            // the trusted handle is not restricted: what a shared engine builds its views with
            guest.trusted().store().put(T.keyPrefix() + "x", new byte[] {1}, WriteMode.CREATE);
            LakeInternals.of(lake).ensureDataset(T, DatasetKind.TABLE);
            assertEquals(DatasetKind.TABLE, lake.catalog().dataset(T).orElseThrow().kind());
            assertTrue(
                    guest.localStore().isPresent(), "a temporary lake lives in a local directory");
        }
    }

    @Test
    void codeOutsideTarnsPackagesIsRefused() {
        try (Lake lake = Lake.temporary()) {
            var e =
                    assertThrows(
                            IllegalCallerException.class,
                            () -> example.outside.Application.internalsOf(lake));
            assertTrue(e.getMessage().contains("example.outside.Application"), e.getMessage());
        }
    }

    @Test
    void aLakeThatProvidesNoInternalsIsNamed() {
        Lake plain =
                (Lake)
                        Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {Lake.class},
                                (p, m, a) -> null);
        var e = assertThrows(IllegalArgumentException.class, () -> LakeInternals.of(plain));
        assertTrue(e.getMessage().contains("provides no internals"), e.getMessage());
    }

    @Test
    void theProviderRefusesACallThatDidNotComeThroughOf() {
        try (Lake lake = Lake.temporary()) {
            assertThrows(
                    NullPointerException.class,
                    () -> ((LakeInternals.Provider) lake).internals(null));
        }
    }
}
