package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doctor's exit codes and report; zone create; dataset set. */
class DoctorAndZonesTest {
    @TempDir Path dir;
    CliRunner lake;
    Path file;
    Path stored;

    @BeforeEach
    void setUp() throws Exception {
        lake = new CliRunner(dir.resolve("lake"));
        file = dir.resolve("events.ndjson");
        Files.writeString(file, "{\"a\":1}\n");
        CliRunner.Result r = lake.run("ingest", "raw/clicks", file.toString(), "-o", "json");
        assertEquals(0, r.code(), r::toString);
        stored = lake.lake().resolve(r.json().get("objects").get(0).get("key").asText());
        assertTrue(Files.isRegularFile(stored), stored::toString);
    }

    @Test
    void cleanLakeExitsZero() {
        CliRunner.Result r = lake.run("doctor");
        assertEquals(0, r.code(), r::toString);
        assertTrue(
                r.out().contains("checked 1 objects against catalog version 1: clean"),
                r::toString);
        JsonNode j = lake.run("doctor", "-o", "json").json();
        assertTrue(j.get("clean").asBoolean());
        assertEquals(1, j.get("catalogVersion").asLong());
        assertEquals(1, j.get("objectsChecked").asLong());
        assertEquals(0, j.get("findings").size());
        assertEquals("kind,key,detail,repaired\n", lake.run("doctor", "-o", "csv").out());
    }

    @Test
    void changedBytesExitOneAndNoVerifyChecksSizesOnly() throws Exception {
        Files.writeString(stored, "{\"a\":2}\n"); // same size, other bytes
        CliRunner.Result r = lake.run("doctor", "--output", "json");
        assertEquals(1, r.code(), r::toString);
        JsonNode j = r.json();
        assertFalse(j.get("clean").asBoolean());
        JsonNode f = j.get("findings").get(0);
        assertEquals("checksum_mismatch", f.get("kind").asText());
        assertEquals(
                "raw/clicks/"
                        + lake.lake()
                                .relativize(stored)
                                .toString()
                                .substring("raw/clicks/".length()),
                f.get("key").asText());
        assertFalse(f.get("repaired").asBoolean());
        assertTrue(f.get("detail").asText().length() > 10);

        assertEquals(0, lake.run("doctor", "--no-verify").code(), "sizes still agree");

        Files.writeString(stored, "longer than before\n");
        CliRunner.Result t = lake.run("doctor", "--no-verify");
        assertEquals(1, t.code(), t::toString);
        assertTrue(t.out().contains("size_mismatch"), t::toString);
        assertTrue(t.out().contains("1 problem remains"), t::toString);
    }

    @Test
    void unreferencedObjectIsRepairedAfterTheGracePeriod() throws Exception {
        Path orphan = stored.getParent().resolve("orphan.bin");
        Files.write(orphan, new byte[] {1, 2, 3});
        CliRunner.Result check = lake.run("doctor", "-o", "json");
        assertEquals(1, check.code(), check::toString);
        assertEquals(
                "unreferenced_object", check.json().get("findings").get(0).get("kind").asText());

        // Within the default grace period (1h) a repair leaves it: an ingest may still be
        // committing it.
        CliRunner.Result young = lake.run("doctor", "--repair");
        assertEquals(1, young.code(), young::toString);
        assertTrue(Files.exists(orphan));

        CliRunner.Result repaired = lake.run("doctor", "--repair", "--grace", "0s", "-o", "json");
        assertEquals(0, repaired.code(), repaired::toString);
        assertTrue(repaired.json().get("clean").asBoolean());
        assertTrue(repaired.json().get("repair").asBoolean());
        assertTrue(repaired.json().get("findings").get(0).get("repaired").asBoolean());
        assertFalse(Files.exists(orphan));
        assertEquals(0, lake.run("doctor").code());
    }

    @Test
    void missingObjectExitsOne() throws Exception {
        Files.delete(stored);
        CliRunner.Result r = lake.run("doctor", "--output", "csv");
        assertEquals(1, r.code(), r::toString);
        assertTrue(
                r.out()
                        .lines()
                        .skip(1)
                        .findFirst()
                        .orElseThrow()
                        .startsWith("missing_object,raw/clicks/"),
                r::toString);
        CliRunner.Result cat = lake.run("cat", "raw/clicks/events.ndjson");
        assertEquals(1, cat.code(), cat::toString);
        assertTrue(cat.stderr().startsWith("lake: "), cat::toString);
    }

    @Test
    void zoneCreateThenIngestIntoIt() {
        CliRunner.Result z =
                lake.run("zone", "create", "ml", "--description", "features", "-o", "json");
        assertEquals(0, z.code(), z::toString);
        assertEquals("ml", z.json().get("zone").asText());
        assertEquals("features", z.json().get("description").asText());
        assertEquals(0, lake.run("ingest", "ml/features", file.toString()).code());
        JsonNode zones = lake.run("ls", "-o", "json").json();
        assertEquals(
                List.of("raw", "processed", "analytics", "ml"), zones.findValuesAsText("zone"));
        assertEquals(1, zones.get(3).get("datasets").asInt());

        CliRunner.Result again = lake.run("zone", "create", "ml");
        assertEquals(1, again.code(), again::toString);
        assertTrue(again.stderr().contains("already exists"), again::toString);
        CliRunner.Result plain = lake.run("zone", "create", "archive");
        assertEquals("created zone archive\n", plain.out());
    }

    @Test
    void datasetSetChangesPropertiesOfExistingDatasetsOnly() {
        CliRunner.Result r =
                lake.run(
                        "dataset",
                        "set",
                        "raw/clicks",
                        "--owner",
                        "web-team",
                        "--description",
                        "click events",
                        "--tag",
                        "pii=no",
                        "-o",
                        "json");
        assertEquals(0, r.code(), r::toString);
        assertEquals("web-team", r.json().get("owner").asText());
        JsonNode d = lake.run("ls", "raw", "-o", "json").json().get(0);
        assertEquals("web-team", d.get("owner").asText());
        assertEquals("click events", d.get("description").asText());
        assertEquals("no", d.get("tags").get("pii").asText());

        CliRunner.Result missing = lake.run("dataset", "set", "raw/nope", "--owner", "x");
        assertEquals(1, missing.code(), missing::toString);
        assertTrue(missing.stderr().contains("no dataset raw/nope"), missing::toString);
        CliRunner.Result unknownZone = lake.run("dataset", "set", "ml/x", "--owner", "x");
        assertEquals(1, unknownZone.code());
        assertTrue(
                unknownZone.stderr().contains("raw, processed, analytics"), unknownZone::toString);
        CliRunner.Result describeMissing = lake.run("describe", "raw/nope");
        assertEquals(1, describeMissing.code());
        assertTrue(
                describeMissing.stderr().contains("no dataset raw/nope"),
                describeMissing::toString);
    }

    @Test
    void ambiguousOrUnknownObjectRefsFail() throws Exception {
        Path other = dir.resolve("x");
        Files.createDirectories(other);
        Files.writeString(other.resolve("events.ndjson"), "{\"a\":3}\n");
        assertEquals(
                0,
                lake.run(
                                "ingest",
                                "raw/clicks",
                                other.resolve("events.ndjson").toString(),
                                "--partition",
                                "day=2")
                        .code());
        CliRunner.Result r = lake.run("cat", "raw/clicks/events.ndjson");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.stderr().contains("give the full path"), r::toString);
        assertEquals("{\"a\":3}\n", lake.run("cat", "raw/clicks/day=2/events.ndjson").out());
        assertEquals(1, lake.run("cat", "raw/clicks/nothing.csv").code());
    }
}
