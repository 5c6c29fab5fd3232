package dev.tarn.lake.format.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.format.ConversionReport;
import dev.tarn.lake.format.Input;
import dev.tarn.lake.format.Output;
import dev.tarn.lake.format.OutputFileInfo;
import dev.tarn.lake.format.internal.engine.Engine;
import dev.tarn.lake.format.internal.engine.Settings;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitioned rows that do not fit the spill memory go through sorted runs on disk and still make
 * one file each.
 */
class PartitionSpillTest {
    @TempDir Path dir;

    private ConversionReport run(Path in, Path out, int threads, long memory, long target) {
        Settings s = Settings.of(List.of(Input.file(in)));
        Settings.Write w =
                s.write()
                        .withOutput(Output.directory(out))
                        .withPartitionBy(List.of("k"))
                        .withPartitionMemoryBytes(memory);
        if (target > 0) {
            w = w.withTargetFileBytes(target);
        }
        return new Engine(s.with(w).with(s.run().withThreads(threads))).run();
    }

    @Test
    void spilledRunsKeepEveryRowAndTheInputOrderWithinAPartition() throws Exception {
        Random rnd = new Random(3);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            // nested values and nulls go through the spill encoding too
            lines.add(
                    "{\"i\":"
                            + i
                            + ",\"k\":"
                            + rnd.nextInt(600)
                            + ",\"s\":\""
                            + "x".repeat(rnd.nextInt(40))
                            + "\",\"d\":"
                            + (i % 7 == 0 ? "null" : rnd.nextDouble())
                            + ",\"tags\":[\"a\",\"b"
                            + i
                            + "\"],\"o\":{\"f\":"
                            + (i % 2 == 0)
                            + "}}");
        }
        Path in = Files.write(dir.resolve("in.ndjson"), lines);
        // other processes (a killed child of another test, another build) may leave their own run
        // directories in
        // the shared temp directory: only the ones this conversion makes must be gone
        java.util.Set<Path> before = spillDirs();
        for (int threads : new int[] {1, 3}) {
            Path out = dir.resolve("out" + threads);
            ConversionReport r = run(in, out, threads, 1 << 20, 0);
            assertEquals(30_000, r.rowsWritten());
            assertTrue(
                    String.join("\n", r.notes()).contains("run(s) on local temp disk"),
                    r.notes().toString());
            Map<String, Integer> perPartition = new HashMap<>();
            for (OutputFileInfo f : r.files()) {
                perPartition.merge(f.partition().get("k"), 1, Integer::sum);
            }
            assertEquals(600, perPartition.size());
            assertTrue(
                    perPartition.values().stream().allMatch(n -> n == 1), perPartition.toString());
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                    Statement st = c.createStatement()) {
                String src =
                        "read_json('"
                                + in
                                + "', columns={i:'INTEGER', k:'INTEGER', s:'VARCHAR', d:'DOUBLE',"
                                + " tags:'VARCHAR[]', o:'STRUCT(f BOOLEAN)'})";
                String w =
                        "read_parquet('"
                                + out
                                + "/**/*.parquet', hive_partitioning=true, filename=true)";
                String cols = "SELECT i, k::INTEGER, s, d, tags, o FROM ";
                for (String q :
                        new String[] {
                            cols + src + " EXCEPT ALL " + cols + w,
                            cols + w + " EXCEPT ALL " + cols + src
                        }) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM (" + q + ")")) {
                        rs.next();
                        assertEquals(0, rs.getLong(1), q);
                    }
                }
                if (threads == 1) {
                    // one worker keeps the input's order inside each partition's file
                    try (ResultSet rs =
                            st.executeQuery(
                                    "SELECT count(*) FROM (SELECT i, lag(i) OVER (PARTITION BY"
                                            + " filename ORDER BY file_row_number) AS prev FROM read_parquet('"
                                            + out
                                            + "/**/*.parquet', filename=true, file_row_number=true)) WHERE prev > i")) {
                        rs.next();
                        assertEquals(0, rs.getLong(1));
                    }
                }
            }
            java.util.Set<Path> left = spillDirs();
            left.removeAll(before);
            assertEquals(java.util.Set.of(), left, "run files are deleted");
        }
    }

    private static java.util.Set<Path> spillDirs() throws IOException {
        try (var walk = Files.walk(Path.of(System.getProperty("java.io.tmpdir")), 1)) {
            // Only this JVM's runs (tarn-partitions-PID-...): other processes on the machine may
            // convert meanwhile.
            String mine = "tarn-partitions-" + ProcessHandle.current().pid() + "-";
            return walk.filter(p -> p.getFileName().toString().startsWith(mine))
                    .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
        }
    }

    @Test
    void byteShortAndFloatValuesGoThroughTheSpill() throws Exception {
        StringBuilder sb = new StringBuilder("k,b,s,f\n");
        for (int i = 0; i < 100_000; i++) {
            sb.append(i % 300)
                    .append(',')
                    .append(i % 128 - 64)
                    .append(',')
                    .append(i % 30_000 - 15_000)
                    .append(',')
                    .append(i / 8.0)
                    .append('\n');
        }
        Path in = Files.writeString(dir.resolve("in.csv"), sb.toString());
        Settings s = Settings.of(List.of(Input.file(in)));
        s =
                s.with(
                                s.write()
                                        .withOutput(Output.directory(dir.resolve("typed")))
                                        .withPartitionBy(List.of("k"))
                                        .withPartitionMemoryBytes(1 << 20))
                        .with(s.run().withThreads(1))
                        .with(
                                s.inference()
                                        .withSchema(
                                                DataType.struct(
                                                        Field.of("k", DataType.INT),
                                                        Field.of("b", DataType.BYTE),
                                                        Field.of("s", DataType.SHORT),
                                                        Field.of("f", DataType.FLOAT)),
                                                List.of()));
        ConversionReport r = new Engine(s).run();
        assertEquals(100_000, r.rowsWritten());
        assertTrue(
                String.join("\n", r.notes()).contains("run(s) on local temp disk"),
                r.notes().toString());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT count(*) FROM (SELECT k::INTEGER, b, s, f FROM read_csv('"
                                        + in
                                        + "', columns={k:'INTEGER', b:'TINYINT', s:'SMALLINT', f:'FLOAT'}) EXCEPT ALL SELECT k::INTEGER,"
                                        + " b, s, f FROM read_parquet('"
                                        + dir.resolve("typed")
                                        + "/**/*.parquet', hive_partitioning=true))")) {
            rs.next();
            assertEquals(0, rs.getLong(1));
        }
    }

    @Test
    void aPartitionLargerThanTheTargetRollsOver() throws IOException {
        List<String> lines = new ArrayList<>();
        Random rnd = new Random(5);
        for (int i = 0; i < 40_000; i++) {
            lines.add(
                    "{\"k\":\""
                            + (i % 2 == 0 ? "big" : "b" + (i % 50))
                            + "\",\"v\":\""
                            + Long.toHexString(rnd.nextLong())
                            + Long.toHexString(rnd.nextLong())
                            + "\"}");
        }
        Path in = Files.write(dir.resolve("in.ndjson"), lines);
        ConversionReport r = run(in, dir.resolve("out"), 1, 1 << 20, 1 << 16);
        long big = r.files().stream().filter(f -> "big".equals(f.partition().get("k"))).count();
        assertTrue(big > 1, "the large partition rolls at the target size: " + big);
        assertEquals(40_000, r.files().stream().mapToLong(OutputFileInfo::rows).sum());
    }

    @Test
    void runDirectoriesOfProcessesThatAreGoneAreRemoved(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().orElseThrow().toEpochMilli();
        Path mine =
                Files.createDirectory(
                        tmp.resolve(PartitionSpill.PREFIX + self.pid() + "-" + start + "-1"));
        Path reused =
                Files.createDirectory(
                        tmp.resolve(
                                PartitionSpill.PREFIX
                                        + self.pid()
                                        + "-"
                                        + (start - 60_000)
                                        + "-2"));
        Files.write(reused.resolve("run-1.bin"), new byte[] {1, 2, 3});
        Path gone =
                Files.createDirectory(
                        tmp.resolve(
                                PartitionSpill.PREFIX + Integer.MAX_VALUE + "-" + start + "-3"));
        Path older = Files.createDirectory(tmp.resolve(PartitionSpill.PREFIX + "123456789"));
        assertEquals(2, PartitionSpill.removeStale(tmp));
        assertTrue(Files.isDirectory(mine), "a live process's directory stays");
        assertTrue(Files.isDirectory(older), "a name without pid and start is left alone");
        assertFalse(Files.exists(reused), "the pid was reused by another process");
        assertFalse(Files.exists(gone));
    }
}
