package dev.tarn.lake.format;

/**
 * More records were bad than the {@link ErrorBudget} allows. No output file was made visible; the quarantine (if
 * one was configured) holds the bad records seen so far.
 */
public class ErrorBudgetExceededException extends FormatException {
    private final transient ConversionReport report;

    public ErrorBudgetExceededException(String message, ConversionReport report) {
        super(message);
        this.report = report;
    }

    /** What had been done when the job failed (files listed there were discarded). */
    public ConversionReport report() {
        return report;
    }
}
