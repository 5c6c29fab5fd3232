package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.table.Tables;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, acceptance 5: {@code lake events --follow -o json}, through the real launcher, lists
 * every commit of concurrent writer processes once, in order per source; its output is checked with
 * the real {@code jq}, as a script would.
 */
class EventsFollowTest {
    static final int WRITERS = 3;
    static final int ROUNDS = 6;

    @TempDir Path dir;

    private static String jq() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, "jq"))) {
                return Path.of(p, "jq").toString();
            }
        }
        return null;
    }

    /** {@code jq ARGS FILE}: its stdout; fails unless it exits 0. */
    private static String jq(Path file, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jq()));
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "jq " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    @Test
    void followListsEveryCommitOfConcurrentWritersOnceInOrderPerSource() throws Exception {
        String jq = jq();
        if (System.getenv("CI") == null) {
            assumeTrue(jq != null, "jq is not on PATH (CI installs it)");
        }
        assertTrue(jq != null, "jq is not on PATH: .ci/run installs it");
        Path lakeDir = dir.resolve("lake");
        try (Lake lake = Lake.open(lakeDir)) {
            lake.ingest("raw/shared")
                    .bytes("{}\n".getBytes(StandardCharsets.UTF_8), "seed.ndjson")
                    .commit();
        }
        Path out = dir.resolve("events.ndjson");
        Path err = dir.resolve("events.err");
        ProcessBuilder follow =
                new ProcessBuilder(
                                "bash",
                                LauncherTest.LAUNCHER.toString(),
                                "--lake",
                                lakeDir.toString(),
                                "events",
                                "--follow",
                                "--interval",
                                "100ms",
                                "-o",
                                "json")
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
        follow.environment().put("TARN_CLASSPATH", LauncherTest.classpath());
        follow.environment().remove("TARN_LAKE");
        Process follower = follow.start();
        List<Process> writers = new ArrayList<>();
        List<Path> writerOut = new ArrayList<>();
        Set<String> expected = new TreeSet<>();
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            for (int w = 0; w < WRITERS; w++) {
                Path o = dir.resolve("writer" + w + ".txt");
                writerOut.add(o);
                writers.add(
                        new ProcessBuilder(
                                        java,
                                        "-Xmx256m",
                                        "-XX:TieredStopAtLevel=1",
                                        "-cp",
                                        LauncherTest.classpath(),
                                        FeedWriterMain.class.getName(),
                                        lakeDir.toString(),
                                        "w" + w,
                                        String.valueOf(ROUNDS))
                                .redirectErrorStream(true)
                                .redirectOutput(o.toFile())
                                .start());
            }
            for (int w = 0; w < WRITERS; w++) {
                assertTrue(writers.get(w).waitFor(5, TimeUnit.MINUTES), "writer " + w + " ended");
                assertEquals(0, writers.get(w).exitValue(), Files.readString(writerOut.get(w)));
            }

            // Every commit in the logs, as the lake reads them back after the writers are done.
            try (Lake lake = Lake.open(lakeDir)) {
                long newest = lake.catalog().version();
                for (long v = 0; v <= newest; v++) {
                    expected.add("catalog@" + v);
                }
                for (Dataset d : lake.catalog().datasets("processed")) {
                    assertEquals(DatasetKind.TABLE, d.kind());
                    long tv = Tables.of(lake).load(d.id()).snapshot().version();
                    for (long v = 0; v <= tv; v++) {
                        expected.add(d.id() + "@" + v);
                    }
                }
            }
            // Each writer's own commits are among them.
            for (Path o : writerOut) {
                for (String line : Files.readAllLines(o)) {
                    if (line.startsWith("P ")) {
                        assertTrue(expected.contains(line.substring(2)), line);
                    }
                }
            }
            assertTrue(count(expected, "catalog@") >= 2 + WRITERS * 2 * ROUNDS, expected::toString);
            for (int w = 0; w < WRITERS; w++) {
                // created, then one append per round
                assertEquals(1 + ROUNDS, count(expected, "processed/w" + w + "@"));
            }
            // The follower prints them as they come: wait until it has printed as many lines.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lines(out) < expected.size() && System.nanoTime() < deadline) {
                assertTrue(follower.isAlive(), "the follower ended:\n" + Files.readString(err));
                Thread.sleep(100);
            }
            Thread.sleep(500); // and nothing more after them
        } finally {
            follower.destroy();
            follower.waitFor(30, TimeUnit.SECONDS);
            writers.forEach(Process::destroyForcibly);
        }

        // jq: every line a JSON event; per source, versions strictly increasing and complete.
        String bySource =
                jq(
                        out,
                        "-s",
                        "-c",
                        "reduce .[] as $e ({}; .[$e.source] += [$e.version])"
                                + " | to_entries | map({source: .key, n: (.value | length),"
                                + " ok: (.value == [range(0; .value | length)])})");
        assertTrue(bySource.contains("\"source\":\"catalog\""), bySource);
        jq(
                out,
                "-s",
                "-e",
                "reduce .[] as $e ({}; .[$e.source] += [$e.version])"
                        + " | all(to_entries[]; .value == [range(0; .value | length)])");
        // every commit once: as many distinct positions as lines, and exactly the expected ones
        jq(out, "-s", "-e", "(map(.position) | unique | length) == length");
        Set<String> printed = new TreeSet<>(List.of(jq(out, "-r", ".position").split("\n")));
        assertEquals(expected, printed);
        assertEquals(expected.size(), lines(out));
        // the writers' events carry who made them
        jq(
                out,
                "-s",
                "-e",
                "map(select(.source == \"processed/w0\")) | length > 0 and all(.principal == \"w0\")");
        System.out.println(
                "EventsFollowTest: "
                        + expected.size()
                        + " commits of "
                        + WRITERS
                        + " writer processes, each printed once: "
                        + bySource.trim());
    }

    private static long count(Set<String> positions, String prefix) {
        return positions.stream().filter(p -> p.startsWith(prefix)).count();
    }

    private static long lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }
}
