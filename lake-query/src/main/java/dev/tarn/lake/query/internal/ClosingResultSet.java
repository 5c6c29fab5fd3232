package dev.tarn.lake.query.internal;

import dev.tarn.lake.query.QueryException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A result set whose close() also closes the statement and connection it came from, and releases the cached files
 * it read. Reading from it after its statement was cancelled (a timeout, the process stopping) fails with that
 * reason rather than DuckDB's "INTERRUPT Error".
 */
final class ClosingResultSet {
    private ClosingResultSet() {
    }

    static ResultSet wrap(ResultSet rs, Statement st, Connection c, Runnable release, DuckEngine.Running running) {
        InvocationHandler h = (proxy, method, args) -> {
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
                // DuckDB's cancel interrupts a statement that executes, not one whose streamed result is being read
                String cancelled = running.cancelledMessage();
                if (cancelled != null) {
                    throw new QueryException(cancelled);
                }
            }
            try {
                return method.invoke(rs, args);
            } catch (InvocationTargetException e) {
                String cancelled = running.cancelledMessage();
                if (cancelled != null && e.getCause() instanceof SQLException) {
                    throw new QueryException(cancelled, e.getCause());
                }
                throw e.getCause();
            }
        };
        return (ResultSet) Proxy.newProxyInstance(ResultSet.class.getClassLoader(), new Class<?>[]{ResultSet.class},
                h);
    }
}
