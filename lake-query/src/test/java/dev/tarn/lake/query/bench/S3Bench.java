package dev.tarn.lake.query.bench;

import dev.tarn.lake.Lake;
import dev.tarn.lake.LakeBuilder;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.query.SqlOptions;
import dev.tarn.lake.s3.S3TestServer;
import dev.tarn.lake.table.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The same lake on the local filesystem and on S3 (s3proxy on 127.0.0.1, in this JVM, storing in a
 * local directory): ingest of the clickstream, convert raw → table, and the two anchor queries on
 * the raw NDJSON and on the table. On S3, queries run through SQL's local cache: cold (a freshly
 * opened lake, empty cache: the first query fetches what it reads) and warm (later runs, served
 * from the cache). Usage: S3Bench DATA_DIR WORK_DIR [RUNS]; run it with bench/s3.sh.
 */
public final class S3Bench {
    private static final String RAW = "raw.events";
    private static final String TABLE = "processed.events";

    private record Backend(String name, String location, Map<String, String> options) {
        Lake open() {
            LakeBuilder b = Lake.builder().location(location);
            options.forEach(b::storeOption);
            return b.open();
        }
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]).resolve("events.ndjson");
        Path work = Path.of(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        dev.tarn.lake.spi.FileTrees.deleteTree(work);
        Files.createDirectories(work);
        S3TestServer server = S3TestServer.shared();
        int rounds = Integer.getInteger("rounds", 4);
        // step -> backend -> one time per measured round; round 0 warms the JVM up and is not
        // counted
        Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            Path dir = work.resolve("lake-" + round);
            List<Backend> backends =
                    List.of(
                            new Backend("local", dir.toString(), Map.of()),
                            new Backend(
                                    "S3",
                                    "s3://" + server.newBucket() + "/lake",
                                    server.options()));
            for (Backend b : backends) {
                Map<String, Double> r = measure(b, data, runs);
                System.out.println("round " + round + " " + b.name() + ": " + r);
                if (round > 0) {
                    r.forEach(
                            (step, t) ->
                                    results.computeIfAbsent(step, k -> new LinkedHashMap<>())
                                            .computeIfAbsent(b.name(), k -> new ArrayList<>())
                                            .add(t));
                }
            }
            dev.tarn.lake.spi.FileTrees.deleteTree(dir);
        }
        System.out.println();
        System.out.println("| step | local (s) | S3 (s) | S3 / local |");
        System.out.println("| --- | --- | --- | --- |");
        for (String step : results.keySet()) {
            double l = QueryBench.median(results.get(step).get("local"));
            double s = QueryBench.median(results.get(step).get("S3"));
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.2f |%n", step, l, s, s / l);
        }
        System.exit(0); // the in-process S3 server's threads are not daemons
    }

    /**
     * One backend, a fresh lake: ingest, convert, then each query cold (a freshly opened lake) and
     * warm.
     */
    private static Map<String, Double> measure(Backend b, Path data, int runs) throws Exception {
        Map<String, Double> r = new LinkedHashMap<>();
        try (Lake lake = b.open()) {
            long t0 = System.nanoTime();
            lake.ingest("raw/events").file(data).commit();
            r.put("ingest", secs(t0));
            t0 = System.nanoTime();
            Tables.of(lake).newConvert("raw/events", "processed/events").commit();
            r.put("convert raw -> table", secs(t0));
        }
        for (String[] q :
                new String[][] {{"category", QueryBench.Q_CATEGORY}, {"user", QueryBench.Q_USER}}) {
            for (String rel : new String[] {RAW, TABLE}) {
                String sql = String.format(q[1], rel);
                String key = q[0] + " / " + (rel.equals(RAW) ? "raw NDJSON" : "table");
                // a lake opened afresh starts an engine with an empty cache
                try (Lake lake = b.open()) {
                    Sql s = Sql.of(lake, SqlOptions.defaults().threads(2));
                    r.put(key + " cold", QueryBench.time(() -> s.query(sql).rowCount()));
                    List<Double> warm = new ArrayList<>();
                    for (int i = 0; i < runs; i++) {
                        warm.add(QueryBench.time(() -> s.query(sql).rowCount()));
                    }
                    r.put(key + " warm", QueryBench.median(warm));
                }
            }
        }
        return r;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
