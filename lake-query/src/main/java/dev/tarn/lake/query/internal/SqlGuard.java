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
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Lets only queries through. DuckDB's own parser decides: {@code json_serialize_sql} serialises SELECT statements
 * (with CTEs, set operations...) and reports an error for anything else (COPY, CREATE, ATTACH, INSTALL, SET,
 * PRAGMA...). A few read-only introspection commands are allowed as single statements. The parse tree also names
 * every relation a query reads, so that access can be checked per dataset.
 */
final class SqlGuard {
    private static final Pattern INTROSPECTION = Pattern.compile("(?is)\\s*(DESCRIBE|SUMMARIZE|SHOW)\\s+[^;]*;?\\s*");
    private static final Pattern EXPLAIN = Pattern.compile("(?is)\\s*EXPLAIN\\s+(.*)");

    private SqlGuard() {
    }

    private static final int CACHE_SIZE = 512;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Statements already vetted, with the relations they read: dashboards and loops ask the same ones again. */
    private static final Map<String, Set<Relation>> VETTED = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Set<Relation>> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    /**
     * Table functions a query may call: they compute rows or take apart values, and read no files. Everything else
     * ({@code read_csv}, {@code read_parquet}, {@code glob}, {@code query_table}...) would read around the datasets
     * and their access checks.
     */
    private static final Set<String> TABLE_FUNCTIONS = Set.of("range", "generate_series", "unnest", "json_each",
            "json_tree");

    /** A relation named in a query: {@code schema.name} ({@code raw.clicks}, {@code processed."orders@3"}). */
    record Relation(String schema, String name) {
    }

    /**
     * Stands for "every relation" in what {@link #vet} returns: the statement lists or describes the database
     * ({@code SHOW TABLES}, {@code DESCRIBE}, {@code information_schema}), so every view must be there.
     */
    static final Relation ALL = new Relation("*", "*");

    /**
     * Lets only queries through and returns the relations they read, for the caller to check access to. Refuses
     * what is not a query, table functions that read files, and file paths in place of relations.
     */
    static Set<Relation> vet(Connection c, String sql) throws SQLException {
        Set<Relation> known = VETTED.get(sql);
        if (known != null) {
            return known;
        }
        boolean introspection = INTROSPECTION.matcher(sql).matches();
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
        Set<Relation> relations = new LinkedHashSet<>();
        if (parsed.path("error").asBoolean(false)) {
            // DESCRIBE and SHOW of what the serialiser cannot express only show metadata; SUMMARIZE reads data
            boolean metadataOnly = introspection && !sql.trim().toUpperCase(Locale.ROOT).startsWith("SUMMARIZE");
            if (!metadataOnly) {
                String why = parsed.path("error_message").asText("");
                if (why.contains("Only SELECT")) {
                    throw new QueryException("refused: only queries run through lake SQL (SELECT, WITH, VALUES,"
                            + " DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); the lake changes through its API");
                }
                throw new QueryException("query failed: " + why);
            }
        } else {
            collect(parsed, relations);
        }
        Set<Relation> result = Set.copyOf(relations);
        VETTED.put(sql, result);
        return result;
    }

    private static void collect(JsonNode node, Set<Relation> out) {
        if (node.isObject()) {
            String type = node.path("type").asText("");
            if (type.equals("BASE_TABLE")) {
                String schema = node.path("schema_name").asText("");
                String name = node.path("table_name").asText("");
                if (schema.isEmpty() && (name.contains("/") || name.contains("."))) {
                    // DuckDB would read a file named in place of a relation ("replacement scan")
                    throw new QueryException("refused: SQL may read only the lake's own datasets, by name"
                            + " (zone.dataset), not files by path ('" + name + "')");
                }
                out.add(new Relation(schema, name));
                if (schema.equals("information_schema") || schema.equals("pg_catalog")) {
                    out.add(ALL);
                }
            } else if (type.equals("SHOW_REF")) {
                out.add(ALL);
            } else if (type.equals("TABLE_FUNCTION")) {
                String fn = node.path("function").path("function_name").asText("");
                if (!TABLE_FUNCTIONS.contains(fn.toLowerCase(Locale.ROOT))) {
                    throw new QueryException("refused: SQL may read only the lake's own datasets, by name"
                            + " (zone.dataset); the table function " + fn + "() is not available in lake SQL");
                }
            }
        }
        for (JsonNode child : node) {
            collect(child, out);
        }
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
