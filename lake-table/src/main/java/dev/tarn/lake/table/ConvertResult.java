package dev.tarn.lake.table;

import dev.tarn.lake.catalog.DatasetId;
import java.util.List;

/**
 * What a conversion did.
 *
 * @param source the raw dataset
 * @param table the table
 * @param tableVersion the table version committed, or -1 if there was nothing new to convert
 * @param sourceVersion the catalog version of the source that this run consumed up to
 * @param objects the source objects converted (paths within the dataset)
 * @param rowsWritten rows written to the table
 * @param rowsQuarantined rows sent to the quarantine
 * @param quarantine the quarantine's key, or null if nothing was quarantined
 * @param notes what the conversion detected and chose that is worth knowing (JSON layout, the array
 *     of records in a document, a detected CSV delimiter, ...)
 */
public record ConvertResult(
        DatasetId source,
        DatasetId table,
        long tableVersion,
        long sourceVersion,
        List<String> objects,
        long rowsWritten,
        long rowsQuarantined,
        String quarantine,
        List<String> notes) {
    public ConvertResult {
        objects = List.copyOf(objects);
        notes = List.copyOf(notes);
    }

    public ConvertResult(
            DatasetId source,
            DatasetId table,
            long tableVersion,
            long sourceVersion,
            List<String> objects,
            long rowsWritten,
            long rowsQuarantined,
            String quarantine) {
        this(
                source,
                table,
                tableVersion,
                sourceVersion,
                objects,
                rowsWritten,
                rowsQuarantined,
                quarantine,
                List.of());
    }

    /** Whether this run committed anything. */
    public boolean converted() {
        return tableVersion >= 0;
    }
}
