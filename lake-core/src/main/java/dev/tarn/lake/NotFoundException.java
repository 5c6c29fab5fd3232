package dev.tarn.lake;

/** A zone, dataset or object that was asked for does not exist. */
public class NotFoundException extends TarnException {
    public NotFoundException(String message) {
        super(message);
    }
}
