package dev.tarn.lake.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs of several 4 MiB chunks, converted by several workers: every value must still belong to
 * its own row (text values point into recycled chunk buffers until they are written).
 */
class ChunkIntegrityTest {
    @TempDir Path dir;

    private static final int ROWS = 150_000;

    private static String word(int i) {
        return "w" + (i * 7919L % 100_003) + "-\u00e9-" + Integer.toHexString(i);
    }

    @Test
    void ndjsonValuesStayWithTheirRows() throws IOException {
        Path in = dir.resolve("big.ndjson");
        try (BufferedWriter w = Files.newBufferedWriter(in, StandardCharsets.UTF_8)) {
            for (int i = 0; i < ROWS; i++) {
                w.write(
                        "{\"i\":"
                                + i
                                + ",\"u\":\""
                                + word(i)
                                + "\",\"c\":\"cat"
                                + (i % 5)
                                + "\",\"e\":\"q\\\""
                                + i
                                + "\",\"pad\":\""
                                + "x".repeat(i % 50)
                                + "\"}\n");
            }
        }
        check(in, "'q\"' || i");
    }

    @Test
    void csvValuesStayWithTheirRows() throws IOException {
        Path in = dir.resolve("big.csv");
        try (BufferedWriter w = Files.newBufferedWriter(in, StandardCharsets.UTF_8)) {
            w.write("i,u,c,e,pad\n");
            for (int i = 0; i < ROWS; i++) {
                w.write(
                        i
                                + ","
                                + word(i)
                                + ",cat"
                                + (i % 5)
                                + ",\"q\"\""
                                + i
                                + "\","
                                + "x".repeat(i % 50)
                                + "\n");
            }
        }
        check(in, "'q\"' || i");
    }

    private void check(Path in, String expectedE) {
        Path out = dir.resolve("out");
        ConversionReport r = Conversion.of(in).threads(3).output(Output.directory(out)).commit();
        assertEquals(ROWS, r.rowsWritten());
        assertEquals(3, r.files().size());
        try (Duck d = new Duck()) {
            String f = "'" + out + "/*.parquet'";
            d.exec(
                    "CREATE MACRO word(i) AS 'w' || (i * 7919 % 100003) || '-\u00e9-' || lower(printf('%x', i))");
            assertEquals(
                    List.of(List.of(String.valueOf(ROWS), "0", "0", "0", "0")),
                    d.rows(
                            "SELECT count(*), count(*) FILTER (u <> word(i)), count(*) FILTER (c <> 'cat' || (i % 5)),"
                                    + " count(*) FILTER (e <> "
                                    + expectedE
                                    + "), count(*) FILTER (length(pad) <> i % 50)"
                                    + " FROM "
                                    + f));
        }
    }
}
