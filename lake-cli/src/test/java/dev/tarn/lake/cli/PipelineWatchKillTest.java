package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.pipeline.Pipeline;
import dev.tarn.lake.pipeline.PipelineRunResult;
import dev.tarn.lake.pipeline.PipelineStatus;
import dev.tarn.lake.pipeline.Pipelines;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.table.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance 2: {@code lake pipeline run --watch}, a real child JVM, killed with
 * SIGKILL at random moments 30 times while raw objects keep landing. In the end the tables are
 * exact (every record once, none lost), the append step's table holds each record once, and the
 * replace step's table equals its query over the converted table.
 */
class PipelineWatchKillTest {
    static final String PIPE =
            """
            name: kill
            steps:
              - name: clicks
                convert: {from: raw/clicks, to: processed/clicks, partition_by: [category]}
              - name: revenue
                sql: {to: analytics/revenue, mode: replace,
                      query: "SELECT category, sum(price * quantity) AS revenue, count(*) AS n FROM processed.clicks GROUP BY category"}
              - name: events
                sql: {to: analytics/events, mode: append,
                      query: "SELECT id, category FROM processed.clicks"}
              - name: revenue_db
                sink: {from: analytics/revenue, jdbc: "SQLITE", table: revenue, mode: upsert, key: [category]}
            """;
    static final int KILLS = 30;

    @TempDir Path dir;

    @Test
    void killedThirtyTimesTheTablesAreExact() throws Exception {
        Path lakeDir = dir.resolve("lake");
        CliRunner cli = new CliRunner(lakeDir);
        assertEquals(0, cli.run("init").code());
        Path file = dir.resolve("kill.yaml");
        String sqlite = "jdbc:sqlite:" + dir.resolve("shop.db");
        Files.writeString(file, PIPE.replace("SQLITE", sqlite));
        Random random = new Random(14);
        AtomicInteger records = new AtomicInteger();
        AtomicReference<Throwable> writerFailed = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stop =
                new java.util.concurrent.atomic.AtomicBoolean();
        String[] categories = {"books", "games", "toys", "garden"};
        try (Lake lake = Lake.open(lakeDir)) {
            PipelineProcesses.land(lake, 0, 3, categories, records);
            Thread writer =
                    new Thread(
                            () -> {
                                int n = 1;
                                try {
                                    while (!stop.get()) {
                                        PipelineProcesses.land(
                                                lake, n++, 1 + n % 4, categories, records);
                                        Thread.sleep(150);
                                    }
                                } catch (InterruptedException e) {
                                    // done
                                } catch (Throwable t) {
                                    writerFailed.set(t);
                                }
                            });
            writer.start();
            long ran = 0;
            try {
                for (int k = 0; k < KILLS; k++) {
                    int kill = k;
                    Process p = PipelineProcesses.watch(lakeDir, file, dir, "k" + k);
                    // random moments: some kills land in the JVM's start, most inside passes
                    Thread.sleep(1000 + random.nextInt(5000));
                    assertTrue(p.isAlive(), () -> "the runner exited by itself: " + log(kill));
                    p.destroyForcibly(); // SIGKILL
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                    ran++;
                }
            } finally {
                stop.set(true); // not an interrupt: that would cut an ingest's file write short
                writer.join();
            }
            assertNull(writerFailed.get(), () -> String.valueOf(writerFailed.get()));
            assertEquals(KILLS, ran);

            // what the killed runners left, finished by one more pass (as a restarted runner does)
            Pipeline pipeline = Pipelines.load(lake, file);
            PipelineStatus killed = pipeline.status();
            for (PipelineStatus.Step s : killed.steps()) {
                assertTrue(s.runs() >= 3, () -> "the killed runners got this far: " + killed);
            }
            PipelineRunResult last = pipeline.runOnce();
            assertFalse(last.failed(), last::toString);
            assertFalse(pipeline.runOnce().changed(), "a second pass finds nothing to do");

            Sql sql = Sql.of(lake);
            long total = records.get();
            assertEquals(
                    List.of(total, total),
                    sql.query("SELECT count(*), count(DISTINCT id) FROM processed.clicks")
                            .rows()
                            .get(0),
                    "every record converted exactly once");
            assertEquals(
                    List.of(total, total),
                    sql.query("SELECT count(*), count(DISTINCT id) FROM analytics.events")
                            .rows()
                            .get(0),
                    "the append step added every record exactly once");
            assertEquals(
                    sql.query(
                                    "SELECT category, round(sum(price * quantity), 6), count(*)"
                                            + " FROM processed.clicks GROUP BY 1 ORDER BY 1")
                            .rows(),
                    sql.query(
                                    "SELECT category, round(revenue, 6), n FROM analytics.revenue"
                                            + " ORDER BY 1")
                            .rows());
            // the sink holds exactly the analytics table
            List<List<Object>> sunk = new java.util.ArrayList<>();
            try (var c = java.sql.DriverManager.getConnection(sqlite);
                    var rs =
                            c.createStatement()
                                    .executeQuery(
                                            "SELECT category, round(revenue, 6), n FROM revenue"
                                                    + " ORDER BY 1")) {
                while (rs.next()) {
                    sunk.add(List.of(rs.getString(1), rs.getDouble(2), rs.getLong(3)));
                }
            }
            assertEquals(
                    sql.query(
                                    "SELECT category, round(revenue, 6)::DOUBLE, n FROM"
                                            + " analytics.revenue ORDER BY 1")
                            .rows(),
                    sunk);
            // each append run's commit carries its run number: as many as the step's runs
            PipelineStatus status = pipeline.status();
            PipelineStatus.Step events = status.steps().get(2);
            assertEquals(
                    events.runs(),
                    Tables.of(lake)
                            .load("analytics/events")
                            .snapshot()
                            .transactionVersion("kill/events"));
            for (PipelineStatus.Step s : status.steps()) {
                assertEquals(0, s.lag(), s::toString);
                assertFalse(s.pending(), s::toString);
            }
        }
    }

    private String log(int k) {
        try {
            return Files.readString(dir.resolve("out-k" + k))
                    + Files.readString(dir.resolve("err-k" + k));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
