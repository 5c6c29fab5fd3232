package dev.tarn.lake.format;

import dev.tarn.lake.TarnException;

/** The input cannot be converted (invalid UTF-8, unreadable structure, unsupported schema); the message says where. */
public class FormatException extends TarnException {
    public FormatException(String message) {
        super(message);
    }

    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
