package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.Tables;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables as {@code ls} and {@code describe} show them, and the output of the table commands as
 * data: every {@code -o json} is a typed document (numbers as numbers, paths as arrays, no Java
 * {@code toString} anywhere), and long lists are summarised in table mode.
 */
class TableOutputTest {
    /**
     * What a Java record's or map's toString leaves in text: {@code Result[...]}, {@code [a=1]},
     * {@code {a=1}}.
     */
    private static final Pattern TO_STRING =
            Pattern.compile("[A-Za-z]Result\\[|\\[[^\\]]*=|\\{[^}]*=");

    @TempDir Path dir;
    CliRunner lake;

    @BeforeEach
    void setUp() {
        lake = new CliRunner(dir.resolve("lake"));
    }

    /**
     * Ingests {@code n} rows (ids from {@code from}) as one object and converts them: two files,
     * one per kind.
     */
    private void batch(int from, int n) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            b.append("{\"id\":")
                    .append(i)
                    .append(",\"kind\":\"")
                    .append(i % 2 == 0 ? "even" : "odd")
                    .append("\"}\n");
        }
        Path f = dir.resolve("b" + from + ".ndjson");
        Files.writeString(f, b.toString());
        assertEquals(0, lake.run("ingest", "raw/events", f.toString()).code());
        var c = lake.run("convert", "raw/events", "processed/events", "--partition-by", "kind");
        assertEquals(0, c.code(), c.toString());
    }

    @Test
    void lsAndDescribeShowATablesFilesRowsAndLastCommit() throws Exception {
        batch(0, 10);
        batch(10, 15);
        JsonNode d = json("describe", "processed/events");
        JsonNode t = d.get("table");
        assertEquals(2, t.get("version").asLong(), "create and two converts");
        assertEquals(25, t.get("rows").asLong(), "from the files' numRecords statistics");
        assertEquals(4, t.get("files").asLong());
        assertTrue(t.get("bytes").asLong() > 0);
        assertEquals(d.get("bytes"), t.get("bytes"));
        assertEquals(4, d.get("objects").asLong(), "a table's objects are its files");
        assertEquals(List.of("kind"), strings(t.get("partitionColumns")));
        assertTrue(t.get("protocol").get("minReaderVersion").isInt());
        assertTrue(t.get("protocol").get("minWriterVersion").isInt());
        assertTrue(t.get("protocol").get("readerFeatures").isArray());
        JsonNode last = t.get("lastCommit");
        assertEquals(2, last.get("version").asLong());
        assertEquals("WRITE", last.get("operation").asText());
        assertFalse(last.get("user").isNull(), "the commitInfo records the principal");
        assertEquals(
                last.get("timestamp"), d.get("lastModified"), "the last change is the last commit");
        assertTrue(
                Instant.parse(d.get("lastModified").asText())
                        .isAfter(Instant.parse(d.get("createdAt").asText())));
        assertEquals(List.of("id", "kind"), names(d.get("schema")));
        assertTrue(d.get("table").isObject());

        String text = lake.run("describe", "processed/events").out();
        assertTrue(text.contains("\nrows:              25\n"), text);
        assertTrue(text.contains("\nfiles:             4\n"), text);
        assertTrue(text.contains("\npartition columns: kind\n"), text);
        assertTrue(
                text.matches(
                        "(?s).*\nlast commit: +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ"
                                + " version 2 WRITE by .*"),
                text);

        // a raw dataset and a table side by side in one zone, each with its kind
        Files.writeString(dir.resolve("x.ndjson"), "{\"a\":1}\n");
        assertEquals(
                0,
                lake.run("ingest", "processed/notes", dir.resolve("x.ndjson").toString()).code());
        JsonNode ls = json("ls", "processed");
        assertEquals(2, ls.size(), ls.toString());
        JsonNode table = find(ls, "processed/events");
        assertEquals("table", table.get("kind").asText());
        assertEquals(4, table.get("objects").asLong());
        assertEquals(t.get("bytes"), table.get("bytes"));
        assertEquals(last.get("timestamp"), table.get("lastModified"));
        JsonNode raw = find(ls, "processed/notes");
        assertEquals("objects", raw.get("kind").asText());
        assertEquals(1, raw.get("objects").asLong());
        assertTrue(
                json("describe", "processed/notes").get("table").isNull(),
                "a raw dataset has no table part");
        String lsText = lake.run("ls", "processed").out();
        assertTrue(lsText.matches("(?s).*processed/events +table +4 .*"), lsText);
    }

    @Test
    void aTableWhoseFilesLackStatisticsHasAnUnknownRowCount() throws Exception {
        batch(0, 10);
        DatasetId id = DatasetId.parse("processed/events");
        try (Lake l =
                Lake.builder().location(lake.lake().toString()).createIfMissing(false).open()) {
            var t = Tables.of(l).load(id);
            DataFile any = t.snapshot().files().get(0);
            Path root = lake.lake().resolve("processed/events");
            String copy = any.path().replace(".parquet", "-nostats.parquet");
            Files.copy(root.resolve(any.path()), root.resolve(copy));
            t.newAppend()
                    .addFile(
                            t.dataFile(copy, any.partitionValues()).toBuilder().stats(null).build())
                    .commit();
        }
        JsonNode t = json("describe", "processed/events").get("table");
        assertTrue(t.get("rows").isNull(), "never guessed, never scanned: " + t);
        assertEquals(3, t.get("files").asLong());
        String text = lake.run("describe", "processed/events").out();
        assertTrue(text.contains("\nrows:              unknown"), text);
    }

    @Test
    void everyTableCommandPrintsTypedJson() throws Exception {
        for (int i = 0; i < 6; i++) {
            batch(i * 10, 10);
        }
        Map<String, JsonNode> outputs = new java.util.LinkedHashMap<>();
        Map<String, String> texts = new java.util.LinkedHashMap<>();
        Files.writeString(dir.resolve("late.ndjson"), "{\"id\":100,\"kind\":\"even\"}\n");
        assertEquals(
                0, lake.run("ingest", "raw/events", dir.resolve("late.ndjson").toString()).code());
        for (String[] c :
                List.of(
                        new String[] {"convert", "raw/events", "processed/events"},
                        new String[] {"optimize", "processed/events"},
                        new String[] {
                            "delete", "processed/events", "--where", "id < 5 OR kind = 'none'"
                        },
                        new String[] {"vacuum", "processed/events", "--retain", "0s", "--dry-run"},
                        new String[] {"history", "processed/events"},
                        new String[] {"lineage", "processed/events"},
                        new String[] {"restore", "processed/events", "8"},
                        new String[] {"describe", "processed/events"},
                        new String[] {"ls", "processed"})) {
            List<String> a = new ArrayList<>(List.of(c));
            a.addAll(List.of("-o", "json"));
            var r = lake.run(a.toArray(String[]::new));
            assertEquals(0, r.code(), String.join(" ", c) + ": " + r);
            assertNoJavaText(c[0], r.json());
            outputs.put(c[0], r.json());
            texts.put(c[0], r.out());
        }
        JsonNode conv = outputs.get("convert");
        assertEquals(1, conv.get("rowsWritten").asLong());
        assertTrue(
                conv.get("objects").isArray() && conv.get("tableVersion").isNumber(),
                conv.toString());
        JsonNode opt = outputs.get("optimize");
        assertTrue(opt.get("committed").asBoolean());
        assertEquals(13, opt.get("filesRemoved").asLong(), opt.toString());
        assertEquals(2, opt.get("filesAdded").asLong());
        assertEquals(13, opt.get("removedFiles").size());
        assertTrue(opt.get("removedFiles").get(0).isTextual());
        assertTrue(opt.get("bytesRemoved").isNumber() && opt.get("bytesAdded").asLong() > 0);
        JsonNode del = outputs.get("delete");
        assertEquals(5, del.get("rowsDeleted").asLong());
        assertEquals("id < 5 OR kind = 'none'", del.get("predicate").asText());
        JsonNode vac = outputs.get("vacuum");
        assertTrue(vac.get("files").isArray() && vac.get("files").size() >= 13, vac.toString());
        assertEquals(vac.get("files").size(), vac.get("count").asInt());
        assertEquals(0, vac.get("retentionSeconds").asLong());
        JsonNode newest = outputs.get("history").get(0);
        assertEquals("DELETE", newest.get("operation").asText(), outputs.get("history").toString());
        assertEquals(
                "id < 5 OR kind = 'none'",
                newest.get("parameters").get("predicate").asText(),
                "the history records the predicate's text");
        assertTrue(newest.get("metrics").get("numDeletedRows").isNumber());
        JsonNode write = outputs.get("history").get(outputs.get("history").size() - 2);
        assertTrue(write.get("parameters").get("sourceObjects").isArray(), write.toString());
        assertTrue(write.get("parameters").get("partitionBy").isArray(), write.toString());
        assertTrue(outputs.get("lineage").get(0).get("objects").isArray());
        assertTrue(outputs.get("lineage").get(0).get("sourceVersion").isNumber());
        assertEquals(10, outputs.get("restore").get("version").asLong());

        if (jq() == null) {
            System.err.println(
                    "TableOutputTest: jq is not on PATH; the JSON shapes were checked with Jackson only");
        } else {
            jq(
                    texts.get("convert"),
                    "(.objects|type)==\"array\" and (.rowsWritten|type)==\"number\"");
            jq(
                    texts.get("optimize"),
                    "(.filesRemoved|type)==\"number\" and (.removedFiles|type)==\"array\""
                            + " and (.removedFiles|length)==.filesRemoved");
            jq(texts.get("vacuum"), "(.files|type)==\"array\" and (.count==(.files|length))");
            jq(
                    texts.get("delete"),
                    "(.rowsDeleted|type)==\"number\" and (.predicate|type)==\"string\"");
            jq(
                    texts.get("history"),
                    "all(.[]; (.metrics|type)==\"object\" and (.version|type)==\"number\")"
                            + " and ([.[].metrics[]]|all(type==\"number\"))");
            jq(texts.get("lineage"), "all(.[]; (.objects|type)==\"array\")");
            jq(texts.get("restore"), "(.version|type)==\"number\"");
            jq(
                    texts.get("describe"),
                    "(.table.rows|type)==\"number\" and (.table.partitionColumns|type)==\"array\"");
            jq(
                    texts.get("ls"),
                    "all(.[]; (.objects|type)==\"number\" and (.bytes|type)==\"number\")");
            // no Java toString anywhere: no "Result[", no "=" inside brackets or braces of a string
            for (var e : texts.entrySet()) {
                jq(
                        e.getValue(),
                        "[..|strings|select(test(\"Result\\\\[|\\\\[[^\\\\]]*=|\\\\{[^}]*=\"))]|length==0");
            }
        }
    }

    @Test
    void longListsAreSummarisedInTableMode() throws Exception {
        for (int i = 0; i < 6; i++) {
            batch(i * 10, 10);
        }
        var opt = lake.run("optimize", "processed/events");
        assertEquals(0, opt.code(), opt.toString());
        // the merged files are re-encoded by lake-format's writer, and 60 rows then take less than
        // a KiB
        assertTrue(
                opt.out()
                        .matches(
                                "optimize processed/events: 12 files \u2192 2, [0-9.]+ KiB \u2192 [0-9.]+ (KiB|B)"
                                        + " \\(version 7\\)\n"),
                opt.out());
        var again = lake.run("optimize", "processed/events");
        assertTrue(again.out().contains("nothing to compact"), again.out());
        var vac = lake.run("vacuum", "processed/events", "--retain", "0", "--dry-run");
        assertEquals(0, vac.code(), vac.toString());
        String[] lines = vac.out().split("\n");
        assertTrue(lines[0].startsWith("would delete 12 file(s), "), vac.out());
        assertTrue(lines[0].endsWith("(retention 0s)"), vac.out());
        assertEquals(12, lines.length, "a heading, 10 paths and what is left out: " + vac.out());
        assertEquals("  ... and 2 more (-o json lists them all)", lines[11]);
    }

    @Test
    void vacuumRetainTakesTheDurationsDoctorTakesAndBareHours() throws Exception {
        batch(0, 10);
        for (var c :
                Map.of("90m", 5400L, "36h", 129600L, "7d", 604800L, "168", 604800L, "0", 0L)
                        .entrySet()) {
            var r =
                    lake.run(
                            "vacuum",
                            "processed/events",
                            "--retain",
                            c.getKey(),
                            "--dry-run",
                            "-o",
                            "json");
            assertEquals(0, r.code(), r.toString());
            assertEquals(c.getValue(), r.json().get("retentionSeconds").asLong(), c.getKey());
        }
        assertTrue(
                lake.run("vacuum", "processed/events", "--retain", "36h", "--dry-run")
                        .out()
                        .contains("(retention 36h)"));
        for (String bad : List.of("1x", "-1", "h", "")) {
            var r = lake.run("vacuum", "processed/events", "--retain", bad);
            assertEquals(2, r.code(), bad + ": " + r);
            assertTrue(r.stderr().contains("90m, 36h, 7d"), r.stderr());
        }
    }

    private JsonNode json(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("-o", "json"));
        var r = lake.run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        return r.json();
    }

    private static void assertNoJavaText(String command, JsonNode n) {
        if (n.isTextual()) {
            assertFalse(TO_STRING.matcher(n.asText()).find(), command + ": Java text in " + n);
        }
        for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
            assertNoJavaText(command, it.next());
        }
    }

    private static JsonNode find(JsonNode array, String dataset) {
        for (JsonNode n : array) {
            if (n.get("dataset").asText().equals(dataset)) {
                return n;
            }
        }
        throw new AssertionError("no " + dataset + " in " + array);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> names(JsonNode schema) {
        List<String> out = new ArrayList<>();
        schema.forEach(n -> out.add(n.get("name").asText()));
        return out;
    }

    /** The jq on PATH, or null. */
    private static String jq() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, "jq"))) {
                return Path.of(p, "jq").toString();
            }
        }
        return null;
    }

    /** Runs {@code jq -e FILTER} over the JSON text: it must parse and the filter must be true. */
    private static void jq(String json, String filter) throws Exception {
        Process p = new ProcessBuilder(jq(), "-e", filter).redirectErrorStream(true).start();
        p.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "jq -e '" + filter + "' over\n" + json + "\nsaid: " + out);
        assertNotNull(out);
    }
}
