package dev.tarn.lake.format.internal;

/**
 * A record that cannot be converted: unparseable, or it does not fit the schema ({@link #misfit}). Carries no stack
 * trace: it is control flow, caught by the worker that quarantines the record.
 */
final class BadRecord extends RuntimeException {
    /** True when the record parsed but does not fit the schema (a sampled schema may then be re-inferred). */
    final boolean misfit;

    BadRecord(String reason, boolean misfit) {
        super(reason, null, false, false);
        this.misfit = misfit;
    }

    static BadRecord misfit(String reason) {
        return new BadRecord(reason, true);
    }

    static BadRecord bad(String reason) {
        return new BadRecord(reason, false);
    }
}
