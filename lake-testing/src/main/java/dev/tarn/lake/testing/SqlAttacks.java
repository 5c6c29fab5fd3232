package dev.tarn.lake.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Statements and export targets that lake SQL must refuse, generated from a few families: file
 * paths spelled as qualified names, table functions that read files, each of them inside DESCRIBE,
 * SHOW, SUMMARIZE, EXPLAIN [ANALYZE], PIVOT and UNPIVOT forms, statements that are not one query,
 * and export targets inside the lake. Tarn's own security suites run them through the Java API and
 * the CLI; an application that puts a front end of its own on lake SQL can run them too.
 *
 * <p>The lake the attacks aim at holds {@code raw/clicks} (NDJSON), {@code raw/salaries} (CSV) and
 * a table {@code processed/t}; {@code LAKE} in a statement stands for the lake's directory.
 */
public final class SqlAttacks {
    private SqlAttacks() {}

    /** One attack: its family (for the test's name) and its text. */
    public record Attack(String family, String sql) {
        @Override
        public String toString() {
            return family + ": " + sql;
        }

        /** The statement aimed at a lake in this directory. */
        public String at(Path lake) {
            return sql.replace("LAKE", lake.toString());
        }
    }

    /**
     * Files of the lake, as a path without its extension and the extension, for qualified-name
     * spellings.
     */
    private static final String[][] FILES = {
        {"LAKE/_tarn/catalog/log/00000000000000000000", "json"},
        {"LAKE/**/*", "ndjson"},
        {"LAKE/raw/salaries/**/*", "csv"},
        {"LAKE/processed/t/_delta_log/00000000000000000000", "json"},
        {"LAKE/processed/t/*", "parquet"},
    };

    /**
     * Every table function of DuckDB 2.0 that reads files or runs SQL of its own, with arguments
     * that aim it at the lake. Lake SQL allows table functions from a short list only, so functions
     * a later DuckDB adds are refused too.
     */
    public static final Map<String, String> FILE_FUNCTIONS = files();

    private static Map<String, String> files() {
        Map<String, String> m = new LinkedHashMap<>();
        aim(m, "'LAKE/_tarn/catalog/log/00000000000000000000.json'", "read_text");
        aim(m, "'LAKE/_tarn/catalog/log/*.json'", "read_blob");
        aim(
                m,
                "'LAKE/raw/salaries/**/*.csv'",
                "read_csv",
                "read_csv_auto",
                "read_single_csv_file",
                "sniff_csv");
        aim(m, "'LAKE/**/*.ndjson'", "read_json");
        aim(m, "'LAKE/**/*.json'", "read_json_auto");
        aim(m, "'LAKE/**/*.ndjson'", "read_ndjson", "read_ndjson_auto");
        aim(m, "'LAKE/**/*.json'", "read_json_objects", "read_json_objects_auto");
        aim(m, "'LAKE/**/*.ndjson'", "read_ndjson_objects");
        aim(m, "'LAKE/_tarn/catalog/log/00000000000000000000.json'", "read_single_json_file");
        aim(
                m,
                "'LAKE/processed/t/*.parquet'",
                "read_parquet",
                "read_single_parquet_file",
                "parquet_scan",
                "parquet_metadata",
                "parquet_schema",
                "parquet_file_metadata",
                "parquet_kv_metadata",
                "parquet_full_metadata");
        aim(m, "'LAKE/x.db'", "read_duckdb");
        aim(m, "'LAKE/**'", "glob");
        aim(m, "'SELECT * FROM raw.salaries'", "query");
        aim(m, "'raw.salaries'", "query_table");
        aim(m, "json_serialize_sql('SELECT * FROM raw.salaries')", "json_execute_serialized_sql");
        aim(m, "'raw.salaries'", "pragma_table_info");
        aim(
                m,
                "",
                "checkpoint",
                "force_checkpoint",
                "enable_logging",
                "duckdb_extensions",
                "duckdb_secrets");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Adds {@code functions}, each aimed with the same {@code argument}, in their order. */
    private static void aim(Map<String, String> m, String argument, String... functions) {
        for (String f : functions) {
            m.put(f, argument);
        }
    }

    /**
     * Ways of spelling a file path as a relation name, qualified or not, in any quoting and case.
     */
    static List<String> spellings(String path, String ext) {
        String upper = ext.toUpperCase(java.util.Locale.ROOT);
        return List.of(
                "\"" + path + "\".\"" + ext + "\"",
                "\"" + path + "\".\"" + upper + "\"",
                "\"" + path + "\"." + ext,
                "\"" + path + "\"." + upper,
                "memory.\"" + path + "\".\"" + ext + "\"",
                "\"MEMORY\".\"" + path + "\".\"" + ext + "\"",
                "system.\"" + path + "\".\"" + ext + "\"",
                "temp.\"" + path + "\".\"" + ext + "\"",
                "\"" + path + "." + ext + "\"",
                "'" + path + "." + ext + "'",
                "memory.main.\"" + path + "." + ext + "\"",
                "main.\"" + path + "." + ext + "\"",
                "raw.\"" + path + "." + ext + "\"",
                "RAW.\"../" + path.substring(path.indexOf('/') + 1) + "." + ext + "\"");
    }

    /** Forms that wrap a query Q: each must be refused when Q is. */
    static final List<String> WRAPPERS =
            List.of(
                    "Q",
                    "DESCRIBE Q",
                    "DESCRIBE (Q)",
                    "SHOW Q",
                    "SUMMARIZE Q",
                    "EXPLAIN Q",
                    "EXPLAIN ANALYZE Q",
                    "explain   analyze\nQ",
                    "PIVOT (Q) ON c USING count(*)",
                    "PIVOT (Q) ON c IN ('x') USING count(*)",
                    "DESCRIBE PIVOT (Q) ON c USING count(*)",
                    "SHOW PIVOT (Q) ON c USING count(*)",
                    "SUMMARIZE PIVOT (Q) ON c IN ('x') USING count(*)",
                    "UNPIVOT (Q) ON COLUMNS(*) INTO NAME k VALUE v",
                    "DESCRIBE UNPIVOT (Q) ON COLUMNS(*) INTO NAME k VALUE v",
                    "SELECT * FROM (Q) PIVOT (count(*) FOR c IN ('x'))",
                    "SELECT * FROM (Q) UNPIVOT (v FOR k IN (c))",
                    "WITH q AS (Q) SELECT * FROM q",
                    "WITH RECURSIVE q AS (Q) SELECT * FROM q",
                    "SELECT * FROM raw.clicks WHERE EXISTS (Q)",
                    "SELECT (SELECT count(*) FROM (Q)) AS n",
                    "SELECT * FROM raw.clicks, LATERAL (Q)",
                    "SELECT 1 UNION ALL SELECT count(*) FROM (Q)");

    /**
     * The attacks. With {@code full}, every core (each spelling of each file, each file function)
     * inside every wrapper; without, every core plainly and one core of each kind inside every
     * wrapper (for suites that pay a process start per statement).
     */
    public static List<Attack> statements(boolean full) {
        List<String> cores = new ArrayList<>();
        for (String[] f : FILES) {
            for (String s : spellings(f[0], f[1])) {
                cores.add("SELECT * FROM " + s);
            }
        }
        FILE_FUNCTIONS.forEach((fn, args) -> cores.add("SELECT * FROM " + fn + "(" + args + ")"));
        List<Attack> out = new ArrayList<>();
        for (String w : WRAPPERS) {
            List<String> inside =
                    full || w.equals("Q")
                            ? cores
                            : List.of(
                                    cores.get(0),
                                    cores.get(cores.size() / 2),
                                    "SELECT * FROM read_text('LAKE/_tarn/catalog/log/00000000000000000000.json')",
                                    "SELECT * FROM glob('LAKE/**')");
            for (String q : inside) {
                out.add(
                        new Attack(
                                w.equals("Q") ? "read" : w.replaceAll("\\s+", " "),
                                w.replace("Q", q)));
            }
        }
        // relations spelled to dodge the checks
        for (String s :
                List.of(
                        "SELECT * FROM (WITH \"LAKE/**/*.ndjson\" AS (SELECT 1) SELECT 1), \"LAKE/**/*.ndjson\"",
                        "WITH a AS (SELECT * FROM \"LAKE/**/*.ndjson\"), \"LAKE/**/*.ndjson\" AS (SELECT 1) SELECT * FROM a",
                        "WITH \"LAKE/**/*.ndjson\" AS (SELECT 1) SELECT * FROM \"LAKE/**/*\".\"ndjson\"",
                        "SELECT * FROM raw.clicks JOIN \"LAKE/**/*\".\"ndjson\" USING (\"user\")",
                        "SELECT * FROM tarn.\"objects.json\"",
                        "SELECT * FROM information_schema.\"LAKE/**/*.ndjson\"",
                        "SELECT * FROM pg_catalog.\"LAKE/**/*.ndjson\"",
                        "SELECT * FROM processed.\"t@../../_delta_log/00000000000000000000.json\"",
                        "SELECT * FROM read_text",
                        "SELECT * FROM duckdb_settings() JOIN read_text('LAKE/**') ON true",
                        "SELECT * FROM unnest((SELECT list(content) FROM read_text('LAKE/**')))",
                        "SELECT * FROM range((SELECT count(*) FROM glob('LAKE/**')))")) {
            out.add(new Attack("dodge", s));
        }
        // statements that are not one query
        for (String s :
                List.of(
                        "ANALYZE",
                        "ANALYZE raw.clicks",
                        "EXPLAIN ANALYZE",
                        "VACUUM",
                        "CHECKPOINT",
                        "SHOW threads",
                        "SHOW allowed_directories",
                        "SET enable_external_access = true",
                        "RESET lock_configuration",
                        "PRAGMA database_list",
                        "CALL checkpoint()",
                        "INSTALL httpfs",
                        "LOAD httpfs",
                        "ATTACH ':memory:' AS m",
                        "ATTACH 'LAKE/x.db' AS x",
                        "DETACH memory",
                        "USE system",
                        "CREATE TABLE x AS SELECT 1",
                        "CREATE VIEW raw.v AS SELECT 1",
                        "CREATE MACRO m() AS 1",
                        "CREATE SECRET (TYPE s3)",
                        "COPY (SELECT 1) TO 'LAKE/x.csv'",
                        "COPY raw.clicks TO 'LAKE/_tarn/catalog/log/00000000000000000009.json'",
                        "EXPORT DATABASE 'LAKE/x'",
                        "INSERT INTO raw.clicks VALUES (1)",
                        "DROP VIEW raw.clicks",
                        "SELECT 1; SELECT 2",
                        "SELECT 1; COPY (SELECT 1) TO 'LAKE/x.csv'",
                        "",
                        ";",
                        "EXPLAIN (FORMAT json) SELECT * FROM read_text('LAKE/**')",
                        "EXPLAIN COPY (SELECT 1) TO 'LAKE/x.csv'",
                        "DESCRIBE PIVOT raw.clicks ON page USING count(*)",
                        "PIVOT raw.clicks ON page USING count(*)",
                        "PIVOT_WIDER raw.clicks ON page USING count(*)",
                        "BEGIN TRANSACTION",
                        "SET VARIABLE x = 1",
                        "PREPARE p AS SELECT 1",
                        "EXECUTE p")) {
            out.add(new Attack("not a query", s));
        }
        return out;
    }

    /**
     * Export targets inside the lake, with {@code LAKE} for the lake's directory and {@code OUT}
     * for a directory outside it that {@link #prepareOutside} has set up (a link to the lake, a
     * dangling link into it).
     */
    public static final List<String> EXPORT_TARGETS =
            List.of(
                    "LAKE/_tarn/catalog/log/00000000000000000099.json",
                    "LAKE/_tarn/catalog/_last_checkpoint",
                    "LAKE/processed/t/_delta_log/00000000000000000001.json",
                    "LAKE/processed/t/new.parquet",
                    "LAKE/raw/clicks/x.ndjson",
                    "LAKE/raw/new-folder/x.csv",
                    "LAKE/x.csv",
                    "LAKE/raw/../_tarn/catalog/log/00000000000000000099.json",
                    "LAKE/no-such-dir/../../LAKENAME/x.csv",
                    "OUT/../LAKENAME/x.csv",
                    "OUT/link/_tarn/catalog/log/00000000000000000099.json",
                    "OUT/link/processed/t/_delta_log/00000000000000000001.json",
                    "OUT/link/new-dir/x.csv",
                    "OUT/link/x.csv",
                    "OUT/dangling.csv",
                    "OUT/dangling-dir/x.csv");

    /** The export target aimed at this lake and this outside directory. */
    public static Path target(String template, Path lake, Path out) {
        return Path.of(
                template.replace("LAKENAME", lake.getFileName().toString())
                        .replace("LAKE", lake.toString())
                        .replace("OUT", out.toString()));
    }

    /**
     * Makes {@code out} (a directory beside the lake, so that {@code OUT/../LAKENAME} is the lake)
     * with a link to the lake, a dangling link to a file not yet in it, and a dangling link to a
     * directory not yet in it.
     */
    public static void prepareOutside(Path out, Path lake) {
        try {
            Files.createDirectories(out);
            Files.createSymbolicLink(out.resolve("link"), lake);
            Files.createSymbolicLink(out.resolve("dangling.csv"), lake.resolve("raw/new.csv"));
            Files.createSymbolicLink(out.resolve("dangling-dir"), lake.resolve("raw/new-dir"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every file below {@code root} (symbolic links not followed): relative path to "size sha256",
     * or "dir".
     */
    public static Map<String, String> snapshot(Path root) {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return m;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    m.put(rel, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    m.put(rel + "/", "dir");
                } else {
                    byte[] b = Files.readAllBytes(p);
                    m.put(rel, b.length + " " + sha256(b));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
