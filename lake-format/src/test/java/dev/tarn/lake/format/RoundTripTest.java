package dev.tarn.lake.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.format.internal.encode.ParquetReadBack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 1: every value written is read back equal, by DuckDB and by parquet-java's own reader.
 */
class RoundTripTest {
    @TempDir Path dir;

    static final String NDJSON =
            String.join(
                    "\n",
                    "{\"id\":1,\"big\":3000000000,\"d\":1.5,\"exact\":0.1234567890123456789,\"huge\":123456789012345678901234567890,"
                            + "\"s\":\"h\u00e9llo \u2713 \u65e5\u672c \uD83D\uDE00\",\"e\":\"\",\"n\":null,\"b\":true,"
                            + "\"ts\":\"2024-01-02T03:04:05.123456Z\",\"tso\":\"2024-01-02T05:04:05+02:00\","
                            + "\"lts\":\"2024-01-02T03:04:05\",\"day\":\"2024-01-02\","
                            + "\"geo\":{\"city\":\"S\u00e3o Paulo\",\"pt\":{\"lat\":-23.55,\"lon\":-46.63}},"
                            + "\"tags\":[\"a\",\"\",null],\"items\":[{\"k\":\"x\",\"q\":1},{\"k\":\"y\",\"q\":2}]}",
                    "{\"id\":2,\"big\":-1,\"d\":-0.25,\"exact\":0,\"huge\":-1,\"s\":\"plain\",\"e\":\"x\",\"n\":null,\"b\":false,"
                            + "\"ts\":\"1969-12-31T23:59:59.999999Z\",\"tso\":\"2024-01-02T03:04:05-05:30\","
                            + "\"lts\":\"2024-02-29T00:00:00\",\"day\":\"1900-03-01\","
                            + "\"geo\":null,\"tags\":[],\"items\":null}",
                    "{\"id\":3}",
                    "");

    @Test
    void jsonValuesReadBackEqualInDuckDb() throws Exception {
        Path in = dir.resolve("rt.ndjson");
        Files.writeString(in, NDJSON, StandardCharsets.UTF_8);
        Path out = dir.resolve("rt.parquet");
        ConversionReport r = Conversion.of(in).output(Output.file(out)).commit();
        assertEquals(3, r.rowsWritten());
        assertEquals(0, r.rowsQuarantined());
        try (Duck d = new Duck()) {
            String f = "'" + out + "'";
            assertEquals(
                    List.of(
                            "id INTEGER",
                            "big BIGINT",
                            "d DOUBLE",
                            "exact DECIMAL(19,19)",
                            "huge DECIMAL(30,0)",
                            "s VARCHAR",
                            "e VARCHAR",
                            "n VARCHAR",
                            "b BOOLEAN",
                            "ts TIMESTAMP WITH TIME ZONE",
                            "tso TIMESTAMP WITH TIME ZONE",
                            "lts TIMESTAMP",
                            "day DATE",
                            "geo STRUCT(city VARCHAR, pt STRUCT(lat DOUBLE, lon DOUBLE))",
                            "tags VARCHAR[]",
                            "items STRUCT(k VARCHAR, q INTEGER)[]"),
                    d.describe(f));
            d.exec("SET TimeZone='UTC'");
            List<List<String>> rows =
                    d.rows(
                            "SELECT id, big, d, exact, huge, s, e, n, b, ts, tso, lts, day, geo, tags,"
                                    + " items, length(e) FROM "
                                    + f
                                    + " ORDER BY id");
            // DuckDB prints DECIMAL(19,19) without the leading zero
            assertEquals(
                    java.util.Arrays.asList(
                            "1",
                            "3000000000",
                            "1.5",
                            ".1234567890123456789",
                            "123456789012345678901234567890",
                            "h\u00e9llo \u2713 \u65e5\u672c \uD83D\uDE00",
                            "",
                            null,
                            "true",
                            "2024-01-02 03:04:05.123456+00",
                            "2024-01-02 03:04:05+00",
                            "2024-01-02 03:04:05",
                            "2024-01-02",
                            "{'city': S\u00e3o Paulo, 'pt': {'lat': -23.55, 'lon': -46.63}}",
                            "[a, '', NULL]",
                            "[{'k': x, 'q': 1}, {'k': y, 'q': 2}]",
                            "0"),
                    rows.get(0));
            assertEquals(
                    List.of("2", "-1", "-0.25", ".0000000000000000000", "-1", "plain", "x"),
                    rows.get(1).subList(0, 7));
            assertEquals("1969-12-31 23:59:59.999999+00", rows.get(1).get(9));
            assertEquals("2024-01-02 08:34:05+00", rows.get(1).get(10));
            assertEquals("2024-02-29 00:00:00", rows.get(1).get(11));
            assertEquals("1900-03-01", rows.get(1).get(12));
            assertNull(rows.get(1).get(13));
            assertEquals("[]", rows.get(1).get(14));
            assertNull(rows.get(1).get(15));
            for (int i = 1; i < 16; i++) {
                assertNull(rows.get(2).get(i), "row 3 column " + i + " must be null");
            }
        }
    }

    @Test
    void jsonValuesReadBackEqualWithParquetJava() throws Exception {
        Path in = dir.resolve("rt.ndjson");
        Files.writeString(in, NDJSON, StandardCharsets.UTF_8);
        Path out = dir.resolve("rt.parquet");
        Conversion.of(in).threads(1).output(Output.file(out)).commit();
        ParquetReadBack.Contents c = ParquetReadBack.read(out);
        assertEquals("ZSTD", c.codec());
        assertEquals(3, c.rows().size());
        Group g = c.rows().get(0);
        assertEquals(1, g.getInteger("id", 0));
        assertEquals(3000000000L, g.getLong("big", 0));
        assertEquals(1.5, g.getDouble("d", 0));
        assertEquals("h\u00e9llo \u2713 \u65e5\u672c \uD83D\uDE00", g.getString("s", 0));
        assertEquals("", g.getString("e", 0));
        assertEquals(0, g.getFieldRepetitionCount("n"));
        assertTrue(g.getBoolean("b", 0));
        // 2024-01-02T03:04:05.123456Z in microseconds
        assertEquals(1704164645123456L, g.getLong("ts", 0));
        assertEquals(1704164645000000L, g.getLong("tso", 0));
        assertEquals(1704164645000000L, g.getLong("lts", 0));
        assertEquals(19724, g.getInteger("day", 0));
        Group geo = g.getGroup("geo", 0);
        assertEquals("S\u00e3o Paulo", geo.getString("city", 0));
        assertEquals(-23.55, geo.getGroup("pt", 0).getDouble("lat", 0));
        Group tags = g.getGroup("tags", 0);
        assertEquals(3, tags.getFieldRepetitionCount("list"));
        assertEquals("a", tags.getGroup("list", 0).getString("element", 0));
        assertEquals("", tags.getGroup("list", 1).getString("element", 0));
        assertEquals(0, tags.getGroup("list", 2).getFieldRepetitionCount("element"));
        Group row3 = c.rows().get(2);
        assertEquals(3, row3.getInteger("id", 0));
        assertEquals(0, row3.getFieldRepetitionCount("s"));
    }

    @Test
    void csvValuesReadBackEqual() throws Exception {
        Path in = dir.resolve("rt.csv");
        Files.writeString(
                in,
                "id,name,price,when,ok,zip\r\n"
                        + "1,\"Smith, \"\"J\"\"\",12.50,2024-05-01T10:00:00Z,true,00501\r\n"
                        + "2,,0.1,2024-05-02T10:00:00+01:00,false,12345\r\n"
                        + "3,\"\",,,,\r\n",
                StandardCharsets.UTF_8);
        Path out = dir.resolve("rt.parquet");
        ConversionReport r = Conversion.of(in).output(Output.file(out)).commit();
        assertEquals(3, r.rowsWritten());
        try (Duck d = new Duck()) {
            d.exec("SET TimeZone='UTC'");
            String f = "'" + out + "'";
            assertEquals(
                    List.of(
                            "id INTEGER",
                            "name VARCHAR",
                            "price DOUBLE",
                            "when TIMESTAMP WITH TIME ZONE",
                            "ok BOOLEAN",
                            "zip VARCHAR"),
                    d.describe(f));
            List<List<String>> rows = d.rows("SELECT * FROM " + f + " ORDER BY id");
            assertEquals(
                    List.of("1", "Smith, \"J\"", "12.5", "2024-05-01 10:00:00+00", "true", "00501"),
                    rows.get(0));
            assertEquals(
                    java.util.Arrays.asList(
                            "2", null, "0.1", "2024-05-02 09:00:00+00", "false", "12345"),
                    rows.get(1));
            assertEquals(java.util.Arrays.asList("3", "", null, null, null, null), rows.get(2));
        }
    }
}
