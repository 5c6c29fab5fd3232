package dev.tarn.lake.query.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.lake.query.QueryException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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

    private static final int CACHE_SIZE = 512;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Statements already found to be queries: dashboards and loops ask the same ones again and again. */
    private static final Map<String, Boolean> VETTED = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    static void requireReadOnly(Connection c, String sql) throws SQLException {
        if (VETTED.containsKey(sql) || INTROSPECTION.matcher(sql).matches()) {
            return;
        }
        var explain = EXPLAIN.matcher(sql);
        String body = explain.matches() ? explain.group(1) : sql;
        if (body.trim().toUpperCase(Locale.ROOT).startsWith("ANALYZE")) {
            body = body.trim().substring("ANALYZE".length());
        }
        JsonNode parsed;
        try (PreparedStatement ps = c.prepareStatement("SELECT json_serialize_sql(?)")) {
            ps.setString(1, body);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                parsed = JSON.readTree(rs.getString(1));
            } catch (java.io.IOException e) {
                throw new QueryException("cannot read the query's parse tree: " + e.getMessage(), e);
            }
        }
        if (parsed.path("error").asBoolean(false)) {
            String why = parsed.path("error_message").asText("");
            if (why.contains("Only SELECT")) {
                throw new QueryException("refused: only queries run through lake SQL (SELECT, WITH, VALUES,"
                        + " DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); the lake changes through its API");
            }
            throw new QueryException("query failed: " + why);
        }
        VETTED.put(sql, Boolean.TRUE);
    }

    /** A vetted single statement, ready to nest in COPY (...) or DESCRIBE: trailing ';' removed. */
    static String withoutTrailingSemicolons(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }
}
