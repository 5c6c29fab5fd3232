package dev.tarn.lake.pipeline.internal;

/**
 * A problem in a pipeline file at a line (0 when no line applies), collected by the validator and
 * reported together.
 */
public final class SpecError extends RuntimeException {
    private final int line;

    public SpecError(int line, String message) {
        super(message, null, false, false);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
