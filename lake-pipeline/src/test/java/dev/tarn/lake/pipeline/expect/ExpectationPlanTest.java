package dev.tarn.lake.pipeline.expect;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.query.QueryResult;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.testing.TarnExtension;
import dev.tarn.lake.testing.TempLake;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Expectations through SQL over messy clicks (nulls, negative prices, unknown event types, repeated
 * ids, a malformed e-mail): exactly the breaking rows are quarantined with the rules they broke,
 * the rest are the good rows, counts and verdicts match, and the recorded results are what {@code
 * tarn.expectations} shows.
 */
@ExtendWith(TarnExtension.class)
class ExpectationPlanTest {
    @TempLake Lake lake;
    Sql sql;

    static final String CLICKS =
            """
            {"event_id": 1, "user_id": "u1", "price": 9.5, "event_type": "view", "email": "a@x.io", "ts": "2026-12-01T10:00:00Z"}
            {"event_id": 2, "user_id": null, "price": 3.0, "event_type": "click", "email": "b@x.io", "ts": "2026-12-01T10:01:00Z"}
            {"event_id": 3, "user_id": "u3", "price": -4.0, "event_type": "purchase", "email": "c@x.io", "ts": "2026-12-01T10:02:00Z"}
            {"event_id": 4, "user_id": "u4", "price": 12.0, "event_type": "hover", "email": "d@x.io", "ts": "2026-12-01T10:03:00Z"}
            {"event_id": 4, "user_id": "u4", "price": 12.0, "event_type": "view", "email": "d-at-x.io", "ts": "2026-12-01T10:04:00Z"}
            {"event_id": 6, "user_id": null, "price": -1.0, "event_type": "click", "email": null, "ts": "2026-12-01T10:05:00Z"}
            {"event_id": 7, "user_id": "u7", "price": null, "event_type": null, "email": "g@x.io", "ts": "2026-12-01T12:00:00Z"}
            """;

    @BeforeEach
    void setUp() {
        lake.ingest("raw/clicks")
                .bytes(CLICKS.getBytes(StandardCharsets.UTF_8), "clicks.ndjson")
                .commit();
        sql = Sql.of(lake);
    }

    static List<Expectation> rules(String yaml) throws Exception {
        return Expectations.parse(
                (List<?>)
                        new ObjectMapper(new YAMLFactory())
                                .readValue(yaml, Map.class)
                                .get("expect"));
    }

    static List<Long> ids(QueryResult r, int column) {
        List<Long> out = new ArrayList<>();
        for (List<Object> row : r.rows()) {
            out.add(((Number) row.get(column)).longValue());
        }
        return out;
    }

    @Test
    void quarantineSetsAsideExactlyTheBreakingRowsWithTheRulesTheyBroke() throws Exception {
        ExpectationPlan plan =
                Expectations.plan(
                        rules(
                                """
                                expect:
                                  - {not_null: user_id, action: quarantine}
                                  - {range: {column: price, min: 0, max: 100}, action: quarantine}
                                  - {in: {column: event_type, values: [view, click, purchase]}, action: warn}
                                  - {pattern: {column: email, regex: '[^@]+@[^@]+\\.[a-z]+'}, action: warn}
                                  - {unique: [event_id], action: warn}
                                  - {row_count: {min: 1, max: 1000}, action: fail}
                                  - {freshness: {column: ts, max_age: 1d}, action: warn}
                                """),
                        "SELECT * FROM raw.clicks");
        Instant now = Instant.parse("2026-12-03T12:00:00Z");
        ExpectationReport report = plan.evaluate(sql, now);
        assertEquals(7, report.rows());
        assertEquals(3, report.quarantined(), "events 2 (null user), 3 (negative), 6 (both)");
        assertEquals(4, report.goodRows());
        assertFalse(report.failed());
        assertResult(report, "not_null_user_id", 2, Verdict.QUARANTINED);
        assertResult(
                report, "range_price", 2, Verdict.QUARANTINED); // null price is not out of range
        assertResult(report, "in_event_type", 1, Verdict.WARNED); // hover; a null is not_null's job
        assertResult(report, "pattern_email", 1, Verdict.WARNED);
        assertResult(report, "unique_event_id", 2, Verdict.WARNED); // both rows of event 4
        assertResult(report, "row_count", 0, Verdict.PASSED);
        RuleResult fresh = report.result("freshness_ts").orElseThrow();
        assertEquals(Verdict.WARNED, fresh.verdict(), fresh.detail());
        assertTrue(fresh.detail().contains("2 days old, max 1 day"), fresh.detail());

        assertEquals(
                List.of(1L, 4L, 4L, 7L),
                ids(sql.query(plan.goodRowsSql() + " ORDER BY event_id"), 0));
        QueryResult q = sql.query(plan.quarantineSql() + " ORDER BY event_id");
        assertEquals(
                List.of(
                        "event_id",
                        "user_id",
                        "price",
                        "event_type",
                        "email",
                        "ts",
                        "ingest_date",
                        "_broken_rules"),
                q.columns().stream().map(QueryResult.Column::name).toList());
        assertEquals(List.of(2L, 3L, 6L), ids(q, 0));
        assertEquals("not_null_user_id", q.rows().get(0).get(7));
        assertEquals("range_price", q.rows().get(1).get(7));
        assertEquals("not_null_user_id, range_price", q.rows().get(2).get(7));

        // recorded, and shown by SQL as tarn.expectations
        DatasetId out = DatasetId.parse("processed/clicks");
        ExpectationResults.record(lake, "shop", "clicks", 1, out, report);
        QueryResult shown =
                sql.query(
                        "SELECT pipeline, step, run, rule, action, violations, verdict, checked_at"
                                + " FROM tarn.expectations ORDER BY rule");
        assertEquals(7, shown.rows().size());
        assertEquals(
                List.of("shop", "clicks", 1L, "in_event_type", "warn", 1L, "warned"),
                shown.rows().get(1).subList(0, 7).stream()
                        .map(v -> v instanceof Number n ? (Object) n.longValue() : v)
                        .toList());
        assertEquals(
                2L,
                ((Number)
                                sql.query(
                                                "SELECT violations FROM tarn.expectations WHERE rule = 'range_price' AND verdict = 'quarantined'")
                                        .rows()
                                        .get(0)
                                        .get(0))
                        .longValue());
        // a second run shows up at once
        ExpectationResults.record(lake, "shop", "clicks", 2, out, report);
        assertEquals(
                14L,
                ((Number) sql.query("SELECT count(*) FROM tarn.expectations").rows().get(0).get(0))
                        .longValue());
    }

    @Test
    void aFailRuleFailsTheStepAndAQuarantineFillsTheQuarantineTable() throws Exception {
        DatasetId out = DatasetId.parse("processed/clicks");
        ExpectationPlan failing =
                Expectations.plan(
                        rules(
                                "expect:\n  - {unique: [event_id], action: fail}\n  - {not_null: user_id, action: quarantine}\n"),
                        "\"raw\".\"clicks\"");
        TarnException e =
                assertThrows(TarnException.class, () -> failing.enforce(lake, sql, "clicks", out));
        assertEquals(ErrorCode.EXPECTATION_FAILED, e.errorCode());
        assertTrue(e.getMessage().contains("unique_event_id (unique): 2 rows"), e.getMessage());
        assertFalse(
                Tables.of(lake).exists(ExpectationPlan.quarantineTable(out)), "nothing written");

        ExpectationPlan quarantining =
                Expectations.plan(
                        rules(
                                "expect:\n  - {not_null: user_id, action: quarantine}\n  - {row_count: {max: 3}, action: warn}\n"),
                        "raw.clicks");
        ExpectationReport r = quarantining.enforce(lake, sql, "clicks", out);
        assertEquals(2, r.quarantined());
        assertEquals(Verdict.WARNED, r.result("row_count").orElseThrow().verdict());
        assertEquals("7 rows, max 3", r.result("row_count").orElseThrow().detail());
        quarantining.enforce(lake, sql, "clicks", out); // a second run appends to the same table
        QueryResult q =
                sql.query(
                        "SELECT event_id, _broken_rules FROM processed.clicks_quarantine ORDER BY 1");
        assertEquals(List.of(2L, 2L, 6L, 6L), ids(q, 0));
        assertEquals("not_null_user_id", q.rows().get(0).get(1));
    }

    @Test
    void aRuleOnAColumnTheOutputLacksIsAnErrorNamingIt() throws Exception {
        ExpectationPlan plan =
                Expectations.plan(
                        rules("expect:\n  - {not_null: customer, action: fail}\n"), "raw.clicks");
        TarnException e = assertThrows(TarnException.class, () -> plan.evaluate(sql));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "expectation not_null_customer (not_null): the output has no column customer"),
                e.getMessage());
    }

    static void assertResult(ExpectationReport r, String name, long violations, Verdict verdict) {
        RuleResult x = r.result(name).orElseThrow(() -> new AssertionError("no result " + name));
        assertEquals(violations, x.violations(), name);
        assertEquals(verdict, x.verdict(), name);
    }
}
