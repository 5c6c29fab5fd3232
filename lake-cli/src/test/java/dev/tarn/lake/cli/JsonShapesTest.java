package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that takes {@code -o json}, run on a real lake with real files, prints a typed JSON
 * document: the types of its fields are those docs/cli.md gives (counts and sizes as numbers, paths
 * and lists as arrays, maps as objects), and no value anywhere is a Java {@code toString}. Each
 * shape is checked with Jackson, and with {@code jq} too when it is on the PATH (as people script
 * it); a command added to the CLI without a shape here fails the test.
 */
class JsonShapesTest {
    /**
     * What Java's toString leaves in text: a record ({@code CompactionResult[removedFiles=...]}), a
     * map ({@code {a=1, b=2}}), an object's identity ({@code dev.tarn.lake.X@1b6d3586}).
     */
    static final String TO_STRING =
            "[A-Z][A-Za-z0-9]*\\[[^\\]]*=|\\{[^}]*=|[A-Za-z_$][A-Za-z0-9_$.]*@[0-9a-f]{6,8}\\b";

    private static final Pattern TO_STRING_PATTERN = Pattern.compile(TO_STRING);

    @TempDir Path dir;
    CliRunner lake;
    private final Set<String> covered = new LinkedHashSet<>();

    @Test
    void everyCommandWithJsonOutputPrintsATypedDocument() throws Exception {
        lake = new CliRunner(dir.resolve("lake"));
        Path e1 =
                write(
                        "e1.ndjson",
                        "{\"id\":1,\"kind\":\"a\",\"tags\":[\"x\"]}\n{\"id\":2,\"kind\":\"b\",\"tags\":[]}\n");
        Path e2 = write("e2.ndjson", "{\"id\":3,\"kind\":\"a\",\"tags\":[\"y\"]}\n");
        Path copy = write("copy.ndjson", Files.readString(e1));
        Path jan = write("jan.csv", "date,value\n2026-01-01,1\n");
        Path mar = write("mar.csv", "date,value\r\n2026-03-01,5\n2026-03-02,6\r\n");

        check(
                "init",
                List.of("init", "--zones", "raw,processed,analytics"),
                0,
                "location:string",
                "created:boolean",
                "lakeId:string",
                "catalogVersion:number",
                "zones:array",
                "zones[].zone:string",
                "zones[].datasets:number",
                "zones[].createdAt:string",
                "zones[].description:string|null");
        check(
                "zone create",
                List.of("zone", "create", "ml", "--description", "models"),
                0,
                "zone:string",
                "description:string",
                "datasets:number",
                "createdAt:string");
        String[] object = {
            "objects[].size:number",
            "objects[].path:string",
            "objects[].key:string",
            "objects[].sha256:string",
            "objects[].partition:object",
            "objects[].metadata:object",
            "objects[].ingestedAt:string",
            "objects[].version:number",
            "objects[].status:string"
        };
        check(
                "ingest",
                List.of(
                        "ingest",
                        "raw/events",
                        e1.toString(),
                        e2.toString(),
                        "--partition",
                        "region=eu",
                        "--meta",
                        "src=test"),
                0,
                concat(
                        object,
                        "dataset:string",
                        "version:number",
                        "stored:number",
                        "duplicates:number",
                        "objects:array"));
        JsonNode dup =
                check(
                        "ingest",
                        List.of(
                                "ingest",
                                "raw/events",
                                copy.toString(),
                                "--partition",
                                "region=eu"),
                        0,
                        concat(
                                object,
                                "stored:number",
                                "duplicates:number",
                                "objects[].duplicateOf:string"));
        assertEquals(1, dup.get("duplicates").asLong());
        assertEquals(0, lake.run("ingest", "raw/sales", jan.toString(), mar.toString()).code());

        check("ls", List.of("ls"), 0, "[].zone:string", "[].datasets:number");
        String[] dataset = {
            "[].dataset:string",
            "[].kind:string",
            "[].objects:number",
            "[].bytes:number",
            "[].createdAt:string",
            "[].lastModified:string",
            "[].lastVersion:number",
            "[].tags:object"
        };
        check("ls", List.of("ls", "raw"), 0, dataset);
        check(
                "ls",
                List.of("ls", "raw/events"),
                0,
                "[].path:string",
                "[].size:number",
                "[].partition:object",
                "[].partition.region:string",
                "[].metadata:object",
                "[].ingestedAt:string");
        check(
                "dataset set",
                List.of("dataset", "set", "raw/events", "--owner", "ana", "--tag", "pii=no"),
                0,
                "owner:string",
                "tags:object",
                "tags.pii:string",
                "objects:number",
                "bytes:number",
                "formats:object",
                "formats.ndjson:number",
                "partitions:object",
                "partitions.region:array",
                "partitions.region[]:string");
        check(
                "describe",
                List.of("describe", "raw/events"),
                0,
                "objects:number",
                "bytes:number",
                "schema:array",
                "schema[].name:string",
                "schema[].type:string",
                "badObjects:array",
                "table:null",
                "notInSql:null",
                "formats:object");
        JsonNode sales =
                check(
                        "describe",
                        List.of("describe", "raw/sales"),
                        1,
                        "schema:array",
                        "badObjects:array",
                        "badObjects[].object:string",
                        "badObjects[].reason:string",
                        "badObjects[].dataset:string");
        assertEquals(1, sales.get("badObjects").size());

        // sql: an array of rows, each typed by its column; --skip-bad-objects reports on stderr, as
        // one JSON line
        check(
                "sql",
                List.of(
                        "sql",
                        "SELECT id, kind, id * 1.5 AS x, id > 1 AS big FROM raw.events ORDER BY id"),
                0,
                "[].id:number",
                "[].kind:string",
                "[].x:number",
                "[].big:boolean");
        var skip =
                lake.run(
                        "sql",
                        "--skip-bad-objects",
                        "SELECT count(*) AS n FROM raw.sales",
                        "-o",
                        "json");
        assertEquals(0, skip.code(), skip.toString());
        JsonNode note = CliRunner.JSON.readTree(skip.stderr());
        shape(
                "sql --skip-bad-objects (stderr)",
                note,
                skip.stderr(),
                "skippedObjects:array",
                "skippedObjects[].dataset:string",
                "skippedObjects[].object:string",
                "skippedObjects[].reason:string");

        check(
                "convert-file",
                List.of("convert-file", e1.toString(), dir.resolve("out.parquet").toString()),
                0,
                "inputs:array",
                "inputs[]:string",
                "output:string",
                "files:array",
                "files[].path:string",
                "files[].rows:number",
                "files[].bytes:number",
                "rowsRead:number",
                "rowsWritten:number",
                "rowsQuarantined:number",
                "quarantine:null",
                "schema:array",
                "schema[].name:string",
                "schema[].type:string",
                "schema[].nullable:boolean",
                "changes:array",
                "notes:array",
                "seconds:number");
        JsonNode widened =
                check(
                        "convert-file",
                        List.of(
                                "convert-file",
                                e1.toString(),
                                write(
                                                "late.ndjson",
                                                "{\"id\":1.5,\"kind\":\"c\",\"tags\":[],\"more\":true}\n")
                                        .toString(),
                                dir.resolve("wide.parquet").toString()),
                        0,
                        "changes:array",
                        "changes[].column:string",
                        "changes[].to:string",
                        "changes[].reason:string",
                        "changes[].from:string|null");
        assertEquals(
                "DOUBLE", widened.get("changes").get(0).get("to").asText(), widened.toString());

        check(
                "convert",
                List.of("convert", "raw/events", "processed/events", "--partition-by", "kind"),
                0,
                "source:string",
                "table:string",
                "converted:boolean",
                "tableVersion:number",
                "sourceVersion:number",
                "objects:array",
                "objects[]:string",
                "rowsWritten:number",
                "rowsQuarantined:number",
                "quarantine:string|null",
                "notes:array");
        for (int i = 0; i < 3; i++) {
            Path more =
                    write(
                            "m" + i + ".ndjson",
                            "{\"id\":" + (10 + i) + ",\"kind\":\"a\",\"tags\":[]}\n");
            assertEquals(
                    0,
                    lake.run("ingest", "raw/events", more.toString(), "--partition", "region=eu")
                            .code());
            assertEquals(0, lake.run("convert", "raw/events", "processed/events").code());
        }
        String[] commit = {
            "table:string",
            "version:number",
            "timestamp:string",
            "operation:string",
            "filesAdded:number",
            "filesRemoved:number"
        };
        check(
                "optimize",
                List.of("optimize", "processed/events"),
                0,
                "table:string",
                "committed:boolean",
                "version:number",
                "timestamp:string",
                "filesRemoved:number",
                "filesAdded:number",
                "bytesRemoved:number",
                "bytesAdded:number",
                "removedFiles:array",
                "removedFiles[]:string",
                "addedFiles:array",
                "addedFiles[]:string");
        check(
                "delete",
                List.of("delete", "processed/events", "--where", "id = 1"),
                0,
                concat(commit, "predicate:string", "rowsDeleted:number"));
        check(
                "vacuum",
                List.of("vacuum", "processed/events", "--retain", "0s", "--dry-run"),
                0,
                "table:string",
                "dryRun:boolean",
                "retentionSeconds:number",
                "count:number",
                "files:array",
                "files[]:string",
                "bytes:number");
        check(
                "history",
                List.of("history", "processed/events"),
                0,
                "[].version:number",
                "[].timestamp:string",
                "[].operation:string",
                "[].user:string",
                "[].parameters:object",
                "[].metrics:object",
                "[].parameters.partitionBy:array",
                "[].parameters.predicate:string|array",
                "[].metrics.numDeletedRows:number");
        check(
                "lineage",
                List.of("lineage", "processed/events"),
                0,
                "[].version:number",
                "[].timestamp:string",
                "[].source:string",
                "[].sourceVersion:number",
                "[].objects:array",
                "[].objects[]:string");
        check("restore", List.of("restore", "processed/events", "1"), 0, commit);
        check(
                "describe",
                List.of("describe", "processed/events"),
                0,
                "objects:number",
                "bytes:number",
                "table:object",
                "table.version:number",
                "table.rows:number",
                "table.files:number",
                "table.bytes:number",
                "table.partitionColumns:array",
                "table.partitionColumns[]:string",
                "table.protocol:object",
                "table.protocol.minReaderVersion:number",
                "table.lastCommit:object",
                "table.lastCommit.timestamp:string",
                "schema[].name:string");
        check("ls", List.of("ls", "processed"), 0, dataset);

        // rm, drop and purge on a dataset of their own (processed/events's lineage reads
        // raw/events)
        Path s1 = write("s1.ndjson", "{\"id\":1}\n");
        Path s2 = write("s2.ndjson", "{\"id\":2}\n");
        lake.run("ingest", "raw/scratch", s1.toString(), s2.toString());
        check(
                "rm",
                List.of("rm", "raw/scratch/s1.ndjson", "--reason", "wrong file"),
                0,
                "dataset:string",
                "version:number",
                "previousVersion:number",
                "count:number",
                "reason:string",
                "objects:array",
                "objects[].key:string",
                "objects[].size:number",
                "objects[].path:string");
        check(
                "drop",
                List.of("drop", "raw/scratch", "--reason", "retired"),
                0,
                "dataset:string",
                "kind:string",
                "version:number",
                "objects:number",
                "bytes:number",
                "forced:boolean",
                "readers:array",
                "reason:string");
        check(
                "purge",
                List.of("purge", "--older-than", "0s", "--dry-run"),
                0,
                "dryRun:boolean",
                "retentionSeconds:number",
                "version:null",
                "count:number",
                "bytes:number",
                "objects:array",
                "objects[].key:string",
                "objects[].size:number",
                "objects[].dataset:string",
                "objects[].reason:string");
        check(
                "purge",
                List.of("purge", "--older-than", "0s", "--reason", "clean up"),
                0,
                "dryRun:boolean",
                "retentionSeconds:number",
                "version:number",
                "count:number",
                "bytes:number",
                "objects:array");

        Path pipe =
                write(
                        "kinds.yaml",
                        "steps:\n"
                                + "  - name: events\n"
                                + "    convert: {from: raw/events, to: processed/pipe-events}\n"
                                + "  - name: kinds\n"
                                + "    sql: {to: analytics/kinds, query: \"SELECT kind, count(*) AS n"
                                + " FROM processed.\\\"pipe-events\\\" GROUP BY kind\"}\n");
        check(
                "pipeline validate",
                List.of("pipeline", "validate", pipe.toString()),
                0,
                "pipeline:string",
                "valid:boolean",
                "steps:array",
                "steps[]:string");
        String[] stepRun = {
            "pipeline:string",
            "failed:boolean",
            "steps:array",
            "steps[].step:string",
            "steps[].kind:string",
            "steps[].outcome:string",
            "steps[].run:number",
            "steps[].outputVersion:number",
            "steps[].inputs:object",
            "steps[].detail:string|null"
        };
        check("pipeline run", List.of("pipeline", "run", pipe.toString()), 0, stepRun);
        check(
                "pipeline status",
                List.of("pipeline", "status", pipe.toString()),
                0,
                "pipeline:string",
                "steps:array",
                "steps[].step:string",
                "steps[].kind:string",
                "steps[].target:string",
                "steps[].runs:number",
                "steps[].inputs:object",
                "steps[].outputVersion:number",
                "steps[].lag:number",
                "steps[].pending:boolean",
                "steps[].lastRun:string",
                "steps[].lastError:null",
                "steps[].lastErrorAt:null",
                "steps[].failures:number");
        String[] doctor = {
            "clean:boolean",
            "repair:boolean",
            "catalogVersion:number",
            "objectsChecked:number",
            "findings:array"
        };
        check("doctor", List.of("doctor"), 0, doctor);
        // bytes changed behind the lake: exit 1, and the same document with its findings
        Path victim =
                lake.lake()
                        .resolve(
                                lake.run("ls", "raw/sales", "-o", "json")
                                        .json()
                                        .get(0)
                                        .get("key")
                                        .asText());
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length - 2] ^= 1;
        Files.write(victim, bytes);
        JsonNode found =
                check(
                        "doctor",
                        List.of("doctor"),
                        1,
                        concat(
                                doctor,
                                "findings[].kind:string",
                                "findings[].key:string",
                                "findings[].detail:string",
                                "findings[].repaired:boolean"));
        assertFalse(found.get("clean").asBoolean());

        // events: NDJSON, one document per line, each of one shape (catalog and table events alike)
        covered.add("events");
        var events = lake.run("events", "-o", "json");
        assertEquals(0, events.code(), events.toString());
        List<String> lines = events.out().lines().toList();
        assertTrue(lines.size() > 10, events.out());
        Set<String> kinds = new TreeSet<>();
        for (String line : lines) {
            JsonNode e = CliRunner.JSON.readTree(line);
            kinds.add(e.get("kind").asText());
            shape(
                    "events",
                    e,
                    line,
                    "position:string",
                    "source:string",
                    "kind:string",
                    "version:number",
                    "timestamp:string",
                    "principal:string",
                    "operation:string",
                    "datasets:array",
                    "added:array",
                    "removed:array",
                    "metrics:object");
        }
        assertEquals(Set.of("catalog", "table"), kinds);
        String append =
                lake.run(
                                "events",
                                "--since",
                                "processed/events@0",
                                "--dataset",
                                "processed/events",
                                "-o",
                                "json")
                        .out()
                        .lines()
                        .filter(l -> l.contains("\"kind\":\"table\""))
                        .findFirst()
                        .orElseThrow();
        shape(
                "events (a table's append)",
                CliRunner.JSON.readTree(append),
                append,
                "datasets[]:string",
                "added[]:string",
                "metrics.numOutputRows:number");

        Set<String> missing = new TreeSet<>(Main.reportingCommands());
        missing.removeAll(covered);
        assertEquals(
                Set.of(),
                missing,
                "commands that take -o json with no shape checked here (add them, and"
                        + " their shape to docs/cli.md)");
    }

    @Test
    void longListsAreSummarisedInTableModeAndWholeInJson() throws Exception {
        lake = new CliRunner(dir.resolve("lake"));
        Path batch = Files.createDirectories(dir.resolve("batch"));
        for (int i = 0; i < 25; i++) {
            Files.writeString(
                    batch.resolve(String.format("f%02d.ndjson", i)), "{\"id\":" + i + "}\n");
        }
        var ingest = lake.run("ingest", "raw/many", batch.toString());
        assertEquals(0, ingest.code(), ingest.toString());
        String[] lines = ingest.out().split("\n");
        assertEquals(12, lines.length, ingest.out());
        assertTrue(lines[9].startsWith("stored: f09.ndjson -> raw/many/"), lines[9]);
        assertEquals("... and 15 more (-o json lists them all)", lines[10]);
        assertTrue(lines[11].startsWith("raw/many: 25 objects stored, 0 duplicates"), lines[11]);

        assertEquals(0, lake.run("convert", "raw/many", "processed/many").code());
        var lineage = lake.run("lineage", "processed/many");
        assertEquals(2, lineage.out().split("\n").length, lineage.out());
        assertTrue(
                lineage.out()
                        .matches(
                                "(?s).*raw/many +\\d+ +ingest_date=\\S+/f00\\.ndjson, \\S+f01\\.ndjson,"
                                        + " \\S+f02\\.ndjson and 22 more\n"),
                lineage.out());
        assertEquals(
                25,
                lake.run("lineage", "processed/many", "-o", "json")
                        .json()
                        .get(0)
                        .get("objects")
                        .size());
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    /** Runs {@code lake ARGS -o json}: its exit code, then its shape; returns the document. */
    private JsonNode check(String command, List<String> args, int code, String... spec)
            throws Exception {
        covered.add(command);
        List<String> a = new ArrayList<>(args);
        a.addAll(List.of("-o", "json"));
        var r = lake.run(a.toArray(String[]::new));
        assertEquals(code, r.code(), String.join(" ", args) + ": " + r);
        JsonNode doc = r.json();
        shape(String.join(" ", args), doc, r.out(), spec);
        return doc;
    }

    /**
     * Checks {@code spec}, entries {@code path:type|type}: a path of keys joined by '.', where
     * {@code key[]} (or a leading {@code []}) stands for every element of an array; every value
     * found there must have one of the types (jq's names: number, string, boolean, array, object,
     * null), and at least one must be found.
     */
    private static void shape(String what, JsonNode doc, String text, String... spec)
            throws Exception {
        assertNoJavaText(what, doc);
        for (String s : spec) {
            int colon = s.lastIndexOf(':');
            String path = s.substring(0, colon);
            Set<String> types = Set.of(s.substring(colon + 1).split("\\|"));
            List<JsonNode> found = resolve(doc, path);
            assertFalse(found.isEmpty(), what + ": nothing at " + path + " in " + doc);
            for (JsonNode n : found) {
                assertTrue(
                        types.contains(type(n)),
                        what + ": " + path + " is " + type(n) + ", not " + types + ": " + n);
            }
        }
        if (jq() == null) {
            return; // checked with Jackson alone (JsonShapesTest.jq says so once)
        }
        StringBuilder filter = new StringBuilder("true");
        for (String s : spec) {
            int colon = s.lastIndexOf(':');
            String path = s.substring(0, colon);
            StringBuilder any = new StringBuilder();
            for (String t : s.substring(colon + 1).split("\\|")) {
                any.append(any.length() == 0 ? "" : " or ").append(". == \"").append(t).append('"');
            }
            filter.append(" and ([")
                    .append(jqPath(path))
                    .append(" | type] | length > 0 and all(")
                    .append(any)
                    .append("))");
        }
        jq(text, filter.toString());
        jq(text, "[.. | strings | select(test($re))] | length == 0");
    }

    /** The spec's path in jq, with Jackson's meaning: the values where the keys are present. */
    private static String jqPath(String path) {
        StringBuilder b = new StringBuilder(".");
        String p = path;
        if (p.startsWith("[]")) {
            b.append(" | .[]");
            p = p.substring(2);
        }
        for (String seg : p.isEmpty() ? new String[0] : p.replaceFirst("^\\.", "").split("\\.")) {
            boolean each = seg.endsWith("[]");
            String key = each ? seg.substring(0, seg.length() - 2) : seg;
            b.append(" | select(type == \"object\" and has(\"")
                    .append(key)
                    .append("\")) | .")
                    .append(key);
            if (each) {
                b.append(" | .[]?");
            }
        }
        return b.toString();
    }

    private static List<JsonNode> resolve(JsonNode doc, String path) {
        List<JsonNode> nodes = List.of(doc);
        String p = path.startsWith("[]") ? path.substring(2) : path;
        if (path.startsWith("[]")) {
            nodes = elements(nodes);
        }
        for (String seg : p.isEmpty() ? new String[0] : p.replaceFirst("^\\.", "").split("\\.")) {
            boolean each = seg.endsWith("[]");
            String key = each ? seg.substring(0, seg.length() - 2) : seg;
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : nodes) {
                if (n.isObject() && n.has(key)) {
                    next.add(n.get(key));
                }
            }
            nodes = each ? elements(next) : next;
        }
        return nodes;
    }

    private static List<JsonNode> elements(List<JsonNode> arrays) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode a : arrays) {
            if (a.isArray()) {
                a.forEach(out::add);
            }
        }
        return out;
    }

    private static String type(JsonNode n) {
        return switch (n.getNodeType()) {
            case NUMBER -> "number";
            case STRING -> "string";
            case BOOLEAN -> "boolean";
            case ARRAY -> "array";
            case OBJECT -> "object";
            case NULL -> "null";
            default -> n.getNodeType().name();
        };
    }

    static void assertNoJavaText(String what, JsonNode n) {
        if (n.isTextual()) {
            assertFalse(TO_STRING_PATTERN.matcher(n.asText()).find(), what + ": Java text in " + n);
        }
        for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
            assertNoJavaText(what, it.next());
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            assertFalse(TO_STRING_PATTERN.matcher(key).find(), what + ": Java text in key " + key);
        }
    }

    private static boolean warned;

    /**
     * The jq on PATH, or null (said once on stderr: the shapes are then checked with Jackson only).
     */
    private static String jq() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, "jq"))) {
                return Path.of(p, "jq").toString();
            }
        }
        if (!warned) {
            warned = true;
            System.err.println(
                    "JsonShapesTest: jq is not on PATH; the JSON shapes were checked with Jackson only");
        }
        return null;
    }

    /**
     * {@code jq -e --arg re TO_STRING FILTER} over the text: it must parse, and the filter must be
     * true.
     */
    private static void jq(String json, String filter) throws Exception {
        Process p =
                new ProcessBuilder(jq(), "-e", "--arg", "re", TO_STRING, filter)
                        .redirectErrorStream(true)
                        .start();
        p.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jq did not finish");
        assertEquals(0, p.exitValue(), "jq -e '" + filter + "' over\n" + json + "\nsaid: " + out);
    }
}
