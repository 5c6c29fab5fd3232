package dev.tarn.lake.format;

import static dev.tarn.lake.format.Fixtures.q;
import static dev.tarn.lake.format.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.SchemaChange;
import dev.tarn.lake.types.StructType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 3: JSON edge cases, each with its documented outcome. */
class JsonEdgeCaseTest {
    @TempDir Path dir;

    private Path out() {
        return dir.resolve("out.parquet");
    }

    private Path bad() {
        return dir.resolve("bad.ndjson");
    }

    @Test
    void invalidLinesAreQuarantinedWithTheirPosition() {
        String text = "{\"a\":1}\n{\"a\":2,\n{\"a\":3}\nnot json\n{\"a\":4}\n";
        Path in = write(dir, "in.ndjson", text);
        ConversionReport r = Fixtures.lenient(in, out(), bad());
        assertEquals(5, r.rowsRead());
        assertEquals(3, r.rowsWritten());
        assertEquals(2, r.rowsQuarantined());
        List<JsonNode> q = Fixtures.quarantine(bad());
        assertEquals(2, q.get(0).get("line").asLong());
        assertEquals(text.indexOf("{\"a\":2,"), q.get(0).get("offset").asLong());
        assertEquals("{\"a\":2,", q.get(0).get("raw").asText());
        assertTrue(q.get(0).get("reason").asText().startsWith("invalid JSON"), q.get(0).toString());
        assertEquals(4, q.get(1).get("line").asLong());
        assertEquals("not json", q.get(1).get("raw").asText());
    }

    @Test
    void recordsMustBeObjects() {
        Path in = write(dir, "in.ndjson", "{\"a\":1}\n[1,2]\n42\n\"s\"\n");
        ConversionReport r = Fixtures.lenient(in, out(), bad());
        assertEquals(1, r.rowsWritten());
        assertEquals(3, r.rowsQuarantined());
        assertTrue(
                Fixtures.quarantine(bad())
                        .get(0)
                        .get("reason")
                        .asText()
                        .contains("not a JSON object"));
    }

    @Test
    void contentAfterTheObjectOnOneLineIsQuarantined() {
        Path in = write(dir, "in.ndjson", "{\"a\":1}\n{\"a\":2} {\"a\":3}\n");
        ConversionReport r = Fixtures.lenient(in, out(), bad());
        assertEquals(1, r.rowsWritten());
        assertTrue(
                Fixtures.quarantine(bad())
                        .get(0)
                        .get("reason")
                        .asText()
                        .contains("after the JSON object"));
    }

    @Test
    void duplicateKeysQuarantineTheRecord() {
        Path in = write(dir, "in.ndjson", "{\"a\":1,\"b\":2}\n{\"a\":1,\"a\":2}\n");
        ConversionReport r = Fixtures.lenient(in, out(), bad());
        assertEquals(1, r.rowsWritten());
        JsonNode q = Fixtures.quarantine(bad()).get(0);
        assertEquals("duplicate key \"a\" in record", q.get("reason").asText());
        assertEquals(2, q.get("line").asLong());
    }

    @Test
    void deepNestingIsQuarantined() {
        String deep = "{\"x\":".repeat(70) + "1" + "}".repeat(70);
        Path in = write(dir, "in.ndjson", "{\"x\":{\"y\":1}}\n" + deep + "\n");
        ConversionReport r = Fixtures.lenient(in, out(), bad());
        assertEquals(1, r.rowsWritten());
        assertTrue(
                Fixtures.quarantine(bad())
                        .get(0)
                        .get("reason")
                        .asText()
                        .contains("nesting deeper than 64"));
    }

    @Test
    void nestingUpToTheLimitIsKept() {
        String deep = "{\"x\":".repeat(30) + "1" + "}".repeat(30);
        Path in = write(dir, "in.ndjson", deep + "\n");
        ConversionReport r = Conversion.of(in).output(Output.file(out())).commit();
        assertEquals(1, r.rowsWritten());
    }

    @Test
    void hugeNumbersStayExact() {
        Path in =
                write(
                        dir,
                        "in.ndjson",
                        "{\"i\":123456789012345678901234567890,\"j\":1"
                                + "0".repeat(45)
                                + ",\"k\":9223372036854775807}\n{\"i\":1,\"j\":2,\"k\":-9223372036854775808}\n");
        ConversionReport r = Conversion.of(in).output(Output.file(out())).commit();
        assertEquals(DataType.decimal(30, 0), r.schema().field("i").orElseThrow().type());
        assertEquals(DataType.STRING, r.schema().field("j").orElseThrow().type());
        assertEquals(DataType.LONG, r.schema().field("k").orElseThrow().type());
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(
                            List.of(
                                    "123456789012345678901234567890",
                                    "1" + "0".repeat(45),
                                    "9223372036854775807"),
                            List.of("1", "2", "-9223372036854775808")),
                    d.rows("SELECT i, j, k FROM " + q(out())));
        }
    }

    @Test
    void decimalsThatDoubleCannotHoldBecomeDecimal() {
        Path in = write(dir, "in.ndjson", "{\"p\":0.1}\n{\"p\":12345678901234567.25}\n");
        ConversionReport r = Conversion.of(in).output(Output.file(out())).commit();
        assertEquals(DataType.decimal(19, 2), r.schema().field("p").orElseThrow().type());
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("0.10"), List.of("12345678901234567.25")),
                    d.rows("SELECT p FROM " + q(out())));
        }
    }

    @Test
    void mixedTypesAcrossRecordsWiden() {
        Path in =
                write(
                        dir,
                        "in.ndjson",
                        String.join(
                                "\n",
                                "{\"i\":1,\"d\":1,\"s\":1,\"o\":{\"a\":1},\"l\":[1],\"t\":\"2024-01-01\"}",
                                "{\"i\":3000000000,\"d\":2.5,\"s\":\"x\",\"o\":\"text\",\"l\":[\"a\",2],\"t\":\"2024-01-01T10:00:00\"}",
                                ""));
        ConversionReport r = Conversion.of(in).output(Output.file(out())).commit();
        StructType s = r.schema();
        assertEquals(DataType.LONG, s.field("i").orElseThrow().type());
        assertEquals(DataType.DOUBLE, s.field("d").orElseThrow().type());
        assertEquals(DataType.STRING, s.field("s").orElseThrow().type());
        assertEquals(DataType.STRING, s.field("o").orElseThrow().type());
        assertEquals(DataType.list(DataType.STRING), s.field("l").orElseThrow().type());
        assertEquals(DataType.TIMESTAMP_NTZ, s.field("t").orElseThrow().type());
        List<String> changed = r.changes().stream().map(SchemaChange::column).toList();
        assertTrue(changed.containsAll(List.of("i", "d", "s", "o", "l[]", "t")), changed::toString);
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(
                            List.of("1", "1.0", "1", "{\"a\":1}", "[1]", "2024-01-01 00:00:00"),
                            List.of(
                                    "3000000000",
                                    "2.5",
                                    "x",
                                    "text",
                                    "[a, 2]",
                                    "2024-01-01 10:00:00")),
                    d.rows("SELECT i, d, s, o, l, t FROM " + q(out()) + " ORDER BY i"));
        }
    }

    @Test
    void topLevelArrayOfRecords() {
        Path in = write(dir, "in.json", "[\n {\"a\": 1},\n {\"a\": 2, \"b\": \"x\"}\n]\n");
        ConversionReport r = Conversion.of(in).output(Output.file(out())).commit();
        assertEquals(2, r.rowsWritten());
        assertEquals(List.of("a", "b"), r.schema().fields().stream().map(Field::name).toList());
    }

    @Test
    void concatenatedPrettyPrintedDocuments() {
        Path in = write(dir, "in.json", "{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}{\"a\":3}");
        ConversionReport r = Conversion.of(in).output(Output.file(out())).commit();
        assertEquals(3, r.rowsWritten());
    }

    @Test
    void recordsAtAPathOfOneDocument() {
        String geo =
                "{\"type\":\"FeatureCollection\",\"name\":\"x\",\"features\":["
                        + "{\"type\":\"Feature\",\"properties\":{\"name\":\"a\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[1.5,2.5]}},"
                        + "{\"type\":\"Feature\",\"properties\":{\"name\":\"b\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[3,4]}}"
                        + "],\"bbox\":[0,0,1,1]}";
        Path in = write(dir, "in.geojson", geo);
        ConversionReport r =
                Conversion.of(in).jsonPath("features").output(Output.file(out())).commit();
        assertEquals(2, r.rowsWritten());
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("a", "[1.5, 2.5]"), List.of("b", "[3.0, 4.0]")),
                    d.rows("SELECT properties.name, geometry.coordinates FROM " + q(out())));
        }
    }

    @Test
    void brokenArrayQuarantinesTheRestAsOneRecord() {
        Path in = write(dir, "in.json", "[{\"a\":1},{\"a\":2},{\"a\":3,,}, {\"a\":4}]");
        ConversionReport r = Fixtures.lenient(in, out(), bad());
        assertEquals(2, r.rowsWritten());
        assertEquals(1, r.rowsQuarantined());
        assertEquals(3, r.rowsRead());
        JsonNode q = Fixtures.quarantine(bad()).get(0);
        assertTrue(q.get("reason").asText().contains("rest of the input"), q.toString());
        assertTrue(q.get("raw").asText().startsWith("{\"a\":3,,}"), q.toString());
    }

    @Test
    void invalidUtf8IsAnErrorNamingTheOffset() {
        byte[] good = "{\"a\":\"ok\"}\n{\"a\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[good.length + 4];
        System.arraycopy(good, 0, all, 0, good.length);
        all[good.length] = (byte) 0xC3; // a lead byte followed by a non-continuation byte
        all[good.length + 1] = (byte) 0x28;
        all[good.length + 2] = '"';
        all[good.length + 3] = '}';
        Path in = write(dir, "in.ndjson", all);
        FormatException e =
                assertThrows(
                        FormatException.class,
                        () -> Conversion.of(in).output(Output.file(out())).commit());
        assertTrue(
                e.getMessage().contains("invalid UTF-8 at byte offset " + good.length),
                e.getMessage());
        assertTrue(!java.nio.file.Files.exists(out()));
    }

    @Test
    void invalidUtf8InCsvIsAnErrorNamingTheOffset() {
        byte[] head = "a,b\n1,x".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + 2];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = (byte) 0xFF;
        all[head.length + 1] = '\n';
        Path in = write(dir, "in.csv", all);
        FormatException e =
                assertThrows(
                        FormatException.class,
                        () -> Conversion.of(in).output(Output.file(out())).commit());
        assertTrue(e.getMessage().contains("byte offset " + head.length), e.getMessage());
    }

    @Test
    void aConfiguredCharsetIsTranscoded() {
        Path in =
                write(
                        dir,
                        "latin1.csv",
                        "name,n\nJos\u00e9,1\n".getBytes(StandardCharsets.ISO_8859_1));
        Conversion.of(in).charset(StandardCharsets.ISO_8859_1).output(Output.file(out())).commit();
        try (Duck d = new Duck()) {
            assertEquals("Jos\u00e9", d.one("SELECT name FROM " + q(out())));
        }
    }

    @Test
    void aValueBeyondTheSampleTriggersOneExactRerun() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            sb.append("{\"n\":").append(i).append("}\n");
        }
        sb.append("{\"n\":1.5,\"late\":\"x\"}\n");
        Path in = write(dir, "in.ndjson", sb.toString());
        ConversionReport r = Conversion.of(in).sampleRows(10).output(Output.file(out())).commit();
        assertEquals(2, r.attempts());
        assertEquals(51, r.rowsWritten());
        assertEquals(DataType.DOUBLE, r.schema().field("n").orElseThrow().type());
        assertEquals(DataType.STRING, r.schema().field("late").orElseThrow().type());
        assertTrue(
                r.notes().stream().anyMatch(n -> n.contains("re-inferred")), r.notes()::toString);
    }

    @Test
    void escapedUnicodeIsDecodedAndALoneSurrogateIsQuarantined() {
        Path in =
                write(
                        dir,
                        "in.ndjson",
                        "{\"s\":\"caf\\u00e9 \\ud83d\\ude00\"}\n{\"s\":\"bad \\ud800 x\"}\n");
        ConversionReport r = Fixtures.lenient(in, out(), bad());
        assertEquals(1, r.rowsWritten());
        assertTrue(
                Fixtures.quarantine(bad())
                        .get(0)
                        .get("reason")
                        .asText()
                        .contains("lone surrogate"));
        try (Duck d = new Duck()) {
            assertEquals("caf\u00e9 \uD83D\uDE00", d.one("SELECT s FROM " + q(out())));
        }
    }

    @Test
    void keysAreKeptAsTheyAre() {
        Path in =
                write(
                        dir,
                        "in.ndjson",
                        "{\"a.b\":1,\"with space\":2,\"\u00fc$\":3,\"A\":4,\"_\":5}\n");
        ConversionReport r = Conversion.of(in).output(Output.file(out())).commit();
        assertEquals(
                List.of("a.b", "with space", "\u00fc$", "A", "_"),
                r.schema().fields().stream().map(Field::name).toList());
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("1", "2", "3", "4", "5")), d.rows("SELECT * FROM " + q(out())));
            assertEquals("1", d.one("SELECT \"a.b\" FROM " + q(out())));
            assertEquals("2", d.one("SELECT \"with space\" FROM " + q(out())));
        }
    }

    @Test
    void theSchemaCanBeInferredWithoutConverting() {
        Path in = write(dir, "in.ndjson", "{\"a\":1,\"b\":{\"c\":\"2024-01-01\"}}\n{\"a\":2.5}\n");
        StructType t = Conversion.of(in).inferSchema();
        assertEquals(DataType.DOUBLE, t.field("a").orElseThrow().type());
        assertEquals(
                DataType.struct(new Field("c", DataType.DATE, false)),
                t.field("b").orElseThrow().type());
        assertTrue(t.field("b").orElseThrow().nullable());
        assertTrue(!java.nio.file.Files.exists(out()));
    }

    @Test
    void nullOnlyColumnsAreNullableText() {
        Path in = write(dir, "in.ndjson", "{\"a\":1,\"z\":null}\n{\"a\":2}\n");
        ConversionReport r = Conversion.of(in).output(Output.file(out())).commit();
        Field z = r.schema().field("z").orElseThrow();
        assertEquals(DataType.STRING, z.type());
        assertTrue(z.nullable());
        assertTrue(!r.schema().field("a").orElseThrow().nullable());
    }
}
