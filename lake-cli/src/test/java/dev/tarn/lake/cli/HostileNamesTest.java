package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile names are refused with exit 2 (invalid) or 1 (unknown zone), one clear line on stderr,
 * and the lake's files exactly as they were: same paths, sizes, hashes and modification times; and
 * no lake directory created.
 */
class HostileNamesTest {
    static final String LONG = "x".repeat(200);

    /** Dataset arguments that must never reach the disk. */
    static Stream<String> hostileDatasets() {
        return Stream.of(
                "../etc",
                "raw/../../etc",
                "RAW/x",
                "raw/X",
                "a/b",
                "a/b/c",
                "",
                "/",
                "raw/",
                "/raw/x",
                LONG,
                "raw/" + LONG,
                LONG + "/x",
                "_tarn",
                "_tarn/x",
                "raw/_tarn",
                "raw/.hidden",
                "raw/..",
                "raw/x y",
                "raw/x\ny",
                "raw/con",
                "raw\\x",
                "raw/ü",
                "..",
                ".");
    }

    /** Zone names that are invalid outright. */
    static Stream<String> hostileZones() {
        return Stream.of("../etc", "RAW", "a/b", "", LONG, "_tarn", ".tmp", "x y", "con", "-x");
    }

    @TempDir Path dir;
    CliRunner lake;
    Path file;

    @BeforeEach
    void setUp() throws Exception {
        lake = new CliRunner(dir.resolve("lake"));
        file = dir.resolve("events.ndjson");
        Files.writeString(file, "{\"a\":1}\n");
    }

    private void existingLake() {
        assertEquals(0, lake.run("ingest", "raw/clicks", file.toString()).code());
        assertEquals(0, lake.run("dataset", "set", "raw/clicks", "--owner", "web").code());
    }

    /** Runs the command and checks refusal, message, and an unchanged lake. */
    private CliRunner.Result refused(String... args) {
        Map<String, String> before = CliRunner.snapshot(dir);
        CliRunner.Result r = lake.run(args);
        Map<String, String> after = CliRunner.snapshot(dir);
        assertTrue(r.code() == 2 || r.code() == 1, () -> "refused: " + List.of(args) + "\n" + r);
        assertEquals(before, after, () -> "files changed by " + List.of(args));
        assertEquals(0, r.stdout().length, r::toString);
        assertTrue(r.stderr().startsWith("lake: "), r::toString);
        assertTrue(r.stderr().endsWith("\n"), r::toString);
        assertEquals(1, r.stderr().lines().count(), () -> "one line: " + r.stderr());
        assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), r::toString);
        return r;
    }

    @ParameterizedTest
    @MethodSource("hostileDatasets")
    void ingestRefusesHostileDatasetsInAnExistingLake(String name) {
        existingLake();
        refused("ingest", name, file.toString());
    }

    @ParameterizedTest
    @MethodSource("hostileDatasets")
    void ingestRefusesHostileDatasetsWithoutCreatingALake(String name) {
        refused("ingest", name, file.toString());
        assertFalse(Files.exists(lake.lake()), "no lake directory created for " + name);
    }

    @ParameterizedTest
    @MethodSource("hostileDatasets")
    void readAndUpdateCommandsRefuseHostileDatasets(String name) {
        existingLake();
        refused("ls", name);
        refused("describe", name);
        refused("cat", name + "/events.ndjson");
        refused("dataset", "set", name, "--owner", "x");
        refused("ingest", "raw/clicks", file.toString(), "--partition", name + "=1");
    }

    @ParameterizedTest
    @MethodSource("hostileZones")
    void invalidZoneNamesAreUsageErrors(String zone) {
        existingLake();
        CliRunner.Result r = refused("zone", "create", zone);
        assertEquals(2, r.code(), r::toString);
        assertEquals(2, refused("ingest", zone + "/x", file.toString()).code());
        assertEquals(2, refused("ls", zone + "/x").code());
        // A new lake with a hostile zone is not created at all.
        CliRunner fresh = new CliRunner(dir.resolve("fresh"));
        CliRunner.Result init = fresh.run("init", "--zones", "raw," + zone);
        assertEquals(2, init.code(), init::toString);
        assertFalse(Files.exists(dir.resolve("fresh")));
    }

    @Test
    void theIssuesNamesAreInvalidNamesWithExitTwoAndSayWhatIsAllowed() {
        existingLake();
        for (String name : List.of("../etc", "RAW/x", "a/b/c", "", LONG, "_tarn/x", "raw/_tarn")) {
            CliRunner.Result r = refused("ingest", name, file.toString());
            assertEquals(2, r.code(), r::toString);
            assertTrue(
                    r.stderr().contains("ZONE/DATASET") || r.stderr().contains("allowed"),
                    r::toString);
        }
        CliRunner.Result upper = refused("ingest", "RAW/x", file.toString());
        assertTrue(upper.stderr().contains("did you mean 'raw'"), upper::toString);
    }

    @Test
    void unknownZoneIsExitOneAndListsTheZones() {
        existingLake();
        for (String[] args :
                List.of(
                        new String[] {"ingest", "a/b", file.toString()},
                        new String[] {"ls", "nope"},
                        new String[] {"ls", "nope/x"},
                        new String[] {"describe", "nope/x"})) {
            CliRunner.Result r = refused(args);
            assertEquals(1, r.code(), r::toString);
            assertTrue(r.stderr().contains("raw, processed, analytics"), r::toString);
        }
    }

    @Test
    void hostilePartitionValuesAndMetaKeysAreRefused() {
        existingLake();
        List<String> bad =
                new ArrayList<>(
                        List.of(
                                "day=../x",
                                "day=",
                                "day=a/b",
                                "=x",
                                "day",
                                "Day=1",
                                "_tarn=1",
                                "day=" + "1".repeat(200),
                                "day=.x"));
        for (String p : bad) {
            CliRunner.Result r = refused("ingest", "raw/clicks", file.toString(), "--partition", p);
            assertEquals(2, r.code(), () -> p + "\n" + r);
        }
        assertEquals(
                2, refused("ingest", "raw/clicks", file.toString(), "--meta", "novalue").code());
        assertEquals(2, refused("ingest", "raw/clicks", file.toString(), "--meta", "=v").code());
    }
}
