package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.exceptions.TableAlreadyExistsException;
import dev.tarn.lake.types.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating one table from many threads and processes at once: exactly one creates it. */
class ConcurrentCreateTest {
    static final Schema SCHEMA = TableRoundTripTest.SCHEMA;

    @TempDir Path dir;

    @Test
    void eightThreadsCreateOneTable() throws Exception {
        try (Lake lake = Lake.open(dir.resolve("lake"))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Table>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(
                        pool.submit(
                                () -> {
                                    go.await();
                                    return Tables.of(lake).create("processed/once", SCHEMA, "day");
                                }));
            }
            go.countDown();
            int created = 0;
            for (Future<Table> f : futures) {
                try {
                    f.get(1, TimeUnit.MINUTES);
                    created++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertInstanceOf(TableAlreadyExistsException.class, e.getCause());
                }
            }
            pool.shutdown();
            assertEquals(1, created);
            Table t = Tables.of(lake).load("processed/once");
            assertEquals(0, t.snapshot().version());
            assertEquals(
                    DatasetKind.TABLE,
                    lake.catalog().dataset("processed/once").orElseThrow().kind());
        }
    }

    @Test
    void twoProcessesCreateTheSameTableIfNotExists() throws Exception {
        Path lakeDir = dir.resolve("lake");
        try (Lake lake = Lake.open(lakeDir)) {
            lake.catalog();
        }
        List<Process> procs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            procs.add(
                    Jvm.process(CreateMain.class, lakeDir.toString(), "processed/shared").start());
        }
        List<String> ids = new ArrayList<>();
        for (Process p : procs) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(2, TimeUnit.MINUTES));
            assertEquals(0, p.exitValue(), out);
            ids.add(out.lines().filter(l -> l.startsWith("ID ")).findFirst().orElseThrow());
        }
        assertEquals(ids.get(0), ids.get(1), "both processes got the same table");
        try (Lake lake = Lake.open(lakeDir)) {
            Table t = Tables.of(lake).load("processed/shared");
            assertEquals(0, t.snapshot().version());
            assertEquals("ID " + t.snapshot().tableId(), ids.get(0));
        }
    }
}
