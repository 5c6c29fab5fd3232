package dev.tarn.lake.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.pipeline.expect.ExpectationPlan;
import dev.tarn.lake.pipeline.expect.Expectations;
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

/**
 * A sql step's {@code expect:} rules run over the rows it is about to commit: quarantined rows set
 * aside exactly once, a broken fail rule committing nothing and stopping what follows, warnings
 * recorded.
 */
@ExtendWith(TarnExtension.class)
class PipelineExpectationsTest {
    static final String CONVERT =
            """
            steps:
              - name: orders
                convert: {from: raw/orders, to: processed/orders}
            """;
    static final String CLEAN =
            """
              - name: clean
                sql: {to: analytics/orders, mode: append,
                      query: "SELECT id, customer, price, status FROM processed.orders"}
                expect:
                  - {not_null: customer, action: quarantine}
                  - {range: {column: price, min: 0}, action: quarantine}
                  - {in: {column: status, values: [new, paid, shipped]}, action: quarantine}
                  - {unique: [id], action: warn}
            """;
    static final DatasetId ORDERS = DatasetId.parse("processed/orders");
    static final DatasetId OUT = DatasetId.parse("analytics/orders");
    static final DatasetId QUARANTINE = DatasetId.parse("analytics/orders_quarantine");

    @TempLake Lake lake;
    @TempDir Path dir;

    void land(String name, String... lines) {
        lake.ingest("raw/orders")
                .bytes((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), name)
                .commit();
    }

    static String order(int id, String customer, double price, String status) {
        return "{\"id\":"
                + id
                + ",\"customer\":"
                + (customer == null ? "null" : "\"" + customer + "\"")
                + ",\"price\":"
                + price
                + ",\"status\":\""
                + status
                + "\"}";
    }

    /** Ids 2 (no customer), 3 (negative price), 5 (unknown status) break quarantine rules. */
    void landMessy() {
        land(
                "a.ndjson",
                order(1, "ann", 10, "new"),
                order(2, null, 5, "paid"),
                order(3, "bob", -4.5, "paid"),
                order(4, "cy", 0, "shipped"),
                order(5, "dee", 7, "lost"),
                order(6, "eve", 3, "new"),
                order(6, "eve", 3, "new"));
    }

    Pipeline pipeline(String text) throws Exception {
        Path f = dir.resolve("shop.yaml");
        Files.writeString(f, text);
        return Pipelines.load(lake, f);
    }

    List<Long> ids(String table) {
        return Sql.of(lake).query("SELECT id FROM " + table + " ORDER BY id").rows().stream()
                .map(r -> ((Number) r.get(0)).longValue())
                .toList();
    }

    long version(DatasetId id) {
        return Tables.of(lake).load(id).snapshot().version();
    }

    /** rule -> [violations, verdict] of one recorded run. */
    Map<Object, List<Object>> recorded(long run) {
        Map<Object, List<Object>> m = new java.util.TreeMap<>();
        for (List<Object> r :
                Sql.of(lake)
                        .query(
                                "SELECT rule, violations, verdict FROM tarn.expectations"
                                        + " WHERE pipeline = 'shop' AND step = 'clean' AND run = "
                                        + run)
                        .rows()) {
            m.put(r.get(0), List.of(r.get(1), r.get(2)));
        }
        return m;
    }

    @Test
    void quarantineRulesSetAsideExactlyTheViolatingRows() throws Exception {
        landMessy();
        Pipeline p = pipeline(CONVERT + CLEAN);
        PipelineRunResult r = p.runOnce();
        assertFalse(r.failed(), r::toString);
        assertEquals(List.of(2L, 3L, 5L), ids("analytics.orders_quarantine"));
        assertEquals(List.of(1L, 4L, 6L, 6L), ids("analytics.orders"));
        assertEquals(
                List.of(
                        List.of(2L, "not_null_customer"),
                        List.of(3L, "range_price"),
                        List.of(5L, "in_status")),
                Sql.of(lake)
                        .query(
                                "SELECT CAST(id AS BIGINT), _broken_rules FROM analytics.orders_quarantine ORDER BY id")
                        .rows());
        assertEquals(
                Map.of(
                        "not_null_customer", List.of(1L, "quarantined"),
                        "range_price", List.of(1L, "quarantined"),
                        "in_status", List.of(1L, "quarantined"),
                        "unique_id", List.of(2L, "warned")),
                recorded(1));
        assertTrue(r.steps().get(1).detail().contains("3 quarantined"), r::toString);

        // nothing new: nothing changes
        long out = version(OUT);
        long q = version(QUARANTINE);
        PipelineRunResult again = p.runOnce();
        assertFalse(again.changed(), again::toString);
        assertEquals(out, version(OUT));
        assertEquals(q, version(QUARANTINE));

        // new rows: only they are checked (append), one more set aside
        land("b.ndjson", order(7, "fay", 1, "paid"), order(8, "gus", -1, "bogus"));
        assertFalse(p.runOnce().failed());
        assertEquals(List.of(2L, 3L, 5L, 8L), ids("analytics.orders_quarantine"));
        assertEquals(List.of(1L, 4L, 6L, 6L, 7L), ids("analytics.orders"));
        assertEquals(
                "range_price, in_status",
                Sql.of(lake)
                        .query("SELECT _broken_rules FROM analytics.orders_quarantine WHERE id = 8")
                        .rows()
                        .get(0)
                        .get(0));
        assertEquals(List.of(0L, "passed"), recorded(2).get("unique_id"));
        assertEquals(List.of(1L, "quarantined"), recorded(2).get("range_price"));
    }

    @Test
    void warnRulesCommitEveryRowAndAreRecorded() throws Exception {
        landMessy();
        Pipeline p = pipeline(CONVERT + CLEAN.replace("action: quarantine", "action: warn"));
        assertFalse(p.runOnce().failed());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 6L), ids("analytics.orders"));
        assertFalse(Tables.of(lake).exists(QUARANTINE), "nothing set aside");
        assertEquals(
                Map.of(
                        "not_null_customer", List.of(1L, "warned"),
                        "range_price", List.of(1L, "warned"),
                        "in_status", List.of(1L, "warned"),
                        "unique_id", List.of(2L, "warned")),
                recorded(1));
    }

    @Test
    void aBrokenFailRuleCommitsNothingAndStopsTheStepsAfterIt() throws Exception {
        land("a.ndjson", order(1, "ann", 10, "new"), order(2, "bob", 4, "paid"));
        String text =
                CONVERT
                        + CLEAN.replace("action: warn", "action: fail")
                        + """
                          - name: summary
                            sql: {to: analytics/summary,
                                  query: "SELECT (SELECT count(*) FROM analytics.orders) AS good, (SELECT count(*) FROM processed.orders) AS seen"}
                        """;
        Pipeline p = pipeline(text);
        assertFalse(p.runOnce().failed());
        long out = version(OUT);
        long summary = version(DatasetId.parse("analytics/summary"));

        // a repeated key among the new rows breaks the fail rule: nothing of the run is committed
        land(
                "b.ndjson",
                order(3, "cy", 4, "paid"),
                order(3, "cy", 4, "paid"),
                order(4, null, 1, "new"));
        PipelineRunResult r = p.runOnce();
        assertTrue(r.failed(), r::toString);
        StepRun clean = r.steps().get(1);
        assertEquals(StepRun.Outcome.FAILED, clean.outcome(), r::toString);
        assertTrue(
                clean.detail()
                        .startsWith(
                                "step clean: expectation with action fail broken: unique_id (unique): 2 rows"),
                clean.detail());
        assertEquals(out, version(OUT));
        assertFalse(Tables.of(lake).exists(QUARANTINE), "no quarantine commit either");
        assertEquals(List.of(1L, 2L), ids("analytics.orders"));
        StepRun after = r.steps().get(2);
        assertEquals(StepRun.Outcome.WAITING, after.outcome(), r::toString);
        assertEquals("step clean failed; not run", after.detail());
        assertEquals(summary, version(DatasetId.parse("analytics/summary")));
        assertEquals(List.of(2L, "failed"), recorded(2).get("unique_id"));
        assertEquals(List.of(1L, "quarantined"), recorded(2).get("not_null_customer"));
        var status = p.status().steps().get(1);
        assertTrue(status.lastError().contains("expectation with action fail"), status::toString);
        assertEquals(1, status.runs());
    }

    @Test
    void aRunCutShortBetweenItsQuarantineAndOutputCommitsSetsNothingAsideTwice() throws Exception {
        landMessy();
        Pipeline p = pipeline(CONVERT + CLEAN);
        assertFalse(p.runOnce().failed());
        var log = new ProgressLog(LakeInternals.of(lake).store(), "shop", "clean");
        StepState done = log.read();
        long seen = done.inputs().get("processed/orders");
        land("b.ndjson", order(7, "fay", 1, "paid"), order(8, null, 2, "new"));
        assertTrue(pipeline(CONVERT).runOnce().changed());
        long now = version(ORDERS);
        // run 2 as a crash leaves it: pending, its quarantine commit landed, no output commit
        log.write(
                done.begin(
                        new StepState.Pending(2, Map.of("processed/orders", now), -1), "crashed"));
        ExpectationPlan plan =
                Expectations.plan(
                        Expectations.parse(
                                List.of(
                                        Map.of("not_null", "customer", "action", "quarantine"),
                                        Map.of(
                                                "range",
                                                Map.of("column", "price", "min", 0),
                                                "action",
                                                "quarantine"),
                                        Map.of(
                                                "in",
                                                Map.of(
                                                        "column",
                                                        "status",
                                                        "values",
                                                        List.of("new", "paid", "shipped")),
                                                "action",
                                                "quarantine"),
                                        Map.of("unique", List.of("id")))),
                        "SELECT id, customer, price, status FROM "
                                + Sql.relationAdded(ORDERS, seen, now));
        Sql.of(lake)
                .save(
                        plan.quarantineSql(),
                        QUARANTINE,
                        SaveOptions.append("shop/clean/quarantine", 2));
        long q = version(QUARANTINE);
        // more rows land before the resumed run: they are the next run's, not run 2's
        land("c.ndjson", order(9, "gil", -2, "paid"));

        PipelineRunResult resumed = p.runOnce();
        assertFalse(resumed.failed(), resumed::toString);
        assertEquals(q, version(QUARANTINE), "run 2's rows were set aside already");
        assertEquals(List.of(2L, 3L, 5L, 8L), ids("analytics.orders_quarantine"));
        assertEquals(List.of(1L, 4L, 6L, 6L, 7L), ids("analytics.orders"));
        assertEquals(2, log.read().run());
        assertNull(log.read().pending());

        assertFalse(p.runOnce().failed());
        assertEquals(List.of(2L, 3L, 5L, 8L, 9L), ids("analytics.orders_quarantine"));
        assertEquals(List.of(1L, 4L, 6L, 6L, 7L), ids("analytics.orders"));
        assertEquals(3, log.read().run());
    }

    @Test
    void aReplaceStepsQuarantineHoldsWhatItsOutputLeftOut() throws Exception {
        landMessy();
        Pipeline p = pipeline(CONVERT + CLEAN.replace("mode: append", "mode: replace"));
        assertFalse(p.runOnce().failed());
        assertEquals(List.of(2L, 3L, 5L), ids("analytics.orders_quarantine"));
        land("b.ndjson", order(7, "fay", 1, "paid"), order(8, null, 2, "new"));
        assertFalse(p.runOnce().failed());
        // the whole output again: its set-aside rows replace the previous run's, none twice
        assertEquals(List.of(2L, 3L, 5L, 8L), ids("analytics.orders_quarantine"));
        assertEquals(List.of(1L, 4L, 6L, 6L, 7L), ids("analytics.orders"));
    }
}
