package dev.tarn.lake.event;

import dev.tarn.lake.catalog.DatasetId;

import java.time.Instant;
import java.util.List;

/**
 * A committed change to the lake, as recorded in its log: every commit yields exactly one event, so the log itself is
 * the durable event stream.
 *
 * @param version        the catalog version committed
 * @param timestamp      when
 * @param principal      by whom
 * @param operation      what ({@code ingest}, {@code create-zone}, {@code update-dataset}, {@code repair}...)
 * @param datasets       the datasets it changed
 * @param objectsAdded   how many objects it added
 * @param objectsRemoved how many objects it removed
 */
public record LakeEvent(long version, Instant timestamp, String principal, String operation, List<DatasetId> datasets,
                        int objectsAdded, int objectsRemoved) {
    public LakeEvent {
        datasets = List.copyOf(datasets);
    }
}
