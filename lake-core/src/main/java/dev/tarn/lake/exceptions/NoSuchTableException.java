package dev.tarn.lake.exceptions;

import dev.tarn.lake.catalog.DatasetId;

/**
 * There is no table by this name. Its message says how to create one through the API; {@link
 * #reason()} and {@link #table()} let a caller such as the command line say it in its own terms.
 */
public class NoSuchTableException extends NotFoundException {
    private final DatasetId table;

    public NoSuchTableException(DatasetId table) {
        super(ErrorCode.TABLE_NOT_FOUND, "no table " + table, " (create one with Tables.create)");
        this.table = table;
    }

    public DatasetId table() {
        return table;
    }
}
