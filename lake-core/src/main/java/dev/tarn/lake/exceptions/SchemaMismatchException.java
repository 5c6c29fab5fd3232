package dev.tarn.lake.exceptions;

/**
 * A data file does not fit the table's schema (and evolution was not asked for, or cannot help).
 */
public class SchemaMismatchException extends TarnException {
    public SchemaMismatchException(String message) {
        super(ErrorCode.SCHEMA_MISMATCH, message);
    }
}
