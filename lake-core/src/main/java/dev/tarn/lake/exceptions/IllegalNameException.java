package dev.tarn.lake.exceptions;

/**
 * A zone, dataset, partition key or other name that would reach a path or SQL was refused. Nothing
 * was written.
 */
public class IllegalNameException extends TarnException {
    public IllegalNameException(String message) {
        super(ErrorCode.INVALID_NAME, message);
    }
}
