package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.lake.Lake;
import dev.tarn.lake.pipeline.Pipeline;
import dev.tarn.lake.pipeline.PipelineStatus;
import dev.tarn.lake.pipeline.Pipelines;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.table.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance 4: two {@code lake pipeline run --watch} processes for one pipeline.
 * Exactly one works at a time (every progress entry is written by the lease holder); killed with
 * SIGKILL, the other takes over within the lease time; no step's run is done twice (each run number
 * recorded once, and the append step's table holds each record once).
 */
class PipelineRunnersTest {
    static final String PIPE =
            """
            name: two
            steps:
              - name: clicks
                convert: {from: raw/clicks, to: processed/clicks}
              - name: events
                sql: {to: analytics/events, mode: append, query: "SELECT id, category FROM processed.clicks"}
              - name: counts
                sql: {to: analytics/counts, query: "SELECT category, count(*) AS n FROM processed.clicks GROUP BY 1"}
            """;
    static final String[] STEPS = {"clicks", "events", "counts"};
    static final ObjectMapper JSON = new ObjectMapper();

    /** The runners' lease time (PipelineRunner's default). */
    static final long LEASE_SECONDS = 10;

    @TempDir Path dir;

    /** One progress entry: the step, its completed runs, and who wrote it (pid first). */
    record Entry(String step, long run, boolean pending, String holder) {
        long pid() {
            return Long.parseLong(holder.substring(0, holder.indexOf('/')));
        }
    }

    @Test
    void oneRunnerWorksAndTheOtherTakesOverWhenItDies() throws Exception {
        Path lakeDir = dir.resolve("lake");
        assertEquals(0, new CliRunner(lakeDir).run("init").code());
        Path file = dir.resolve("two.yaml");
        Files.writeString(file, PIPE);
        String[] categories = {"a", "b", "c"};
        AtomicInteger records = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Process> runners = new ArrayList<>();
        try (Lake lake = Lake.open(lakeDir)) {
            PipelineProcesses.land(lake, 0, 3, categories, records);
            Thread writer =
                    new Thread(
                            () -> {
                                for (int n = 1; !stop.get(); n++) {
                                    PipelineProcesses.land(lake, n, 2, categories, records);
                                    sleep(250);
                                }
                            });
            writer.start();
            try {
                runners.add(PipelineProcesses.watch(lakeDir, file, dir, "a"));
                runners.add(PipelineProcesses.watch(lakeDir, file, dir, "b"));
                awaitRuns(lakeDir, 3, 90);
                List<Entry> before = entries(lakeDir);
                Set<Long> writers = pids(before);
                assertEquals(1, writers.size(), () -> "one runner works: " + before);
                long activePid = writers.iterator().next();
                Process active =
                        runners.stream()
                                .filter(p -> p.pid() == activePid)
                                .findFirst()
                                .orElseThrow();
                Process standby =
                        runners.stream().filter(p -> p != active).findFirst().orElseThrow();
                assertTrue(standby.isAlive(), "the other stands by");

                active.destroyForcibly(); // SIGKILL: no lease released
                assertTrue(active.waitFor(30, TimeUnit.SECONDS));
                long killedAt = System.nanoTime();
                int seen = entries(lakeDir).size();
                double takeover = -1;
                while (System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(3 * LEASE_SECONDS)) {
                    List<Entry> now = entries(lakeDir);
                    if (now.subList(seen, now.size()).stream()
                            .anyMatch(e -> e.pid() == standby.pid())) {
                        takeover = (System.nanoTime() - killedAt) / 1e9;
                        break;
                    }
                    Thread.sleep(100);
                }
                assertTrue(takeover > 0, "the standby took over");
                assertTrue(
                        takeover < LEASE_SECONDS + 5,
                        "taken over within the lease time (+ a standby's look): " + takeover);
                System.out.printf("pipeline runner takeover after SIGKILL: %.1f s%n", takeover);
            } finally {
                stop.set(true);
                writer.join();
            }
            // the new runner catches up with everything that landed
            Pipeline pipeline = Pipelines.load(lake, file);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!caughtUp(pipeline.status()) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(caughtUp(pipeline.status()), () -> pipeline.status().toString());
            for (Process p : runners) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }

            List<Entry> all = entries(lakeDir);
            // exactly one at a time: in each step's log the writer changes once, at the takeover
            assertEquals(2, pids(all).size(), all::toString);
            for (String step : STEPS) {
                List<Long> writers =
                        all.stream().filter(e -> e.step().equals(step)).map(Entry::pid).toList();
                long changes =
                        java.util.stream.IntStream.range(1, writers.size())
                                .filter(i -> !writers.get(i).equals(writers.get(i - 1)))
                                .count();
                assertTrue(changes <= 1, () -> step + " written by turns: " + writers);
            }
            // no run twice: each step's completed run numbers go up by one, each recorded once
            for (String step : STEPS) {
                long last = 0;
                for (Entry e : all) {
                    if (e.step().equals(step) && !e.pending() && e.run() != last) {
                        assertEquals(last + 1, e.run(), () -> step + ": " + all);
                        last = e.run();
                    }
                }
                long runs = last;
                if (!step.equals("clicks")) {
                    assertEquals(
                            runs,
                            Tables.of(lake)
                                    .load("analytics/" + step)
                                    .snapshot()
                                    .transactionVersion("two/" + step),
                            step);
                }
            }
            long total = records.get();
            Sql sql = Sql.of(lake);
            assertEquals(
                    List.of(total, total),
                    sql.query("SELECT count(*), count(DISTINCT id) FROM analytics.events")
                            .rows()
                            .get(0));
            assertEquals(
                    total,
                    ((Number) sql.query("SELECT sum(n) FROM analytics.counts").rows().get(0).get(0))
                            .longValue());
        } finally {
            for (Process p : runners) {
                p.destroyForcibly();
            }
        }
    }

    private static boolean caughtUp(PipelineStatus s) {
        return s.steps().stream().allMatch(x -> x.lag() == 0 && !x.pending() && x.runs() > 0);
    }

    /** Every progress entry of every step, in the order each step's log has them. */
    static List<Entry> entries(Path lakeDir) throws Exception {
        List<Entry> out = new ArrayList<>();
        for (String step : STEPS) {
            Path logDir = lakeDir.resolve("_tarn/pipelines/two/steps/" + step);
            if (!Files.isDirectory(logDir)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(logDir)) {
                files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
            for (Path f : files) {
                JsonNode n = JSON.readTree(f.toFile());
                out.add(
                        new Entry(
                                step,
                                n.path("run").asLong(),
                                n.hasNonNull("pending"),
                                n.path("holder").asText()));
            }
        }
        return out;
    }

    /** The pids that wrote entries, in the order they first appear in time. */
    private static Set<Long> pids(List<Entry> entries) {
        Set<Long> out = new LinkedHashSet<>();
        entries.forEach(e -> out.add(e.pid()));
        return out;
    }

    private static void awaitRuns(Path lakeDir, long runs, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (entries(lakeDir).stream()
                    .anyMatch(e -> e.step().equals("clicks") && e.run() >= runs)) {
                return;
            }
            Thread.sleep(200);
        }
        fail("no runner got to run " + runs + " in " + seconds + " s: " + entries(lakeDir));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
