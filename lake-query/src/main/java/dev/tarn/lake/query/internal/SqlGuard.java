package dev.tarn.lake.query.internal;

import dev.tarn.lake.query.QueryException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Lets only queries through. DuckDB's own parser decides: {@code json_serialize_sql} serialises SELECT statements
 * (with CTEs, set operations, PIVOT...) and reports an error for anything else (COPY, CREATE, ATTACH, INSTALL, SET,
 * PRAGMA...). A few read-only introspection commands are allowed as single statements.
 */
final class SqlGuard {
    private static final Pattern INTROSPECTION = Pattern.compile("(?is)\\s*(DESCRIBE|SUMMARIZE|SHOW)\\s+[^;]*;?\\s*");
    private static final Pattern EXPLAIN = Pattern.compile("(?is)\\s*EXPLAIN\\s+(.*)");

    private SqlGuard() {
    }

    static void requireReadOnly(Connection c, String sql) throws SQLException {
        if (INTROSPECTION.matcher(sql).matches()) {
            return;
        }
        var explain = EXPLAIN.matcher(sql);
        String body = explain.matches() ? explain.group(1) : sql;
        if (body.trim().toUpperCase(Locale.ROOT).startsWith("ANALYZE")) {
            body = body.trim().substring("ANALYZE".length());
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT json_extract(json_serialize_sql(?), '$.error')::BOOLEAN,"
                + " json_extract_string(json_serialize_sql(?), '$.error_message')")) {
            ps.setString(1, body);
            ps.setString(2, body);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    String why = rs.getString(2);
                    if (why != null && why.contains("Only SELECT")) {
                        throw new QueryException("refused: only queries run through lake SQL (SELECT, WITH, VALUES,"
                                + " DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); the lake changes through its API");
                    }
                    throw new QueryException("query failed: " + why);
                }
            }
        }
    }
}
