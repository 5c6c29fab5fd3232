package dev.tarn.lake.event;

import static java.util.Objects.requireNonNull;

import dev.tarn.lake.catalog.DatasetId;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One commit, read back from the log it went to: the catalog's log or a table's own log. The logs
 * are the durable event stream, so every process that opens the lake sees the same events, in the
 * same order per source, whoever wrote them.
 *
 * @param source the log: {@code "catalog"}, or a table's {@code zone/name}
 * @param kind which kind of log that is
 * @param version the version committed in that log; the event's place in its source
 * @param timestamp when the commit was made, by the writer's clock
 * @param principal by whom
 * @param operation what ({@code ingest}, {@code create-table}, {@code append}, {@code overwrite},
 *     {@code delete}, {@code compaction}...)
 * @param datasets the datasets it changed
 * @param added the keys of the objects (for a table: the data files, relative to the table) it
 *     added
 * @param removed the keys or data files it removed
 * @param metrics numbers the commit recorded ({@code numOutputRows}, {@code numFiles}, bytes...)
 */
public record ChangeEvent(
        String source,
        LakeEvent.Kind kind,
        long version,
        Instant timestamp,
        String principal,
        String operation,
        List<DatasetId> datasets,
        List<String> added,
        List<String> removed,
        Map<String, Long> metrics) {

    /** The source name of the catalog's log. */
    public static final String CATALOG = "catalog";

    public ChangeEvent {
        requireNonNull(source, "source is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(operation, "operation is null");
        principal = principal == null ? "" : principal;
        datasets = List.copyOf(datasets);
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        metrics = Map.copyOf(metrics);
    }

    /**
     * Where this event lies in the feed: {@code source@version}, as {@link FeedCursor} spells it.
     */
    public String position() {
        return source + "@" + version;
    }
}
