package dev.tarn.lake.pipeline.expect;

/**
 * One expectation's outcome in one run.
 *
 * @param expectation the expectation
 * @param violations the rows that broke a row rule; 1 when a row-count or freshness bound was
 *     broken, else 0
 * @param verdict passed, or what breaking it did
 * @param detail what was seen, for row-count and freshness ({@code 0 rows, min 1}; {@code newest
 *     2026-12-01T10:00:00 is 2 days old, max 1 day}); empty for row rules
 */
public record RuleResult(Expectation expectation, long violations, Verdict verdict, String detail) {
    public RuleResult {
        java.util.Objects.requireNonNull(expectation, "expectation");
        java.util.Objects.requireNonNull(verdict, "verdict");
        detail = detail == null ? "" : detail;
    }
}
