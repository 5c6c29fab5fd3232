package dev.tarn.lake.pipeline.sink;

/**
 * What a send did.
 *
 * @param rows rows written to the target
 * @param alreadySent true if the target already had this version (nothing written)
 */
public record SinkResult(long rows, boolean alreadySent) {}
