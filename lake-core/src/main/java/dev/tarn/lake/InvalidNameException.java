package dev.tarn.lake;

/** A zone, dataset, partition key or other name that would reach a path or SQL was refused. Nothing was written. */
public class InvalidNameException extends TarnException {
    public InvalidNameException(String message) {
        super(message);
    }
}
