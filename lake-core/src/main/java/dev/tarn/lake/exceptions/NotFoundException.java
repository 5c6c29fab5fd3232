package dev.tarn.lake.exceptions;

/** A zone, dataset or object that was asked for does not exist. */
public class NotFoundException extends TarnException {
    public NotFoundException(String message) {
        super(ErrorCode.NOT_FOUND, message);
    }

    /** For the kinds of "not found" that have their own code. */
    protected NotFoundException(ErrorCode errorCode, String reason, String hint) {
        super(errorCode, reason, hint, null);
    }
}
