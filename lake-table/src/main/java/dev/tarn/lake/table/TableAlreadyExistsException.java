package dev.tarn.lake.table;

import dev.tarn.lake.TarnException;

/** A table was to be created where one exists already. */
public class TableAlreadyExistsException extends TarnException {
    public TableAlreadyExistsException(String message) {
        super(message);
    }
}
