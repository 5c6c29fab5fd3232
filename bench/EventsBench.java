import dev.tarn.lake.Lake;
import dev.tarn.lake.event.ChangeEvent;
import dev.tarn.lake.event.ChangeFeed;
import dev.tarn.lake.event.DrainReport;
import dev.tarn.lake.pipeline.Pipeline;
import dev.tarn.lake.pipeline.PipelineRunResult;
import dev.tarn.lake.pipeline.PipelineRunner;
import dev.tarn.lake.pipeline.Pipelines;
import dev.tarn.lake.storage.WriteMode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The event-driven lake's benchmarks (docs/benchmarks.md), one measurement per JVM.
 * <pre>
 *   EventsBench latency DIR DROPS INTERVAL_MS
 *       a pipeline (convert append -> sql append -> SQLite append sink) in watch mode with a pass every INTERVAL_MS;
 *       DROPS small raw objects are ingested one at a time (through a second Lake handle, as another process would),
 *       each timed from its ingest commit to its row in the SQLite table. Prints each latency and
 *       "latency drops=N median_ms=.. p90_ms=.. max_ms=..".
 *   EventsBench prepare DIR COMMITS
 *       makes a lake with COMMITS catalog commits (one small object ingested per commit), unless DIR holds it already.
 *   EventsBench deliver DIR RUN
 *       over the prepared lake: the anchor (every event read with lake.events().poll()), then a new no-op subscription
 *       drained from the start (its position committed after each event, as subscriptions do); then a second
 *       anchor, 1,000 small put-if-absent writes to the store one after another (what committing a position costs).
 *       Prints "deliver events=N poll_s=.. poll_events_per_s=.. drain_s=.. drain_events_per_s=.. puts_per_s=..".
 * </pre>
 */
public final class EventsBench {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[1]);
        switch (a[0]) {
            case "latency" -> latency(dir, Integer.parseInt(a[2]), Duration.ofMillis(Long.parseLong(a[3])));
            case "prepare" -> prepare(dir, Integer.parseInt(a[2]));
            case "deliver" -> deliver(dir, a[2]);
            default -> throw new IllegalArgumentException("latency, prepare or deliver: " + a[0]);
        }
    }

    static final String PIPELINE = """
            steps:
              - name: drops
                convert: {from: raw/drops, to: processed/drops}
              - name: orders
                sql: {to: analytics/orders, mode: append, query: "SELECT id, shop, amount FROM processed.drops"}
              - name: orders_db
                sink: {from: analytics/orders, jdbc: "jdbc:sqlite:${BENCH_DB}", table: orders, mode: append}
            """;

    static void latency(Path dir, int drops, Duration interval) throws Exception {
        clean(dir);
        Files.createDirectories(dir);
        Path lakeDir = dir.resolve("lake");
        Path db = dir.resolve("bench.db");
        Path file = dir.resolve("bench.yaml");
        Files.writeString(file, PIPELINE);
        Random rnd = new Random(42);
        List<Double> ms = new ArrayList<>();
        try (Lake writer = Lake.open(lakeDir)) {
            land(writer, 0);
            try (Lake runnerLake = Lake.open(lakeDir);
                    Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                Pipeline p = Pipelines.load(runnerLake, file, Map.of("BENCH_DB", db.toString()));
                PipelineRunResult first = p.runOnce(); // creates the tables and the database table
                if (first.failed()) {
                    throw new IllegalStateException(first.toString());
                }
                try (PipelineRunner runner = p.start(interval);
                        PreparedStatement q = sqlite.prepareStatement("SELECT count(*) FROM orders WHERE id = ?")) {
                    for (int i = 1; i <= drops; i++) {
                        Thread.sleep(200 + rnd.nextInt(500)); // drops arrive at any phase of the runner's passes
                        land(writer, i);
                        long t0 = System.nanoTime();
                        long deadline = t0 + Duration.ofMinutes(1).toNanos();
                        while (!present(q, i)) {
                            if (System.nanoTime() > deadline) {
                                throw new IllegalStateException("drop " + i + " not in the database after a minute; "
                                        + runner.lastResult().orElse(null) + " " + runner.lastFailure().orElse(null));
                            }
                            Thread.sleep(5);
                        }
                        double l = (System.nanoTime() - t0) / 1e6;
                        ms.add(l);
                        System.out.printf(Locale.ROOT, "drop %d %.0f ms%n", i, l);
                    }
                }
            }
        }
        List<Double> s = ms.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "latency drops=%d interval_ms=%d median_ms=%.0f p90_ms=%.0f max_ms=%.0f%n",
                drops, interval.toMillis(), percentile(s, 50), percentile(s, 90), s.get(s.size() - 1));
    }

    static void land(Lake lake, int i) {
        String row = String.format(Locale.ROOT, "{\"id\":%d,\"shop\":\"s%d\",\"amount\":%d.%02d}%n",
                i, i % 7, i, i % 100);
        lake.ingest("raw/drops").bytes(row.getBytes(StandardCharsets.UTF_8), "drop-" + i + ".ndjson").commit();
    }

    static boolean present(PreparedStatement q, int id) {
        try {
            q.setInt(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            return false; // the sink holds the database's lock mid-send: ask again
        }
    }

    static double percentile(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static void prepare(Path dir, int commits) throws Exception {
        Path done = dir.resolve("prepared-" + commits);
        if (Files.exists(done)) {
            System.out.println("prepare: " + dir + " holds " + commits + " commits already");
            return;
        }
        clean(dir);
        long t0 = System.nanoTime();
        try (Lake lake = Lake.open(dir.resolve("lake"))) {
            for (int i = 0; i < commits; i++) {
                String row = "{\"id\":" + i + "}\n";
                lake.ingest(i % 2 == 0 ? "raw/a" : "raw/b")
                        .bytes(row.getBytes(StandardCharsets.UTF_8), "o-" + i + ".ndjson")
                        .commit();
            }
        }
        Files.writeString(done, "");
        System.out.printf(Locale.ROOT, "prepare commits=%d seconds=%.1f%n", commits, (System.nanoTime() - t0) / 1e9);
    }

    static void deliver(Path dir, String run) throws Exception {
        try (Lake lake = Lake.open(dir.resolve("lake"))) {
            long t0 = System.nanoTime();
            ChangeFeed feed = lake.events();
            long polled = 0;
            for (List<ChangeEvent> b = feed.poll(1_000); !b.isEmpty(); b = feed.poll(1_000)) {
                polled += b.size();
            }
            double pollS = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            DrainReport r = lake.subscribe("bench-" + run).handler(e -> {}).drain();
            double drainS = (System.nanoTime() - t1) / 1e9;
            if (r.delivered() != polled) {
                throw new IllegalStateException("polled " + polled + " events, the subscription got " + r);
            }
            // the same with the position committed after every 100 events (commitEvery)
            long t2 = System.nanoTime();
            DrainReport batched =
                    lake.subscribe("bench-batched-" + run).commitEvery(100).handler(e -> {}).drain();
            double batchedS = (System.nanoTime() - t2) / 1e9;
            if (batched.delivered() != polled) {
                throw new IllegalStateException("polled " + polled + " events, commitEvery(100) got " + batched);
            }
            double putsPerS = puts(dir.resolve("scratch-" + run), 1_000);
            System.out.printf(Locale.ROOT,
                    "deliver events=%d poll_s=%.2f poll_events_per_s=%.0f drain_s=%.2f drain_events_per_s=%.0f"
                            + " drain100_events_per_s=%.0f puts_per_s=%.0f%n",
                    polled, pollS, polled / pollS, drainS, r.delivered() / drainS,
                    batched.delivered() / batchedS, putsPerS);
        }
    }

    /**
     * The second anchor: small put-if-absent writes to the same store, one after another, as a subscription commits
     * its position after each event (in a scratch lake, removed afterwards).
     */
    static double puts(Path scratch, int n) throws Exception {
        try (Lake lake = Lake.open(scratch)) {
            byte[] entry = "{\"position\":\"catalog@1\",\"delivered\":1,\"epoch\":1}".getBytes(StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                lake.store().put("raw/puts/" + i + ".json", entry, WriteMode.CREATE);
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        } finally {
            clean(scratch);
        }
    }

    static void clean(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> w = Files.walk(dir)) {
                for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
