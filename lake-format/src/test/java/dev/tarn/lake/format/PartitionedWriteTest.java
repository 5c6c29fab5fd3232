package dev.tarn.lake.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, Deliver 8: a partitioned conversion writes about one file per partition value per run,
 * whatever the number of values and their order, and DuckDB reads back exactly the input's rows.
 */
class PartitionedWriteTest {
    @TempDir Path dir;

    /** {@code rows} events over {@code values} partition values, in random order. */
    static Path events(Path dir, int rows, int values, long seed) {
        List<String> lines = new ArrayList<>(rows);
        Random rnd = new Random(seed);
        for (int i = 0; i < rows; i++) {
            int v = i % values; // every value occurs
            lines.add(
                    "{\"id\":"
                            + i
                            + ",\"region\":\"r"
                            + String.format("%03d", v)
                            + "\",\"amount\":"
                            + (rnd.nextInt(20000) - 10000)
                            + ",\"note\":\""
                            + Long.toHexString(rnd.nextLong())
                            + "\"}");
        }
        Collections.shuffle(lines, rnd);
        Path in = dir.resolve("events.ndjson");
        try {
            Files.write(in, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return in;
    }

    static Map<String, Integer> filesPerPartition(Path out) {
        Map<String, Integer> m = new HashMap<>();
        try (Stream<Path> s = Files.walk(out)) {
            s.filter(p -> p.toString().endsWith(".parquet"))
                    .forEach(
                            p ->
                                    m.merge(
                                            out.relativize(p.getParent()).toString(),
                                            1,
                                            Integer::sum));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    @Test
    void tenThousandRowsOverFiveHundredValuesInRandomOrder() {
        Path in = events(dir, 10_000, 500, 11);
        for (int threads : new int[] {1, 4}) {
            Path out = dir.resolve("out" + threads);
            ConversionReport r =
                    Conversion.of(in)
                            .partitionBy("region")
                            .threads(threads)
                            .output(Output.directory(out))
                            .commit();
            assertEquals(10_000, r.rowsWritten());
            Map<String, Integer> files = filesPerPartition(out);
            assertEquals(500, files.size());
            int max = files.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertTrue(max <= 2, "at most 2 files per partition value, got " + max);
            assertEquals(500, r.files().size(), "one file per partition value in this run");
            try (Duck d = new Duck()) {
                String src =
                        "read_json('"
                                + in
                                + "', columns={id:'INTEGER', region:'VARCHAR', amount:'INTEGER',"
                                + " note:'VARCHAR'})";
                String written = "read_parquet('" + out + "/**/*.parquet', hive_partitioning=true)";
                String cols = "SELECT id, region, amount, note FROM ";
                assertEquals("10000", d.one("SELECT count(*) FROM " + written));
                assertEquals(
                        "0",
                        d.one(
                                "SELECT count(*) FROM ("
                                        + cols
                                        + src
                                        + " EXCEPT ALL "
                                        + cols
                                        + written
                                        + ")"));
                assertEquals(
                        "0",
                        d.one(
                                "SELECT count(*) FROM ("
                                        + cols
                                        + written
                                        + " EXCEPT ALL "
                                        + cols
                                        + src
                                        + ")"));
                // the partition column is in the path, not in the files
                assertEquals(
                        List.of("id", "amount", "note"),
                        d
                                .rawRows(
                                        "DESCRIBE SELECT * FROM read_parquet('"
                                                + out
                                                + "/region=r007/*.parquet', hive_partitioning=false)")
                                .stream()
                                .map(x -> x.get(0))
                                .toList());
            }
        }
    }
}
