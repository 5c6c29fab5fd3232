package dev.tarn.lake.query.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.lake.exceptions.QueryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Lets only queries through, and only what it fully understands. DuckDB's own parser decides:
 * {@code json_serialize_sql} serialises one SELECT statement (with CTEs, set operations, PIVOT with
 * its values listed, DESCRIBE, SHOW and SUMMARIZE of a relation or query...) and reports an error
 * for anything else (COPY, CREATE, ATTACH, INSTALL, SET, PRAGMA, ANALYZE, PIVOT whose values DuckDB
 * would first have to compute...), which is refused. {@code EXPLAIN [ANALYZE]} runs over a body
 * that is vetted the same way.
 *
 * <p>Every relation of the parse tree must be one the lake knows: a dataset {@code zone.dataset}
 * (which the caller checks against the catalog and the access policy), a CTE of the statement, or a
 * view of DuckDB's own catalog ({@code information_schema}, {@code pg_catalog}, {@code
 * duckdb_tables}...). Anything else would reach DuckDB's replacement scans, which read a name that
 * looks like a file as that file ({@code "/lake/x"."json"} reads {@code /lake/x.json}); DuckDB 2.0
 * has no setting that turns them off. Table functions are allowed from a list of those that read no
 * files.
 */
final class SqlGuard {
    /** {@code EXPLAIN} and {@code EXPLAIN ANALYZE}, whose body must itself pass. */
    private static final Pattern EXPLAIN =
            Pattern.compile("(?is)\\s*EXPLAIN\\s+(?:ANALYZE\\s+)?(.*)");

    /**
     * A CTE name that no replacement scan can take for a file: DuckDB's scans want a name with an
     * extension.
     */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private SqlGuard() {}

    private static final int CACHE_SIZE = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Statements already vetted, with the relations they read: dashboards and loops ask the same
     * ones again.
     */
    private static final Map<String, Set<Relation>> VETTED =
            Collections.synchronizedMap(
                    new LinkedHashMap<>(64, 0.75f, true) {
                        @Override
                        protected boolean removeEldestEntry(
                                Map.Entry<String, Set<Relation>> eldest) {
                            return size() > CACHE_SIZE;
                        }
                    });

    /**
     * Table functions a query may call: they compute rows, take apart values, or list the engine's
     * own catalog, and read no files. Everything else ({@code read_csv}, {@code read_parquet},
     * {@code glob}, {@code query_table}, {@code json_execute_serialized_sql}, {@code sniff_csv}...)
     * would read around the datasets and their access checks, or do what only the lake's API may
     * do; it is refused by default.
     */
    static final Set<String> TABLE_FUNCTIONS =
            Set.of("range", "generate_series", "unnest", "json_each", "json_tree");

    /**
     * Table functions that list the engine's catalog: allowed, and the statement then needs every
     * view. SqlSecurityTest writes this list out again on purpose, so that a change here has to be
     * made there too (a test that read it from here would pass whatever it held).
     */
    static final Set<String> CATALOG_FUNCTIONS =
            Set.of(
                    "duckdb_tables",
                    "duckdb_views",
                    "duckdb_columns",
                    "duckdb_schemas",
                    "duckdb_databases",
                    "duckdb_types",
                    "duckdb_functions",
                    "duckdb_keywords",
                    "duckdb_constraints",
                    "duckdb_indexes",
                    "duckdb_sequences");

    /**
     * What SHOW lists without a query of its own: SHOW TABLES, SHOW ALL TABLES (and DESCRIBE
     * alone), SHOW SCHEMAS...
     */
    private static final Set<String> SHOW_SPECIAL =
            Set.of("\"tables\"", "__show_tables_expanded", "\"schemas\"", "\"databases\"");

    /**
     * The kinds of relation the walk below knows how to check; any other is refused, never waved
     * through.
     */
    private static final Set<String> TABLE_REFS =
            Set.of(
                    "BASE_TABLE",
                    "JOIN",
                    "SUBQUERY",
                    "TABLE_FUNCTION",
                    "EXPRESSION_LIST",
                    "EMPTY",
                    "PIVOT",
                    "SHOW_REF");

    /**
     * DuckDB's own views ({@code "information_schema.tables"}, {@code "main.duckdb_tables"}...),
     * read once.
     */
    private static volatile Set<String> systemViews;

    /**
     * A relation named in a query that can only be a dataset: {@code schema.name} ({@code
     * raw.clicks}, {@code processed."orders@3"}), lower-cased as DuckDB matches names.
     */
    record Relation(String schema, String name) {}

    /**
     * Stands for "every relation" in what {@link #vet} returns: the statement lists or describes
     * the database ({@code SHOW TABLES}, {@code information_schema}, {@code duckdb_tables()}), so
     * every view must be there.
     */
    static final Relation ALL = new Relation("*", "*");

    /**
     * Lets only queries through and returns the relations they read that can only be datasets, for
     * the caller to check against the catalog and the access policy. Refuses what is not one fully
     * analysed query, table functions that read files, and names that are neither datasets, nor
     * CTEs, nor the engine's catalog views.
     */
    static Set<Relation> vet(Connection c, String sql) throws SQLException {
        Set<Relation> known = VETTED.get(sql);
        if (known != null) {
            return known;
        }
        var explain = EXPLAIN.matcher(sql);
        String body = explain.matches() ? explain.group(1) : sql;
        JsonNode parsed;
        try (PreparedStatement ps = c.prepareStatement("SELECT json_serialize_sql(?)")) {
            ps.setString(1, body);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                parsed = JSON.readTree(rs.getString(1));
            } catch (java.io.IOException e) {
                throw new QueryException(
                        "cannot read the query's parse tree: " + e.getMessage(), e);
            }
        }
        if (parsed.path("error").asBoolean(false)) {
            String why = parsed.path("error_message").asText("");
            if (why.contains("Only SELECT")) {
                if (body.toUpperCase(Locale.ROOT).matches("(?s).*\\b(UN)?PIVOT\\b.*")) {
                    throw new QueryException(
                            "refused: a PIVOT must list its values (PIVOT zone.dataset ON col IN"
                                    + " ('a', 'b') USING count(*)): without them DuckDB runs a statement of its own first,"
                                    + " which lake SQL cannot check");
                }
                throw new QueryException(
                        "refused: only queries run through lake SQL (SELECT, WITH, VALUES,"
                                + " DESCRIBE, SHOW, SUMMARIZE, EXPLAIN of them)",
                        QueryException.Remedy.LAKE_OPERATIONS,
                        "; the lake changes through its API");
            }
            throw new QueryException("query failed: " + why);
        }
        JsonNode statements = parsed.path("statements");
        if (statements.size() != 1) {
            if (statements.isEmpty()) {
                throw new QueryException(
                        "refused: no query to run (only SELECT, WITH, VALUES, DESCRIBE, SHOW,"
                                + " SUMMARIZE, EXPLAIN)");
            }
            throw new QueryException(
                    "refused: one statement at a time; this text holds " + statements.size(),
                    QueryException.Remedy.SCRIPT,
                    " (a script runs statement by statement: Sql.statements splits"
                            + " it, Sql.queryAll runs it)");
        }
        Set<Relation> relations = new LinkedHashSet<>();
        new Walk(systemViews(c), relations).node(statements.get(0));
        Set<Relation> result = Set.copyOf(relations);
        VETTED.put(sql, result);
        return result;
    }

    /** DuckDB's own views, by {@code schema.name}: they list the catalog and read no files. */
    private static Set<String> systemViews(Connection c) throws SQLException {
        Set<String> views = systemViews;
        if (views == null) {
            Set<String> found = new HashSet<>();
            try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT schema_name, view_name FROM duckdb_views()"
                                            + " WHERE internal AND database_name = 'system'");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(
                            rs.getString(1).toLowerCase(Locale.ROOT)
                                    + "."
                                    + rs.getString(2).toLowerCase(Locale.ROOT));
                }
            }
            systemViews = views = Set.copyOf(found);
        }
        return views;
    }

    /** One walk over a parse tree, with the CTE names in scope. */
    private static final class Walk {
        private final Set<String> systemViews;
        private final Set<Relation> out;
        private final Deque<Set<String>> ctes = new ArrayDeque<>();

        Walk(Set<String> systemViews, Set<Relation> out) {
            this.systemViews = systemViews;
            this.out = out;
        }

        void node(JsonNode node) {
            if (node.isArray()) {
                for (JsonNode child : node) {
                    node(child);
                }
                return;
            }
            if (!node.isObject()) {
                return;
            }
            // A CTE is visible in the statement that declares it (its own body included, for WITH
            // RECURSIVE).
            Set<String> declared = new HashSet<>();
            for (JsonNode cte : node.path("cte_map").path("map")) {
                declared.add(cte.path("key").asText("").toLowerCase(Locale.ROOT));
            }
            if (!declared.isEmpty()) {
                ctes.push(declared);
            }
            try {
                String type = node.has("class") ? "" : node.path("type").asText("");
                for (String key : new String[] {"from_table", "left", "right", "source"}) {
                    // a query's FROM, a JOIN's sides and a PIVOT's source are relations (a
                    // comparison's sides,
                    // a set operation's are not)
                    boolean relation =
                            key.equals("from_table")
                                    || (type.equals("JOIN") && !key.equals("source"))
                                    || (type.equals("PIVOT") && key.equals("source"));
                    JsonNode ref = node.get(key);
                    if (relation
                            && ref != null
                            && ref.isObject()
                            && !TABLE_REFS.contains(ref.path("type").asText(""))) {
                        throw new QueryException(
                                "refused: lake SQL cannot check a relation of kind "
                                        + printable(ref.path("type").asText("?"))
                                        + "; datasets by name, CTEs, subqueries,"
                                        + " VALUES and the table functions that read no files may be read");
                    }
                }
                switch (type) {
                    case "BASE_TABLE" -> table(node);
                    case "TABLE_FUNCTION" -> function(node);
                    case "SHOW_REF" -> show(node);
                    default -> {}
                }
                node.fields().forEachRemaining(f -> node(f.getValue()));
            } finally {
                if (!declared.isEmpty()) {
                    ctes.pop();
                }
            }
        }

        private void table(JsonNode ref) {
            String catalog = lower(ref.path("catalog_name").asText(""));
            String schema = lower(ref.path("schema_name").asText(""));
            String name = ref.path("table_name").asText("");
            String lower = lower(name);
            if (catalog.isEmpty() && schema.isEmpty()) {
                if (PLAIN_NAME.matcher(name).matches()
                        && ctes.stream().anyMatch(s -> s.contains(lower))) {
                    return; // a CTE of the statement
                }
                if (systemViews.contains("main." + lower)) {
                    out.add(ALL); // duckdb_tables, duckdb_columns...
                    return;
                }
                throw refused(name);
            }
            if ((catalog.isEmpty() || catalog.equals("system"))
                    && systemViews.contains(schema + "." + lower)) {
                out.add(ALL); // information_schema.tables, pg_catalog.pg_tables...
                return;
            }
            if (!catalog.isEmpty() && !catalog.equals("memory")) {
                throw refused(catalog + "." + schema + "." + name);
            }
            if (schema.equals("tarn") && lower.equals("objects")) {
                return; // the catalog's objects: READ on the lake, which every statement needs
            }
            if (schema.equals("tarn") && LakeStateTables.NAMES.contains(lower)) {
                out.add(new Relation("tarn", lower)); // made afresh before the statement runs
                return;
            }
            // zone.dataset, or zone."table@SPEC": the spec keeps its case (an instant's 'T' and
            // 'Z')
            int at = name.indexOf('@');
            out.add(
                    new Relation(
                            schema,
                            at < 0 ? lower : lower(name.substring(0, at)) + name.substring(at)));
        }

        private void function(JsonNode ref) {
            String fn = lower(ref.path("function").path("function_name").asText(""));
            if (CATALOG_FUNCTIONS.contains(fn)) {
                out.add(ALL);
            } else if (!TABLE_FUNCTIONS.contains(fn)) {
                throw new QueryException(
                        "refused: SQL may read only the lake's own datasets, by name"
                                + " (zone.dataset); the table function "
                                + printable(fn)
                                + "() is not available in lake SQL");
            }
        }

        private void show(JsonNode ref) {
            if (!ref.path("query").isObject()) {
                String type = ref.path("show_type").asText("");
                String what = ref.path("table_name").asText("");
                if ((type.equals("SHOW_SPECIAL") && SHOW_SPECIAL.contains(what))
                        || type.equals("SHOW_FROM")) {
                    out.add(ALL); // lists the catalog: SHOW TABLES [FROM zone], SHOW ALL TABLES,
                    // DESCRIBE...
                    return;
                }
                throw new QueryException(
                        "refused: SHOW "
                                + printable(what)
                                + " is not available in lake SQL; SHOW"
                                + " TABLES, SHOW ALL TABLES, DESCRIBE zone.dataset and SHOW of a query are");
            }
            // DESCRIBE, SHOW or SUMMARIZE of a relation or query: the query is walked like any
            // other
        }
    }

    private static QueryException refused(String name) {
        return new QueryException(
                "refused: SQL may read only the lake's own datasets, by name (zone.dataset),"
                        + " CTEs and the engine's catalog views; '"
                        + printable(name)
                        + "' is none of them (files are read"
                        + " through their datasets, never by path)");
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** A name as it may appear in a one-line error: control characters escaped, long names cut. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 120; i++) {
            char ch = s.charAt(i);
            b.append(
                    Character.isISOControl(ch) || Character.getType(ch) == Character.FORMAT
                            ? String.format("\\u%04x", (int) ch)
                            : String.valueOf(ch));
        }
        return b.length() >= 120 ? b + "..." : b.toString();
    }

    /**
     * The statements of a script, in order, as the text between top-level semicolons: quoted
     * strings and identifiers, dollar-quoted strings and comments are read past, and pieces holding
     * nothing but blanks and comments are left out. DuckDB's JDBC driver has no way to split a
     * script (it runs every statement and returns the last result only), so this lexer does it, and
     * {@link #statementCount} lets the caller check it against DuckDB's own parser.
     */
    static java.util.List<String> split(String script) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int start = 0;
        boolean content = false; // the current piece holds something other than blanks and comments
        int n = script.length();
        int i = 0;
        while (i < n) {
            char ch = script.charAt(i);
            char next = i + 1 < n ? script.charAt(i + 1) : 0;
            if (ch == '-' && next == '-') {
                int end = script.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (ch == '/' && next == '*') {
                int depth = 1; // block comments nest, as in DuckDB's (PostgreSQL's) grammar
                i += 2;
                while (i < n && depth > 0) {
                    if (script.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (script.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
            } else if (ch == '\'' || ch == '"') {
                boolean escapes =
                        ch == '\''
                                && i > 0
                                && (script.charAt(i - 1) == 'E' || script.charAt(i - 1) == 'e')
                                && (i < 2 || !Character.isLetterOrDigit(script.charAt(i - 2)));
                i++;
                while (i < n) {
                    char c = script.charAt(i);
                    if (escapes && c == '\\') {
                        i += 2;
                    } else if (c == ch && i + 1 < n && script.charAt(i + 1) == ch) {
                        i += 2; // a doubled quote stands for itself
                    } else if (c == ch) {
                        i++;
                        break;
                    } else {
                        i++;
                    }
                }
                content = true;
            } else if (ch == '$' && dollarTag(script, i) != null) {
                String tag = dollarTag(script, i);
                int end = script.indexOf(tag, i + tag.length());
                i = end < 0 ? n : end + tag.length();
                content = true;
            } else if (ch == ';') {
                if (content) {
                    out.add(script.substring(start, i));
                }
                start = i + 1;
                content = false;
                i++;
            } else {
                if (!Character.isWhitespace(ch)) {
                    content = true;
                }
                i++;
            }
        }
        if (content) {
            out.add(script.substring(start));
        }
        return out;
    }

    /**
     * The opening {@code $tag$} of a dollar-quoted string at {@code i}, or null ({@code $1} is a
     * parameter).
     */
    private static String dollarTag(String s, int i) {
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
        }
        if (j >= s.length()
                || s.charAt(j) != '$'
                || (j > i + 1 && Character.isDigit(s.charAt(i + 1)))) {
            return null;
        }
        return s.substring(i, j + 1);
    }

    /**
     * How many statements DuckDB's parser finds in a script, or -1 when it cannot parse it (the
     * statements vetted one by one then say what is wrong, or the script is refused as one that
     * cannot be split).
     */
    static int statementCount(Connection c, String script) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT json_serialize_sql(?)")) {
            ps.setString(1, script);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                JsonNode parsed = JSON.readTree(rs.getString(1));
                return parsed.path("error").asBoolean(false)
                        ? -1
                        : parsed.path("statements").size();
            } catch (java.io.IOException e) {
                throw new QueryException(
                        "cannot read the script's parse tree: " + e.getMessage(), e);
            }
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
