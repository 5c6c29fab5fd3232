package dev.tarn.lake.catalog;

import java.util.Collection;

/**
 * Removes objects from a raw dataset in one catalog commit that records the principal and the
 * reason. The objects leave the newest catalog version; their bytes stay, so earlier versions still
 * list and read them, until {@link Purge} deletes them after the retention.
 *
 * <pre>
 * {@code lake.remove("raw/clicks").object("ingest_date=2026-11-21/bad.csv").reason("wrong export").commit();}
 * </pre>
 *
 * Every object must exist, or nothing is removed.
 */
public interface Remove extends dev.tarn.lake.ReasonedUpdate<Remove, RemoveResult> {
    /**
     * An object by its path, its file name if only one object has it, or a sha256 prefix (as {@link
     * Catalog#object}).
     */
    Remove object(String ref);

    default Remove objects(Collection<String> refs) {
        refs.forEach(this::object);
        return this;
    }

    /**
     * The removal as it would be committed: the objects the references resolve to and the catalog
     * version that would no longer list them. Removes nothing.
     */
    @Override
    RemoveResult apply();

    /**
     * Commits the removal; throws {@link dev.tarn.lake.exceptions.NotFoundException} if an object
     * is unknown.
     */
    @Override
    RemoveResult commit();
}
