package dev.tarn.lake.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.pipeline.internal.ProgressLog;
import dev.tarn.lake.pipeline.internal.StepState;
import dev.tarn.lake.query.SaveOptions;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.spi.LakeInternals;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.testing.TarnExtension;
import dev.tarn.lake.testing.TempLake;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Convert and sql steps run incrementally, in order, exactly once. */
@ExtendWith(TarnExtension.class)
class PipelineRunTest {
    static final String PIPE =
            """
            steps:
              - name: clicks
                convert: {from: raw/clicks, to: processed/clicks, partition_by: [event_type]}
              - name: revenue
                sql: {to: analytics/revenue, mode: replace,
                      query: "SELECT category, sum(price * quantity) AS revenue FROM processed.clicks GROUP BY category"}
            """;

    static final DatasetId CLICKS = DatasetId.parse("processed/clicks");
    static final DatasetId REVENUE = DatasetId.parse("analytics/revenue");

    @TempLake Lake lake;
    @TempDir Path dir;

    void land(String name, String... lines) {
        lake.ingest("raw/clicks")
                .bytes((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), name)
                .commit();
    }

    static String click(String type, String category, double price, int quantity) {
        return "{\"event_type\":\""
                + type
                + "\",\"category\":\""
                + category
                + "\",\"price\":"
                + price
                + ",\"quantity\":"
                + quantity
                + "}";
    }

    Pipeline pipeline(String text) throws Exception {
        Path f = dir.resolve("shop.yaml");
        Files.writeString(f, text);
        return Pipelines.load(lake, f);
    }

    List<List<Object>> revenue() {
        return Sql.of(lake)
                .query("SELECT category, revenue FROM analytics.revenue ORDER BY category")
                .rows();
    }

    @Test
    void runsIncrementallyAndARerunChangesNothing() throws Exception {
        land("a.ndjson", click("view", "books", 2.5, 2), click("buy", "games", 10, 1));
        Pipeline p = pipeline(PIPE);
        PipelineRunResult first = p.runOnce();
        assertFalse(first.failed(), first.toString());
        assertEquals(List.of(List.of("books", 5.0), List.of("games", 10.0)), revenue());
        long clicksVersion = Tables.of(lake).load("processed/clicks").snapshot().version();
        long revenueVersion = Tables.of(lake).load("analytics/revenue").snapshot().version();

        PipelineRunResult again = p.runOnce();
        assertFalse(again.changed(), again.toString());
        assertEquals(clicksVersion, Tables.of(lake).load("processed/clicks").snapshot().version());
        assertEquals(
                revenueVersion, Tables.of(lake).load("analytics/revenue").snapshot().version());

        land("b.ndjson", click("buy", "books", 1, 4));
        land("c.ndjson", click("view", "toys", 3, 1));
        PipelineRunResult third = p.runOnce();
        assertEquals(StepRun.Outcome.RAN, third.steps().get(0).outcome(), third.toString());
        assertEquals(
                List.of(List.of("books", 9.0), List.of("games", 10.0), List.of("toys", 3.0)),
                revenue());
        assertEquals(
                4L,
                Sql.of(lake).query("SELECT count(*) FROM processed.clicks").rows().get(0).get(0));
        PipelineStatus st = p.status();
        assertEquals(2, st.steps().size());
        for (PipelineStatus.Step s : st.steps()) {
            assertEquals(0, s.lag(), s.toString());
            assertNull(s.lastError());
            assertNotNull(s.lastRun());
        }
        assertEquals(2, st.steps().get(1).runs());
    }

    @Test
    void aSqlRunCutShortAfterItsCommitIsNotRepeated() throws Exception {
        land("a.ndjson", click("view", "books", 2.5, 2));
        Pipeline p = pipeline(PIPE);
        PipelineRunResult first = p.runOnce();
        assertFalse(first.failed(), first::toString);
        var log = new ProgressLog(LakeInternals.of(lake).store(), "shop", "revenue");
        StepState done = log.read();
        assertEquals(1, done.run());
        // new data converted by the convert step alone (the same pipeline name, one step)
        land("b.ndjson", click("buy", "games", 10, 1));
        Pipeline convertOnly = pipeline(PIPE.substring(0, PIPE.indexOf("  - name: revenue")));
        assertTrue(convertOnly.runOnce().changed());
        // the revenue step's next run as a crash leaves it: pending recorded, the table commit
        // (carrying run 2 as its txn) landed, the done entry never written
        long clicksNow = Tables.of(lake).load("processed/clicks").snapshot().version();
        log.write(
                done.begin(
                        new StepState.Pending(2, Map.of("processed/clicks", clicksNow), -1),
                        "crashed"));
        Sql.of(lake)
                .save(
                        "SELECT category, sum(price * quantity) AS revenue FROM "
                                + Sql.relationAt(CLICKS, clicksNow)
                                + " GROUP BY category",
                        REVENUE,
                        SaveOptions.replace("shop/revenue", 2));
        long committed = Tables.of(lake).load(REVENUE).snapshot().version();

        PipelineRunResult resumed = pipeline(PIPE).runOnce();
        assertFalse(resumed.changed(), resumed::toString);
        assertEquals(committed, Tables.of(lake).load(REVENUE).snapshot().version());
        assertEquals(List.of(List.of("books", 5.0), List.of("games", 10.0)), revenue());
        StepState after = log.read();
        assertEquals(2, after.run());
        assertNull(after.pending());
        assertEquals(clicksNow, after.inputs().get("processed/clicks"));
    }

    @Test
    void aSqlRunCutShortBeforeItsCommitRunsAgain() throws Exception {
        land("a.ndjson", click("view", "books", 2.5, 2));
        Pipeline p = pipeline(PIPE);
        assertFalse(p.runOnce().failed());
        var log = new ProgressLog(LakeInternals.of(lake).store(), "shop", "revenue");
        StepState done = log.read();
        land("b.ndjson", click("buy", "games", 10, 1));
        // pending with stale inputs, and no commit: the run is done again over what is there now
        log.write(done.begin(new StepState.Pending(2, done.inputs(), -1), "crashed"));
        PipelineRunResult resumed = p.runOnce();
        assertTrue(resumed.changed(), resumed::toString);
        assertEquals(List.of(List.of("books", 5.0), List.of("games", 10.0)), revenue());
        assertEquals(2, log.read().run());
        assertEquals(
                2, Tables.of(lake).load(REVENUE).snapshot().transactionVersion("shop/revenue"));
    }

    @Test
    void aFailingStepIsRecordedAndTheOthersGoOn() throws Exception {
        land("a.ndjson", click("view", "books", 2.5, 2));
        Pipeline p =
                pipeline(
                        PIPE
                                + """
                                  - name: typed
                                    sql: {to: analytics/typed, query: "SELECT CAST(category AS INTEGER) AS n FROM processed.clicks"}
                                  - name: counts
                                    sql: {to: analytics/counts, query: "SELECT count(*) AS n FROM processed.clicks"}
                                """);
        PipelineRunResult r = p.runOnce();
        assertTrue(r.failed());
        assertEquals(StepRun.Outcome.FAILED, r.steps().get(2).outcome(), r::toString);
        assertEquals(StepRun.Outcome.RAN, r.steps().get(3).outcome(), r::toString);
        PipelineStatus.Step typed = p.status().steps().get(2);
        assertNotNull(typed.lastError());
        assertTrue(typed.lastError().contains("books"), typed.lastError());
        assertEquals(1, typed.failures());
        assertNull(typed.lastRun());
        assertFalse(lake.catalog().dataset("analytics/typed").isPresent(), "nothing committed");
    }

    @Test
    void anAppendStepReadsOnlyTheRowsItsInputsGained() throws Exception {
        land("a.ndjson", click("view", "books", 2.5, 2), click("buy", "games", 10, 1));
        String text =
                PIPE.replace("mode: replace", "mode: append")
                        .replace(
                                "SELECT category, sum(price * quantity) AS revenue FROM processed.clicks GROUP BY category",
                                "SELECT category, price * quantity AS revenue FROM processed.clicks");
        Pipeline p = pipeline(text);
        assertFalse(p.runOnce().failed());
        assertEquals(List.of(List.of("books", 5.0), List.of("games", 10.0)), revenue());
        assertFalse(p.runOnce().changed());
        land("b.ndjson", click("buy", "toys", 3, 1));
        // a compaction of the input adds no rows: the step must not read them again
        Tables.of(lake).load(CLICKS).newCompaction().commit();
        land("c.ndjson", click("view", "books", 1, 1));
        PipelineRunResult r = p.runOnce();
        assertFalse(r.failed(), r::toString);
        assertEquals(
                List.of(
                        List.of("books", 1.0),
                        List.of("books", 5.0),
                        List.of("games", 10.0),
                        List.of("toys", 3.0)),
                Sql.of(lake)
                        .query("SELECT category, revenue FROM analytics.revenue ORDER BY 1, 2")
                        .rows());
        assertEquals(
                2, Tables.of(lake).load(REVENUE).snapshot().transactionVersion("shop/revenue"));
    }
}
