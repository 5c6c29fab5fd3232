package dev.tarn.lake.catalog;

/**
 * Drops a dataset (raw or table) in one catalog commit that records the principal and the reason.
 * It leaves the newest catalog version; its bytes stay until {@link Purge} deletes them after the
 * retention.
 *
 * <pre>{@code lake.drop("raw/clicks").reason("replaced by raw/clicks2").commit();}</pre>
 *
 * A dataset that another dataset still reads (a table's lineage) is refused unless {@link #force()}
 * is given.
 */
public interface Drop extends dev.tarn.lake.ReasonedUpdate<Drop, DropResult> {
    /** Drop even if other datasets' lineage reads it; the commit records who they were. */
    Drop force();

    /**
     * The drop as it would be committed (the dataset, the version without it, the readers
     * overridden); drops nothing.
     */
    @Override
    DropResult apply();

    /**
     * Commits the drop; throws {@link dev.tarn.lake.exceptions.NotFoundException} if there is no
     * such dataset, and {@link dev.tarn.lake.exceptions.TarnException} naming the readers if others
     * read it and {@link #force()} was not given.
     */
    @Override
    DropResult commit();
}
