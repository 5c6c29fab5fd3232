package dev.tarn.lake.format;

import static dev.tarn.lake.format.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.exceptions.FormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wide records are bounded by a column limit: a record wider than it fails the conversion with one
 * line naming the file, the line and the limit, before inference holds what so many columns would
 * take (a 200,000-key record took 6 GB); a CSV header longer than the detection sample is read
 * whole, never in part.
 */
class ColumnLimitTest {
    @TempDir Path dir;

    private static String object(int keys) {
        StringJoiner j = new StringJoiner(",", "{", "}");
        for (int i = 0; i < keys; i++) {
            j.add("\"key_" + i + "\":" + i);
        }
        return j.toString();
    }

    private static String header(int columns, String prefix) {
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < columns; i++) {
            j.add(prefix + i);
        }
        return j.toString();
    }

    @Test
    void aJsonRecordWiderThanTheLimitFailsNamingFileLineAndLimit() {
        Path in = write(dir, "wide.ndjson", "{\"a\":1}\n" + object(200_000) + "\n");
        Path out = dir.resolve("out.parquet");
        FormatException e =
                assertThrows(
                        FormatException.class,
                        () -> Conversion.of(in).output(Output.file(out)).commit());
        assertTrue(e.getMessage().contains("wide.ndjson line 2"), e.getMessage());
        assertTrue(e.getMessage().contains("more than 10000 fields"), e.getMessage());
        assertTrue(e.getMessage().contains("--max-columns"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void recordsWiderTogetherThanTheLimitFailToo() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            b.append("{\"r").append(i).append("_a\":1,\"r").append(i).append("_b\":2}\n");
        }
        Path in = write(dir, "many.ndjson", b.toString());
        FormatException e =
                assertThrows(
                        FormatException.class,
                        () ->
                                Conversion.of(in)
                                        .maxColumns(50)
                                        .output(Output.file(dir.resolve("o.parquet")))
                                        .commit());
        assertTrue(
                e.getMessage().contains("many.ndjson line 26: more than 50 fields"),
                e.getMessage());
        ConversionReport r =
                Conversion.of(in)
                        .maxColumns(60)
                        .output(Output.file(dir.resolve("o.parquet")))
                        .commit();
        assertEquals(30, r.rowsWritten());
    }

    @Test
    void aCsvHeaderLongerThanTheSampleIsReadWhole() throws Exception {
        int columns = 9_000; // ~200 KB of header, beyond the 64 KiB sample
        String csv =
                header(columns, "a_rather_long_column_name_") + "\n" + header(columns, "") + "\n";
        Path in = write(dir, "wide.csv", csv);
        Path out = dir.resolve("wide.parquet");
        ConversionReport r = Conversion.of(in).output(Output.file(out)).commit();
        assertEquals(1, r.rowsWritten());
        assertEquals(0, r.rowsQuarantined());
        try (Duck d = new Duck()) {
            assertEquals(
                    String.valueOf(columns),
                    d.one("SELECT count(*) FROM (DESCRIBE SELECT * FROM " + Fixtures.q(out) + ")"));
            assertEquals(
                    "8999", d.one("SELECT a_rather_long_column_name_8999 FROM " + Fixtures.q(out)));
        }
    }

    @Test
    void aCsvHeaderWiderThanTheLimitIsRefused() {
        Path in = write(dir, "wide.csv", header(100_000, "c") + "\n" + header(100_000, "") + "\n");
        Path out = dir.resolve("out.parquet");
        FormatException e =
                assertThrows(
                        FormatException.class,
                        () -> Conversion.of(in).output(Output.file(out)).commit());
        assertTrue(
                e.getMessage()
                        .endsWith(
                                "wide.csv line 1: 100000 columns, more than the column limit of 10000"
                                        + " (raise it with --max-columns)"),
                e.getMessage());
        assertFalse(Files.exists(out));
        FormatException small =
                assertThrows(
                        FormatException.class,
                        () -> Conversion.of(in).maxColumns(10).output(Output.file(out)).commit());
        assertTrue(
                small.getMessage().contains("column limit of 10 columns")
                        || small.getMessage().contains("column limit of 10 "),
                small.getMessage());
    }
}
