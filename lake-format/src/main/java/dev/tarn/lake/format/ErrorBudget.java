package dev.tarn.lake.format;

/**
 * How many bad records a conversion tolerates before it fails. Bad records are quarantined while
 * within budget; when the budget is exceeded the conversion fails with {@link
 * ErrorBudgetExceededException} and no output file becomes visible.
 *
 * <p>A count budget fails as soon as the count is exceeded; a fraction budget is checked against
 * the rows read when the input is exhausted.
 */
public final class ErrorBudget {
    private final long maxCount;
    private final double maxFraction;

    private ErrorBudget(long maxCount, double maxFraction) {
        this.maxCount = maxCount;
        this.maxFraction = maxFraction;
    }

    /** No bad record is tolerated: the first one fails the conversion (the default). */
    public static ErrorBudget none() {
        return new ErrorBudget(0, -1);
    }

    /** At most {@code n} records may be quarantined. */
    public static ErrorBudget count(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("error budget count must be >= 0, got " + n);
        }
        return new ErrorBudget(n, -1);
    }

    /** At most this fraction (0..1) of the records read may be quarantined. */
    public static ErrorBudget fraction(double f) {
        if (!(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException("error budget fraction must be in [0, 1], got " + f);
        }
        return new ErrorBudget(Long.MAX_VALUE, f);
    }

    /** Any number of records may be quarantined. */
    public static ErrorBudget unlimited() {
        return new ErrorBudget(Long.MAX_VALUE, -1);
    }

    /** True when {@code quarantined} records already exceed a count budget. */
    public boolean exceededByCount(long quarantined) {
        return quarantined > maxCount;
    }

    /** True when the final tally exceeds the budget. */
    public boolean exceeded(long quarantined, long read) {
        if (exceededByCount(quarantined)) {
            return true;
        }
        return maxFraction >= 0 && read > 0 && (double) quarantined / read > maxFraction;
    }

    /** True if no bad record is tolerated. */
    public boolean isZero() {
        return maxCount == 0;
    }

    @Override
    public String toString() {
        if (maxFraction >= 0) {
            return "at most " + (maxFraction * 100) + "% of records";
        }
        return maxCount == Long.MAX_VALUE ? "unlimited" : "at most " + maxCount + " records";
    }
}
