package dev.tarn.lake.catalog;

import dev.tarn.lake.Lake;
import java.time.Duration;
import java.util.List;

/**
 * What a module that keeps datasets of its own (the table layer) tells the catalog's maintenance:
 * which datasets read a dataset about to be dropped, and which of its own bytes no version within a
 * retention needs. Found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/dev.tarn.lake.catalog.DatasetModule}), as {@link
 * dev.tarn.lake.doctor.DoctorCheck}s are, so lake-core needs to know nothing about tables.
 */
public interface DatasetModule {
    /**
     * The datasets whose recorded lineage reads {@code dataset}, each described for a person
     * ({@code "processed/orders (converted from it at catalog version 12)"}); empty if none.
     *
     * @param lake a handle with the caller's rights already checked
     */
    List<String> readersOf(Lake lake, DatasetId dataset);

    /**
     * The bytes of this module's live datasets that no version committed within {@code retention}
     * needs, for {@link Purge} to delete. Must not delete anything itself.
     */
    List<PurgeResult.Item> unneeded(Lake lake, Duration retention);
}
