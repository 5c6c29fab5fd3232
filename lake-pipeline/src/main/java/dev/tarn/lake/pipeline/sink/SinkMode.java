package dev.tarn.lake.pipeline.sink;

/** How a sink writes a table's new version into its target. */
public enum SinkMode {
    /** The target holds exactly the table's rows at the version sent (idempotent). */
    REPLACE,
    /**
     * The rows of data files the table gained since the last version sent are added; the sink
     * records what it sent, so a repeated send adds nothing.
     */
    APPEND,
    /** Every row of the version sent is inserted or, by its key, updated (idempotent). */
    UPSERT
}
