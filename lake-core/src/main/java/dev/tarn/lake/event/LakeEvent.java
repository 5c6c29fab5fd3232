package dev.tarn.lake.event;

import dev.tarn.lake.catalog.DatasetId;
import java.time.Instant;
import java.util.List;

/**
 * A committed change to the lake, as recorded in a log: every commit of the catalog and of every
 * table yields exactly one event, so the logs themselves are the durable event stream.
 *
 * @param kind which log the commit went to
 * @param version the version committed: of the catalog, or of the table for a table commit
 * @param timestamp when
 * @param principal by whom
 * @param operation what ({@code ingest}, {@code create-zone}, {@code update-dataset}, {@code
 *     repair}...)
 * @param datasets the datasets it changed
 * @param objectsAdded how many objects (for a table: data files) it added
 * @param objectsRemoved how many objects (for a table: data files) it removed
 */
public record LakeEvent(
        Kind kind,
        long version,
        Instant timestamp,
        String principal,
        String operation,
        List<DatasetId> datasets,
        int objectsAdded,
        int objectsRemoved) {
    public LakeEvent {
        datasets = List.copyOf(datasets);
    }

    /** Which log a commit went to. */
    public enum Kind {
        /** The lake's catalog: ingests, zones, dataset properties. */
        CATALOG,
        /** A table's own log (Delta Lake): appends, overwrites, deletes, compactions, restores. */
        TABLE
    }
}
