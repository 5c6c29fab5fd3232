package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault injection on the catalog, through the CLI: for each of (remove, truncate, garble) × (a
 * catalog entry in the middle, above and below the newest checkpoint; the newest entry; the newest
 * checkpoint; {@code _last_checkpoint}; a raw object), every reader command answers as before the
 * fault or fails with exit 1 naming the damage, never answers otherwise with exit 0; the doctor
 * reports the fault; {@code --repair} keeps every byte any catalog line referenced; and afterwards
 * readers answer, an ingest commits the next version and a re-ingest is a duplicate.
 *
 * <p>The lake: checkpoint interval 3, entry 0 creating it and eight ingests alternating {@code
 * raw/a} and {@code raw/b} ({@code raw/b} created by entry 2), so checkpoints 3 and 6 exist and the
 * hint names 6.
 */
class CatalogFaultMatrixTest {
    enum Target {
        ENTRY_ABOVE_CHECKPOINT,
        ENTRY_BELOW_CHECKPOINT,
        NEWEST_ENTRY,
        CHECKPOINT,
        LAST_CHECKPOINT,
        RAW_OBJECT
    }

    enum Mode {
        REMOVE,
        TRUNCATE,
        GARBLE
    }

    @TempDir static Path shared;
    static Path base;

    /** The readers' answers before any fault, by command. */
    static Map<String, CliRunner.Result> truth;

    static String rawKey;

    static final List<List<String>> READERS =
            List.of(
                    List.of("ls", "raw/a", "-o", "json"),
                    List.of("ls", "raw/b", "-o", "json"),
                    List.of("ls", "-o", "json"),
                    List.of("describe", "raw/b", "-o", "json"),
                    List.of("cat", "raw/b/two.ndjson"),
                    List.of("sql", "SELECT count(*) AS n FROM raw.b", "-o", "csv"));

    @BeforeAll
    static void buildLake() throws Exception {
        base = shared.resolve("base");
        try (Lake lake = Lake.builder().location(base).checkpointInterval(3).open()) {
            for (int i = 1; i <= 8; i++) {
                DatasetId ds = DatasetId.parse(i % 2 == 1 ? "raw/a" : "raw/b");
                String name = i == 2 ? "two.ndjson" : "o" + i + ".ndjson";
                lake.ingest(ds)
                        .bytes(("{\"n\":" + i + "}\n{\"n\":" + (i * 10) + "}\n").getBytes(), name)
                        .commit();
            }
        }
        assertTrue(
                Files.exists(
                        base.resolve("_tarn/catalog/checkpoints/00000000000000000006.ndjson")));
        truth = answers(new CliRunner(base));
        for (JsonNode o : new CliRunner(base).run("ls", "raw/b", "-o", "json").json()) {
            if (o.get("key").asText().endsWith("/two.ndjson")) {
                rawKey = o.get("key").asText();
            }
        }
        assertNotNull(rawKey);
    }

    static Map<String, CliRunner.Result> answers(CliRunner cli) {
        Map<String, CliRunner.Result> out = new LinkedHashMap<>();
        for (List<String> r : READERS) {
            CliRunner.Result res = cli.run(r.toArray(String[]::new));
            out.put(String.join(" ", r), res);
        }
        return out;
    }

    static Stream<Arguments> faults() {
        List<Arguments> out = new ArrayList<>();
        for (Target t : Target.values()) {
            for (Mode m : Mode.values()) {
                out.add(Arguments.of(t, m));
            }
        }
        return out.stream();
    }

    static String fileOf(Target t) {
        return switch (t) {
            case ENTRY_ABOVE_CHECKPOINT -> "_tarn/catalog/log/00000000000000000007.json";
            case ENTRY_BELOW_CHECKPOINT -> "_tarn/catalog/log/00000000000000000002.json";
            case NEWEST_ENTRY -> "_tarn/catalog/log/00000000000000000008.json";
            case CHECKPOINT -> "_tarn/catalog/checkpoints/00000000000000000006.ndjson";
            case LAST_CHECKPOINT -> "_tarn/catalog/_last_checkpoint";
            case RAW_OBJECT -> rawKey;
        };
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("faults")
    void aFaultIsRefusedOrAnsweredRightReportedAndRepairedWithoutLosingBytes(
            Target target, Mode mode) throws Exception {
        Path lakeDir = shared.resolve(target + "-" + mode);
        copyTree(base, lakeDir);
        CliRunner cli = new CliRunner(lakeDir);
        Map<String, byte[]> referenced = referencedBytes(lakeDir);
        String file = fileOf(target);
        inject(lakeDir.resolve(file), mode);

        // 1. Readers: the right answer, or exit 1 naming the damage.
        boolean mustRefuse =
                target == Target.ENTRY_ABOVE_CHECKPOINT || target == Target.NEWEST_ENTRY;
        for (List<String> r : READERS) {
            String cmd = String.join(" ", r);
            CliRunner.Result got = cli.run(r.toArray(String[]::new));
            Map<String, CliRunner.Result> expected = truth;
            if (got.code() == 0) {
                assertFalse(mustRefuse, cmd + " answered a damaged log: " + got);
                assertEquals(
                        expected.get(cmd).out(),
                        got.out(),
                        cmd + " answered otherwise with exit 0");
            } else {
                assertEquals(1, got.code(), cmd + ": " + got);
                String name = file.substring(file.lastIndexOf('/') + 1);
                assertTrue(
                        got.stderr().contains(name), cmd + " does not name " + name + ": " + got);
            }
        }

        // 1b. Convert, a writer that reads raw objects: refuses naming the damage, or converts
        // every row once.
        CliRunner.Result convert = cli.run("convert", "raw/b", "processed/b", "-o", "json");
        if (convert.code() == 0) {
            assertFalse(mustRefuse, "convert wrote over a damaged log: " + convert);
            assertTableHoldsEveryRawRowOnce(cli);
        } else {
            assertEquals(1, convert.code(), convert::toString);
            String name = file.substring(file.lastIndexOf('/') + 1);
            // a damaged log or a missing or cut object is named; bytes garbled at the same size are
            // bad records,
            // which fail the run's error budget with nothing written and are kept in a quarantine
            // the error names
            assertTrue(
                    convert.stderr().contains(name)
                            || (target == Target.RAW_OBJECT
                                    && mode == Mode.GARBLE
                                    && convert.stderr().contains("no output was written")
                                    && convert.stderr().contains("_quarantine/")),
                    "convert does not name " + name + ": " + convert);
        }

        // 2. The doctor reports it.
        CliRunner.Result doctor = cli.run("doctor", "-o", "json");
        assertEquals(1, doctor.code(), doctor::toString);
        String reportedKey = file;
        assertTrue(
                keys(doctor.json()).contains(reportedKey),
                "doctor does not name " + reportedKey + ": " + doctor);

        // 3. The repair keeps every byte that any catalog line referenced before the fault.
        CliRunner.Result repair = cli.run("doctor", "--repair", "-o", "json");
        assertTrue(repair.code() == 0 || repair.code() == 1, repair::toString);
        for (Map.Entry<String, byte[]> e : referenced.entrySet()) {
            if (target == Target.RAW_OBJECT && e.getKey().equals(file)) {
                continue; // the fault itself
            }
            Path p = lakeDir.resolve(e.getKey());
            assertTrue(Files.exists(p), e.getKey() + " removed by the repair: " + repair);
            assertArrayEquals(e.getValue(), Files.readAllBytes(p), e.getKey());
        }
        if (target == Target.RAW_OBJECT) {
            CliRunner.Result after = cli.run("doctor", "-o", "json");
            assertEquals(1, after.code(), "damaged bytes are reported until re-ingested: " + after);
            return;
        }

        // 4. After the repair readers answer, with every object the lake had.
        CliRunner.Result count = cli.run("sql", "SELECT count(*) AS n FROM raw.b", "-o", "csv");
        assertEquals(0, count.code(), count::toString);
        assertEquals(truth.get("sql SELECT count(*) AS n FROM raw.b -o csv").out(), count.out());
        CliRunner.Result ls = cli.run("ls", "-o", "json");
        assertEquals(0, ls.code(), ls::toString);
        // convert after the repair: every raw row in the table once, and a second run converts
        // nothing
        CliRunner.Result converted = cli.run("convert", "raw/b", "processed/b", "-o", "json");
        assertEquals(0, converted.code(), converted::toString);
        assertTableHoldsEveryRawRowOnce(cli);
        CliRunner.Result second = cli.run("convert", "raw/b", "processed/b", "-o", "json");
        assertEquals(0, second.code(), second::toString);
        assertFalse(second.json().get("converted").asBoolean(), second::toString);
        assertTableHoldsEveryRawRowOnce(cli);
        CliRunner.Result doctorAfter = cli.run("doctor", "-o", "json");
        assertEquals(
                0,
                doctorAfter.code(),
                "clean after the repair: " + doctorAfter + "\nrepair: " + repair);

        // 5. Ingest goes on after the log: contiguous versions, and the same bytes again are a
        // duplicate.
        Path again = lakeDir.resolveSibling(target + "-" + mode + "-two.ndjson");
        Files.write(again, "{\"n\":2}\n{\"n\":20}\n".getBytes(StandardCharsets.UTF_8));
        CliRunner.Result dup = cli.run("ingest", "raw/b", again.toString(), "-o", "json");
        assertEquals(0, dup.code(), dup::toString);
        assertEquals(
                "duplicate",
                dup.json().get("objects").get(0).get("status").asText(),
                dup::toString);
        Path fresh = lakeDir.resolveSibling(target + "-" + mode + "-new.ndjson");
        Files.write(fresh, "{\"n\":99}\n".getBytes(StandardCharsets.UTF_8));
        CliRunner.Result ingest = cli.run("ingest", "raw/a", fresh.toString(), "-o", "json");
        assertEquals(0, ingest.code(), ingest::toString);
        List<String> entries;
        try (Stream<Path> s = Files.list(lakeDir.resolve("_tarn/catalog/log"))) {
            entries = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        for (int v = 0; v < entries.size(); v++) {
            assertEquals(
                    String.format("%020d.json", v),
                    entries.get(v),
                    "versions are contiguous: " + entries);
        }
        // the ingest's version is the newest entry (convert registered its table in between)
        assertEquals(ingest.json().get("version").asLong(), entries.size() - 1, ingest::toString);
    }

    static void assertTableHoldsEveryRawRowOnce(CliRunner cli) {
        CliRunner.Result rows =
                cli.run(
                        "sql",
                        "SELECT count(*) AS n, count(DISTINCT n) AS d FROM processed.b",
                        "-o",
                        "csv");
        assertEquals(0, rows.code(), rows::toString);
        CliRunner.Result raw =
                cli.run(
                        "sql",
                        "SELECT count(*) AS n, count(DISTINCT n) AS d FROM raw.b",
                        "-o",
                        "csv");
        assertEquals(raw.out(), rows.out(), "the table holds every raw row once");
    }

    static void inject(Path file, Mode mode) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        switch (mode) {
            case REMOVE -> Files.delete(file);
            case TRUNCATE -> Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
            case GARBLE -> {
                byte[] g = bytes.clone();
                int from = g.length / 2;
                Arrays.fill(g, from, Math.min(g.length, from + 8), (byte) '#');
                Files.write(file, g);
            }
        }
    }

    static List<String> keys(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.get("findings").forEach(f -> out.add(f.get("key").asText()));
        return out;
    }

    /** Every key that an add line of any catalog entry or checkpoint names, with its bytes. */
    static Map<String, byte[]> referencedBytes(Path lake) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        Pattern add =
                Pattern.compile(
                        "\\{\"add\":\\{\"zone\":\"([^\"]+)\",\"dataset\":\"([^\"]+)\",\"path\":\"([^\"]+)\"");
        try (Stream<Path> files = Files.walk(lake.resolve("_tarn/catalog"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Matcher m = add.matcher(Files.readString(f));
                while (m.find()) {
                    String key = m.group(1) + "/" + m.group(2) + "/" + m.group(3);
                    out.put(key, Files.readAllBytes(lake.resolve(key)));
                }
            }
        }
        return out;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
