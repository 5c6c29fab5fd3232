package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance: ingest, ls with size and sha256, cat byte for byte, duplicates reported.
 */
class IngestAndReadTest {
    @TempDir Path dir;
    CliRunner lake;
    Path events;
    byte[] eventBytes;

    @BeforeEach
    void setUp() throws Exception {
        lake = new CliRunner(dir.resolve("lake"));
        events = dir.resolve("events.ndjson");
        eventBytes =
                "{\"user\":\"a\",\"n\":1}\n{\"user\":\"b\",\"n\":2}\n"
                        .getBytes(StandardCharsets.UTF_8);
        Files.write(events, eventBytes);
    }

    @Test
    void ingestThenLsJsonListsTheObjectWithSizeAndSha256() {
        CliRunner.Result r = lake.run("ingest", "raw/clicks", events.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("stored: events.ndjson"), r::toString);

        CliRunner.Result ls = lake.run("ls", "raw/clicks", "--output", "json");
        assertEquals(0, ls.code(), ls::toString);
        JsonNode arr = ls.json();
        assertTrue(arr.isArray());
        assertEquals(1, arr.size());
        JsonNode o = arr.get(0);
        assertEquals("raw/clicks", o.get("dataset").asText());
        assertTrue(o.get("size").isNumber(), "size is a number");
        assertEquals(eventBytes.length, o.get("size").asLong());
        assertEquals(CliRunner.sha256(eventBytes), o.get("sha256").asText());
        assertEquals("events.ndjson", o.get("originalName").asText());
        assertEquals("ndjson", o.get("format").asText());
        assertTrue(o.get("path").asText().endsWith("events.ndjson"));
        assertEquals("raw/clicks/" + o.get("path").asText(), o.get("key").asText());
        assertTrue(o.get("path").asText().startsWith("ingest_date="));
        Instant.parse(o.get("ingestedAt").asText()); // ISO-8601 UTC
        assertTrue(o.get("ingestedAt").asText().endsWith("Z"));
        assertTrue(o.get("partition").has("ingest_date"));
        assertTrue(o.get("version").isNumber());
        for (String key : List.of("contentType", "source", "metadata")) {
            assertTrue(o.has(key), key);
        }

        // The table shows the same facts.
        CliRunner.Result table = lake.run("ls", "raw/clicks");
        assertEquals(0, table.code());
        assertTrue(table.out().contains(CliRunner.sha256(eventBytes)), table::toString);
        assertTrue(table.out().startsWith("PATH"), table::toString);
    }

    @Test
    void catReturnsIdenticalBytesByPathNameAndShaPrefix() {
        assertEquals(0, lake.run("ingest", "raw/clicks", events.toString()).code());
        String path = lake.run("ls", "raw/clicks", "-o", "json").json().get(0).get("path").asText();
        for (String ref :
                List.of(path, "events.ndjson", CliRunner.sha256(eventBytes).substring(0, 10))) {
            CliRunner.Result cat = lake.run("cat", "raw/clicks/" + ref);
            assertEquals(0, cat.code(), cat::toString);
            assertArrayEquals(eventBytes, cat.stdout(), ref);
            assertEquals("", cat.stderr());
        }
    }

    @Test
    void catIsBinarySafeForAllByteValues() throws Exception {
        byte[] all = new byte[256 * 4];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (i % 256);
        }
        // CR LF pairs, NULs, invalid UTF-8: all must come back unchanged.
        Path bin = dir.resolve("all-bytes.bin");
        Files.write(bin, all);
        assertEquals(0, lake.run("ingest", "raw/blobs", bin.toString()).code());
        CliRunner.Result cat = lake.run("cat", "raw/blobs/all-bytes.bin");
        assertEquals(0, cat.code(), cat::toString);
        assertArrayEquals(all, cat.stdout());
        JsonNode o = lake.run("ls", "raw/blobs", "--output=json").json().get(0);
        assertEquals(CliRunner.sha256(all), o.get("sha256").asText());
        assertEquals("binary", o.get("format").asText());
    }

    @Test
    void catStopsQuietlyWhenStdoutIsClosed() throws Exception {
        assertEquals(0, lake.run("ingest", "raw/clicks", events.toString()).code());
        java.io.OutputStream closedAfterTen =
                new java.io.OutputStream() {
                    int n;

                    @Override
                    public void write(int b) throws java.io.IOException {
                        if (++n > 10) {
                            throw new java.io.IOException("Broken pipe");
                        }
                    }
                };
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code =
                Main.run(
                        new java.io.ByteArrayInputStream(new byte[0]),
                        closedAfterTen,
                        err,
                        java.util.Map.of(),
                        "--lake",
                        lake.lake().toString(),
                        "cat",
                        "raw/clicks/events.ndjson");
        assertEquals(1, code);
        assertEquals("", err.toString(), "no message: the reader went away on purpose");
    }

    @Test
    void secondIdenticalIngestIsReportedAsDuplicate() throws Exception {
        CliRunner.Result first = lake.run("ingest", "raw/clicks", events.toString(), "-o", "json");
        assertEquals(0, first.code(), first::toString);
        String storedPath = first.json().get("objects").get(0).get("path").asText();
        assertEquals(1, first.json().get("stored").asInt());

        // Same bytes under another name: table output says so in one line, and exit code is 0.
        Path copy = dir.resolve("copy.ndjson");
        Files.write(copy, eventBytes);
        CliRunner.Result table = lake.run("ingest", "raw/clicks", copy.toString());
        assertEquals(0, table.code(), table::toString);
        assertTrue(
                table.out()
                        .contains(
                                "duplicate: copy.ndjson has the same bytes as "
                                        + storedPath
                                        + " already in raw/clicks; not stored again (--force stores it anyway)"),
                table::toString);

        CliRunner.Result json =
                lake.run("ingest", "raw/clicks", events.toString(), "--output", "json");
        assertEquals(0, json.code(), json::toString);
        JsonNode j = json.json();
        assertEquals("raw/clicks", j.get("dataset").asText());
        assertTrue(j.get("version").isNull(), "nothing new was committed");
        assertEquals(0, j.get("stored").asInt());
        assertEquals(1, j.get("duplicates").asInt());
        JsonNode o = j.get("objects").get(0);
        assertEquals("duplicate", o.get("status").asText());
        assertEquals(storedPath, o.get("duplicateOf").asText());
        assertEquals(CliRunner.sha256(eventBytes), o.get("sha256").asText());
        assertEquals(eventBytes.length, o.get("size").asLong());

        // Still one object.
        assertEquals(1, lake.run("ls", "raw/clicks", "-o", "json").json().size());

        // --force stores it anyway.
        CliRunner.Result forced =
                lake.run("ingest", "raw/clicks", events.toString(), "--force", "-o", "json");
        assertEquals(0, forced.code(), forced::toString);
        assertEquals("stored", forced.json().get("objects").get(0).get("status").asText());
        assertFalse(forced.json().get("objects").get(0).has("duplicateOf"));
        assertTrue(forced.json().get("version").isNumber());
        assertEquals(2, lake.run("ls", "raw/clicks", "-o", "json").json().size());
    }

    @Test
    void stdinIngestWithName() {
        byte[] data = "id,name\n1,x\n".getBytes(StandardCharsets.UTF_8);
        CliRunner.Result r =
                lake.runWithStdin(
                        data, "ingest", "raw/people", "-", "--name", "people.csv", "-o", "json");
        assertEquals(0, r.code(), r::toString);
        JsonNode o = r.json().get("objects").get(0);
        assertEquals("people.csv", o.get("originalName").asText());
        assertEquals("stdin", o.get("source").asText());
        assertEquals("csv", o.get("format").asText());
        assertEquals(CliRunner.sha256(data), o.get("sha256").asText());
        assertArrayEquals(data, lake.run("cat", "raw/people/people.csv").stdout());

        // Without --name the object is called stdin.
        byte[] more = "other bytes\n".getBytes(StandardCharsets.UTF_8);
        CliRunner.Result unnamed =
                lake.runWithStdin(more, "ingest", "raw/people", "-", "-o", "json");
        assertEquals(0, unnamed.code(), unnamed::toString);
        assertEquals("stdin", unnamed.json().get("objects").get(0).get("originalName").asText());
    }

    @Test
    void namesWithNewlinesOrBidiControlsCannotForgeOutputLines() {
        String evil = "evil\nstored: forged.csv -> raw/x\u202etxt.csv\u001b[2J";
        CliRunner.Result r =
                lake.runWithStdin(
                        "a\n".getBytes(StandardCharsets.UTF_8),
                        "ingest",
                        "raw/people",
                        "-",
                        "--name",
                        evil);
        assertEquals(0, r.code(), r::toString);
        // one line per object plus the summary; the forged line and the controls are shown escaped
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r::toString);
        assertTrue(lines.get(0).startsWith("stored: evil\\u000astored: forged.csv"), lines.get(0));
        assertTrue(lines.get(0).contains("\\u202etxt.csv\\u001b[2J"), lines.get(0));
        assertFalse(r.out().contains("\u202e") || r.out().contains("\u001b"), r::toString);
        // JSON carries the name exactly, escaped by the JSON encoding
        CliRunner.Result ls = lake.run("ls", "raw/people", "-o", "json");
        assertEquals(evil, ls.json().get(0).get("originalName").asText());
        CliRunner.Result describe = lake.run("describe", "raw/people");
        assertFalse(describe.out().contains("\u202e"), describe::toString);
    }

    @Test
    void objectsLeftOutOfADatasetsRowsAreNamedByDescribe() {
        assertEquals(
                0,
                lake.runWithStdin(
                                "{\"n\":1}\n{\"n\":2}\n".getBytes(StandardCharsets.UTF_8),
                                "ingest",
                                "raw/mixed",
                                "-",
                                "--name",
                                "rows.ndjson")
                        .code());
        byte[] png = {
            (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'
        };
        assertEquals(
                0, lake.runWithStdin(png, "ingest", "raw/mixed", "-", "--name", "logo.png").code());
        assertEquals(
                0,
                lake.runWithStdin(
                                new byte[] {0, 1, 2, 3, (byte) 0xff},
                                "ingest",
                                "raw/mixed",
                                "-",
                                "--name",
                                "blob.bin")
                        .code());
        // the rows come from the NDJSON object only ...
        CliRunner.Result count =
                lake.run("sql", "SELECT count(*) AS n FROM raw.mixed", "-o", "csv");
        assertEquals(0, count.code(), count::toString);
        assertEquals("n\n2\n", count.out());
        // ... and describe says what is left out, and where to find it
        CliRunner.Result table = lake.run("describe", "raw/mixed");
        assertEquals(0, table.code(), table::toString);
        String line =
                table.out().lines().filter(l -> l.startsWith("not in SQL:")).findFirst().orElse("");
        assertTrue(
                line.contains("2 objects (binary=2)") && line.contains("tarn.objects"),
                table::toString);
        JsonNode json = lake.run("describe", "raw/mixed", "-o", "json").json();
        assertEquals(2, json.get("notInSql").get("binary").asInt(), json::toString);
        CliRunner.Result listed =
                lake.run(
                        "sql",
                        "SELECT count(*) AS n FROM tarn.objects WHERE dataset = 'mixed'"
                                + " AND format <> 'ndjson'",
                        "-o",
                        "csv");
        assertEquals("n\n2\n", listed.out(), listed::toString);
        // a dataset whose objects are all read, or that is all metadata, has nothing left out
        assertEquals(
                0,
                lake.runWithStdin(
                                "{\"n\":1}\n".getBytes(StandardCharsets.UTF_8),
                                "ingest",
                                "raw/plain",
                                "-",
                                "--name",
                                "rows.ndjson")
                        .code());
        assertEquals(
                0,
                lake.runWithStdin(
                                new byte[] {9, 8, 7}, "ingest", "raw/blobs", "-", "--name", "b.bin")
                        .code());
        assertTrue(lake.run("describe", "raw/plain", "-o", "json").json().get("notInSql").isNull());
        assertTrue(lake.run("describe", "raw/blobs", "-o", "json").json().get("notInSql").isNull());
    }

    @Test
    void partitionAndMetaAreRecorded() {
        CliRunner.Result r =
                lake.run(
                        "ingest",
                        "raw/clicks",
                        events.toString(),
                        "--partition",
                        "region=eu",
                        "--partition",
                        "day=2026-11-20",
                        "--meta",
                        "source-system=web",
                        "--meta",
                        "note=a=b, c",
                        "-o",
                        "json");
        assertEquals(0, r.code(), r::toString);
        JsonNode o = r.json().get("objects").get(0);
        assertEquals("region=eu/day=2026-11-20/events.ndjson", o.get("path").asText());
        assertEquals("eu", o.get("partition").get("region").asText());
        assertEquals("2026-11-20", o.get("partition").get("day").asText());
        assertEquals(List.of("region", "day"), names(o.get("partition")));
        assertEquals("web", o.get("metadata").get("source-system").asText());
        assertEquals("a=b, c", o.get("metadata").get("note").asText());

        JsonNode d = lake.run("describe", "raw/clicks", "-o", "json").json();
        assertEquals("eu", d.get("partitions").get("region").get(0).asText());
        assertEquals("2026-11-20", d.get("partitions").get("day").get(0).asText());
    }

    @Test
    void directoriesAreIngestedAsTrees() throws Exception {
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve("sub"));
        Files.writeString(tree.resolve("a.csv"), "x\n1\n");
        Files.writeString(tree.resolve("sub/b.json"), "{\"b\":1}");
        Files.writeString(tree.resolve(".hidden"), "skip me");
        CliRunner.Result r = lake.run("ingest", "raw/tree", tree.toString(), "-o", "json");
        assertEquals(0, r.code(), r::toString);
        assertEquals(2, r.json().get("stored").asInt());
        List<String> paths = new ArrayList<>();
        lake.run("ls", "raw/tree", "-o", "json")
                .json()
                .forEach(o -> paths.add(o.get("path").asText()));
        assertEquals(2, paths.size());
        assertTrue(paths.stream().anyMatch(p -> p.endsWith("/sub/b.json")), paths::toString);
        assertTrue(paths.stream().anyMatch(p -> p.endsWith("/a.csv")), paths::toString);
        assertEquals("{\"b\":1}", lake.run("cat", "raw/tree/b.json").out());
    }

    @Test
    void ingestCreatesTheLakeWhenMissingButInitSaysWhenItExists() {
        assertFalse(Files.exists(lake.lake()));
        assertEquals(0, lake.run("ingest", "raw/clicks", events.toString()).code());
        CliRunner.Result init = lake.run("init");
        assertEquals(0, init.code(), init::toString);
        assertTrue(init.out().contains("already exists"), init::toString);
        JsonNode j = lake.run("init", "-o", "json").json();
        assertFalse(j.get("created").asBoolean());
        assertEquals(3, j.get("zones").size());
        assertEquals(1, j.get("zones").get(0).get("datasets").asInt());
    }

    @Test
    void initCreatesZonesGiven() {
        CliRunner.Result r = lake.run("init", "--zones", "landing,curated", "-o", "json");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.json().get("created").asBoolean());
        assertEquals(List.of("landing", "curated"), r.json().get("zones").findValuesAsText("zone"));
        CliRunner.Result ls = lake.run("ls", "-o", "json");
        assertEquals(List.of("landing", "curated"), ls.json().findValuesAsText("zone"));
        assertEquals(0, ls.json().get(0).get("datasets").asInt());
    }

    @Test
    void lsZonesAndDatasetsShowCounts() {
        assertEquals(0, lake.run("ingest", "raw/clicks", events.toString()).code());
        JsonNode zones = lake.run("ls", "-o", "json").json();
        assertEquals("raw", zones.get(0).get("zone").asText());
        assertEquals(1, zones.get(0).get("datasets").asInt());
        assertEquals(0, zones.get(1).get("datasets").asInt());

        JsonNode ds = lake.run("ls", "raw", "-o", "json").json();
        assertEquals(1, ds.size());
        JsonNode d = ds.get(0);
        assertEquals("raw/clicks", d.get("dataset").asText());
        assertEquals("raw", d.get("zone").asText());
        assertEquals("clicks", d.get("name").asText());
        assertEquals("objects", d.get("kind").asText());
        assertEquals("ndjson", d.get("format").asText());
        assertEquals(1, d.get("objects").asInt());
        assertEquals(eventBytes.length, d.get("bytes").asLong());
        assertTrue(d.get("tags").isObject());
        Instant.parse(d.get("createdAt").asText());
        Instant.parse(d.get("lastModified").asText());

        CliRunner.Result empty = lake.run("ls", "processed");
        assertEquals(0, empty.code());
        assertTrue(empty.out().startsWith("no datasets in zone processed"), empty::toString);
        assertEquals("[]", lake.run("ls", "processed", "-o", "json").out().trim());
    }

    private static List<String> names(JsonNode object) {
        List<String> l = new ArrayList<>();
        object.fieldNames().forEachRemaining(l::add);
        return l;
    }
}
