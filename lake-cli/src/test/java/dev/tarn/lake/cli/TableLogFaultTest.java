package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault injection into the Delta side of a lake (the table half of issue 10's acceptance 2): a lake
 * with raw datasets and three tables (one partitioned), each table at version 5 with a checkpoint
 * at version 3 and a checksum file per version. For each fault (remove, truncate, garble) of each
 * part of table processed/b (an entry before the checkpoint, the entry after it with a later one,
 * the newest entry, those two again without their checksum files, the checkpoint, {@code
 * _last_checkpoint}, a data file), through the CLI: every reader answers exactly what it answered
 * before or fails naming the fault, never a wrong answer with exit 0 (the one exception, a newest
 * entry removed with every trace of it, reads as the version before, a commit that never happened);
 * every writer refuses a damaged log; doctor reports the fault; {@code doctor --repair} keeps every
 * byte a log references and rebuilds what the log records elsewhere; {@code convert} afterwards
 * converts nothing twice.
 */
class TableLogFaultTest {
    static Path template;
    static long[] baseline; // count, sum of processed.b at version 5
    static long[] version4; // ... at version 4
    static long[] controlA; // count, sum of processed.a

    enum Target {
        ENTRY_BEFORE_CHECKPOINT,
        ENTRY_MIDDLE,
        ENTRY_NEWEST,
        ENTRY_MIDDLE_NO_CHECKSUM,
        ENTRY_NEWEST_NO_CHECKSUM,
        CHECKPOINT,
        LAST_CHECKPOINT,
        DATA_FILE
    }

    enum Fault {
        REMOVE,
        TRUNCATE,
        GARBLE
    }

    static String rows(int round, String table) {
        StringBuilder b = new StringBuilder();
        for (int i = round * 4; i < round * 4 + 4; i++) {
            b.append("{\"id\":")
                    .append(i)
                    .append(",\"kind\":\"")
                    .append(i % 3 == 0 ? "x" : "y")
                    .append("\",\"n\":")
                    .append(i * 10 + table.length())
                    .append("}\n");
        }
        return b.toString();
    }

    @BeforeAll
    static void buildLake() throws Exception {
        System.setProperty("tarn.table.checkpointInterval", "3");
        template = Files.createTempDirectory("tarn-fault-template");
        CliRunner lake = new CliRunner(template.resolve("lake"));
        for (int round = 0; round < 5; round++) {
            for (String t : List.of("a", "b", "c")) {
                Path f = template.resolve(t + round + ".ndjson");
                Files.writeString(f, rows(round, t));
                assertEquals(0, lake.run("ingest", "raw/" + t, f.toString()).code());
                var c =
                        t.equals("b")
                                ? lake.run(
                                        "convert", "raw/b", "processed/b", "--partition-by", "kind")
                                : lake.run("convert", "raw/" + t, "processed/" + t);
                assertEquals(0, c.code(), c.toString());
            }
        }
        Path log = template.resolve("lake/processed/b/_delta_log");
        assertTrue(Files.exists(log.resolve("00000000000000000005.json")));
        assertTrue(Files.exists(log.resolve("00000000000000000003.checkpoint.parquet")));
        assertTrue(Files.exists(log.resolve("_last_checkpoint")));
        assertTrue(
                Files.exists(log.resolve("00000000000000000005.crc")),
                "a checksum file per version");
        baseline = countSum(lake, "processed.b");
        version4 = countSum(lake, "processed.\"b@4\"");
        controlA = countSum(lake, "processed.a");
        assertEquals(20, baseline[0]);
        assertEquals(16, version4[0]);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        System.clearProperty("tarn.table.checkpointInterval");
        delete(template);
    }

    static long[] countSum(CliRunner lake, String relation) {
        var r = lake.run("sql", "SELECT count(*) AS c, sum(n) AS s FROM " + relation, "-o", "json");
        assertEquals(0, r.code(), r.toString());
        JsonNode row = r.json().get(0);
        return new long[] {row.get("c").asLong(), row.get("s").asLong()};
    }

    static Stream<Arguments> faults() {
        List<Arguments> out = new ArrayList<>();
        for (Target t : Target.values()) {
            for (Fault f : Fault.values()) {
                out.add(Arguments.of(t, f));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("faults")
    void everyReaderIsRightOrNamesTheFault(Target target, Fault fault) throws Exception {
        Path work = Files.createTempDirectory("tarn-fault");
        try {
            copy(template.resolve("lake"), work.resolve("lake"));
            CliRunner lake = new CliRunner(work.resolve("lake"));
            Path table = work.resolve("lake/processed/b");
            Path file = pick(table, target);
            String name = file.getFileName().toString();
            inject(file, fault);
            boolean noChecksum =
                    target == Target.ENTRY_MIDDLE_NO_CHECKSUM
                            || target == Target.ENTRY_NEWEST_NO_CHECKSUM;
            if (noChecksum) {
                // a table written before Tarn wrote checksum files, or one that lost them too
                Files.delete(Path.of(file.toString().replace(".json", ".crc")));
            }
            boolean entry =
                    target.name().startsWith("ENTRY_") && target != Target.ENTRY_BEFORE_CHECKPOINT;
            // The one loss no file of the log witnesses: the newest entry gone with its checksum,
            // and no checkpoint
            // of its version. To Delta and to Tarn that is a commit that never happened: the table
            // reads as the
            // version before (and convert converts that version's objects again, so no row is lost
            // or doubled).
            boolean previousVersion =
                    target == Target.ENTRY_NEWEST_NO_CHECKSUM && fault == Fault.REMOVE;
            // The log readers start from is damaged: they refuse, naming the table and 'lake
            // doctor'.
            boolean refuses = entry && !previousVersion;
            // The lost entry's state is recorded elsewhere (its checksum file): repair rebuilds it
            // exactly.
            boolean rebuildable = refuses && !noChecksum;
            boolean dataFile = target == Target.DATA_FILE;

            var sql =
                    lake.run(
                            "sql",
                            "SELECT count(*) AS c, sum(n) AS s FROM processed.b",
                            "-o",
                            "json");
            var history = lake.run("history", "processed/b", "-o", "json");
            var describe = lake.run("describe", "processed/b", "-o", "json");
            if (refuses) {
                for (var r : List.of(sql, history, describe)) {
                    assertEquals(1, r.code(), r.toString());
                    assertTrue(
                            r.stderr().contains("processed/b")
                                    && r.stderr().contains("lake doctor"),
                            r.stderr());
                }
            } else if (dataFile) {
                assertEquals(
                        1, sql.code(), "a damaged data file is never read as fewer rows: " + sql);
                assertTrue(
                        sql.stderr().contains(name) || sql.stderr().contains("processed/b"),
                        sql.stderr());
                assertEquals(0, history.code(), history.toString());
            } else {
                assertEquals(0, sql.code(), sql.toString());
                long[] expected = previousVersion ? version4 : baseline;
                assertEquals(expected[0], sql.json().get(0).get("c").asLong(), sql.toString());
                assertEquals(expected[1], sql.json().get(0).get("s").asLong(), sql.toString());
                for (var r : List.of(history, describe)) {
                    assertTrue(
                            r.code() == 0 || (r.code() == 1 && r.stderr().contains("lake doctor")),
                            r.toString());
                }
            }
            assertArrayEquals(
                    controlA, countSum(lake, "processed.a"), "the other tables answer as before");

            Path extra = work.resolve("extra.ndjson");
            Files.writeString(extra, rows(7, "b"));
            assertEquals(0, lake.run("ingest", "raw/b", extra.toString()).code());
            if (refuses) {
                // No writer reads past the damage or fills the gap; a refused one leaves the table
                // as it was. Convert
                // refusing is what keeps it exactly once.
                Map<String, String> tree = CliRunner.snapshot(table);
                for (String[] w :
                        List.of(
                                new String[] {"convert", "raw/b", "processed/b"},
                                new String[] {"vacuum", "processed/b", "--retain", "0"},
                                new String[] {"optimize", "processed/b"},
                                new String[] {"delete", "processed/b", "--where", "id = 1"},
                                new String[] {"restore", "processed/b", "1"})) {
                    var r = lake.run(w);
                    assertEquals(1, r.code(), r.toString());
                    assertTrue(r.stderr().contains("lake doctor"), r.stderr());
                }
                assertEquals(
                        tree,
                        CliRunner.snapshot(table),
                        "refused writers leave the table as it was");
            }

            // Doctor reports the fault, naming the damaged file.
            var doctor = lake.run("doctor", "-o", "json");
            assertEquals(1, doctor.code(), doctor.toString());
            boolean named = false;
            for (JsonNode f : doctor.json().get("findings")) {
                named |=
                        f.get("key").asText().endsWith(name)
                                || f.get("detail").asText().contains(name);
            }
            assertTrue(named, "doctor names " + name + ": " + doctor.out());

            // Repair never loses bytes a log references: every file's bytes are still in the lake
            // (moved aside at
            // most), except leftovers the repair says it removed.
            Map<String, String> before = CliRunner.snapshot(work.resolve("lake"));
            var repair = lake.run("doctor", "--repair", "-o", "json");
            assertTrue(repair.code() == 0 || repair.code() == 1, repair.toString());
            Set<String> removed = new HashSet<>();
            boolean unrecoverable = false;
            for (JsonNode f : repair.json().get("findings")) {
                if (f.get("repaired").asBoolean()
                        && f.get("kind")
                                .asText()
                                .matches("orphaned_data_file|unreferenced_object|leftover_temp")) {
                    removed.add(f.get("key").asText());
                }
                unrecoverable |= f.get("kind").asText().equals("unrecoverable");
            }
            Map<String, String> after = CliRunner.snapshot(work.resolve("lake"));
            Set<String> contents = new HashSet<>();
            after.values().forEach(v -> contents.add(content(v)));
            for (var e : before.entrySet()) {
                if (!e.getValue().equals("dir") && !removed.contains(e.getKey())) {
                    assertTrue(
                            contents.contains(content(e.getValue())),
                            "repair lost the bytes of " + e.getKey());
                }
            }
            boolean recovered = !(refuses && !rebuildable) && !dataFile && !previousVersion;
            if (recovered) {
                var again = lake.run("doctor", "-o", "json");
                assertEquals(
                        0,
                        again.code(),
                        "rebuilt from the checksum, checkpoint or entries: "
                                + again
                                + "\nrepair: "
                                + repair.out());
                assertArrayEquals(
                        baseline,
                        countSum(lake, "processed.b"),
                        "the table answers as before the fault");
            } else if (refuses) {
                assertTrue(unrecoverable, "repair says what it could not recover: " + repair.out());
            }

            // Convert after the repair: refuses while the log is still broken (leaving the table as
            // it is), else
            // converts only what the table does not hold, so no row is there twice.
            Map<String, String> tableBefore = CliRunner.snapshot(table);
            var convert = lake.run("convert", "raw/b", "processed/b", "-o", "json");
            if (refuses && !rebuildable) {
                assertEquals(1, convert.code(), convert.toString());
                assertTrue(convert.stderr().contains("lake doctor"), convert.stderr());
                assertEquals(
                        tableBefore,
                        CliRunner.snapshot(table),
                        "a refused convert leaves the table as it was");
            } else {
                assertEquals(0, convert.code(), convert.toString());
                JsonNode objects = convert.json().get("objects");
                if (!previousVersion) {
                    assertEquals(1, objects.size(), "only the new object: " + convert.out());
                    assertTrue(objects.get(0).asText().endsWith("extra.ndjson"), convert.out());
                }
                if (!dataFile) {
                    var check =
                            lake.run(
                                    "sql",
                                    "SELECT count(*) AS c, count(DISTINCT id) AS d,"
                                            + " (SELECT count(*) FROM raw.b) AS r FROM processed.b",
                                    "-o",
                                    "json");
                    assertEquals(0, check.code(), check.toString());
                    JsonNode row = check.json().get(0);
                    assertEquals(
                            row.get("r").asLong(),
                            row.get("c").asLong(),
                            "every raw row once: " + check.out());
                    assertEquals(
                            row.get("c").asLong(),
                            row.get("d").asLong(),
                            "no row twice: " + check.out());
                }
            }
        } finally {
            delete(work);
        }
    }

    /**
     * The content part of a snapshot value ("size sha256 mtime"): moved bytes keep it, not their
     * time.
     */
    static String content(String v) {
        String[] p = v.split(" ");
        return p.length >= 2 ? p[0] + " " + p[1] : v;
    }

    static Path pick(Path table, Target target) throws IOException {
        Path log = table.resolve("_delta_log");
        return switch (target) {
            case ENTRY_BEFORE_CHECKPOINT -> log.resolve("00000000000000000001.json");
            case ENTRY_MIDDLE, ENTRY_MIDDLE_NO_CHECKSUM -> log.resolve("00000000000000000004.json");
            case ENTRY_NEWEST, ENTRY_NEWEST_NO_CHECKSUM -> log.resolve("00000000000000000005.json");
            case CHECKPOINT -> log.resolve("00000000000000000003.checkpoint.parquet");
            case LAST_CHECKPOINT -> log.resolve("_last_checkpoint");
            case DATA_FILE -> {
                try (Stream<Path> s = Files.walk(table)) {
                    yield s.filter(p -> p.toString().endsWith(".parquet") && !p.startsWith(log))
                            .sorted()
                            .findFirst()
                            .orElseThrow();
                }
            }
        };
    }

    static void inject(Path file, Fault fault) throws IOException {
        byte[] b = Files.readAllBytes(file);
        switch (fault) {
            case REMOVE -> Files.delete(file);
            case TRUNCATE -> Files.write(file, Arrays.copyOf(b, b.length / 2));
            case GARBLE -> {
                byte[] junk = new byte[b.length];
                byte[] pattern = "#garbled~".getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < junk.length; i++) {
                    junk[i] = pattern[i % pattern.length];
                }
                Files.write(file, junk);
            }
        }
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted((x, y) -> y.getNameCount() - x.getNameCount())
                    .forEach(
                            p -> {
                                try {
                                    Files.delete(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        }
    }
}
