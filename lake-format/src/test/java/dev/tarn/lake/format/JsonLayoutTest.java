package dev.tarn.lake.format;

import static dev.tarn.lake.format.Fixtures.q;
import static dev.tarn.lake.format.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.exceptions.FormatException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, Deliver 6: the layout of a JSON input is read from its structure, never guessed from
 * its first 64 KiB: one case per real-world shape, each read back by DuckDB.
 */
class JsonLayoutTest {
    @TempDir Path dir;

    private ConversionReport convert(Path in, InputFormat format) {
        Conversion c = Conversion.of(in).output(Output.file(dir.resolve("out.parquet")));
        if (format != null) {
            c.format(format);
        }
        return c.commit();
    }

    private static String notes(ConversionReport r) {
        return String.join("\n", r.notes());
    }

    /**
     * A GeoJSON FeatureCollection as map exports write it: pretty-printed, "features" after other
     * members.
     */
    static String geoJson(int features) {
        StringBuilder sb =
                new StringBuilder(
                        "{\n  \"type\": \"FeatureCollection\",\n  \"name\": \"stations\",\n"
                                + "  \"crs\": { \"type\": \"name\", \"properties\": { \"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\" } },\n"
                                + "  \"features\": [\n");
        Random rnd = new Random(7);
        for (int i = 0; i < features; i++) {
            sb.append(
                            "    {\n      \"type\": \"Feature\",\n      \"properties\": {\n        \"id\": ")
                    .append(i)
                    .append(",\n        \"name\": \"station ")
                    .append(i)
                    .append("\",\n        \"elevation\": ")
                    .append(rnd.nextInt(3000) - 100)
                    .append("\n      },\n      \"geometry\": {\n")
                    .append("        \"type\": \"Point\",\n        \"coordinates\": [\n          ")
                    .append(i % 180 - 90)
                    .append(".5,\n          ")
                    .append(i % 90)
                    .append(".25\n        ]\n      }\n    }")
                    .append(i + 1 < features ? ",\n" : "\n");
        }
        return sb.append("  ],\n  \"bbox\": [-90.5, 0.25, 89.5, 89.25]\n}\n").toString();
    }

    @Test
    void prettyPrintedGeoJsonOver64KiBYieldsItsFeatures() {
        String text = geoJson(2000);
        assertTrue(text.length() > 64 << 10);
        for (InputFormat f : new InputFormat[] {null, InputFormat.JSON}) {
            ConversionReport r = convert(write(dir, "stations.geojson", text), f);
            assertEquals(2000, r.rowsWritten(), notes(r));
            assertTrue(notes(r).contains("\"features\""), notes(r));
            try (Duck d = new Duck()) {
                String p = q(dir.resolve("out.parquet"));
                assertEquals(
                        List.of(
                                "type VARCHAR",
                                "properties STRUCT(id INTEGER, \"name\" VARCHAR, elevation INTEGER)",
                                "geometry STRUCT(\"type\" VARCHAR, coordinates DOUBLE[])"),
                        d.describe(p));
                assertEquals(
                        List.of(List.of("1999", "station 1999", "[-71.5, 19.25]")),
                        d.rows(
                                "SELECT properties.id, properties.name, geometry.coordinates FROM "
                                        + p
                                        + " WHERE properties.id = 1999"));
                assertEquals("1999000", d.one("SELECT sum(properties.id) FROM " + p));
            }
        }
    }

    @Test
    void dataMemberYieldsItsRecords() {
        StringBuilder sb = new StringBuilder("{\n  \"data\": [\n");
        for (int i = 0; i < 3000; i++) {
            sb.append("    {\n      \"id\": ")
                    .append(i)
                    .append(",\n      \"value\": ")
                    .append(i * 2 - 3000)
                    .append("\n    }")
                    .append(i < 2999 ? ",\n" : "\n");
        }
        sb.append("  ]\n}\n");
        assertTrue(sb.length() > 64 << 10);
        ConversionReport r = convert(write(dir, "export.json", sb.toString()), null);
        assertEquals(3000, r.rowsWritten());
        assertTrue(notes(r).contains("\"data\""), notes(r));
        try (Duck d = new Duck()) {
            String p = q(dir.resolve("out.parquet"));
            assertEquals(
                    List.of(List.of("3000", "2999", "-3000", "2998")),
                    d.rows("SELECT count(*), max(id), min(value), max(value) FROM " + p));
        }
    }

    @Test
    void resultsBesideACountYieldTheResults() {
        Path in =
                write(
                        dir,
                        "api.json",
                        "{\"results\":[{\"k\":\"a\",\"n\":1},{\"k\":\"b\",\"n\":2},"
                                + "{\"k\":\"c\",\"n\":3}], \"count\": 3}");
        ConversionReport r = convert(in, null);
        assertEquals(3, r.rowsWritten());
        assertTrue(notes(r).contains("\"results\""), notes(r));
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("a", "1"), List.of("b", "2"), List.of("c", "3")),
                    d.rows("SELECT k, n FROM " + q(dir.resolve("out.parquet")) + " ORDER BY k"));
        }
    }

    @Test
    void aSinglePrettyPrintedObjectIsOneRecord() {
        Path in =
                write(
                        dir,
                        "config.json",
                        "{\n  \"name\": \"alpha\",\n  \"size\": 3,\n  \"tags\": [\n    \"x\",\n"
                                + "    \"y\"\n  ],\n  \"owner\": {\n    \"id\": 7\n  }\n}\n");
        ConversionReport r = convert(in, null);
        assertEquals(1, r.rowsWritten(), notes(r));
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("alpha", "3", "[x, y]", "7")),
                    d.rows(
                            "SELECT name, size, tags, owner.id FROM "
                                    + q(dir.resolve("out.parquet"))));
        }
    }

    @Test
    void ndjsonWithABlankLineAndCrlf() {
        Path in =
                write(
                        dir,
                        "events.json",
                        "{\"id\":1,\"s\":\"a\"}\r\n{\"id\":2,\"s\":\"b\"}\r\n\r\n"
                                + "{\"id\":3,\"s\":\"c\"}\r\n");
        ConversionReport r = convert(in, null);
        assertEquals(3, r.rowsWritten());
        assertTrue(notes(r).contains("newline-delimited"), notes(r));
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("1", "a"), List.of("2", "b"), List.of("3", "c")),
                    d.rows("SELECT id, s FROM " + q(dir.resolve("out.parquet")) + " ORDER BY id"));
        }
    }

    @Test
    void ndjsonWhoseLinesHoldArraysOfObjectsStaysLineByLine() {
        Path in =
                write(
                        dir,
                        "orders.json",
                        "{\"id\":1,\"items\":[{\"sku\":\"a\"}]}\n{\"id\":2,\"items\":[]}\n");
        ConversionReport r = convert(in, null);
        assertEquals(2, r.rowsWritten());
    }

    @Test
    void prettyPrintedConcatenatedDocuments() {
        Path in = write(dir, "docs.json", "{\n  \"id\": 1\n}\n{\n  \"id\": 2\n}\n");
        ConversionReport r = convert(in, null);
        assertEquals(2, r.rowsWritten());
        assertTrue(notes(r).contains("concatenated"), notes(r));
    }

    @Test
    void textAfterAPrettyPrintedDocumentIsOneBadRecord() {
        Path in = write(dir, "tail.json", "{\n  \"a\": 1\n}\ngarbage\n");
        ConversionReport r =
                Conversion.of(in)
                        .output(Output.file(dir.resolve("out.parquet")))
                        .quarantine(Output.file(dir.resolve("bad.ndjson")))
                        .errorBudget(ErrorBudget.count(1))
                        .commit();
        assertEquals(1, r.rowsWritten());
        assertEquals(1, r.rowsQuarantined());
        assertTrue(
                Fixtures.quarantine(dir.resolve("bad.ndjson"))
                        .get(0)
                        .get("reason")
                        .asText()
                        .startsWith("invalid JSON"));
    }

    @Test
    void topLevelArray() {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < 5000; i++) {
            sb.append("  {\n    \"i\": ").append(i).append("\n  }").append(i < 4999 ? ",\n" : "\n");
        }
        ConversionReport r = convert(write(dir, "arr.json", sb.append("]\n").toString()), null);
        assertEquals(5000, r.rowsWritten());
        try (Duck d = new Duck()) {
            assertEquals("12497500", d.one("SELECT sum(i) FROM " + q(dir.resolve("out.parquet"))));
        }
    }

    @Test
    void twoArraysOfObjectsAreAmbiguous() {
        Path in =
                write(
                        dir,
                        "api.json",
                        "{\n \"data\": [{\"id\": 1}],\n \"included\": [{\"id\": 9}],\n"
                                + " \"links\": [\"x\"]\n}\n");
        FormatException e = assertThrows(FormatException.class, () -> convert(in, null));
        assertEquals(FormatException.Remedy.JSON_PATH, e.remedy());
        assertTrue(e.getMessage().contains("\"data\", \"included\""), e.getMessage());
        assertTrue(e.getMessage().contains("jsonPath"), e.getMessage());
        assertTrue(!dir.resolve("out.parquet").toFile().exists());
        // the path chooses
        ConversionReport r =
                Conversion.of(in)
                        .jsonPath("included")
                        .output(Output.file(dir.resolve("out.parquet")))
                        .commit();
        assertEquals(1, r.rowsWritten());
        try (Duck d = new Duck()) {
            assertEquals("9", d.one("SELECT id FROM " + q(dir.resolve("out.parquet"))));
        }
    }

    @Test
    void anEmptyJsonPathReadsTheDocumentAsOneRecord() {
        Path in =
                write(
                        dir,
                        "person.json",
                        "{\n \"name\": \"ann\",\n \"addresses\": [{\"city\": \"x\"}, {\"city\": \"y\"}]\n}");
        assertEquals(2, convert(in, null).rowsWritten());
        ConversionReport r =
                Conversion.of(in)
                        .jsonPath()
                        .output(Output.file(dir.resolve("out.parquet")))
                        .commit();
        assertEquals(1, r.rowsWritten());
    }

    /** Child entry point: converts INPUT to OUTPUT.parquet, prints rows and notes. */
    public static void main(String[] a) {
        ConversionReport r =
                Conversion.of(Path.of(a[0])).threads(2).output(Output.file(Path.of(a[1]))).commit();
        System.out.println("rows=" + r.rowsWritten());
        System.out.println(String.join("\n", r.notes()));
    }

    @Test
    void aDocumentLargerThanTheHeapIsStreamed() throws Exception {
        // about 110 MiB of pretty-printed records, "items" after another member, converted with a
        // 96 MiB heap
        Path in = dir.resolve("big.json");
        try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(in)) {
            w.write("{\n  \"meta\": {\"source\": \"x\"},\n  \"items\": [\n");
            for (int i = 0; i < 1_000_000; i++) {
                w.write(
                        "    {\n      \"id\": "
                                + i
                                + ",\n      \"text\": \""
                                + "abcdefghij".repeat(6)
                                + "\"\n    }"
                                + (i < 999_999 ? ",\n" : "\n"));
            }
            w.write("  ],\n  \"next\": null\n}\n");
        }
        assertTrue(java.nio.file.Files.size(in) > 100 << 20);
        ChildJvm.Result r =
                ChildJvm.run(
                        "96m",
                        JsonLayoutTest.class,
                        in.toString(),
                        dir.resolve("out.parquet").toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("rows=1000000"), r.output());
        assertTrue(r.output().contains("\"items\""), r.output());
    }

    /**
     * inspect() names where each input holds its records, with the schema a conversion would write.
     */
    @Test
    void inspectNamesEachInputsLayoutAndPath() {
        Path geo = write(dir, "stations.geojson", geoJson(50));
        Path lines =
                write(
                        dir,
                        "more.json",
                        "{\"type\":\"Feature\",\"id\":1}\n{\"type\":\"Feature\",\"id\":2}\n");
        Path array =
                write(
                        dir,
                        "arr.json",
                        "[\n {\"type\": \"Feature\"},\n {\"type\": \"Feature\"}\n]\n");
        Path doc = write(dir, "doc.json", "{\n  \"type\": \"Feature\",\n  \"id\": 3\n}\n");
        SchemaInference s =
                Conversion.of(geo, lines, array, doc).format(InputFormat.JSON).inspect();
        assertEquals(
                List.of(
                        SchemaInference.Layout.PATH,
                        SchemaInference.Layout.LINES,
                        SchemaInference.Layout.ARRAY,
                        SchemaInference.Layout.DOCUMENTS),
                s.inputs().stream().map(SchemaInference.InputLayout::layout).toList());
        assertEquals(
                List.of(List.of("features"), List.of(), List.of(), List.of()),
                s.inputs().stream().map(SchemaInference.InputLayout::recordPath).toList());
        assertEquals(
                Conversion.of(geo, lines, array, doc).format(InputFormat.JSON).inferSchema(),
                s.schema());
        assertEquals("INTEGER", s.schema().field("id").orElseThrow().type().sql());
        SchemaInference csv = Conversion.of(write(dir, "a.csv", "a,b\n1,x\n")).inspect();
        assertEquals(SchemaInference.Layout.ROWS, csv.inputs().get(0).layout());
        assertEquals(InputFormat.CSV, csv.inputs().get(0).format());
    }
}
