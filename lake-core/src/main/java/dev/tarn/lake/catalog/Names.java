package dev.tarn.lake.catalog;

import dev.tarn.lake.exceptions.IllegalNameException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The naming rule for zones, datasets and partition keys. These names become path segments on disk
 * and on S3 and identifiers in SQL, so they are kept to a set that is safe in all of them without
 * escaping.
 */
public final class Names {
    /**
     * Lowercase letters, digits, '_' and '-'; starts with a letter or digit; 1 to 64 characters.
     */
    public static final Pattern RULE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public static final String RULE_TEXT =
            "1 to 64 characters: lowercase letters a-z, digits 0-9, '_' and '-', starting with a letter or digit";

    /** The prefix under which a lake keeps its own files. */
    public static final String RESERVED_PREFIX = "_tarn";

    // Device names that no Windows tool can open as files, and words with a meaning in the lake
    // layout.
    private static final Set<String> RESERVED =
            Set.of(
                    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6",
                    "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7",
                    "lpt8", "lpt9", "tarn", "tmp", "temp");

    /**
     * Names the SQL engine (DuckDB) gives a meaning of its own: its catalogs ({@code memory},
     * {@code system}, {@code temp}), its schemas ({@code main}, {@code information_schema}, {@code
     * pg_catalog}) and the lake's own schema ({@code tarn}, of {@code tarn.objects}). A zone so
     * named cannot become a schema of its own (DuckDB refuses to create it, or every reference to
     * it is ambiguous), and a zone named {@code main} would put its datasets in front of DuckDB's
     * own views. The list is the engine's ({@code duckdb_databases()}, {@code duckdb_schemas()});
     * lake-query's tests check it against the engine.
     */
    public static final Set<String> SQL_RESERVED =
            Set.of("information_schema", "pg_catalog", "main", "memory", "system", "temp", "tarn");

    /**
     * DuckDB keywords that cannot stand unquoted before a dot ({@code order.clicks} is a syntax
     * error): the engine's reserved and type-or-function keywords that the naming rule lets
     * through. A zone so named would have to be double-quoted in every statement; its views would
     * work, but {@code zone.dataset} as the docs write it would not. Dataset names are not
     * concerned: after the dot every keyword works. Checked against the engine's {@code
     * duckdb_keywords()} by lake-query's tests.
     */
    public static final Set<String> SQL_KEYWORDS =
            Set.of(
                    "all",
                    "analyse",
                    "analyze",
                    "and",
                    "any",
                    "array",
                    "as",
                    "asc",
                    "asymmetric",
                    "both",
                    "case",
                    "cast",
                    "check",
                    "collate",
                    "column",
                    "constraint",
                    "create",
                    "default",
                    "deferrable",
                    "desc",
                    "describe",
                    "distinct",
                    "do",
                    "else",
                    "end",
                    "except",
                    "false",
                    "fetch",
                    "for",
                    "foreign",
                    "from",
                    "group",
                    "having",
                    "in",
                    "initially",
                    "intersect",
                    "into",
                    "lambda",
                    "lateral",
                    "leading",
                    "limit",
                    "not",
                    "null",
                    "offset",
                    "on",
                    "only",
                    "or",
                    "order",
                    "pivot",
                    "pivot_longer",
                    "pivot_wider",
                    "placing",
                    "primary",
                    "qualify",
                    "references",
                    "returning",
                    "select",
                    "show",
                    "some",
                    "summarize",
                    "symmetric",
                    "table",
                    "then",
                    "to",
                    "trailing",
                    "true",
                    "union",
                    "unique",
                    "unpivot",
                    "using",
                    "variadic",
                    "when",
                    "where",
                    "window",
                    "with",
                    "anti",
                    "asof",
                    "at",
                    "authorization",
                    "binary",
                    "by",
                    "collation",
                    "concurrently",
                    "cross",
                    "freeze",
                    "full",
                    "glob",
                    "ilike",
                    "inner",
                    "is",
                    "isnull",
                    "join",
                    "left",
                    "like",
                    "natural",
                    "notnull",
                    "outer",
                    "overlaps",
                    "positional",
                    "right",
                    "semi",
                    "similar",
                    "tablesample",
                    "unpack",
                    "verbose");

    /**
     * Partition values: ASCII letters, digits, '.', '_', '-'; starts with a letter or digit; 1 to
     * 128 characters.
     */
    public static final Pattern PARTITION_VALUE =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public static final String PARTITION_VALUE_TEXT =
            "1 to 128 characters A-Z a-z 0-9 '.' '_' '-', starting with a letter or digit";

    private Names() {}

    /**
     * Returns the value if it may be a partition value ({@code ingest_date=2026-11-21}), else says
     * what may.
     */
    public static String checkPartitionValue(String key, String value) {
        if (value == null || !PARTITION_VALUE.matcher(value).matches()) {
            throw new IllegalNameException(
                    "partition value '"
                            + (value == null ? "" : printable(value))
                            + "' for "
                            + key
                            + " is not allowed; allowed: "
                            + PARTITION_VALUE_TEXT);
        }
        return value;
    }

    /**
     * Returns the name if it is valid, else throws {@link IllegalNameException} saying what is
     * allowed.
     */
    public static String check(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalNameException(what + " name is empty; allowed: " + RULE_TEXT);
        }
        if (name.startsWith("_") || name.startsWith(".")) {
            throw new IllegalNameException(
                    what
                            + " name '"
                            + printable(name)
                            + "' starts with '"
                            + name.charAt(0)
                            + "': names starting with '_' or '.' are reserved for the lake's"
                            + " own files ("
                            + RESERVED_PREFIX
                            + "/); allowed: "
                            + RULE_TEXT);
        }
        if (name.length() > 64) {
            throw new IllegalNameException(
                    what + " name is " + name.length() + " characters long; allowed: " + RULE_TEXT);
        }
        if (!RULE.matcher(name).matches()) {
            throw new IllegalNameException(
                    what
                            + " name '"
                            + printable(name)
                            + "' is not allowed; allowed: "
                            + RULE_TEXT
                            + hint(name));
        }
        if (RESERVED.contains(name)) {
            throw new IllegalNameException(
                    what + " name '" + name + "' is reserved; choose another (" + RULE_TEXT + ")");
        }
        return name;
    }

    /**
     * Why SQL cannot show a zone of this name as the docs write it ({@code zone.dataset}), or null
     * if it can. Such names are refused when a zone is created ({@link #checkNew}); a lake that
     * already has such a zone still opens, and {@code lake doctor} names it. Dataset names have no
     * such conflict: after the dot DuckDB takes every name of the naming rule, catalog, schema and
     * keyword names included (measured against the engine).
     */
    public static String sqlConflict(String zone) {
        if (zone == null) {
            return null;
        }
        if (SQL_RESERVED.contains(zone)) {
            return "'"
                    + zone
                    + "' is a catalog or schema of the SQL engine, so SQL cannot show this zone's datasets";
        }
        if (SQL_KEYWORDS.contains(zone)) {
            return "'"
                    + zone
                    + "' is an SQL keyword, so SQL could name this zone's datasets only in double quotes";
        }
        return null;
    }

    /**
     * {@link #check}, and for a zone about to be created also that SQL can show it ({@link
     * #sqlConflict}). Creation sites call this, reading sites {@link #check}: a lake that already
     * has such a zone must still open.
     */
    public static String checkNew(String what, String name) {
        check(what, name);
        String conflict = what.equals("zone") ? sqlConflict(name) : null;
        if (conflict != null) {
            throw new IllegalNameException(
                    what + " name " + conflict + "; choose another (" + RULE_TEXT + ")");
        }
        return name;
    }

    public static boolean isValid(String name) {
        return name != null && RULE.matcher(name).matches() && !RESERVED.contains(name);
    }

    private static String hint(String name) {
        if (name.contains("/")) {
            return " (a '/' separates zone and dataset, as in raw/clicks; neither may contain one)";
        }
        if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
            return " (did you mean '" + name.toLowerCase(java.util.Locale.ROOT) + "'?)";
        }
        return "";
    }

    /**
     * Quotes control characters and shortens long names so that error messages stay one readable
     * line.
     */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            if (c < 0x20
                    || (c >= 0x7f && c <= 0x9f)
                    || (c >= 0x202a && c <= 0x202e)
                    || (c >= 0x2066 && c <= 0x2069)
                    || c == 0x200e
                    || c == 0x200f
                    || c == 0x061c
                    || c == 0x2028
                    || c == 0x2029) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (b.length() >= 80) {
            b.append("...");
        }
        return b.toString();
    }
}
