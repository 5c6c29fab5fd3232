package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.lake.Lake;
import dev.tarn.lake.storage.WriteMode;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 6, measured: small-append commit latency (target median < 10 ms) and opening the
 * newest snapshot of a 1,000-commit table from a fresh handle (target < 100 ms with checkpoints).
 * Tagged "bench": run with {@code mvn -pl lake-table test -Dtest=TableBenchmarkTest
 * -Dtarn.excludedGroups= -Dgroups=bench}; the numbers go to standard output
 * (target/surefire-reports/...-output.txt).
 */
@Tag("bench")
class TableBenchmarkTest {
    @TempDir Path dir;

    @Test
    void appendLatencyAndOpenLatency() throws Exception {
        int commits = 1000;
        Path lakeDir = dir.resolve("lake");
        Schema schema =
                Schema.of(
                        Field.of("id", DataType.LONG),
                        Field.of("name", DataType.STRING),
                        Field.of("amount", DataType.decimal(18, 1)));
        try (Lake lake = Lake.open(lakeDir);
                TestData data = new TestData(lake)) {
            for (String name : List.of("checkpointed", "nocheckpoint")) {
                CreateTable c = Tables.of(lake).newCreate("processed/" + name).schema(schema);
                if (name.equals("nocheckpoint")) {
                    c.property("delta.checkpointInterval", "1000000");
                }
                Table t = c.commit();
                data.write(t, "_t/t.parquet", TestData.rows(0, 3));
                byte[] template = lake.store().getBytes(t.keyPrefix() + "_t/t.parquet");
                List<Long> nanos = new ArrayList<>();
                for (int i = 0; i < commits; i++) {
                    String rel = "part-" + i + ".parquet";
                    lake.store().put(t.keyPrefix() + rel, template, WriteMode.CREATE);
                    long t0 = System.nanoTime();
                    t.newAppend().addFile(DataFile.builder(rel).recordCount(3).build()).commit();
                    nanos.add(System.nanoTime() - t0);
                }
                report(name + ": append commit latency over " + commits + " commits", nanos);
                List<Long> open = new ArrayList<>();
                for (int i = 0; i < 15; i++) {
                    try (Lake fresh = Lake.open(lakeDir)) {
                        long t0 = System.nanoTime();
                        Snapshot s = Tables.of(fresh).load("processed/" + name).snapshot();
                        open.add(System.nanoTime() - t0);
                        assertEquals(commits, s.version());
                        assertEquals(commits, s.files().size());
                    }
                }
                report(
                        name
                                + ": open newest snapshot of a "
                                + commits
                                + "-commit table, fresh handle",
                        open);
            }
        }
    }

    private static void report(String what, List<Long> nanos) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        System.out.printf(
                "%s: median %.2f ms, p95 %.2f ms, max %.2f ms%n",
                what,
                s.get(s.size() / 2) / 1e6,
                s.get((int) (s.size() * 0.95)) / 1e6,
                s.get(s.size() - 1) / 1e6);
    }
}
