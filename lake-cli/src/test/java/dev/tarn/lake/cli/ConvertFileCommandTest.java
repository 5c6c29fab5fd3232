package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lake convert-file}: one-off conversions outside any lake, read back by DuckDB. */
class ConvertFileCommandTest {
    @TempDir Path dir;

    private CliRunner.Result lake(String... args) {
        return CliRunner.raw(Map.of("TARN_TTY", "0"), new byte[0], args);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static List<String> rows(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<String> out = new java.util.ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
            return out;
        }
    }

    @Test
    void ndjsonToOneParquetFile() throws Exception {
        Path in =
                write(
                        "events.ndjson",
                        "{\"id\":1,\"name\":\"ann\",\"zip\":\"00501\"}\n"
                                + "{\"id\":2,\"name\":\"bob\",\"zip\":\"02134\"}\n");
        Path out = dir.resolve("events.parquet");
        CliRunner.Result r = lake("convert-file", in.toString(), out.toString(), "-o", "json");
        assertEquals(0, r.code(), r.toString());
        JsonNode report = r.json();
        assertEquals(2, report.get("rowsWritten").asLong());
        assertEquals(0, report.get("rowsQuarantined").asLong());
        assertEquals(1, report.get("files").size());
        assertEquals(
                List.of("1|ann|00501", "2|bob|02134"),
                rows("SELECT id, name, zip FROM read_parquet('" + out + "') ORDER BY id"));
        assertEquals(
                List.of("VARCHAR"),
                rows("SELECT typeof(zip) FROM read_parquet('" + out + "') LIMIT 1"),
                "zip codes stay text");
    }

    @Test
    void csvWithOptionsToAPartitionedDirectory() throws Exception {
        Path in = write("sales.txt", "2026-11-01;de;10\n2026-11-01;fr;20\n2026-11-02;de;5\n");
        Path out = dir.resolve("sales");
        CliRunner.Result r =
                lake(
                        "convert-file",
                        in.toString(),
                        out.toString(),
                        "--format",
                        "csv",
                        "--delimiter",
                        ";",
                        "--no-header",
                        "--partition-by",
                        "column2",
                        "--compression",
                        "snappy");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("3 rows read, 3 written, 0 quarantined"), r.out());
        assertTrue(Files.isDirectory(out.resolve("column2=de")), "Hive-style directories");
        assertEquals(
                List.of("de|15", "fr|20"),
                rows(
                        "SELECT column2, sum(column3) FROM read_parquet('"
                                + out
                                + "/**/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1"));
    }

    @Test
    void compressedInputIsReadAndInvalidUtf8IsAnErrorNamingTheOffset() throws Exception {
        Path gz = dir.resolve("e.ndjson.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("{\"a\":1}\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8));
        }
        CliRunner.Result ok =
                lake(
                        "convert-file",
                        gz.toString(),
                        dir.resolve("e.parquet").toString(),
                        "-o",
                        "json");
        assertEquals(0, ok.code(), ok.toString());
        assertEquals(2, ok.json().get("rowsWritten").asLong());

        byte[] bad =
                "{\"a\":\"caf\u00e9\"}\n"
                        .getBytes(StandardCharsets.ISO_8859_1); // é as one Latin-1 byte
        Path latin1 = Files.write(dir.resolve("l.ndjson"), bad);
        CliRunner.Result r =
                lake("convert-file", latin1.toString(), dir.resolve("l.parquet").toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().contains("UTF-8") && r.stderr().contains("offset"), r.stderr());
        assertFalse(Files.exists(dir.resolve("l.parquet")));
        // with the input's charset named, the same bytes convert
        CliRunner.Result named =
                lake(
                        "convert-file",
                        latin1.toString(),
                        dir.resolve("l.parquet").toString(),
                        "--charset",
                        "ISO-8859-1");
        assertEquals(0, named.code(), named.toString());
        assertEquals(
                List.of("café"),
                rows("SELECT a FROM read_parquet('" + dir.resolve("l.parquet") + "')"));
    }

    @Test
    void csvCommentLinesAndNullTokens() throws Exception {
        Path in =
                write(
                        "m.csv",
                        "# exported 2026-11-21\nid,score\n1,NA\n# a note\n2,\"NA\"\n3,7\n4,n/a\n");
        Path out = dir.resolve("m.parquet");
        CliRunner.Result r =
                lake(
                        "convert-file",
                        in.toString(),
                        out.toString(),
                        "--comment",
                        "#",
                        "--null-value",
                        "NA",
                        "--null-value",
                        "n/a",
                        "--header");
        assertEquals(0, r.code(), r.toString());
        assertEquals(
                List.of("1|null", "2|NA", "3|7", "4|null"),
                rows("SELECT id, score FROM read_parquet('" + out + "') ORDER BY id"));
    }

    @Test
    void aBadRecordFailsTheJobByDefaultAndNothingIsWritten() throws Exception {
        Path in = write("mixed.ndjson", "{\"id\":1}\n{\"id\": oops}\n{\"id\":3}\n");
        Path out = dir.resolve("mixed.parquet");
        CliRunner.Result r = lake("convert-file", in.toString(), out.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith("lake: "), r.stderr());
        assertFalse(Files.exists(out), "no output from a failed job");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(
                    List.of("mixed.ndjson"),
                    s.map(p -> p.getFileName().toString()).toList(),
                    "no temp file left either");
        }
    }

    @Test
    void errorsNameTheCliOptionsNotJavaMethods() throws Exception {
        Path in = write("mixed.ndjson", "{\"id\":1}\n{\"id\": oops}\n");
        CliRunner.Result r =
                lake("convert-file", in.toString(), dir.resolve("m.parquet").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(
                r.stderr().contains("--max-errors") && r.stderr().contains("--quarantine"),
                r.stderr());
        assertFalse(
                r.stderr().contains("Conversion.") || r.stderr().contains("(" + "...)"),
                r.stderr());

        Path api =
                write(
                        "api.json",
                        "{\n \"data\": [{\"id\": 1}],\n \"included\": [{\"id\": 9}]\n}\n");
        CliRunner.Result amb =
                lake("convert-file", api.toString(), dir.resolve("a.parquet").toString());
        assertEquals(1, amb.code(), amb.toString());
        assertEquals(1, amb.stderr().lines().count(), amb.stderr());
        assertTrue(
                amb.stderr().contains("\"data\", \"included\"")
                        && amb.stderr().contains("--json-path data"),
                amb.stderr());
        assertFalse(amb.stderr().contains("Conversion."), amb.stderr());
        CliRunner.Result chosen =
                lake(
                        "convert-file",
                        api.toString(),
                        dir.resolve("a.parquet").toString(),
                        "--json-path",
                        "included");
        assertEquals(0, chosen.code(), chosen.toString());
        assertEquals(
                List.of("9"),
                rows("SELECT id FROM read_parquet('" + dir.resolve("a.parquet") + "')"));
    }

    @Test
    void aDocumentsArrayOfRecordsIsReadAndTheNoteSaysWhich() throws Exception {
        StringBuilder sb =
                new StringBuilder("{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n");
        for (int i = 0; i < 1200; i++) {
            sb.append(
                            "    {\n      \"type\": \"Feature\",\n      \"properties\": {\n        \"n\": ")
                    .append(i)
                    .append("\n      },\n      \"geometry\": null\n    }")
                    .append(i < 1199 ? ",\n" : "\n");
        }
        Path in = write("f.geojson", sb.append("  ]\n}\n").toString());
        assertTrue(Files.size(in) > 64 << 10);
        Path out = dir.resolve("f.parquet");
        CliRunner.Result r = lake("convert-file", in.toString(), out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("note: ") && r.out().contains("\"features\""), r.out());
        assertEquals(
                List.of("1200|719400"),
                rows("SELECT count(*), sum(properties.n) FROM read_parquet('" + out + "')"));
        // '.' reads the document itself as the record
        CliRunner.Result whole =
                lake(
                        "convert-file",
                        in.toString(),
                        dir.resolve("w.parquet").toString(),
                        "--json-path",
                        ".",
                        "-o",
                        "json");
        assertEquals(0, whole.code(), whole.toString());
        assertEquals(1, whole.json().get("rowsWritten").asLong());
    }

    @Test
    void withAnErrorBudgetBadRecordsGoToTheQuarantineBesideTheOutput() throws Exception {
        Path in = write("mixed.ndjson", "{\"id\":1}\n{\"id\": oops}\n{\"id\":3}\n");
        Path out = dir.resolve("mixed.parquet");
        CliRunner.Result r =
                lake(
                        "convert-file",
                        in.toString(),
                        out.toString(),
                        "--max-errors",
                        "1",
                        "-o",
                        "json");
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, r.json().get("rowsWritten").asLong());
        assertEquals(1, r.json().get("rowsQuarantined").asLong());
        Path q = dir.resolve("mixed.quarantine.ndjson");
        assertTrue(Files.exists(q), r.out());
        JsonNode bad = CliRunner.JSON.readTree(Files.readAllLines(q).get(0));
        assertEquals(2, bad.get("line").asLong());
        assertEquals("{\"id\": oops}", bad.get("raw").asText());
        assertFalse(bad.get("reason").asText().isBlank());
        assertEquals(
                List.of("1", "3"), rows("SELECT id FROM read_parquet('" + out + "') ORDER BY id"));

        // past the budget: fails, and the output is not there
        Path out2 = dir.resolve("strict.parquet");
        CliRunner.Result over =
                lake(
                        "convert-file",
                        in.toString(),
                        out2.toString(),
                        "--max-errors",
                        "0%",
                        "--quarantine",
                        dir.resolve("q2.ndjson").toString());
        assertEquals(1, over.code(), over.toString());
        assertFalse(Files.exists(out2));
    }

    @Test
    void anExplicitSchemaQuarantinesWhatDoesNotFit() throws Exception {
        Path avsc =
                write(
                        "person.avsc",
                        "{\"type\":\"record\",\"name\":\"person\",\"fields\":["
                                + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"name\",\"type\":[\"null\",\"string\"]}]}");
        Path in = write("people.csv", "id,name\n1,ann\nx,bob\n3,\n");
        Path out = dir.resolve("people.parquet");
        CliRunner.Result r =
                lake(
                        "convert-file",
                        in.toString(),
                        out.toString(),
                        "--schema",
                        avsc.toString(),
                        "--max-errors",
                        "5",
                        "--quarantine",
                        dir.resolve("bad.ndjson").toString(),
                        "-o",
                        "json");
        assertEquals(0, r.code(), r.toString());
        assertEquals(1, r.json().get("rowsQuarantined").asLong(), r.out());
        assertEquals(
                List.of("1|ann", "3|null"),
                rows("SELECT id, name FROM read_parquet('" + out + "') ORDER BY id"));
    }

    @Test
    void usageErrorsExitTwoWithOneLine() throws Exception {
        Path in = write("a.ndjson", "{\"a\":1}\n");
        String out = dir.resolve("a.parquet").toString();
        for (List<String> c :
                List.of(
                        List.of("convert-file"),
                        List.of("convert-file", in.toString()),
                        List.of("convert-file", dir.resolve("nope.json").toString(), out),
                        List.of("convert-file", in.toString(), out, "--format", "xml"),
                        List.of("convert-file", in.toString(), out, "--compression", "lz4"),
                        List.of("convert-file", in.toString(), out, "--max-errors", "lots"),
                        List.of("convert-file", in.toString(), out, "--quarantine", "q.ndjson"),
                        List.of("convert-file", in.toString(), out, "--partition-by", "a"),
                        List.of("convert-file", in.toString(), out, "--delimiter", "ab"),
                        List.of("convert-file", in.toString(), out, "--comment", "//"),
                        List.of("convert-file", in.toString(), out, "--policy", "loose"),
                        List.of(
                                "convert-file",
                                in.toString(),
                                out,
                                "--schema",
                                dir.resolve("none.avsc").toString()))) {
            CliRunner.Result r = lake(c.toArray(String[]::new));
            assertEquals(2, r.code(), c + ": " + r);
            assertEquals(1, r.stderr().lines().count(), c + ": " + r.stderr());
        }
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void theProgressLineSaysPhaseBytesRowsRateAndTimeLeft() {
        var p =
                new dev.tarn.lake.format.Progress(
                        50 << 20,
                        200 << 20,
                        1_000_000,
                        250_000,
                        Duration.ofSeconds(4),
                        "converting");
        String line = ProgressBar.line(p);
        assertTrue(line.startsWith("converting [#######"), line);
        assertTrue(line.contains(" 25% "), line);
        assertTrue(line.contains("1,000,000 rows, 250,000 rows/s, 12 s left"), line);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(err, true, StandardCharsets.UTF_8));
        bar.onProgress(
                new dev.tarn.lake.format.Progress(
                        1, 10, 1, 1, Duration.ofMillis(100), "converting"));
        assertEquals(
                "", err.toString(StandardCharsets.UTF_8), "nothing drawn for a quick conversion");
        bar.onProgress(p);
        bar.finish();
        assertTrue(
                err.toString(StandardCharsets.UTF_8).endsWith("\r\u001b[K"),
                "the line is cleared at the end");
    }

    @Test
    void aRecordWiderThanTheColumnLimitFailsOnOneLineAndMaxColumnsRaisesIt() throws Exception {
        StringBuilder wide = new StringBuilder("{");
        for (int i = 0; i < 12_000; i++) {
            wide.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        Path in = dir.resolve("wide.ndjson");
        Files.writeString(in, "{\"k0\":1}\n" + wide + "}\n");
        Path out = dir.resolve("wide.parquet");
        var r = lake("convert-file", in.toString(), out.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(
                r.stderr()
                        .strip()
                        .endsWith(
                                "wide.ndjson line 2: more than 10000 fields (columns), the column"
                                        + " limit (raise it with --max-columns)"),
                r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        assertFalse(Files.exists(out));
        var ok = lake("convert-file", in.toString(), out.toString(), "--max-columns", "20000");
        assertEquals(0, ok.code(), ok.toString());
        assertEquals(
                2,
                lake("convert-file", in.toString(), out.toString(), "--max-columns", "0").code());
    }
}
