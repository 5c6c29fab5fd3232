package dev.tarn.lake.format.internal.convert;

/**
 * A record that cannot be converted: unparseable, or it does not fit the schema ({@link #misfit}).
 * Carries no stack trace: it is control flow, caught by the worker that quarantines the record.
 */
public final class BadRecord extends RuntimeException {
    /**
     * True when the record parsed but does not fit the schema (a sampled schema may then be
     * re-inferred).
     */
    public final boolean misfit;

    BadRecord(String reason, boolean misfit) {
        super(reason, null, false, false);
        this.misfit = misfit;
    }

    public static BadRecord misfit(String reason) {
        return new BadRecord(reason, true);
    }

    public static BadRecord bad(String reason) {
        return new BadRecord(reason, false);
    }
}
