package dev.tarn.lake.pipeline.sink;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What a JDBC target's own catalog says about a table: its columns and unique keys. */
final class TargetTables {
    private TargetTables() {}

    /** The target's columns, or null if it has no such table. */
    static List<String> columns(Connection c, String schemaName, String tableName)
            throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String schema = schemaName != null ? schemaName : c.getSchema();
        String escape = md.getSearchStringEscape();
        List<String> cols = new ArrayList<>();
        boolean found = false;
        try (ResultSet rs =
                md.getTables(null, pattern(schema, escape), pattern(tableName, escape), null)) {
            while (rs.next()) {
                found |= tableName.equals(rs.getString("TABLE_NAME"));
            }
        }
        if (!found) {
            return null;
        }
        try (ResultSet rs =
                md.getColumns(null, pattern(schema, escape), pattern(tableName, escape), "%")) {
            while (rs.next()) {
                if (tableName.equals(rs.getString("TABLE_NAME"))) {
                    cols.add(rs.getString("COLUMN_NAME"));
                }
            }
        }
        return cols;
    }

    private static String pattern(String name, String escape) {
        if (name == null) {
            return null;
        }
        if (escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape)
                .replace("_", escape + "_")
                .replace("%", escape + "%");
    }

    /** Whether the table has a primary key or unique index on exactly the key columns. */
    static boolean hasUniqueKey(Connection c, String schemaName, String tableName, List<String> key)
            throws SQLException {
        Set<String> want = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        want.addAll(key);
        DatabaseMetaData md = c.getMetaData();
        String schema = schemaName != null ? schemaName : c.getSchema();
        Set<String> primary = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        try (ResultSet rs = md.getPrimaryKeys(null, schema, tableName)) {
            while (rs.next()) {
                primary.add(rs.getString("COLUMN_NAME"));
            }
        }
        if (primary.equals(want)) {
            return true;
        }
        Map<String, Set<String>> indexes = new HashMap<>();
        try (ResultSet rs = md.getIndexInfo(null, schema, tableName, true, false)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME");
                String column = rs.getString("COLUMN_NAME");
                if (index != null && column != null && !rs.getBoolean("NON_UNIQUE")) {
                    indexes.computeIfAbsent(
                                    index, i -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER))
                            .add(column);
                }
            }
        }
        return indexes.containsValue(want);
    }
}
