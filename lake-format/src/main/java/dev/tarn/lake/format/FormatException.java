package dev.tarn.lake.format;

import dev.tarn.lake.TarnException;

/** The input cannot be converted (invalid UTF-8, unreadable structure, unsupported schema); the message says where. */
public class FormatException extends TarnException {
    /** The setting that would get the conversion past this failure, for callers that word it their own way. */
    public enum Remedy {
        NONE,
        /** Name the array of records inside a JSON document ({@link Conversion#jsonPath(String...)}). */
        JSON_PATH,
        /** Allow bad records and keep them aside ({@link Conversion#errorBudget}, {@link Conversion#quarantine}). */
        ERROR_BUDGET,
        /** Read the input in another charset ({@link Conversion#charset}). */
        CHARSET
    }

    private final String reason;
    private final Remedy remedy;

    public FormatException(String message) {
        super(message);
        this.reason = message;
        this.remedy = Remedy.NONE;
    }

    public FormatException(String message, Throwable cause) {
        super(message, cause);
        this.reason = message;
        this.remedy = Remedy.NONE;
    }

    /**
     * A failure that a setting can get past: the message is {@code reason} followed by {@code hint}, which says how
     * in terms of this API.
     */
    public FormatException(String reason, Remedy remedy, String hint) {
        super(reason + hint);
        this.reason = reason;
        this.remedy = remedy;
    }

    /** The message without the hint of how to get past it (the whole message when there is no remedy). */
    public String reason() {
        return reason;
    }

    public Remedy remedy() {
        return remedy;
    }
}
