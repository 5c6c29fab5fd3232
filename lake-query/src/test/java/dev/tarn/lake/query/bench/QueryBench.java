package dev.tarn.lake.query.bench;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.query.SqlOptions;
import dev.tarn.lake.table.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The anchor queries on the clickstream, raw NDJSON and processed table, through Tarn's SQL and
 * through plain DuckDB JDBC on the same files in the same warm process (both 2 threads), plus time
 * to first result in a fresh JVM. Usage: QueryBench DATA_DIR WORK_DIR [RUNS]. Run it with
 * bench/query.sh.
 */
public final class QueryBench {
    static final String Q_CATEGORY =
            "SELECT category, count(*) AS purchases, sum(price * quantity) AS revenue"
                    + " FROM %s WHERE event_type = 'purchase' GROUP BY category ORDER BY revenue DESC";
    static final String Q_USER = "SELECT * FROM %s WHERE user_id = 4242 ORDER BY ts";

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]).resolve("events.ndjson");
        Path work = Path.of(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        dev.tarn.lake.spi.FileTrees.deleteTree(work);
        Files.createDirectories(work);
        Path lakeDir = work.resolve("lake");
        try (Lake lake = Lake.open(lakeDir)) {
            long t0 = System.nanoTime();
            lake.ingest("raw/events").file(data).commit();
            double ingestS = (System.nanoTime() - t0) / 1e9;
            Sql sql = Sql.of(lake, SqlOptions.defaults().threads(2));
            t0 = System.nanoTime();
            var saved =
                    sql.saveAsTable(
                            "SELECT * EXCLUDE (geo, tags), geo.city AS geo_city, geo.lat AS geo_lat,"
                                    + " geo.lon AS geo_lon, array_to_string(tags, '|') AS tags FROM raw.events",
                            DatasetId.parse("processed/events"));
            double tableS = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "setup: ingest %.2f s, raw -> processed table %.2f s (%,d rows)%n",
                    ingestS,
                    tableS,
                    saved.rows());

            String rawFile =
                    lakeDir.resolve(
                                    lake.catalog()
                                            .objects(DatasetId.parse("raw/events"))
                                            .get(0)
                                            .key())
                            .toString();
            var snap = Tables.of(lake).load("processed/events").snapshot();
            String tableFiles =
                    snap.files().stream()
                            .map(f -> "'" + lakeDir.resolve("processed/events/" + f.path()) + "'")
                            .collect(Collectors.joining(", ", "[", "]"));
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
                try (Statement s = duck.createStatement()) {
                    s.execute("SET threads = 2");
                }
                System.out.println();
                System.out.println(
                        "| query | data | runs | Tarn median (s) | DuckDB median (s) | Tarn / DuckDB |");
                System.out.println("| --- | --- | --- | --- | --- | --- |");
                for (String[] q :
                        new String[][] {
                            {"aggregate by category over purchases", Q_CATEGORY},
                            {"all events of one user", Q_USER}
                        }) {
                    row(
                            q[0],
                            "raw NDJSON",
                            runs,
                            () -> sql.query(String.format(q[1], "raw.events")).rowCount(),
                            () -> count(duck, String.format(q[1], "read_json('" + rawFile + "')")));
                    row(
                            q[0],
                            "processed table",
                            runs,
                            () -> sql.query(String.format(q[1], "processed.events")).rowCount(),
                            () ->
                                    count(
                                            duck,
                                            String.format(
                                                    q[1], "read_parquet(" + tableFiles + ")")));
                }
            }
        }
        System.out.println();
        firstResult(lakeDir, Math.max(3, runs / 2));
    }

    interface Run {
        int run() throws Exception;
    }

    static void row(String query, String data, int runs, Run tarn, Run duck) throws Exception {
        int a = tarn.run(); // warm-up, and the two must agree
        int b = duck.run();
        if (a != b) {
            throw new IllegalStateException(
                    query + " on " + data + ": Tarn " + a + " rows, DuckDB " + b);
        }
        List<Double> tt = new ArrayList<>();
        List<Double> dt = new ArrayList<>();
        // A query of a few milliseconds needs many samples before its median says more than the
        // machine's noise.
        int n = time(duck) < 0.1 ? Math.max(runs, 60) : runs;
        for (int i = 0; i < n; i++) { // interleaved, so both see the same machine
            tt.add(time(tarn));
            dt.add(time(duck));
        }
        double tm = median(tt);
        double dm = median(dt);
        System.out.printf(
                Locale.ROOT,
                "| %s | %s | %d | %.3f | %.3f | %.2f |%n",
                query,
                data,
                n,
                tm,
                dm,
                tm / dm);
    }

    static int count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int n = 0;
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= cols; i++) {
                    rs.getObject(i); // materialise as Tarn's query() does
                }
                n++;
            }
            return n;
        }
    }

    static double time(Run r) throws Exception {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    /**
     * A fresh JVM: open the lake, start SQL, answer the category query on the table; wall time from
     * the parent.
     */
    static void firstResult(Path lakeDir, int runs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Double> wall = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Process p =
                    new ProcessBuilder(
                                    java,
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    FirstResult.class.getName(),
                                    lakeDir.toString())
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("first-result process failed: " + out);
            }
            wall.add((System.nanoTime() - t0) / 1e9);
            inside.add(out.lines().reduce((x, y) -> y).orElse(""));
        }
        System.out.printf(
                Locale.ROOT,
                "time to first result in a fresh process (JVM start included), median of %d:"
                        + " %.2f s (%s)%n",
                runs,
                median(wall),
                inside.get(0));
    }
}
