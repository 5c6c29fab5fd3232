package dev.tarn.lake.format;

import static dev.tarn.lake.format.Fixtures.q;
import static dev.tarn.lake.format.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.SchemaChange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 2: CSV edge cases, each with its documented outcome. */
class CsvEdgeCaseTest {
    @TempDir Path dir;

    private List<List<String>> convert(String csv, CsvOptions options) {
        Path in = write(dir, "in.csv", csv);
        Path out = dir.resolve("out.parquet");
        Conversion c = Conversion.of(in).output(Output.file(out)).threads(1);
        if (options != null) {
            c.csv(options);
        }
        c.commit();
        try (Duck d = new Duck()) {
            return d.rows("SELECT * FROM " + q(out));
        }
    }

    @Test
    void quotedFieldsKeepDelimitersQuotesAndNewlines() {
        List<List<String>> rows =
                convert(
                        "id,text\n1,\"a,b\"\n2,\"say \"\"hi\"\"\"\n3,\"line1\nline2\"\n4,plain\n",
                        null);
        assertEquals(
                List.of(
                        List.of("1", "a,b"),
                        List.of("2", "say \"hi\""),
                        List.of("3", "line1\nline2"),
                        List.of("4", "plain")),
                rows);
    }

    @Test
    void crlfLineEndingsAreRemovedButCrInsideQuotesIsKept() {
        List<List<String>> rows = convert("id,text\r\n1,x\r\n2,\"a\r\nb\"\r\n", null);
        assertEquals(List.of(List.of("1", "x"), List.of("2", "a\r\nb")), rows);
    }

    @Test
    void utf8BomIsSkipped() {
        byte[] body = "name,n\nJos\u00e9,1\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xef;
        withBom[1] = (byte) 0xbb;
        withBom[2] = (byte) 0xbf;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Path in = write(dir, "bom.csv", withBom);
        Path out = dir.resolve("bom.parquet");
        Conversion.of(in).output(Output.file(out)).commit();
        try (Duck d = new Duck()) {
            assertEquals(List.of("name VARCHAR", "n INTEGER"), d.describe(q(out)));
            assertEquals(List.of(List.of("Jos\u00e9", "1")), d.rows("SELECT * FROM " + q(out)));
        }
    }

    @Test
    void emptyUnquotedFieldIsNullAndQuotedEmptyIsEmptyString() {
        List<List<String>> rows = convert("a,b\n,\"\"\nx,y\n", null);
        assertEquals(Arrays.asList(null, ""), rows.get(0));
        assertEquals(List.of("x", "y"), rows.get(1));
    }

    @Test
    void quotedEmptyCanBeReadAsNull() {
        List<List<String>> rows =
                convert(
                        "a,b\n1,\"\"\n2,3\n",
                        CsvOptions.builder().emptyStringsAsNull(true).build());
        assertEquals(Arrays.asList("1", null), rows.get(0));
    }

    @Test
    void leadingZerosStayText() throws Exception {
        Path in = write(dir, "zip.csv", "zip,n\n00501,1\n10001,2\n");
        Path out = dir.resolve("zip.parquet");
        ConversionReport r = Conversion.of(in).output(Output.file(out)).commit();
        assertEquals(DataType.STRING, r.schema().field("zip").orElseThrow().type());
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("00501"), List.of("10001")),
                    d.rows("SELECT zip FROM " + q(out)));
        }
        // 00501 is not a canonical integer, so the column was text from its first value: nothing
        // widened
        assertTrue(r.changes().isEmpty(), r.changes()::toString);
    }

    @Test
    void raggedRowsAreQuarantinedWithLineNumbers() {
        Path in =
                write(
                        dir,
                        "ragged.csv",
                        "a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n\"multi\nline\",x,y\n13,14\n");
        Path out = dir.resolve("ragged.parquet");
        Path bad = dir.resolve("bad.ndjson");
        ConversionReport r = Fixtures.lenient(in, out, bad);
        assertEquals(7 - 1, r.rowsRead());
        assertEquals(3, r.rowsWritten());
        assertEquals(3, r.rowsQuarantined());
        List<JsonNode> q = Fixtures.quarantine(bad);
        assertEquals(3, q.size());
        assertEquals(3, q.get(0).get("line").asLong());
        assertEquals(2, q.get(0).get("record").asLong());
        assertEquals("4,5", q.get(0).get("raw").asText());
        assertEquals("expected 3 fields, found 2", q.get(0).get("reason").asText());
        assertEquals(12, q.get(0).get("offset").asLong());
        assertEquals(5, q.get(1).get("line").asLong());
        assertEquals("9,10,11,12", q.get(1).get("raw").asText());
        // the record with an embedded newline spans lines 6-7, so the last one is on line 8
        assertEquals(8, q.get(2).get("line").asLong());
        assertEquals(6, q.get(2).get("record").asLong());
        assertEquals(in.toString(), q.get(2).get("source").asText());
    }

    @Test
    void garbageAfterClosingQuoteIsQuarantined() {
        Path in = write(dir, "junk.csv", "a,b\n\"x\"y,1\nok,2\n");
        Path bad = dir.resolve("bad.ndjson");
        ConversionReport r = Fixtures.lenient(in, dir.resolve("o.parquet"), bad);
        assertEquals(1, r.rowsWritten());
        assertTrue(
                Fixtures.quarantine(bad)
                        .get(0)
                        .get("reason")
                        .asText()
                        .contains("after a closing quote"));
    }

    @Test
    void unterminatedQuoteIsQuarantined() {
        Path in = write(dir, "open.csv", "a,b\n1,2\n3,\"never closed\n4,5\n");
        Path bad = dir.resolve("bad.ndjson");
        ConversionReport r = Fixtures.lenient(in, dir.resolve("o.parquet"), bad);
        assertEquals(1, r.rowsWritten());
        JsonNode q = Fixtures.quarantine(bad).get(0);
        assertEquals(3, q.get("line").asLong());
        assertTrue(q.get("reason").asText().contains("unterminated"));
        assertEquals("3,\"never closed\n4,5", q.get("raw").asText());
    }

    @Test
    void delimiterAndHeaderAreDetected() {
        Path in = write(dir, "semi.csv", "name;price;qty\nwidget;1.5;3\ngadget;2.25;4\n");
        Path out = dir.resolve("semi.parquet");
        ConversionReport r = Conversion.of(in).output(Output.file(out)).commit();
        assertEquals(
                List.of("name", "price", "qty"),
                r.schema().fields().stream().map(Field::name).toList());
        assertTrue(
                r.notes().stream().anyMatch(n -> n.contains("delimiter ';'")), r.notes()::toString);
    }

    @Test
    void noHeaderIsDetectedWhenTheFirstRowLooksLikeData() {
        List<List<String>> rows = convert("1,a\n2,b\n", null);
        assertEquals(List.of(List.of("1", "a"), List.of("2", "b")), rows);
        Path out = dir.resolve("out.parquet");
        try (Duck d = new Duck()) {
            assertEquals(List.of("column1 INTEGER", "column2 VARCHAR"), d.describe(q(out)));
        }
    }

    @Test
    void tsvWithBackslashEscapeAndExplicitHeader() {
        Path in = write(dir, "x.tsv", "k\tv\na\t\"say \\\"hi\\\"\tnow\"\n");
        Path out = dir.resolve("x.parquet");
        Conversion.of(in)
                .csv(CsvOptions.builder().escape('\\').header(true).build())
                .output(Output.file(out))
                .commit();
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("a", "say \"hi\"\tnow")), d.rows("SELECT * FROM " + q(out)));
        }
    }

    @Test
    void columnNamesAreKeptAsTheyAre() {
        Path in = write(dir, "names.csv", "zip code,$price,\u00fcber,,Zip\n1,2,3,4,5\n");
        Path out = dir.resolve("names.parquet");
        ConversionReport r =
                Conversion.of(in)
                        .output(Output.file(out))
                        .csv(CsvOptions.builder().header(true).build())
                        .commit();
        assertEquals(
                List.of("zip code", "$price", "\u00fcber", "column4", "Zip"),
                r.schema().fields().stream().map(Field::name).toList());
        assertEquals("\"zip code\"", r.schema().fields().get(0).sqlName());
        try (Duck d = new Duck()) {
            assertEquals("1", d.one("SELECT \"zip code\" FROM " + q(out)));
            assertEquals("2", d.one("SELECT \"$price\" FROM " + q(out)));
        }
    }

    @Test
    void headerOnlyGivesAnEmptyFileWithTheColumns() {
        Path in = write(dir, "empty.csv", "a,b\n");
        Path out = dir.resolve("empty.parquet");
        ConversionReport r =
                Conversion.of(in)
                        .csv(CsvOptions.builder().header(true).build())
                        .output(Output.file(out))
                        .commit();
        assertEquals(0, r.rowsWritten());
        assertEquals(1, r.files().size());
        try (Duck d = new Duck()) {
            assertEquals("0", d.one("SELECT count(*) FROM " + q(out)));
            assertEquals(List.of("a VARCHAR", "b VARCHAR"), d.describe(q(out)));
        }
    }

    @Test
    void aValueBeyondTheSampleTriggersOneExactRerun() {
        StringBuilder sb = new StringBuilder("id,v\n");
        for (int i = 0; i < 100; i++) {
            sb.append(i).append(',').append(i).append('\n');
        }
        sb.append("100,abc\n");
        Path in = write(dir, "late.csv", sb.toString());
        ConversionReport r =
                Conversion.of(in)
                        .sampleRows(10)
                        .threads(1)
                        .output(Output.file(dir.resolve("late.parquet")))
                        .commit();
        assertEquals(2, r.attempts());
        assertEquals(101, r.rowsWritten());
        assertEquals(DataType.STRING, r.schema().field("v").orElseThrow().type());
        assertEquals(DataType.INT, r.schema().field("id").orElseThrow().type());
    }

    @Test
    void blankLinesAreSkipped() {
        List<List<String>> rows = convert("a,b\n\n1,2\n\r\n3,4\n", null);
        assertEquals(List.of(List.of("1", "2"), List.of("3", "4")), rows);
    }

    @Test
    void lastLineWithoutNewline() {
        List<List<String>> rows = convert("a,b\n1,2\n3,4", null);
        assertEquals(List.of(List.of("1", "2"), List.of("3", "4")), rows);
    }

    @Test
    void mixedColumnWidensToTextAndReportSaysWhy() throws Exception {
        Path in = write(dir, "mixed.csv", "v\n1\n2\nabc\n");
        Path out = dir.resolve("mixed.parquet");
        ConversionReport r = Conversion.of(in).output(Output.file(out)).commit();
        SchemaChange c = r.changes().get(0);
        assertEquals("v", c.column());
        assertEquals(DataType.INT, c.from());
        assertEquals(DataType.STRING, c.to());
        assertTrue(c.reason().contains("abc") && c.reason().contains("line 4"), c.reason());
        assertFalse(Files.exists(dir.resolve(".out.parquet.tmp")));
    }
}
