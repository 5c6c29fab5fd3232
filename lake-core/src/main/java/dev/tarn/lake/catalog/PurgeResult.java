package dev.tarn.lake.catalog;

import java.time.Duration;
import java.util.List;

/**
 * What a {@link Purge} deleted or, in a dry run, would delete.
 *
 * @param deleted the stored objects, in key order
 * @param bytes their total size
 * @param dryRun whether nothing was deleted
 * @param retention the retention it kept
 * @param version the catalog version recording the purge, or -1 (a dry run, or nothing to delete)
 */
public record PurgeResult(
        List<Item> deleted, long bytes, boolean dryRun, Duration retention, long version) {
    public PurgeResult {
        deleted = List.copyOf(deleted);
    }

    /**
     * One stored object.
     *
     * @param key its key in the lake's store
     * @param size bytes
     * @param dataset the dataset it belonged to ({@code zone/name})
     * @param why why no version within the retention needs it
     */
    public record Item(String key, long size, String dataset, String why) {}
}
