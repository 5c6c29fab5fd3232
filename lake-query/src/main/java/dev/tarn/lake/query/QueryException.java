package dev.tarn.lake.query;

import dev.tarn.lake.TarnException;

/** A query failed: bad SQL, an unknown dataset or column, a refused statement. The message says which. */
public class QueryException extends TarnException {
    /**
     * What gets past the failure, for callers (the command line) that say it in their own terms; the message says it
     * in terms of this API.
     */
    public enum Remedy {
        NONE,
        /** Save the result as a table ({@link Sql#saveAsTable}) rather than export it into the lake. */
        SAVE_AS_TABLE,
        /** Run a script statement by statement ({@link Sql#statements}, {@link Sql#queryAll}). */
        SCRIPT,
        /** Stream a large result ({@link Sql#resultSet}) or raise {@link SqlOptions#maxRows}. */
        STREAM,
        /** Change the lake through its own operations, not SQL. */
        LAKE_OPERATIONS
    }

    private final String reason;
    private final Remedy remedy;

    public QueryException(String message) {
        super(message);
        this.reason = message;
        this.remedy = Remedy.NONE;
    }

    public QueryException(String message, Throwable cause) {
        super(message, cause);
        this.reason = message;
        this.remedy = Remedy.NONE;
    }

    /** A failure that {@code remedy} gets past: the message is {@code reason} followed by {@code hint}. */
    public QueryException(String reason, Remedy remedy, String hint) {
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
