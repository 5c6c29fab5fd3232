package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV quoting, JSON shapes and keys, aligned tables, describe. */
class OutputFormatTest {
    @TempDir Path dir;
    CliRunner lake;
    Path file;

    @BeforeEach
    void setUp() throws Exception {
        lake = new CliRunner(dir.resolve("lake"));
        file = dir.resolve("events.ndjson");
        Files.writeString(file, "{\"a\":1}\n");
        assertEquals(
                0,
                lake.run(
                                "ingest",
                                "raw/clicks",
                                file.toString(),
                                "--meta",
                                "note=say \"hi\", then\nbye")
                        .code());
    }

    @Test
    void csvHasAHeaderAndQuotesPerRfc4180() {
        CliRunner.Result set =
                lake.run(
                        "dataset",
                        "set",
                        "raw/clicks",
                        "--owner",
                        "web team",
                        "--description",
                        "clicks, \"raw\"\nas they came",
                        "--tag",
                        "pii=no",
                        "-o",
                        "csv");
        assertEquals(0, set.code(), set::toString);

        CliRunner.Result r = lake.run("ls", "raw", "--output", "csv");
        assertEquals(0, r.code(), r::toString);
        List<List<String>> rows = parseCsv(r.out());
        assertEquals(Views.DATASET_KEYS, rows.get(0));
        assertEquals(2, rows.size(), r::toString);
        Map<String, String> row = zip(rows.get(0), rows.get(1));
        assertEquals("raw/clicks", row.get("dataset"));
        assertEquals("clicks, \"raw\"\nas they came", row.get("description"));
        assertEquals("web team", row.get("owner"));
        assertEquals("pii=no", row.get("tags"));
        assertEquals("1", row.get("objects"));
        // The exact quoting: the field is enclosed in quotes and its quotes doubled.
        assertTrue(r.out().contains(",\"clicks, \"\"raw\"\"\nas they came\","), r::toString);

        CliRunner.Result objects = lake.run("ls", "raw/clicks", "-o", "csv");
        List<List<String>> orows = parseCsv(objects.out());
        assertEquals(Views.OBJECT_KEYS, orows.get(0));
        Map<String, String> o = zip(orows.get(0), orows.get(1));
        assertEquals("note=say \"hi\", then\nbye", o.get("metadata"));
        assertEquals(CliRunner.sha256("{\"a\":1}\n".getBytes()), o.get("sha256"));

        CliRunner.Result zones = lake.run("ls", "-o", "csv");
        assertEquals(
                "zone,description,datasets,createdAt",
                zones.out().lines().findFirst().orElseThrow());
        assertEquals(4, parseCsv(zones.out()).size());
    }

    @Test
    void csvFieldQuotingUnit() {
        assertEquals("plain", Csv.field("plain"));
        assertEquals("\"a,b\"", Csv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.field("say \"hi\""));
        assertEquals("\"a\nb\"", Csv.field("a\nb"));
        assertEquals("\"a\rb\"", Csv.field("a\rb"));
        assertEquals("", Csv.field(""));
    }

    @Test
    void jsonEscapesAndTypes() throws Exception {
        String json = CliJson.write(Map.of("k", "q\"\\\n\t\u0001é"));
        assertEquals("q\"\\\n\t\u0001é", CliRunner.JSON.readTree(json).get("k").asText());
        assertTrue(json.contains("\\u0001"));
    }

    @Test
    void describeReportsPropertiesCountsFormatsPartitions() throws Exception {
        Path csv = dir.resolve("b.csv");
        Files.writeString(csv, "x,y\n1,2\n");
        assertEquals(
                0,
                lake.run("ingest", "raw/clicks", csv.toString(), "--partition", "region=eu")
                        .code());
        assertEquals(
                0,
                lake.run(
                                "dataset",
                                "set",
                                "raw/clicks",
                                "--owner",
                                "web",
                                "--description",
                                "d",
                                "--tag",
                                "pii=no",
                                "--tag",
                                "tier=1")
                        .code());

        JsonNode d = lake.run("describe", "raw/clicks", "-o", "json").json();
        assertEquals("raw/clicks", d.get("dataset").asText());
        assertEquals("mixed", d.get("format").asText());
        assertEquals(2, d.get("objects").asInt());
        assertEquals(8 + 8, d.get("bytes").asLong());
        assertEquals("web", d.get("owner").asText());
        assertEquals("d", d.get("description").asText());
        assertEquals("no", d.get("tags").get("pii").asText());
        assertEquals(1, d.get("formats").get("csv").asInt());
        assertEquals(1, d.get("formats").get("ndjson").asInt());
        assertEquals("eu", d.get("partitions").get("region").get(0).asText());
        assertTrue(d.get("partitions").has("ingest_date"));
        assertTrue(d.get("lastVersion").asLong() >= 3);
        assertTrue(d.get("lastModified").asText().endsWith("Z"));

        CliRunner.Result t = lake.run("describe", "raw/clicks");
        assertEquals(0, t.code());
        for (String line :
                List.of(
                        "dataset:     raw/clicks",
                        "owner:       web",
                        "tags:        pii=no, tier=1",
                        "objects:     2",
                        "size:        16 B",
                        "partitions:  ingest_date: ")) {
            assertTrue(t.out().contains(line), () -> line + "\n" + t.out());
        }

        CliRunner.Result c = lake.run("describe", "raw/clicks", "-o", "csv");
        List<List<String>> rows = parseCsv(c.out());
        assertEquals(DescribeCommand.KEYS, rows.get(0));
        assertEquals("pii=no;tier=1", zip(rows.get(0), rows.get(1)).get("tags"));

        // Untag removes a tag.
        JsonNode after =
                lake.run("dataset", "set", "raw/clicks", "--untag", "tier", "-o", "json").json();
        assertEquals(List.of("pii"), fieldNames(after.get("tags")));
    }

    @Test
    void tablesAreAligned() throws Exception {
        Path longName = dir.resolve("a-much-longer-file-name.ndjson");
        Files.writeString(longName, "{\"b\":2}\n");
        assertEquals(0, lake.run("ingest", "raw/clicks", longName.toString()).code());
        List<String> lines = lake.run("ls", "raw/clicks").out().lines().toList();
        assertEquals(3, lines.size(), lines::toString);
        int sizeCol = lines.get(0).indexOf("SIZE");
        int shaCol = lines.get(0).indexOf("SHA256");
        for (String l : lines.subList(1, 3)) {
            assertTrue(
                    l.substring(0, sizeCol + 4).endsWith(" B"),
                    "sizes right-aligned under SIZE: " + l);
            assertTrue(l.substring(shaCol).matches("[0-9a-f]{64}"), "sha256 column aligned: " + l);
        }
        List<String> zones = lake.run("ls").out().lines().toList();
        assertTrue(zones.get(0).startsWith("ZONE       DATASETS  DESCRIPTION"), zones::toString);
        assertTrue(zones.get(1).startsWith("raw               1  "), zones::toString);
    }

    @Test
    void humanSizes() {
        assertEquals("0 B", Text.size(0));
        assertEquals("1023 B", Text.size(1023));
        assertEquals("1.0 KiB", Text.size(1024));
        assertEquals("1.5 MiB", Text.size(1024 * 1024 * 3 / 2));
        assertEquals("2.0 GiB", Text.size(2L << 30));
    }

    @Test
    void durations() {
        assertEquals(java.time.Duration.ZERO, Text.duration("0s"));
        assertEquals(java.time.Duration.ofMinutes(10), Text.duration("10m"));
        assertEquals(java.time.Duration.ofHours(1), Text.duration("1h"));
        assertEquals(java.time.Duration.ofMinutes(90), Text.duration("1h30m"));
        assertEquals(java.time.Duration.ofDays(2), Text.duration("2d"));
        assertEquals(java.time.Duration.ofMillis(500), Text.duration("500ms"));
        assertEquals(java.time.Duration.ofMinutes(10), Text.duration("PT10M"));
        for (String bad : List.of("", "10", "m", "1x", "-1s", "1h 2m", "PT-1S")) {
            try {
                Text.duration(bad);
                throw new AssertionError("accepted " + bad);
            } catch (UsageException expected) {
                assertTrue(expected.getMessage().contains("not valid"));
            }
        }
    }

    @Test
    void progressLine() {
        assertEquals(
                "ingesting [###############               ]  50% 1.0 KiB / 2.0 KiB, 1/2 objects",
                ProgressBar.line(1024, 2048, 1, 2));
        assertEquals("ingesting 1.0 KiB, 0/1 objects", ProgressBar.line(1024, -1, 0, 1));
    }

    @Test
    void progressBarDrawsInPlaceAndClearsItsLine() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err =
                new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        ProgressBar bar = new ProgressBar(err, 0);
        bar.onProgress(512, 1024, 0, 1);
        bar.finish();
        assertEquals(
                "\r" + ProgressBar.line(512, 1024, 0, 1) + "\u001b[K\r\u001b[K", bytes.toString());

        java.io.ByteArrayOutputStream quiet = new java.io.ByteArrayOutputStream();
        ProgressBar slow = new ProgressBar(new java.io.PrintStream(quiet), ProgressBar.DELAY_NANOS);
        slow.onProgress(512, 1024, 0, 1);
        slow.finish();
        assertEquals(0, quiet.size(), "nothing for ingests quicker than the delay");
    }

    @Test
    void progressOnlyWhenStderrIsATerminal() {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        assertTrue(new Context(null, o, o, Map.of("TARN_TTY", "1")).interactiveStderr());
        assertTrue(!new Context(null, o, o, Map.of("TARN_TTY", "0")).interactiveStderr());
        assertTrue(
                !new Context(null, o, o, Map.of("TARN_TTY", "0", "TERM", "xterm"))
                        .interactiveStderr());
        // Under the test runner there is no console: no progress without the launcher's word.
        assertTrue(!new Context(null, o, o, Map.of("TERM", "xterm")).interactiveStderr());
        // An ingest with the flag off writes nothing to stderr.
        CliRunner.Result r = lake.run("ingest", "raw/clicks", file.toString(), "--force");
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.stderr());
    }

    /** An RFC 4180 reader, to check what we write. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(f.toString());
                f.setLength(0);
            } else if (c == '\n') {
                row.add(f.toString());
                f.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                f.append(c);
            }
        }
        assertTrue(row.isEmpty() && f.length() == 0, "ends with a newline");
        for (List<String> r : rows) {
            assertEquals(
                    rows.get(0).size(), r.size(), "every row has the header's field count: " + r);
        }
        return rows;
    }

    static Map<String, String> zip(List<String> header, List<String> row) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            m.put(header.get(i), row.get(i));
        }
        return m;
    }

    static List<String> fieldNames(JsonNode o) {
        List<String> l = new ArrayList<>();
        o.fieldNames().forEachRemaining(l::add);
        return l;
    }
}
