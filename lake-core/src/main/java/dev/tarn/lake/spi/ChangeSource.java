package dev.tarn.lake.spi;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.event.ChangeEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a module that keeps a log of its own for a kind of dataset (the table layer: each table's
 * {@code _delta_log/}) gives the lake's change feed: one reader per dataset of that kind, turning
 * the log's versions into {@link ChangeEvent}s. Found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/dev.tarn.lake.spi.ChangeSource}), as {@link
 * dev.tarn.lake.catalog.DatasetModule}s are, so lake-core needs to know nothing about tables.
 *
 * <p>The feed asks the access policy itself; a source reads with a trusted handle.
 */
public interface ChangeSource {
    /** The kind of dataset whose logs this source reads. */
    DatasetKind kind();

    /**
     * A reader of one dataset's log. Cheap to make; the feed keeps it while it reads that source,
     * so it may remember what it has checked.
     *
     * @param lake a handle the access policy does not restrict
     */
    Log open(Lake lake, DatasetId dataset);

    /** One dataset's log as the feed reads it. */
    interface Log {
        /**
         * The events of the versions after {@code after} (-1: from the first), at most {@code max},
         * in version order, stopping at the first version not written yet. Finding that nothing is
         * new should cost one lookup of the store.
         *
         * @throws dev.tarn.lake.exceptions.TarnException if versions after {@code after} can no
         *     longer be read (cleaned up after a checkpoint), naming where a reader may resume
         */
        List<ChangeEvent> after(long after, int max);

        /** The newest version committed before {@code time}, or -1 if none was. */
        long versionBefore(Instant time);

        /** When version {@code version} was committed, if its entry is there. */
        Optional<Instant> timestampOf(long version);
    }
}
