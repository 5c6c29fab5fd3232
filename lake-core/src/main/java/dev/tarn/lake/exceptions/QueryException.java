package dev.tarn.lake.exceptions;

/**
 * A query failed: bad SQL, an unknown dataset or column, a refused statement. The message says
 * which. Thrown by lake-query; it lives here with the rest of the hierarchy.
 */
public class QueryException extends TarnException {
    /**
     * What gets past the failure, for callers (the command line) that say it in their own terms;
     * the message says it in terms of the API.
     */
    public enum Remedy {
        NONE,
        /**
         * Save the result as a table ({@code Sql.saveAsTable}) rather than export it into the lake.
         */
        SAVE_AS_TABLE,
        /** Run a script statement by statement ({@code Sql.statements}, {@code Sql.queryAll}). */
        SCRIPT,
        /** Stream a large result ({@code Sql.resultSet}) or raise {@code SqlOptions.maxRows}. */
        STREAM,
        /** Change the lake through its own operations, not SQL. */
        LAKE_OPERATIONS
    }

    private final Remedy remedy;

    public QueryException(String message) {
        this(message, (Throwable) null);
    }

    public QueryException(String message, Throwable cause) {
        super(ErrorCode.QUERY_FAILED, message, "", cause);
        this.remedy = Remedy.NONE;
    }

    /**
     * A failure that {@code remedy} gets past: the message is {@code reason} followed by {@code
     * hint}.
     */
    public QueryException(String reason, Remedy remedy, String hint) {
        super(ErrorCode.QUERY_FAILED, reason, hint, null);
        this.remedy = remedy;
    }

    public Remedy remedy() {
        return remedy;
    }
}
