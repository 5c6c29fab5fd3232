package dev.tarn.lake.pipeline.expect;

/** What breaking an expectation does to a step's run. */
public enum Action {
    /** Counted and recorded; the rows are committed all the same. */
    WARN,
    /**
     * The rows that break it are set aside (into the step's quarantine table, with the rules they
     * broke); the others are committed. Row rules only.
     */
    QUARANTINE,
    /** The step commits nothing and the pipeline stops with {@code EXPECTATION_FAILED}. */
    FAIL;

    /** As YAML spells it: {@code warn}, {@code quarantine}, {@code fail}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
