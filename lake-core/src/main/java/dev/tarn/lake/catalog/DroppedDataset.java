package dev.tarn.lake.catalog;

import java.time.Instant;

/**
 * A dataset that was dropped and not created again. Its bytes remain until a purge deletes them.
 *
 * @param id zone and name
 * @param kind what it was
 * @param droppedAt when
 * @param version the catalog version that dropped it
 */
public record DroppedDataset(DatasetId id, DatasetKind kind, Instant droppedAt, long version) {}
