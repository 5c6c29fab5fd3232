package dev.tarn.lake;

/**
 * The root of Tarn's exceptions. All are unchecked; messages say what went wrong and, where there is one, what to do.
 */
public class TarnException extends RuntimeException {
    public TarnException(String message) {
        super(message);
    }

    public TarnException(String message, Throwable cause) {
        super(message, cause);
    }
}
