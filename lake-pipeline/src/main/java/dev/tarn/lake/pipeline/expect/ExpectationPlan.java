package dev.tarn.lake.pipeline.expect;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.query.QueryResult;
import dev.tarn.lake.query.Sql;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The SQL of a step's expectations over its output, a relation or a query. Each row rule becomes a
 * boolean column ({@code _tarn_r0}...: true when the row breaks it) of a CTE over the output; from
 * it:
 *
 * <ul>
 *   <li>{@link #goodRowsSql()}: the output's rows that break no quarantine rule (its own columns);
 *   <li>{@link #quarantineSql()}: the rows that break one, with {@value #BROKEN_RULES} naming every
 *       rule they broke ({@code not_null_user_id, range_price});
 *   <li>{@link #checkSql()}: one row of counts: the rows, the quarantined rows, each row rule's
 *       violations, each freshness column's newest value.
 * </ul>
 *
 * All of it is lake SQL (vetted as any query), so it reads the step's inputs with the handle's
 * rights.
 */
public final class ExpectationPlan {
    /** The column of {@link #quarantineSql()} naming the rules a row broke, comma-separated. */
    public static final String BROKEN_RULES = "_broken_rules";

    private static final java.util.regex.Pattern QUERY =
            java.util.regex.Pattern.compile("(?is)\\s*(select|with|values|from|\\(|summarize).*");

    private final List<Expectation> expectations;
    private final String input;
    private final List<Integer> rowRules = new ArrayList<>();

    ExpectationPlan(List<Expectation> expectations, String relationSql) {
        this.expectations = List.copyOf(expectations);
        String s = relationSql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        this.input = QUERY.matcher(s).matches() ? s : "SELECT * FROM " + s;
        for (int i = 0; i < this.expectations.size(); i++) {
            if (this.expectations.get(i).rule().rowLevel()) {
                rowRules.add(i);
            }
        }
    }

    public List<Expectation> expectations() {
        return expectations;
    }

    /** The output's rows that break no quarantine rule, with the output's columns only. */
    public String goodRowsSql() {
        if (rowRules.isEmpty()) {
            return input;
        }
        return checked()
                + "SELECT * EXCLUDE ("
                + flags()
                + ") FROM _tarn_checked WHERE NOT ("
                + quarantined()
                + ")";
    }

    /**
     * The rows that break at least one quarantine rule, with {@value #BROKEN_RULES} naming every
     * rule each broke (warn rules too); no rows when no rule quarantines.
     */
    public String quarantineSql() {
        if (rowRules.isEmpty()) {
            return "SELECT *, CAST(NULL AS VARCHAR) AS "
                    + BROKEN_RULES
                    + " FROM ("
                    + input
                    + ") WHERE false";
        }
        String names =
                rowRules.stream()
                        .map(
                                i ->
                                        "CASE WHEN _tarn_r"
                                                + i
                                                + " THEN "
                                                + literal(expectations.get(i).name())
                                                + " END")
                        .collect(Collectors.joining(", "));
        return checked()
                + "SELECT * EXCLUDE ("
                + flags()
                + "), concat_ws(', ', "
                + names
                + ") AS "
                + BROKEN_RULES
                + " FROM _tarn_checked WHERE "
                + quarantined();
    }

    /**
     * One row: {@code rows}, {@code quarantined}, then per expectation {@code v0, v1...}: a row
     * rule's violations, a freshness column's newest value in epoch milliseconds (and {@code
     * newest<i>} as text), null for row counts (judged from {@code rows}).
     */
    public String checkSql() {
        StringBuilder b = new StringBuilder(checked());
        b.append("SELECT count(*) AS rows, count(*) FILTER (WHERE ")
                .append(rowRules.isEmpty() ? "false" : quarantined())
                .append(") AS quarantined");
        for (int i = 0; i < expectations.size(); i++) {
            Rule r = expectations.get(i).rule();
            if (r.rowLevel()) {
                b.append(", count(*) FILTER (WHERE _tarn_r").append(i).append(") AS v").append(i);
            } else if (r instanceof Rule.Freshness f) {
                b.append(", epoch_ms(CAST(max(")
                        .append(ident(f.column()))
                        .append(") AS TIMESTAMP)) AS v")
                        .append(i)
                        .append(", CAST(max(")
                        .append(ident(f.column()))
                        .append(") AS VARCHAR) AS newest")
                        .append(i);
            } else {
                b.append(", NULL AS v").append(i);
            }
        }
        return b.append(" FROM _tarn_checked").toString();
    }

    /** {@link #evaluate(Sql, Instant)} now. */
    public ExpectationReport evaluate(Sql sql) {
        return evaluate(sql, Instant.now());
    }

    /**
     * Runs the checks: first that the output has every column a rule names (an error naming the
     * expectation otherwise), then {@link #checkSql()}.
     */
    public ExpectationReport evaluate(Sql sql, Instant now) {
        requireColumns(sql);
        QueryResult r = sql.query(checkSql());
        List<Object> row = r.rows().get(0);
        long rows = number(row.get(0));
        long quarantined = number(row.get(1));
        List<RuleResult> results = new ArrayList<>();
        int col = 2;
        for (Expectation e : expectations) {
            Object v = row.get(col++);
            long violations;
            String detail = "";
            if (e.rule().rowLevel()) {
                violations = number(v);
            } else if (e.rule() instanceof Rule.Freshness f) {
                Object newest = row.get(col++);
                if (v == null) {
                    violations = 1;
                    detail = "no value in " + f.column() + ", max age " + human(f.maxAge());
                } else {
                    Duration age = Duration.between(Instant.ofEpochMilli(number(v)), now);
                    violations = age.compareTo(f.maxAge()) > 0 ? 1 : 0;
                    detail =
                            "newest "
                                    + newest
                                    + " is "
                                    + (age.isNegative() ? "in the future" : human(age) + " old")
                                    + ", max "
                                    + human(f.maxAge());
                }
            } else {
                Rule.RowCount c = (Rule.RowCount) e.rule();
                boolean low = c.min() != null && rows < c.min();
                boolean high = c.max() != null && rows > c.max();
                violations = low || high ? 1 : 0;
                detail =
                        rows
                                + (rows == 1 ? " row" : " rows")
                                + (c.min() == null ? "" : ", min " + c.min())
                                + (c.max() == null ? "" : ", max " + c.max());
            }
            results.add(new RuleResult(e, violations, verdict(e, violations), detail));
        }
        return new ExpectationReport(rows, quarantined, results, now);
    }

    /**
     * What a pipeline step does with its expectations, in one call: evaluates them over the step's
     * output; if a fail rule broke, throws {@code EXPECTATION_FAILED} (the step must commit
     * nothing); else appends the quarantined rows, if any, to the step's quarantine table ({@link
     * #quarantineTable}, created on first use, with {@value #BROKEN_RULES}) and returns the report.
     * The step then commits {@link #goodRowsSql()} as its output and records the report ({@link
     * ExpectationResults#record}).
     */
    public ExpectationReport enforce(
            dev.tarn.lake.Lake lake, Sql sql, String step, DatasetId output) {
        ExpectationReport report = evaluate(sql);
        if (report.failed()) {
            throw report.failure(step);
        }
        if (report.quarantined() > 0) {
            DatasetId q = quarantineTable(output);
            if (dev.tarn.lake.table.Tables.of(lake).exists(q)) {
                sql.insertInto(quarantineSql(), q);
            } else {
                sql.saveAsTable(quarantineSql(), q);
            }
        }
        return report;
    }

    /** The quarantine table of a step writing {@code output}: {@code zone/<name>_quarantine}. */
    public static DatasetId quarantineTable(DatasetId output) {
        return new DatasetId(output.zone(), output.name() + "_quarantine");
    }

    private void requireColumns(Sql sql) {
        List<String> have =
                sql.query("SELECT * FROM (" + input + ") LIMIT 0").columns().stream()
                        .map(QueryResult.Column::name)
                        .toList();
        for (Expectation e : expectations) {
            for (String c : e.rule().columns()) {
                if (have.stream().noneMatch(h -> h.equalsIgnoreCase(c))) {
                    throw new TarnException(
                            ErrorCode.INVALID_ARGUMENT,
                            "expectation "
                                    + e.name()
                                    + " ("
                                    + e.rule().kind()
                                    + "): the output has no column "
                                    + c
                                    + "; it has "
                                    + have);
                }
            }
        }
    }

    private static Verdict verdict(Expectation e, long violations) {
        if (violations == 0) {
            return Verdict.PASSED;
        }
        return switch (e.action()) {
            case WARN -> Verdict.WARNED;
            case QUARANTINE -> Verdict.QUARANTINED;
            case FAIL -> Verdict.FAILED;
        };
    }

    /** The CTEs: the output, and the output with one flag column per row rule. */
    private String checked() {
        StringBuilder b =
                new StringBuilder("WITH _tarn_input AS (")
                        .append(input)
                        .append("), _tarn_checked AS (SELECT *");
        for (int i : rowRules) {
            b.append(", (")
                    .append(broken(expectations.get(i).rule()))
                    .append(") AS _tarn_r")
                    .append(i);
        }
        return b.append(" FROM _tarn_input) ").toString();
    }

    private String flags() {
        return rowRules.stream().map(i -> "_tarn_r" + i).collect(Collectors.joining(", "));
    }

    /** A row breaks at least one quarantine rule. */
    private String quarantined() {
        String q =
                rowRules.stream()
                        .filter(i -> expectations.get(i).action() == Action.QUARANTINE)
                        .map(i -> "_tarn_r" + i)
                        .collect(Collectors.joining(" OR "));
        return q.isEmpty() ? "false" : q;
    }

    /** SQL true when a row breaks the rule, never null. */
    private static String broken(Rule rule) {
        if (rule instanceof Rule.NotNull n) {
            return ident(n.column()) + " IS NULL";
        }
        if (rule instanceof Rule.Range n) {
            List<String> parts = new ArrayList<>();
            if (n.min() != null) {
                parts.add("coalesce(" + ident(n.column()) + " < " + literal(n.min()) + ", false)");
            }
            if (n.max() != null) {
                parts.add("coalesce(" + ident(n.column()) + " > " + literal(n.max()) + ", false)");
            }
            return String.join(" OR ", parts);
        }
        if (rule instanceof Rule.AllowedValues n) {
            return "coalesce("
                    + ident(n.column())
                    + " NOT IN ("
                    + n.values().stream()
                            .filter(v -> v != null)
                            .map(ExpectationPlan::literal)
                            .collect(Collectors.joining(", "))
                    + "), false)";
        }
        if (rule instanceof Rule.Pattern n) {
            return "coalesce(NOT regexp_full_match(CAST("
                    + ident(n.column())
                    + " AS VARCHAR), "
                    + literal(n.regex())
                    + "), false)";
        }
        if (rule instanceof Rule.Unique n) {
            return "coalesce("
                    + n.columns().stream()
                            .map(c -> ident(c) + " IS NOT NULL")
                            .collect(Collectors.joining(" AND "))
                    + " AND count(*) OVER (PARTITION BY "
                    + n.columns().stream()
                            .map(ExpectationPlan::ident)
                            .collect(Collectors.joining(", "))
                    + ") > 1, false)";
        }
        return "false"; // row_count and freshness judge the whole output
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A value as a SQL literal: numbers checked as numbers, everything else a quoted string. */
    static String literal(Object v) {
        if (v instanceof Boolean b) {
            return b ? "TRUE" : "FALSE";
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString()).toPlainString();
        }
        return "'" + String.valueOf(v).replace("'", "''") + "'";
    }

    private static long number(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 86400 == 0 && s > 0) {
            return s / 86400 + (s == 86400 ? " day" : " days");
        }
        if (s >= 86400) {
            return String.format(Locale.ROOT, "%.1f days", s / 86400.0);
        }
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
        }
        if (s >= 60) {
            return s / 60 + " min";
        }
        return s + " s";
    }
}
