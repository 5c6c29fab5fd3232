package dev.tarn.lake.table;

import dev.tarn.lake.TarnException;

/** A data file does not fit the table's schema (and evolution was not asked for, or cannot help). */
public class SchemaMismatchException extends TarnException {
    public SchemaMismatchException(String message) {
        super(message);
    }
}
