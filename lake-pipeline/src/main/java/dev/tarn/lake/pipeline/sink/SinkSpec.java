package dev.tarn.lake.pipeline.sink;

/** What a sink step names: where the table's rows go. */
public sealed interface SinkSpec permits JdbcSinkSpec, WebhookSinkSpec {
    /** How rows are written to the target. */
    SinkMode mode();
}
