package dev.tarn.lake.examples;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.event.ChangeEvent;
import dev.tarn.lake.event.Subscription;
import dev.tarn.lake.examples.Demo.Sample;
import dev.tarn.lake.ingest.IngestedObject;
import dev.tarn.lake.pipeline.Pipeline;
import dev.tarn.lake.pipeline.PipelineRunResult;
import dev.tarn.lake.pipeline.PipelineRunner;
import dev.tarn.lake.pipeline.PipelineStatus;
import dev.tarn.lake.pipeline.Pipelines;
import dev.tarn.lake.pipeline.StepRun;
import dev.tarn.lake.query.QueryResult;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.table.HistoryEntry;
import dev.tarn.lake.table.Tables;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The retailer's event-driven ETL: clickstream files land in the raw zone, a pipeline converts them
 * into a partitioned table, aggregates revenue per category into an analytics table and upserts
 * that into the shop's SQLite database, while a subscription reacts to every new version of the KPI
 * table. A first pass runs in the foreground; then the pipeline runs in watch mode and each new
 * drop flows through on its own.
 *
 * <p>Run it with {@code ./demo event-driven} (or {@code ./demo event-driven DIR}). The pipeline
 * file is {@code shop.yaml} beside this class; the database goes to {@code DIR-etl/shop.db}.
 */
public final class EventDrivenEtl {
    static final DatasetId REVENUE = DatasetId.parse("analytics/revenue");
    static final String KPI_QUERY =
            "SELECT category, purchases, revenue FROM analytics.revenue ORDER BY category";
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(250);
    private static final Duration FLOW_TIMEOUT = Duration.ofMinutes(2);

    private final PrintStream out;
    private final List<Long> kpiVersionsSeen = new CopyOnWriteArrayList<>();

    EventDrivenEtl(PrintStream out) {
        this.out = out;
    }

    /**
     * What the run left: the KPI table and the database table (rows ordered by category, values
     * normalised so that equal numbers compare equal), the KPI versions the subscription reacted to
     * and those the table has.
     */
    record Outcome(
            List<List<Object>> analytics,
            List<List<Object>> database,
            List<Long> kpiVersionsSeen,
            List<Long> kpiVersions) {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "event-lake");
        Outcome o = new EventDrivenEtl(System.out).run(dir);
        if (!o.analytics().equals(o.database())) {
            System.exit(1);
        }
    }

    Outcome run(Path dir) {
        Path work = dir.resolveSibling(dir.getFileName() + "-etl");
        Sample.deleteTree(dir);
        Sample.deleteTree(work);
        Path db = work.resolve("shop.db");
        Path file = Sample.write(work.resolve("shop.yaml"), pipelineText());
        out.println("== Tarn " + dev.tarn.lake.Tarn.VERSION + ": the event-driven lake");
        out.println("   lake " + dir.toAbsolutePath() + ", shop database " + db.toAbsolutePath());

        try (Lake lake = Lake.open(dir)) {
            step("1. The first clickstream files land in raw/clicks");
            land(lake, work, 1, 0, 400);
            land(lake, work, 2, 400, 400);

            step("2. The pipeline file (" + file + "): convert, aggregate, sink into SQLite");
            out.println(indent(new String(pipelineText(), StandardCharsets.UTF_8).strip()));
            Pipeline pipeline =
                    Pipelines.load(lake, file, Map.of("SHOP_DB", db.toAbsolutePath().toString()));
            out.println("   checked before anything runs; steps in order: " + pipeline.validate());

            step("3. A subscription reacts to every new version of analytics/revenue");
            try (Subscription alerts =
                    lake.subscribe("kpi-alerts")
                            .datasets(REVENUE.toString())
                            .handler(e -> onKpiEvent(lake, e))
                            .pollInterval(Duration.ofMillis(100))
                            .start()) {
                out.println(
                        "   kpi-alerts started (state kept in the lake; resumes where it stopped)");

                step("4. One pass of the pipeline: every step does what is new, in order");
                out.println("   (kpi-alerts prints from its own thread as each version commits)");
                report(pipeline.runOnce());
                awaitKpiSeen(lake);

                step("5. Run it again: nothing new, nothing done");
                report(pipeline.runOnce());

                step(
                        "6. Watch mode: the pipeline runs on its own (a pass every "
                                + WATCH_INTERVAL.toMillis()
                                + " ms) while new drops land");
                try (PipelineRunner runner = pipeline.start(WATCH_INTERVAL)) {
                    for (int drop = 3; drop <= 5; drop++) {
                        long t0 = System.nanoTime();
                        land(lake, work, drop, 800 + (drop - 3) * 150, 150);
                        await(() -> flowedThrough(lake, pipeline), "drop " + drop);
                        out.printf(
                                Locale.ROOT,
                                "   drop %d is in the table, the KPI and the database %.1f s after it"
                                        + " landed%n",
                                drop,
                                (System.nanoTime() - t0) / 1e9);
                    }
                    out.println("   the runner made " + runner.passes() + " passes");
                }

                step("7. Pipeline status: each step's runs, output version and lag");
                for (PipelineStatus.Step s : pipeline.status().steps()) {
                    out.printf(
                            "   %-10s %-7s runs=%d output=v%d lag=%d%s  -> %s%n",
                            s.step(),
                            s.kind(),
                            s.runs(),
                            s.outputVersion(),
                            s.lag(),
                            s.lastError() == null ? "" : " error=" + s.lastError(),
                            s.target());
                }
                out.println(
                        "   kpi-alerts: "
                                + alerts.state().delivered()
                                + " event(s) delivered, dead letters: "
                                + alerts.deadLetters().size());
            }

            step("8. The shop's database next to the lake's KPI table");
            QueryResult kpis = Sql.of(lake).query(KPI_QUERY);
            QueryResult rows = sqlite(db, "SELECT category, purchases, revenue FROM revenue");
            out.println(
                    sideBySide(
                            "analytics/revenue (lake)",
                            kpis.toString(),
                            "revenue (SQLite shop.db)",
                            rows.toString()));
            List<List<Object>> a = normalise(kpis.rows());
            List<List<Object>> d = normalise(rows.rows());
            out.println(a.equals(d) ? "   equal, row for row" : "   DIFFERENT (wrong!)");
            List<Long> versions =
                    Tables.of(lake).load(REVENUE).history().stream()
                            .map(HistoryEntry::version)
                            .sorted()
                            .toList();
            out.println(
                    "   analytics/revenue versions "
                            + versions
                            + "; kpi-alerts reacted to "
                            + kpiVersionsSeen);
            // the revenue step's rules, checked on every run before its rows were committed
            out.println("   data-quality checks of the revenue step, newest run:");
            out.println(
                    Sql.of(lake)
                            .query(
                                    "SELECT rule, action, violations, verdict FROM tarn.expectations"
                                            + " WHERE step = 'revenue' AND run = (SELECT max(run)"
                                            + " FROM tarn.expectations WHERE step = 'revenue')"
                                            + " ORDER BY rule")
                            .toString()
                            .indent(3)
                            .stripTrailing());
            out.println();
            out.println(
                    "Look around with the CLI:  SHOP_DB="
                            + db
                            + " ./lake --lake "
                            + dir
                            + " pipeline status "
                            + file);
            out.println("                           ./lake --lake " + dir + " events");
            return new Outcome(a, d, List.copyOf(kpiVersionsSeen), versions);
        }
    }

    /** The subscription's handler: reads the KPI table at the version the event announces. */
    private void onKpiEvent(Lake lake, ChangeEvent e) {
        if (!e.source().equals(REVENUE.toString())) {
            return; // the catalog's event that registered the table
        }
        QueryResult r =
                Sql.of(lake)
                        .query(
                                "SELECT category, revenue FROM "
                                        + Sql.relationAt(REVENUE, e.version())
                                        + " ORDER BY category");
        StringBuilder b = new StringBuilder();
        for (List<Object> row : r.rows()) {
            b.append(b.isEmpty() ? "" : ", ").append(row.get(0)).append(' ').append(row.get(1));
        }
        synchronized (out) {
            out.printf(
                    "   [kpi-alerts] %s (%s): %s%n",
                    e.position(), e.operation(), b.length() == 0 ? "no revenue yet" : b);
        }
        kpiVersionsSeen.add(e.version());
    }

    private void land(Lake lake, Path work, int drop, int firstId, int rows) {
        Path f =
                Sample.clickstream(
                        work.resolve("inbox/clicks-" + drop + ".ndjson"), rows, 42 + drop, firstId);
        for (IngestedObject o : lake.ingest("raw/clicks").file(f).commit().objects()) {
            out.printf(
                    "   landed raw/clicks/%s (%d clicks, %,d bytes)%n",
                    o.object().path(), rows, o.object().size());
        }
    }

    private void report(PipelineRunResult r) {
        for (StepRun s : r.steps()) {
            out.printf(
                    "   %-10s %-7s %-10s %s%n",
                    s.step(), s.kind(), s.outcome(), s.detail() == null ? "" : s.detail());
        }
    }

    /** Every step caught up with its inputs and the subscription saw the KPI table's newest. */
    private boolean flowedThrough(Lake lake, Pipeline pipeline) {
        for (PipelineStatus.Step s : pipeline.status().steps()) {
            if (s.lag() != 0 || s.pending()) {
                return false;
            }
        }
        return kpiSeen(lake);
    }

    private boolean kpiSeen(Lake lake) {
        return kpiVersionsSeen.contains(Tables.of(lake).load(REVENUE).snapshot().version());
    }

    private void awaitKpiSeen(Lake lake) {
        await(() -> kpiSeen(lake), "kpi-alerts");
    }

    private static void await(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + FLOW_TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not flow through in " + FLOW_TIMEOUT);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    /** Reads the database as any other application of the shop would: plain JDBC. */
    static QueryResult sqlite(Path db, String query) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query + " ORDER BY 1")) {
            ResultSetMetaData md = rs.getMetaData();
            List<QueryResult.Column> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(new QueryResult.Column(md.getColumnName(i), md.getColumnTypeName(i)));
            }
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return new QueryResult(columns, rows);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + db + ": " + e.getMessage(), e);
        }
    }

    /**
     * Numbers as exact decimals without trailing zeros: a count is a {@code Long} in DuckDB and an
     * {@code Integer} in SQLite, a decimal may come back as text from SQLite.
     */
    static List<List<Object>> normalise(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> row : rows) {
            List<Object> r = new ArrayList<>();
            for (Object v : row) {
                if (v instanceof Number || (v instanceof String s && s.matches("-?\\d+\\.\\d+"))) {
                    r.add(new BigDecimal(v.toString()).stripTrailingZeros());
                } else {
                    r.add(v);
                }
            }
            out.add(r);
        }
        return out;
    }

    private static String sideBySide(
            String leftTitle, String left, String rightTitle, String right) {
        List<String> l = new ArrayList<>(List.of(leftTitle));
        l.addAll(left.lines().toList());
        List<String> r = new ArrayList<>(List.of(rightTitle));
        r.addAll(right.lines().toList());
        int width = l.stream().mapToInt(String::length).max().orElse(0) + 4;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.max(l.size(), r.size()); i++) {
            String a = i < l.size() ? l.get(i) : "";
            b.append("   ").append(a).append(" ".repeat(width - a.length()));
            b.append(i < r.size() ? r.get(i) : "").append('\n');
        }
        return b.toString().stripTrailing();
    }

    static byte[] pipelineText() {
        try (InputStream in = EventDrivenEtl.class.getResourceAsStream("shop.yaml")) {
            if (in == null) {
                throw new IllegalStateException("shop.yaml is missing beside EventDrivenEtl");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void step(String title) {
        out.println();
        out.println(title);
    }

    private static String indent(Object text) {
        return "   " + text.toString().replace("\n", "\n   ");
    }
}
