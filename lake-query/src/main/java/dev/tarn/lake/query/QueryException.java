package dev.tarn.lake.query;

import dev.tarn.lake.TarnException;

/** A query failed: bad SQL, an unknown dataset or column, a refused statement. The message says which. */
public class QueryException extends TarnException {
    public QueryException(String message) {
        super(message);
    }

    public QueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
