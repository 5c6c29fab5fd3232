package dev.tarn.lake.pipeline.sink;

/** Opens sinks. */
public final class Sinks {
    private Sinks() {}

    /** A sink for {@code spec}; nothing is connected until the first send. */
    public static Sink open(SinkSpec spec) {
        throw new UnsupportedOperationException("sinks are not implemented yet: " + spec);
    }
}
