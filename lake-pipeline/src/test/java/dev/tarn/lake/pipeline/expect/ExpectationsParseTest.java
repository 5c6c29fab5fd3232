package dev.tarn.lake.pipeline.expect;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code expect:} list as YAML gives it, and errors that name the item and the key. */
class ExpectationsParseTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<?> yaml(String text) throws Exception {
        return (List<?>) YAML.readValue(text, Map.class).get("expect");
    }

    @Test
    void theDocumentedShapeParses() throws Exception {
        List<Expectation> e =
                Expectations.parse(
                        yaml(
                                """
                                expect:
                                  - {not_null: user_id, action: quarantine}
                                  - {range: {column: price, min: 0}, action: quarantine}
                                  - {in: {column: event_type, values: [view, click, purchase]}, action: warn}
                                  - {pattern: {column: email, regex: '[^@]+@[^@]+'}, name: email_shape}
                                  - {unique: [event_id], action: fail}
                                  - {row_count: {min: 1}, action: fail}
                                  - {freshness: {column: ts, max_age: 1d}, action: warn}
                                """));
        assertEquals(
                List.of(
                        new Expectation(
                                "not_null_user_id", new Rule.NotNull("user_id"), Action.QUARANTINE),
                        new Expectation(
                                "range_price", new Rule.Range("price", 0, null), Action.QUARANTINE),
                        new Expectation(
                                "in_event_type",
                                new Rule.AllowedValues(
                                        "event_type", List.of("view", "click", "purchase")),
                                Action.WARN),
                        new Expectation(
                                "email_shape",
                                new Rule.Pattern("email", "[^@]+@[^@]+"),
                                Action.WARN),
                        new Expectation(
                                "unique_event_id",
                                new Rule.Unique(List.of("event_id")),
                                Action.FAIL),
                        new Expectation("row_count", new Rule.RowCount(1L, null), Action.FAIL),
                        new Expectation(
                                "freshness_ts",
                                new Rule.Freshness("ts", Duration.ofDays(1)),
                                Action.WARN)),
                e);
    }

    @Test
    void errorsNameTheItemAndTheKey() throws Exception {
        assertError(
                "expect[1] (range): unknown key 'maxx'",
                "- {not_null: a}\n  - {range: {column: p, maxx: 3}}");
        assertError("expect[0]: unknown key 'actoin'", "- {not_null: a, actoin: fail}");
        assertError(
                "expect[0].action: 'stop' is not one of warn, quarantine, fail",
                "- {not_null: a, action: stop}");
        assertError("expect[0]: two rules (not_null, unique)", "- {not_null: a, unique: [a]}");
        assertError("expect[0]: no rule", "- {action: warn}");
        assertError(
                "expect[0] (row_count): action quarantine sets rows aside",
                "- {row_count: {min: 1}, action: quarantine}");
        assertError(
                "expect[0] (freshness).max_age: '1 fortnight' is not a duration",
                "- {freshness: {column: ts, max_age: 1 fortnight}}");
        assertError(
                "expect[0] (pattern).regex: not a regular expression",
                "- {pattern: {column: e, regex: '[a-'}}");
        assertError("expect[0] (in).values: a list", "- {in: {column: e, values: view}}");
        assertError("expect[0] (range): a range needs min, max or both", "- {range: {column: p}}");
        assertError("expect[0] (row_count).min: a whole number", "- {row_count: {min: -1}}");
        assertError(
                "expect[1] (not_null): another expectation of the step is named 'not_null_a'",
                "- {not_null: a}\n  - {not_null: a, action: fail}");
        assertError("expect[0].name: 'a b' is not a name", "- {not_null: a, name: a b}");
    }

    private static void assertError(String start, String items) throws Exception {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Expectations.parse(yaml("expect:\n  " + items + "\n")));
        assertTrue(e.getMessage().startsWith(start), "got: " + e.getMessage());
    }

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(90), Expectations.duration("x", "90s"));
        assertEquals(Duration.ofMinutes(15), Expectations.duration("x", "15m"));
        assertEquals(Duration.ofHours(2), Expectations.duration("x", "2h"));
        assertEquals(Duration.ofDays(14), Expectations.duration("x", "2w"));
        assertEquals(Duration.ofHours(1), Expectations.duration("x", "PT1H"));
    }
}
