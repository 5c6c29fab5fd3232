package dev.tarn.lake.query;

import dev.tarn.lake.exceptions.QueryException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The rows of a query, one at a time, in bounded memory: for results too large for {@link
 * QueryResult}.
 *
 * <pre>{@code
 * try (QueryCursor rows = sql.cursor("SELECT * FROM raw.clicks")) {
 *     for (List<Object> row : rows) { ... }
 * }
 * }</pre>
 *
 * Iterable once. Closing it (or reaching the end) releases its connection.
 */
public final class QueryCursor implements Iterable<List<Object>>, AutoCloseable {
    private final ResultSet rs;
    private final List<QueryResult.Column> columns;
    private boolean iterated;
    private boolean closed;

    QueryCursor(ResultSet rs) {
        this.rs = rs;
        try {
            ResultSetMetaData md = rs.getMetaData();
            List<QueryResult.Column> cols = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                cols.add(new QueryResult.Column(md.getColumnLabel(i), md.getColumnTypeName(i)));
            }
            this.columns = List.copyOf(cols);
        } catch (SQLException e) {
            close();
            throw new QueryException("cannot read the result's columns: " + e.getMessage(), e);
        }
    }

    /** Wraps a result set from {@link Sql#resultSet}. */
    public static QueryCursor of(ResultSet rs) {
        return new QueryCursor(rs);
    }

    public List<QueryResult.Column> columns() {
        return columns;
    }

    @Override
    public Iterator<List<Object>> iterator() {
        if (iterated) {
            throw new IllegalStateException("a cursor is iterated once; run the query again");
        }
        iterated = true;
        return new Iterator<>() {
            private Boolean ready;

            @Override
            public boolean hasNext() {
                if (ready == null) {
                    try {
                        ready = !closed && rs.next();
                    } catch (SQLException e) {
                        close();
                        throw new QueryException("reading the result failed: " + e.getMessage(), e);
                    } catch (RuntimeException e) {
                        close(); // cancelled (a timeout): the message says so
                        throw e;
                    }
                    if (!ready) {
                        close();
                    }
                }
                return ready;
            }

            @Override
            public List<Object> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = null;
                List<Object> row = new ArrayList<>(columns.size());
                try {
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(rs.getObject(i));
                    }
                } catch (SQLException e) {
                    close();
                    throw new QueryException("reading the result failed: " + e.getMessage(), e);
                }
                return row;
            }
        };
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                rs.close();
            } catch (SQLException ignored) {
                // releasing
            }
        }
    }
}
