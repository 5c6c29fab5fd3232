package dev.tarn.lake.pipeline.expect;

import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a run's expectations found over a step's output.
 *
 * @param rows the rows of the output checked
 * @param quarantined the rows that broke at least one quarantine rule (set aside; the others are
 *     the good rows)
 * @param results one per expectation, in the step's order
 * @param checkedAt when the check ran (freshness is judged against it)
 */
public record ExpectationReport(
        long rows, long quarantined, List<RuleResult> results, Instant checkedAt) {
    public ExpectationReport {
        results = List.copyOf(results);
        java.util.Objects.requireNonNull(checkedAt, "checkedAt");
    }

    /** Whether an expectation with action fail was broken: the step must commit nothing. */
    public boolean failed() {
        return results.stream().anyMatch(r -> r.verdict() == Verdict.FAILED);
    }

    /** The rows that kept every quarantine rule. */
    public long goodRows() {
        return rows - quarantined;
    }

    /** The result of the expectation of this name. */
    public java.util.Optional<RuleResult> result(String name) {
        return results.stream().filter(r -> r.expectation().name().equals(name)).findFirst();
    }

    /**
     * The error a step fails with when {@link #failed()}: {@code EXPECTATION_FAILED}, naming each
     * broken fail rule and what broke it.
     */
    public TarnException failure(String step) {
        String broken =
                results.stream()
                        .filter(r -> r.verdict() == Verdict.FAILED)
                        .map(
                                r ->
                                        r.expectation().name()
                                                + " ("
                                                + r.expectation().rule().kind()
                                                + "): "
                                                + (r.detail().isEmpty()
                                                        ? r.violations()
                                                                + (r.violations() == 1
                                                                        ? " row"
                                                                        : " rows")
                                                        : r.detail()))
                        .collect(Collectors.joining("; "));
        return new TarnException(
                ErrorCode.EXPECTATION_FAILED,
                "step "
                        + step
                        + ": expectation with action fail broken: "
                        + broken
                        + "; the step committed nothing");
    }
}
