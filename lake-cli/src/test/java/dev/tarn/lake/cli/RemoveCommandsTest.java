package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, acceptance 1 through the CLI: lake rm, drop and purge on a real lake directory. */
class RemoveCommandsTest {
    @TempDir Path dir;
    CliRunner lake;

    @BeforeEach
    void setUp() throws Exception {
        lake = new CliRunner(dir.resolve("lake"));
        Files.writeString(dir.resolve("a.csv"), "id,v\n1,a\n");
        Files.writeString(dir.resolve("b.csv"), "id,v\n2,b\n");
        Files.writeString(dir.resolve("o.csv"), "id,v\n3,o\n");
        ok(
                "ingest",
                "raw/clicks",
                dir.resolve("a.csv").toString(),
                dir.resolve("b.csv").toString());
        ok("ingest", "raw/old", dir.resolve("o.csv").toString());
    }

    CliRunner.Result ok(String... args) {
        CliRunner.Result r = lake.run(args);
        assertEquals(0, r.code(), r.toString());
        return r;
    }

    /**
     * The lake's data files (not its catalog bookkeeping), path to size, hash and modification
     * time.
     */
    Map<String, String> dataFiles() {
        Map<String, String> m = new TreeMap<>(CliRunner.snapshot(lake.lake()));
        m.keySet().removeIf(k -> k.endsWith("/") || k.startsWith("_tarn"));
        return m;
    }

    long version() {
        return ok("history", "--limit", "1", "-o", "json").json().get(0).get("version").asLong();
    }

    String keyOf(String dataset, String name) {
        for (JsonNode o : ok("ls", dataset, "-o", "json").json()) {
            if (o.get("path").asText().endsWith("/" + name)) {
                return o.get("key").asText();
            }
        }
        throw new AssertionError(name + " not in " + dataset);
    }

    @Test
    void rmDropAndPurgeKeepEarlierVersionsReadableUntilPurgeDeletesExactlyTheirBytes() {
        String a = keyOf("raw/clicks", "a.csv");
        String o = keyOf("raw/old", "o.csv");
        long before = version();

        JsonNode rm = ok("rm", "raw/clicks/a.csv", "--reason", "wrong export", "-o", "json").json();
        assertEquals("raw/clicks", rm.get("dataset").asText());
        assertEquals(before + 1, rm.get("version").asLong());
        assertEquals(1, rm.get("count").asLong());
        assertTrue(rm.get("objects").isArray());
        assertEquals(a, rm.get("objects").get(0).get("key").asText());
        assertEquals(1, ok("ls", "raw/clicks", "-o", "json").json().size());
        assertEquals(
                2,
                ok("ls", "raw/clicks", "--as-of", Long.toString(before), "-o", "json")
                        .json()
                        .size());
        assertEquals(
                "id,v\n1,a\n",
                ok("cat", "raw/clicks/a.csv", "--as-of", Long.toString(before)).out());
        assertEquals(1, lake.run("cat", "raw/clicks/a.csv").code());

        JsonNode drop = ok("drop", "raw/old", "--reason", "obsolete", "-o", "json").json();
        assertEquals("objects", drop.get("kind").asText());
        assertEquals(1, drop.get("objects").asLong());
        assertFalse(drop.get("forced").asBoolean());
        assertTrue(ok("ls", "raw").out().contains("clicks"));
        assertFalse(ok("ls", "raw").out().contains("old"));
        assertEquals(
                "id,v\n3,o\n", ok("cat", "raw/old/o.csv", "--as-of", Long.toString(before)).out());

        // Who and why, in the catalog's history.
        JsonNode history = ok("history", "--limit", "2", "-o", "json").json();
        assertEquals("drop-dataset", history.get(0).get("operation").asText());
        assertEquals("obsolete", history.get(0).get("parameters").get("reason").asText());
        assertEquals("remove", history.get(1).get("operation").asText());
        assertEquals("wrong export", history.get(1).get("parameters").get("reason").asText());
        assertEquals(System.getProperty("user.name"), history.get(1).get("user").asText());
        assertTrue(ok("history").out().contains("reason=wrong export"));

        // Within the default retention (7d) nothing is purged.
        Map<String, String> files = dataFiles();
        JsonNode none = ok("purge", "-o", "json").json();
        assertEquals(0, none.get("count").asLong());
        assertTrue(none.get("version").isNull());
        assertEquals(files, dataFiles());

        JsonNode dry = ok("purge", "--older-than", "0s", "--dry-run", "-o", "json").json();
        assertTrue(dry.get("dryRun").asBoolean());
        assertEquals(0, dry.get("retentionSeconds").asLong());
        List<String> keys = new ArrayList<>();
        dry.get("objects").forEach(x -> keys.add(x.get("key").asText()));
        assertEquals(List.of(a, o), keys);
        assertEquals(18, dry.get("bytes").asLong());
        assertEquals(files, dataFiles());

        assertEquals(
                "key,size,dataset,reason\n"
                        + a
                        + ",9,raw/clicks,object removed in catalog version "
                        + (before + 1)
                        + "\n"
                        + o
                        + ",9,raw/old,dataset dropped in catalog version "
                        + (before + 2)
                        + "\n",
                ok("purge", "--older-than", "0s", "--dry-run", "-o", "csv").out());
        CliRunner.Result purged = ok("purge", "--older-than", "0s", "--reason", "gdpr");
        assertTrue(
                purged.out().startsWith("deleted 2 stored object(s), 18 B (retention 0s)"),
                purged.out());
        Map<String, String> expected = new TreeMap<>(files);
        expected.remove(a);
        expected.remove(o);
        assertEquals(expected, dataFiles());
        JsonNode p = ok("history", "--limit", "1", "-o", "json").json().get(0);
        assertEquals("purge", p.get("operation").asText());
        assertEquals("gdpr", p.get("parameters").get("reason").asText());

        CliRunner.Result gone =
                lake.run("cat", "raw/clicks/a.csv", "--as-of", Long.toString(before));
        assertEquals(1, gone.code());
        assertTrue(gone.stderr().contains("'lake purge' has deleted its bytes"), gone.stderr());
        assertEquals("id,v\n2,b\n", ok("cat", "raw/clicks/b.csv").out());
        assertEquals(0, lake.run("doctor").code());
    }

    @Test
    void missingObjectsAndDatasetsFailWithTheLakeUnchanged() {
        Map<String, String> all = CliRunner.snapshot(lake.lake());
        CliRunner.Result rm = lake.run("rm", "raw/clicks/a.csv", "raw/clicks/nope.csv");
        assertEquals(1, rm.code(), rm.toString());
        assertTrue(
                rm.stderr()
                        .startsWith(
                                "lake: no object 'nope.csv' in raw/clicks; nothing was removed"),
                rm.stderr());
        CliRunner.Result drop = lake.run("drop", "raw/never");
        assertEquals(1, drop.code(), drop.toString());
        assertTrue(drop.stderr().contains("no dataset raw/never"), drop.stderr());
        assertEquals(1, lake.run("rm", "nozone/x/a.csv").code());
        assertEquals(all, CliRunner.snapshot(lake.lake()));

        assertEquals(2, lake.run("rm").code());
        assertEquals(2, lake.run("rm", "raw/clicks").code());
        assertEquals(2, lake.run("rm", "raw/clicks/a.csv", "raw/old/o.csv").code());
        assertEquals(2, lake.run("drop").code());
        assertEquals(2, lake.run("purge", "--older-than", "7 days").code());
        assertEquals(2, lake.run("rm", "raw/clicks/a.csv", "--reason", " ").code());
        assertEquals(all, CliRunner.snapshot(lake.lake()));

        ok("drop", "raw/old");
        CliRunner.Result again = lake.run("drop", "raw/old");
        assertEquals(1, again.code());
        assertTrue(again.stderr().contains("was dropped in catalog version"), again.stderr());
    }

    @Test
    void dropRefusesADatasetATablesLineageReadsUnlessForced() {
        ok("convert", "raw/clicks", "processed/clicks");
        Map<String, String> all = CliRunner.snapshot(lake.lake());
        CliRunner.Result refused = lake.run("drop", "raw/clicks", "--reason", "cleanup");
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(
                refused.stderr().contains("processed/clicks")
                        && refused.stderr().contains("--force")
                        && !refused.stderr().contains("Drop.force"),
                refused.stderr());
        assertEquals(all, CliRunner.snapshot(lake.lake()));

        JsonNode forced =
                ok("drop", "raw/clicks", "--force", "--reason", "retired", "-o", "json").json();
        assertTrue(forced.get("forced").asBoolean());
        assertTrue(
                forced.get("readers").get(0).asText().startsWith("processed/clicks"),
                forced.toString());
        JsonNode h = ok("history", "--limit", "1", "-o", "json").json().get(0);
        assertEquals("true", h.get("parameters").get("force").asText());
        assertEquals("retired", h.get("parameters").get("reason").asText());

        // A table is dropped the same way; its files go with the next purge past the retention.
        Map<String, String> files = dataFiles();
        ok("drop", "processed/clicks", "--reason", "rebuilt");
        assertTrue(ok("ls", "processed").out().startsWith("no datasets in zone processed"));
        assertEquals(1, lake.run("sql", "SELECT * FROM processed.clicks").code());
        ok("purge", "--older-than", "0s");
        Map<String, String> expected = new TreeMap<>(files);
        expected.keySet()
                .removeIf(k -> k.startsWith("processed/clicks/") || k.startsWith("raw/clicks/"));
        assertEquals(expected, dataFiles());
    }

    @Test
    void purgeOnAnEmptyLakeDeletesAndRecordsNothing() {
        CliRunner empty = new CliRunner(dir.resolve("empty"));
        assertEquals(0, empty.run("init").code());
        Map<String, String> all = CliRunner.snapshot(empty.lake());
        CliRunner.Result r = empty.run("purge", "--older-than", "0s", "-o", "json");
        assertEquals(0, r.code(), r.toString());
        assertEquals(0, r.json().get("count").asLong());
        assertEquals(0, r.json().get("objects").size());
        assertEquals(all, CliRunner.snapshot(empty.lake()));
        CliRunner.Result text = empty.run("purge");
        assertEquals("deleted 0 stored object(s), 0 B (retention 7d)\n", text.out());
    }
}
