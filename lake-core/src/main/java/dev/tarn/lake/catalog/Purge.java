package dev.tarn.lake.catalog;

import java.time.Duration;

/**
 * Deletes the bytes that no catalog version and no table version within the retention needs:
 * objects removed or datasets dropped longer ago than the retention, and table files that time
 * travel within it cannot reach. Bytes the newest catalog version lists, and bytes the catalog
 * never named (see {@code doctor}), are never touched.
 *
 * <pre>{@code PurgeResult r = lake.purge().olderThan(Duration.ofDays(7)).apply();}</pre>
 *
 * The purge is recorded as a catalog commit (principal, reason, the keys deleted) before anything
 * is deleted, so a purge whose commit fails deletes nothing; one interrupted while deleting leaves
 * only unneeded bytes, which the next purge deletes.
 */
public interface Purge extends dev.tarn.lake.ReasonedUpdate<Purge, PurgeResult> {
    /** The retention (default 7 days): what versions committed within it need is kept. */
    Purge olderThan(Duration retention);

    /**
     * A dry run: lists what would be deleted ({@link PurgeResult#dryRun()} true) and deletes
     * nothing, commits nothing.
     */
    @Override
    PurgeResult apply();

    @Override
    PurgeResult commit();
}
