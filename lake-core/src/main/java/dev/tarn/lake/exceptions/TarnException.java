package dev.tarn.lake.exceptions;

import java.util.Objects;

/**
 * The root of Tarn's exceptions. All are unchecked; messages say what went wrong and, where there
 * is one, what to do. Each carries a stable {@link ErrorCode}: subclasses have their own, and a
 * plain {@code TarnException} is given the one that fits where it is thrown.
 *
 * <p>A message may end in a hint that says how to get past the failure in terms of the API ("use
 * resultSet(...)"); {@link #reason()} is the message without it, so that a caller such as the
 * command line can put its own hint there.
 */
public class TarnException extends RuntimeException {
    private final ErrorCode errorCode;
    private final String reason;

    public TarnException(ErrorCode errorCode, String message) {
        this(errorCode, message, "", null);
    }

    public TarnException(ErrorCode errorCode, String message, Throwable cause) {
        this(errorCode, message, "", cause);
    }

    /** A failure whose message is {@code reason} followed by {@code hint} (which may be empty). */
    protected TarnException(ErrorCode errorCode, String reason, String hint, Throwable cause) {
        super(hint.isEmpty() ? reason : reason + hint);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        this.reason = reason;
        // Only a real cause is set: a null one would forbid initCause later, which
        // RuntimeException(String) allows.
        if (cause != null) {
            initCause(cause);
        }
    }

    /** The stable code of this failure. */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /**
     * The message without the hint of how to get past the failure (the whole message when there is
     * none).
     */
    public String reason() {
        return reason;
    }
}
