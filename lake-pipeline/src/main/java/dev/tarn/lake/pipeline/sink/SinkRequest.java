package dev.tarn.lake.pipeline.sink;

import static java.util.Objects.requireNonNull;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import java.util.OptionalLong;

/**
 * One send: a table's version, and the last version this sink sent before (as the pipeline recorded
 * it).
 *
 * @param lake the lake, acting as the pipeline's principal
 * @param table the table whose rows are sent
 * @param version the version to send
 * @param previous the last version sent, or empty if none
 * @param sendId names this sink for the target's own record of what it received ({@code
 *     pipeline/step}), so an append sink can tell a repeated send
 */
public record SinkRequest(
        Lake lake, DatasetId table, long version, OptionalLong previous, String sendId) {
    public SinkRequest {
        requireNonNull(lake, "lake is null");
        requireNonNull(table, "table is null");
        requireNonNull(previous, "previous is null");
        requireNonNull(sendId, "sendId is null");
    }
}
