package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    static final Schema SCHEMA =
            Schema.of(
                    Field.of("id", DataType.LONG),
                    Field.of("name", DataType.STRING),
                    Field.of("amount", DataType.decimal(18, 1)));

    @TempDir Path dir;
    Lake lake;
    TestData data;

    @BeforeEach
    void open() {
        lake = Lake.open(dir.resolve("lake"));
        data = new TestData(lake);
    }

    @AfterEach
    void close() {
        data.close();
        lake.close();
    }

    private Path log(String name) {
        return data.root().resolve("processed/t/_delta_log").resolve(name);
    }

    @Test
    void everyTenCommitsAndTablesOpenFromTheCheckpoint() throws Exception {
        Table t = Tables.of(lake).create("processed/t", SCHEMA);
        for (int i = 0; i < 25; i++) {
            t.newAppend()
                    .addFile(data.file(t, "f" + i + ".parquet", i * 10, i * 10 + 2, Map.of()))
                    .commit();
            if (i == 12) {
                t.newDelete().deleteFile("f3.parquet").commit();
            }
        }
        assertEquals(26, t.snapshot().version());
        assertTrue(Files.exists(log("00000000000000000010.checkpoint.parquet")));
        assertTrue(Files.exists(log("00000000000000000020.checkpoint.parquet")));
        assertFalse(Files.exists(log("00000000000000000025.checkpoint.parquet")));
        String last = Files.readString(log("_last_checkpoint"));
        assertTrue(last.contains("\"version\":20") && last.contains("\"numOfAddFiles\":18"), last);

        List<String> expected = data.rowsOf(t, t.snapshot());
        List<String> expectedAt15 = data.rowsOf(t, t.snapshot(15));
        // metadata cleanup: the commits before checkpoint 20 are gone, so only the checkpoint can
        // give the state
        for (int v = 0; v < 20; v++) {
            Files.delete(log(String.format("%020d.json", v)));
        }
        try (Lake other = Lake.open(dir.resolve("lake"))) {
            Table t2 = Tables.of(other).load("processed/t");
            Snapshot s = t2.snapshot();
            assertEquals(26, s.version());
            assertEquals(24, s.files().size());
            assertEquals(48, s.recordCount());
            assertEquals(SCHEMA, s.schema());
            assertEquals(expected, data.rowsOf(t2, s));
            assertEquals(22, t2.snapshot(22).version());
            assertThrows(NotFoundException.class, () -> t2.snapshot(15));
            assertEquals(7, t2.history().size());
            // Delta Kernel agrees, from the checkpoint too
            KernelReader.Result k = KernelReader.read(data.root().resolve("processed/t"), null);
            assertEquals(expected, k.rows());
        }
        assertEquals(26, expectedAt15.size());
    }

    @Test
    void aBrokenLastCheckpointFallsBackToListingAndAnUnreadableCheckpointToTheLog()
            throws Exception {
        Table t =
                Tables.of(lake)
                        .newCreate("processed/t")
                        .schema(SCHEMA)
                        .property("delta.checkpointInterval", "4")
                        .commit();
        for (int i = 0; i < 9; i++) {
            t.newAppend()
                    .addFile(data.file(t, "f" + i + ".parquet", i * 10, i * 10 + 1, Map.of()))
                    .commit();
        }
        assertTrue(Files.exists(log("00000000000000000004.checkpoint.parquet")));
        assertTrue(Files.exists(log("00000000000000000008.checkpoint.parquet")));
        Files.writeString(log("_last_checkpoint"), "{not json", StandardCharsets.UTF_8);
        try (Lake other = Lake.open(dir.resolve("lake"))) {
            assertEquals(9, Tables.of(other).load("processed/t").snapshot().files().size());
        }
        Files.writeString(
                log("00000000000000000008.checkpoint.parquet"), "garbage", StandardCharsets.UTF_8);
        Files.delete(log("_last_checkpoint"));
        try (Lake other = Lake.open(dir.resolve("lake"))) {
            Snapshot s = Tables.of(other).load("processed/t").snapshot();
            assertEquals(9, s.version());
            assertEquals(9, s.files().size());
        }
    }

    @Test
    void checkpointsAreWrittenAndReadWithoutHadoop() throws Exception {
        Table t =
                Tables.of(lake)
                        .newCreate("processed/t")
                        .schema(SCHEMA)
                        .property("delta.checkpointInterval", "2")
                        .commit();
        List<String> args = new ArrayList<>(List.of(dir.resolve("lake").toString(), "processed/t"));
        for (int i = 0; i < 3; i++) {
            args.add(data.write(t, "f" + i + ".parquet", TestData.rows(i * 10, i * 10 + 4)));
        }
        // the run-time class path: this module, lake-core and their compile/runtime dependencies;
        // no Hadoop, no
        // test-only jars (Kernel, DuckDB)
        Process p =
                Jvm.process(
                                e -> {
                                    String name = new File(e).getName();
                                    return !name.startsWith("hadoop-")
                                            && !name.startsWith("delta-")
                                            && !name.startsWith("duckdb")
                                            && !e.contains(
                                                    File.separator
                                                            + "org"
                                                            + File.separator
                                                            + "apache"
                                                            + File.separator
                                                            + "hadoop");
                                },
                                NoHadoopMain.class,
                                args.toArray(String[]::new))
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("no Hadoop on the class path"), out);
        assertTrue(out.contains("COMPACTED 3 1"), out);
        assertTrue(out.contains("OK 5 1 11"), out);
        assertTrue(Files.exists(log("00000000000000000002.checkpoint.parquet")));
        // what the Hadoop-free writer wrote, Kernel reads
        KernelReader.Result k = KernelReader.read(data.root().resolve("processed/t"), null);
        assertEquals(11, k.rows().size());
    }
}
