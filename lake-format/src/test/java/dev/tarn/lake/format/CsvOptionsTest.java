package dev.tarn.lake.format;

import static dev.tarn.lake.format.Fixtures.q;
import static dev.tarn.lake.format.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.lake.format.internal.encode.ParquetReadBack;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV comment lines and NULL tokens. */
class CsvOptionsTest {
    @TempDir Path dir;

    @Test
    void commentLinesAreSkippedAndLineNumbersStayTheFilesOwn() throws IOException {
        String csv =
                "# exported 2026-11-21, it's \"draft\n"
                        + "id,name\n"
                        + "1,a\n"
                        + "# a \"quoted, comment\n"
                        + "2,\"b\n# not a comment: inside quotes\"\n"
                        + "3\n"
                        + "4,#data\n";
        Path in = write(dir, "c.csv", csv);
        Path out = dir.resolve("c.parquet");
        Path bad = dir.resolve("bad.ndjson");
        ConversionReport r =
                Conversion.of(in)
                        .csv(CsvOptions.builder().comment('#').build())
                        .threads(1)
                        .output(Output.file(out))
                        .quarantine(Output.file(bad))
                        .errorBudget(ErrorBudget.unlimited())
                        .commit();
        assertEquals(4, r.rowsRead());
        assertEquals(3, r.rowsWritten());
        try (Duck d = new Duck()) {
            assertEquals(List.of("id INTEGER", "name VARCHAR"), d.describe(q(out)));
            assertEquals(
                    List.of(
                            List.of("1", "a"),
                            List.of("2", "b\n# not a comment: inside quotes"),
                            List.of("4", "#data")),
                    d.rows("SELECT * FROM " + q(out) + " ORDER BY id"));
        }
        assertEquals(3, ParquetReadBack.read(out).rows().size());
        List<JsonNode> q = Fixtures.quarantine(bad);
        assertEquals(1, q.size());
        assertEquals(7, q.get(0).get("line").asLong());
        assertEquals(3, q.get(0).get("record").asLong());
        assertEquals(csv.indexOf("3\n"), q.get(0).get("offset").asLong());
        assertEquals("3", q.get(0).get("raw").asText());
        assertEquals("expected 2 fields, found 1", q.get(0).get("reason").asText());
    }

    @Test
    void withoutACommentCharacterHashLinesAreData() {
        Path in = write(dir, "c.csv", "id,name\n#1,a\n2,b\n");
        Path out = dir.resolve("c.parquet");
        Conversion.of(in).output(Output.file(out)).commit();
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("#1", "a"), List.of("2", "b")),
                    d.rows("SELECT * FROM " + q(out)));
        }
    }

    @Test
    void commentLinesAcrossChunkBoundariesKeepLineNumbers() throws IOException {
        // over 4 MiB, so that the reader cuts chunks; comments with lone quotes must not open a
        // quoted field there
        StringBuilder sb = new StringBuilder("id,v\n");
        int rows = 0;
        int line = 1;
        int badLine = -1;
        for (int i = 0; sb.length() < (9 << 20); i++) {
            if (i % 7 == 3) {
                sb.append("# row ").append(i).append(" isn't \"quoted\n");
            } else if (i == 500_000) {
                sb.append("bad\n");
                badLine = line + 1;
            } else {
                sb.append(i).append(",v").append(i).append('\n');
                rows++;
            }
            line++;
        }
        Path in = write(dir, "big.csv", sb.toString());
        Path out = dir.resolve("big");
        Path bad = dir.resolve("bad.ndjson");
        ConversionReport r =
                Conversion.of(in)
                        .csv(CsvOptions.builder().comment('#').build())
                        .threads(2)
                        .output(Output.directory(out))
                        .quarantine(Output.file(bad))
                        .errorBudget(ErrorBudget.count(1))
                        .commit();
        assertEquals(rows, r.rowsWritten());
        assertEquals(1, r.rowsQuarantined());
        assertEquals(badLine, Fixtures.quarantine(bad).get(0).get("line").asLong());
        assertEquals("bad", Fixtures.quarantine(bad).get(0).get("raw").asText());
        try (Duck d = new Duck()) {
            assertEquals(
                    String.valueOf(rows),
                    d.one("SELECT count(*) FROM '" + out + "/*.parquet' WHERE v = 'v' || id"));
        }
    }

    @Test
    void nullTokensAreNullOnlyUnquoted() throws IOException {
        Path in = write(dir, "n.csv", "id,v,s\n1,NA,\"NA\"\n2,5,NA\n3,\\N,x\n4,,\"\"\n");
        Path out = dir.resolve("n.parquet");
        ConversionReport r =
                Conversion.of(in)
                        .csv(CsvOptions.builder().nullValues("NA", "\\N").build())
                        .output(Output.file(out))
                        .threads(1)
                        .commit();
        assertEquals("STRUCT(id INTEGER NOT NULL, v INTEGER, s VARCHAR)", r.schema().toString());
        try (Duck d = new Duck()) {
            assertEquals(List.of("id INTEGER", "v INTEGER", "s VARCHAR"), d.describe(q(out)));
            assertEquals(
                    List.of(
                            Arrays.asList("1", null, "NA"),
                            Arrays.asList("2", "5", null),
                            Arrays.asList("3", null, "x"),
                            Arrays.asList("4", null, "")),
                    d.rows("SELECT * FROM " + q(out)));
        }
        ParquetReadBack.Contents c = ParquetReadBack.read(out);
        assertEquals("NA", c.rows().get(0).getString("s", 0));
        assertEquals(0, c.rows().get(0).getFieldRepetitionCount("v"));
        assertEquals(0, c.rows().get(1).getFieldRepetitionCount("s"));
    }

    @Test
    void withoutNullTokensNaIsText() {
        Path in = write(dir, "n.csv", "id,v\n1,NA\n2,5\n3,\n");
        Path out = dir.resolve("n.parquet");
        Conversion.of(in).output(Output.file(out)).commit();
        try (Duck d = new Duck()) {
            assertEquals(List.of("id INTEGER", "v VARCHAR"), d.describe(q(out)));
            assertEquals(
                    Arrays.asList("NA", "5", null),
                    d.rows("SELECT v FROM " + q(out)).stream().map(x -> x.get(0)).toList());
        }
    }

    @Test
    void nullTokensApplyToAnExplicitSchema() {
        Path in = write(dir, "n.csv", "id,v\n1,-\n2,7\n");
        Path out = dir.resolve("n.parquet");
        ConversionReport r =
                Conversion.of(in)
                        .csv(CsvOptions.builder().nullValues("-").header(true).build())
                        .schema(
                                DataType.struct(
                                        new Field("id", DataType.INT, false),
                                        Field.of("v", DataType.LONG)))
                        .output(Output.file(out))
                        .commit();
        assertEquals(2, r.rowsWritten());
        try (Duck d = new Duck()) {
            assertEquals(
                    Arrays.asList(null, "7"),
                    d.rows("SELECT v FROM " + q(out) + " ORDER BY id").stream()
                            .map(x -> x.get(0))
                            .toList());
        }
    }

    @Test
    void optionsAreKeptByToBuilderAndValidated() {
        CsvOptions o = CsvOptions.builder().comment(';').nullValues("NULL").build();
        CsvOptions p = o.toBuilder().delimiter(',').build();
        assertEquals(';', p.comment());
        assertEquals(List.of("NULL"), p.nullValues());
        assertFalse(CsvOptions.defaults().toString().contains("comment"));
        assertEquals(null, CsvOptions.defaults().comment());
        assertEquals(List.of(), CsvOptions.defaults().nullValues());
        assertThrows(
                IllegalArgumentException.class,
                () -> CsvOptions.builder().delimiter(';').comment(';').build());
        assertThrows(
                IllegalArgumentException.class, () -> CsvOptions.builder().comment('"').build());
    }
}
