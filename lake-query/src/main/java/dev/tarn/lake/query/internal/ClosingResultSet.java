package dev.tarn.lake.query.internal;

import dev.tarn.lake.exceptions.QueryException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A result set whose close() also closes the statement and connection it came from, and releases
 * the cached files it read. Reading from it after its statement was cancelled (a timeout, the
 * process stopping) fails with that reason rather than DuckDB's "INTERRUPT Error".
 */
final class ClosingResultSet {
    private ClosingResultSet() {}

    /**
     * What DuckDB's driver says for any error of a streamed query (see {@code
     * SqlSession.diagnose}).
     */
    static boolean isStreamFailure(SQLException e) {
        return e.getMessage() != null && e.getMessage().contains("Invalid result set");
    }

    /**
     * {@code diagnose} gives the real reason of a streamed query's failure after that many rows
     * were read (or null if it cannot tell).
     */
    static ResultSet wrap(
            ResultSet rs,
            Statement st,
            Connection c,
            Runnable release,
            DuckEngine.Running running,
            java.util.function.LongFunction<String> diagnose) {
        long[] rows = {0};
        InvocationHandler h =
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        try {
                            running.close();
                            rs.close();
                        } finally {
                            try {
                                st.close();
                            } finally {
                                try {
                                    c.close();
                                } finally {
                                    release.run();
                                }
                            }
                        }
                        return null;
                    }
                    if (method.getName().equals("next")) {
                        // DuckDB's cancel interrupts a statement that executes, not one whose
                        // streamed result is being read
                        String cancelled = running.cancelledMessage();
                        if (cancelled != null) {
                            throw new QueryException(cancelled);
                        }
                    }
                    try {
                        Object r = method.invoke(rs, args);
                        if (Boolean.TRUE.equals(r) && method.getName().equals("next")) {
                            rows[0]++;
                        }
                        return r;
                    } catch (InvocationTargetException e) {
                        String cancelled = running.cancelledMessage();
                        if (cancelled != null && e.getCause() instanceof SQLException) {
                            throw new QueryException(cancelled, e.getCause());
                        }
                        if (e.getCause() instanceof SQLException sql && isStreamFailure(sql)) {
                            String reason = diagnose.apply(rows[0]);
                            if (reason != null) {
                                throw new SQLException(reason, sql);
                            }
                        }
                        throw e.getCause();
                    }
                };
        return (ResultSet)
                Proxy.newProxyInstance(
                        ResultSet.class.getClassLoader(), new Class<?>[] {ResultSet.class}, h);
    }
}
