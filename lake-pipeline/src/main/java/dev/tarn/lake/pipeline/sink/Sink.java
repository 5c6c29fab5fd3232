package dev.tarn.lake.pipeline.sink;

/**
 * A connection to a sink's target. Sends are idempotent: sending a version again (after a crash
 * between the send and the pipeline recording it) leaves the target as one send would.
 */
public interface Sink extends AutoCloseable {
    /** Sends the table's version {@code request.version()} to the target. */
    SinkResult send(SinkRequest request);

    @Override
    void close();
}
