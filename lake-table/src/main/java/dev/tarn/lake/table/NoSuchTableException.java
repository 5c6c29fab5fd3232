package dev.tarn.lake.table;

import dev.tarn.lake.NotFoundException;
import dev.tarn.lake.catalog.DatasetId;

/**
 * There is no table by this name. Its message says how to create one through the API; {@link #table()} lets a caller
 * such as the command line say it in its own terms.
 */
public class NoSuchTableException extends NotFoundException {
    private final DatasetId table;

    public NoSuchTableException(DatasetId table) {
        super("no table " + table + " (create one with Tables.create)");
        this.table = table;
    }

    /** The message without the hint of how to create the table. */
    public String reason() {
        return "no table " + table;
    }

    public DatasetId table() {
        return table;
    }
}
