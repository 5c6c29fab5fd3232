package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lake events}: text and NDJSON, resuming from printed positions, filters, times. */
class EventsCommandTest {
    @TempDir Path dir;

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static List<JsonNode> ndjson(CliRunner.Result r) throws Exception {
        assertEquals(0, r.code(), r.toString());
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.out().lines().toList()) {
            out.add(CliRunner.JSON.readTree(line));
        }
        return out;
    }

    /** The last position of each source, as a script resuming would write it. */
    private static String cursor(List<JsonNode> events) {
        Map<String, String> last = new LinkedHashMap<>();
        events.forEach(e -> last.put(e.get("source").asText(), e.get("position").asText()));
        return String.join(",", last.values());
    }

    @Test
    void printsEachCommitOnceAndResumesFromThePrintedPositions() throws Exception {
        CliRunner lake = new CliRunner(dir.resolve("lake"));
        assertEquals(0, lake.run("init").code());
        Path a = file("a.ndjson", "{\"id\":1,\"kind\":\"x\"}\n{\"id\":2,\"kind\":\"y\"}\n");
        assertEquals(0, lake.run("ingest", "raw/clicks", a.toString()).code());
        assertEquals(0, lake.run("convert", "raw/clicks", "processed/clicks").code());

        CliRunner.Result text = lake.run("events");
        assertEquals(0, text.code(), text.toString());
        List<String> lines = text.out().lines().toList();
        assertEquals(5, lines.size(), text.out());
        assertTrue(lines.get(1).contains("catalog@1  ingest  raw/clicks  by "), lines.get(1));
        assertTrue(lines.get(1).endsWith("+1 -0"), lines.get(1));
        assertTrue(
                text.out().contains("processed/clicks@1  append  by ")
                        && text.out().contains("processed/clicks@0  create-table"),
                text.out());

        List<JsonNode> first = ndjson(lake.run("events", "-o", "json"));
        assertEquals(5, first.size());
        String since = cursor(first);
        assertEquals("catalog@2,processed/clicks@1", since);
        assertEquals("", lake.run("events", "--since", since).out());

        Path b = file("b.ndjson", "{\"id\":3,\"kind\":\"x\"}\n");
        assertEquals(0, lake.run("ingest", "raw/clicks", b.toString()).code());
        assertEquals(0, lake.run("convert", "raw/clicks", "processed/clicks").code());
        List<JsonNode> next = ndjson(lake.run("events", "--since", since, "-o", "json"));
        assertEquals(
                List.of("catalog@3", "processed/clicks@2"),
                next.stream().map(e -> e.get("position").asText()).toList());
        JsonNode append = next.get(1);
        assertEquals("append", append.get("operation").asText());
        assertEquals(1, append.get("metrics").get("numOutputRows").asLong());
        assertEquals(
                "raw/clicks/" + b.getFileName().toString(),
                next.get(0).get("added").get(0).asText().replaceAll("ingest_date=[^/]*/", ""));

        // a filter: the table's own commits and the catalog's commits that touch it
        List<JsonNode> table =
                ndjson(lake.run("events", "--dataset", "processed/clicks", "-o", "json"));
        assertEquals(
                List.of(
                        "catalog@2",
                        "processed/clicks@0",
                        "processed/clicks@1",
                        "processed/clicks@2"),
                table.stream().map(e -> e.get("position").asText()).toList());
        // a duration back from now covers them all; a time in the future none
        assertEquals(7, ndjson(lake.run("events", "--since", "1h", "-o", "json")).size());
        assertEquals("", lake.run("events", "--since", "2999-01-01T00:00:00Z").out());
        CliRunner.Result bad = lake.run("events", "--dataset", "nozone");
        assertEquals(2, bad.code(), bad.toString());
    }
}
