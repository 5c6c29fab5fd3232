package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.spi.LakeInternals;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Tables work on any lake that provides internals, not only on the one Lake.open returns. */
class DecoratedLakeTest extends TableFixture {

    /**
     * A lake that counts the calls made to it and passes each on, internals included, to the lake
     * it wraps.
     */
    private static Lake counting(Lake inner, AtomicInteger calls) {
        return (Lake)
                Proxy.newProxyInstance(
                        DecoratedLakeTest.class.getClassLoader(),
                        new Class<?>[] {Lake.class, LakeInternals.Provider.class},
                        (proxy, method, args) -> {
                            calls.incrementAndGet();
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
    void tablesWorkOnADecoratedLake() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Lake decorated = counting(lake, calls);
        Tables over = Tables.of(decorated);
        Table t = over.create("processed/orders", TableRoundTripTest.SCHEMA, "day");
        t.newAppend()
                .addFile(
                        data.file(
                                t, "day=2026-11-01/a.parquet", 0, 10, Map.of("day", "2026-11-01")))
                .commit();
        assertEquals(10, over.load("processed/orders").snapshot().recordCount());
        assertEquals(
                10,
                tables.load("processed/orders").snapshot().recordCount(),
                "the same lake underneath");
        assertTrue(calls.get() > 0, "the decorator was used");
    }

    @Test
    void aLakeWithoutInternalsIsRefusedWithItsName() {
        Lake plain =
                (Lake)
                        Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {Lake.class},
                                (p, m, a) -> m.invoke(lake, a));
        var e = assertThrows(IllegalArgumentException.class, () -> Tables.of(plain));
        assertTrue(e.getMessage().contains("provides no internals"), e.getMessage());
    }
}
