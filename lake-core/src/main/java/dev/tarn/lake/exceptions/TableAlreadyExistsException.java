package dev.tarn.lake.exceptions;

/** A table was to be created where one exists already. */
public class TableAlreadyExistsException extends TarnException {
    public TableAlreadyExistsException(String message) {
        super(ErrorCode.TABLE_EXISTS, message);
    }
}
