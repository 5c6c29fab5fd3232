package dev.tarn.lake.pipeline.expect;

/** The outcome of one expectation in one run. */
public enum Verdict {
    /** Nothing broke it. */
    PASSED,
    /** Broken, with action warn: recorded only. */
    WARNED,
    /** Broken, with action quarantine: the rows that broke it were set aside. */
    QUARANTINED,
    /** Broken, with action fail: the step commits nothing. */
    FAILED;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
