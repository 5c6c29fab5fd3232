package dev.tarn.lake.format;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads Parquet back with real DuckDB (JDBC). */
final class Duck implements AutoCloseable {
    private final Connection c;

    Duck() {
        try {
            c = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement st = c.createStatement()) {
                st.execute("SET threads=2");
                st.execute("SET autoinstall_known_extensions=false");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows of a query, each value rendered by DuckDB as VARCHAR (null stays null). */
    List<List<String>> rows(String sql) {
        String q = "SELECT COLUMNS(*)::VARCHAR FROM (" + sql + ")";
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(q)) {
            ResultSetMetaData md = rs.getMetaData();
            List<List<String>> out = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object o = rs.getObject(i);
                    row.add(o == null ? null : rs.getString(i));
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    void exec(String sql) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    List<List<String>> rawRows(String sql) {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<List<String>> out = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    String one(String sql) {
        List<List<String>> r = rows(sql);
        if (r.size() != 1 || r.get(0).size() != 1) {
            throw new IllegalStateException("expected one value from " + sql + ", got " + r);
        }
        return r.get(0).get(0);
    }

    /** column name -> DuckDB type, in order. */
    List<String> describe(String relation) {
        List<String> out = new ArrayList<>();
        for (List<String> r : rawRows("DESCRIBE SELECT * FROM " + relation)) {
            out.add(r.get(0) + " " + r.get(1));
        }
        return out;
    }

    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException ignored) {
            // test helper
        }
    }
}
