package dev.tarn.lake.format;

import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.FormatException;

/**
 * More records were bad than the {@link ErrorBudget} allows. No output file was made visible; the
 * quarantine (if one was configured) holds the bad records seen so far.
 *
 * <p>The one exception outside {@code dev.tarn.lake.exceptions}: it carries the {@link
 * ConversionReport} of what had been done, a lake-format type that lake-core cannot name, and
 * callers read that report as it is (files, counts, quarantine). A core-typed copy would duplicate
 * the report's shape; so this stays a subclass here, with its own code ({@link
 * ErrorCode#ERROR_BUDGET_EXCEEDED}), and is caught as a {@link FormatException} by callers that
 * need no report.
 */
public class ErrorBudgetExceededException extends FormatException {
    private final transient ConversionReport report;

    public ErrorBudgetExceededException(String message, ConversionReport report) {
        super(ErrorCode.ERROR_BUDGET_EXCEEDED, message, Remedy.NONE, "", null);
        this.report = report;
    }

    /** What had been done when the job failed (files listed there were discarded). */
    public ConversionReport report() {
        return report;
    }
}
