package dev.tarn.lake.event;

import dev.tarn.lake.catalog.DatasetId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A reader of the lake's change feed: the commits of the catalog and of every table, read from
 * their logs, so they survive restarts and are the same for every process that opens the lake.
 * Configure it, then {@link #poll} for what is new; it remembers its {@link #cursor()}.
 *
 * <pre>{@code
 * ChangeFeed feed = lake.events().datasets(DatasetId.parse("processed/clicks")).since(saved);
 * for (ChangeEvent e : feed.poll()) { ... }
 * saved = feed.cursor();
 * }</pre>
 *
 * <p>Events of one source come in version order, none missed or repeated; between sources they come
 * in commit-time order as far as the writers' clocks allow. Only events on datasets the handle may
 * read are returned.
 */
public interface ChangeFeed {
    /** Reads only events that change these datasets (all when never called). */
    ChangeFeed datasets(List<DatasetId> datasets);

    default ChangeFeed datasets(DatasetId... datasets) {
        return datasets(List.of(datasets));
    }

    /** Starts after this cursor (default: {@link FeedCursor#start()}, every event kept). */
    ChangeFeed since(FeedCursor cursor);

    /**
     * Starts at the first event of each source committed at or after {@code time} (by the writers'
     * clocks; a cursor is exact, a time is not).
     */
    ChangeFeed since(Instant time);

    /**
     * The events committed since the cursor, at most {@code max}, in order; advances the cursor
     * past them. Empty when there is nothing new.
     */
    List<ChangeEvent> poll(int max);

    default List<ChangeEvent> poll() {
        return poll(10_000);
    }

    /**
     * Like {@link #poll(int)}, but waits up to {@code timeout} for an event when there is none yet
     * (checking the logs every {@code interval}).
     */
    List<ChangeEvent> poll(int max, Duration timeout, Duration interval)
            throws InterruptedException;

    /** Past the last event returned (or where it started). */
    FeedCursor cursor();
}
