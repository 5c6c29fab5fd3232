package dev.tarn.lake.pipeline.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * A step's {@code expect:} list, read from YAML or JSON, and the SQL that checks it.
 *
 * <pre>{@code
 * expect:
 *   - {not_null: user_id, action: quarantine}
 *   - {range: {column: price, min: 0}, action: quarantine}
 *   - {in: {column: event_type, values: [view, click, purchase]}, action: warn}
 *   - {pattern: {column: email, regex: '[^@]+@[^@]+'}, name: email_shape}
 *   - {unique: [event_id], action: fail}
 *   - {row_count: {min: 1}, action: fail}
 *   - {freshness: {column: ts, max_age: 1d}, action: warn}
 * }</pre>
 *
 * Each item has exactly one rule key, an optional {@code action} ({@code warn} by default) and an
 * optional {@code name} (made from the rule otherwise: {@code not_null_user_id}); names are unique
 * within a step.
 */
public final class Expectations {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final java.util.regex.Pattern SHORT_DURATION =
            java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)");
    private static final List<String> RULES =
            List.of("not_null", "range", "in", "pattern", "unique", "row_count", "freshness");

    private Expectations() {}

    /**
     * The expectations of an {@code expect:} list as Jackson read it (maps, lists, strings,
     * numbers; or JSON nodes).
     *
     * @throws IllegalArgumentException naming the item ({@code expect[2]}), its rule and the key
     *     that is wrong
     */
    public static List<Expectation> parse(List<?> yamlList) {
        if (yamlList == null) {
            return List.of();
        }
        List<Expectation> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < yamlList.size(); i++) {
            Object item = plain(yamlList.get(i));
            String where = "expect[" + i + "]";
            if (!(item instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(
                        where
                                + ": an expectation is a map with one rule key ("
                                + String.join(", ", RULES)
                                + "), not "
                                + item);
            }
            Expectation e = item(where, map);
            if (!names.add(e.name())) {
                throw new IllegalArgumentException(
                        where
                                + " ("
                                + e.rule().kind()
                                + "): another expectation of the step is named '"
                                + e.name()
                                + "'; give one a name: key");
            }
            out.add(e);
        }
        return List.copyOf(out);
    }

    /**
     * The SQL that checks {@code rules} over a step's output: a relation ({@code
     * "processed"."clicks"}) or a query ({@code SELECT ... FROM ...}).
     */
    public static ExpectationPlan plan(List<Expectation> rules, String relationSql) {
        return new ExpectationPlan(rules, relationSql);
    }

    private static Expectation item(String where, Map<?, ?> map) {
        String kind = null;
        Action action = Action.WARN;
        String name = null;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (RULES.contains(key)) {
                if (kind != null) {
                    throw new IllegalArgumentException(
                            where
                                    + ": two rules ("
                                    + kind
                                    + ", "
                                    + key
                                    + ") in one item; one each");
                }
                kind = key;
            } else if (key.equals("action")) {
                action = action(where, e.getValue());
            } else if (key.equals("name")) {
                name = text(where + ".name", e.getValue());
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException(
                            where
                                    + ".name: '"
                                    + name
                                    + "' is not a name (letters, digits, '_', '.', '-'; at most 128)");
                }
            } else {
                throw new IllegalArgumentException(
                        where
                                + ": unknown key '"
                                + key
                                + "'; an expectation has one rule ("
                                + String.join(", ", RULES)
                                + "), action and name");
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException(
                    where + ": no rule; give one of " + String.join(", ", RULES));
        }
        String at = where + " (" + kind + ")";
        Rule rule = rule(at, kind, map.get(kind));
        if (action == Action.QUARANTINE && !rule.rowLevel()) {
            throw new IllegalArgumentException(
                    at
                            + ": action quarantine sets rows aside, but "
                            + kind
                            + " judges the whole output; use warn or fail");
        }
        return new Expectation(name == null ? defaultName(rule) : name, rule, action);
    }

    private static String defaultName(Rule rule) {
        return rule.defaultName().replaceAll("[^A-Za-z0-9_.-]", "_").toLowerCase(Locale.ROOT);
    }

    private static Rule rule(String at, String kind, Object value) {
        try {
            return switch (kind) {
                case "not_null" -> new Rule.NotNull(column(at, value));
                case "unique" -> new Rule.Unique(columns(at, value));
                case "range" -> {
                    Map<?, ?> m = map(at, value, Set.of("column", "min", "max"));
                    yield new Rule.Range(
                            column(at + ".column", m.get("column")),
                            bound(at + ".min", m.get("min")),
                            bound(at + ".max", m.get("max")));
                }
                case "in" -> {
                    Map<?, ?> m = map(at, value, Set.of("column", "values"));
                    if (!(m.get("values") instanceof List<?> l)) {
                        throw new IllegalArgumentException(
                                at + ".values: a list of the allowed values");
                    }
                    for (Object v : l) {
                        if (v != null
                                && !(v instanceof String
                                        || v instanceof Number
                                        || v instanceof Boolean)) {
                            throw new IllegalArgumentException(
                                    at + ".values: " + v + " is not a string, number or boolean");
                        }
                    }
                    yield new Rule.AllowedValues(
                            column(at + ".column", m.get("column")), new ArrayList<>(l));
                }
                case "pattern" -> {
                    Map<?, ?> m = map(at, value, Set.of("column", "regex"));
                    String regex = text(at + ".regex", m.get("regex"));
                    try {
                        java.util.regex.Pattern.compile(regex);
                    } catch (java.util.regex.PatternSyntaxException e) {
                        throw new IllegalArgumentException(
                                at + ".regex: not a regular expression: " + e.getDescription());
                    }
                    yield new Rule.Pattern(column(at + ".column", m.get("column")), regex);
                }
                case "row_count" -> {
                    Map<?, ?> m = map(at, value, Set.of("min", "max"));
                    yield new Rule.RowCount(
                            count(at + ".min", m.get("min")), count(at + ".max", m.get("max")));
                }
                case "freshness" -> {
                    Map<?, ?> m = map(at, value, Set.of("column", "max_age"));
                    yield new Rule.Freshness(
                            column(at + ".column", m.get("column")),
                            duration(at + ".max_age", m.get("max_age")));
                }
                default -> throw new IllegalStateException(kind);
            };
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("expect[")) {
                throw e;
            }
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    private static Action action(String where, Object v) {
        String s = text(where + ".action", v);
        for (Action a : Action.values()) {
            if (a.id().equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                where + ".action: '" + s + "' is not one of warn, quarantine, fail");
    }

    private static Map<?, ?> map(String at, Object value, Set<String> keys) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(at + ": a map with " + keys + ", not " + value);
        }
        for (Object k : m.keySet()) {
            if (!keys.contains(String.valueOf(k))) {
                throw new IllegalArgumentException(
                        at
                                + ": unknown key '"
                                + k
                                + "'; allowed: "
                                + String.join(", ", new java.util.TreeSet<>(keys)));
            }
        }
        return m;
    }

    private static String column(String at, Object v) {
        String c = text(at, v);
        if (c.isBlank() || c.length() > 255 || c.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(at + ": '" + c + "' is not a column name");
        }
        return c;
    }

    private static List<String> columns(String at, Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                out.add(column(at, o));
            }
        } else {
            out.add(column(at, v));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(at + ": at least one column");
        }
        return out;
    }

    private static String text(String at, Object v) {
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(at + ": a string, not " + (v == null ? "nothing" : v));
    }

    private static Object bound(String at, Object v) {
        if (v == null || v instanceof Number || v instanceof String) {
            return v;
        }
        throw new IllegalArgumentException(at + ": a number or a date/timestamp string, not " + v);
    }

    private static Long count(String at, Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= 0) {
            return n.longValue();
        }
        throw new IllegalArgumentException(at + ": a whole number of rows, 0 or more, not " + v);
    }

    /** {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}, {@code 1w}, or ISO-8601 {@code PT1H}. */
    static Duration duration(String at, Object v) {
        String s = text(at, v).trim();
        Matcher m = SHORT_DURATION.matcher(s.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        }
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    at + ": '" + s + "' is not a duration (30s, 15m, 2h, 1d, 1w or PT1H)");
        }
    }

    /** A JSON node as plain maps and lists. */
    private static Object plain(Object o) {
        if (o instanceof JsonNode n) {
            return JSON.convertValue(n, Object.class);
        }
        if (o instanceof Map<?, ?> m) {
            return new LinkedHashMap<>(m);
        }
        return o;
    }
}
