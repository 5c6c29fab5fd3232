package dev.tarn.lake.query;

import dev.tarn.lake.catalog.DatasetId;
import java.util.Map;

/**
 * A query result saved as a table.
 *
 * @param table the new table
 * @param version its version after the save
 * @param rows rows written
 * @param lineage the datasets the query read, each with the version it read: {@code catalog@N} for
 *     datasets of objects (the catalog version of their last change), {@code table@N} for tables
 */
public record SavedTable(DatasetId table, long version, long rows, Map<String, String> lineage) {
    public SavedTable {
        lineage = Map.copyOf(lineage);
    }
}
