package dev.tarn.lake.query.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A result set whose close() also closes the statement and connection it came from, and releases the cached files
 * it read.
 */
final class ClosingResultSet {
    private ClosingResultSet() {
    }

    static ResultSet wrap(ResultSet rs, Statement st, Connection c, Runnable release) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                try {
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
            try {
                return method.invoke(rs, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (ResultSet) Proxy.newProxyInstance(ResultSet.class.getClassLoader(), new Class<?>[]{ResultSet.class},
                h);
    }
}
