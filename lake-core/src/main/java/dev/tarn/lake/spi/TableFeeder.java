package dev.tarn.lake.spi;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;

/**
 * Keeps a table up to date with a raw dataset, for streams opened with {@link
 * dev.tarn.lake.stream.StreamBuilder#intoTable}: lake-core knows no tables, so the table layer
 * provides this, found with {@link java.util.ServiceLoader} (a {@code
 * META-INF/services/dev.tarn.lake.spi.TableFeeder} file).
 */
public interface TableFeeder {
    /**
     * Fails early, when the stream opens, if {@code table} cannot be fed from {@code source}: it
     * exists and is not a table, or the principal may not write it.
     */
    void check(Lake lake, DatasetId source, DatasetId table);

    /**
     * Appends to {@code table} the records of every object committed to {@code source} that it does
     * not hold yet, exactly once (a repeated or concurrent call adds nothing twice); creates the
     * table on first use. Returns the table version written, or -1 if there was nothing new.
     */
    long feed(Lake lake, DatasetId source, DatasetId table);
}
