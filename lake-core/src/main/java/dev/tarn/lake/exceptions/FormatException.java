package dev.tarn.lake.exceptions;

/**
 * The input cannot be converted (invalid UTF-8, unreadable structure, unsupported schema); the
 * message says where. Thrown by lake-format; it lives here with the rest of the hierarchy.
 */
public class FormatException extends TarnException {
    /**
     * The setting that would get the conversion past this failure, for callers that word it their
     * own way.
     */
    public enum Remedy {
        NONE,
        /**
         * Name the array of records inside a JSON document ({@code
         * Conversion.jsonPath(String...)}).
         */
        JSON_PATH,
        /**
         * Allow bad records and keep them aside ({@code Conversion.errorBudget}, {@code
         * Conversion.quarantine}).
         */
        ERROR_BUDGET,
        /** Read the input in another charset ({@code Conversion.charset}). */
        CHARSET
    }

    private final Remedy remedy;

    public FormatException(String message) {
        this(message, (Throwable) null);
    }

    public FormatException(String message, Throwable cause) {
        this(ErrorCode.INVALID_INPUT, message, Remedy.NONE, "", cause);
    }

    /**
     * A failure that a setting can get past: the message is {@code reason} followed by {@code
     * hint}, which says how in terms of this API.
     */
    public FormatException(String reason, Remedy remedy, String hint) {
        this(ErrorCode.INVALID_INPUT, reason, remedy, hint, null);
    }

    /** For the kinds of format failure that have their own code. */
    protected FormatException(
            ErrorCode errorCode, String reason, Remedy remedy, String hint, Throwable cause) {
        super(errorCode, reason, hint, cause);
        this.remedy = remedy;
    }

    public Remedy remedy() {
        return remedy;
    }
}
