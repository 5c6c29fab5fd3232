package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.PermissionDeniedException;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.security.AccessPolicy;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.testing.SqlAttacks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance: lake SQL reads only the lake's datasets, by name, through the access policy. Every
 * attack of {@link SqlAttacks} (paths spelled as qualified names, file-reading table functions,
 * each inside DESCRIBE, SHOW, SUMMARIZE, EXPLAIN [ANALYZE], PIVOT and UNPIVOT forms, statements
 * that are not one query, exports into the lake) is refused with a one-line error, even for a
 * principal that may do everything, and leaves every file of the lake (and of the directory beside
 * it) as it was. Legitimate queries keep working.
 */
class SqlSecurityTest {
    @TempDir static Path dir;
    static Path root;
    static Path out;
    static Lake owner;
    static Lake analyst;

    /** The analyst may read everything but raw/salaries. */
    static final AccessPolicy POLICY =
            (principal, privilege, resource) ->
                    principal.name().equals("owner")
                            || (privilege == Privilege.READ && !resource.equals("raw/salaries"));

    @BeforeAll
    static void lake() throws Exception {
        root = dir.resolve("lake");
        owner =
                Lake.builder()
                        .location(root)
                        .accessPolicy(POLICY)
                        .principal(Principal.of("owner"))
                        .open();
        owner.ingest("raw/clicks")
                .bytes(
                        utf8("{\"user\":1,\"page\":\"/a\"}\n{\"user\":2,\"page\":\"/b\"}\n"),
                        "c.ndjson")
                .commit();
        owner.ingest("raw/salaries")
                .bytes(utf8("user,salary\n1,100000\n2,90000\n"), "s.csv")
                .commit();
        Sql.of(owner).saveAsTable("SELECT * FROM raw.clicks", DatasetId.parse("processed/t"));
        analyst = owner.as(Principal.of("analyst"));
        out = dir.resolve("out");
        SqlAttacks.prepareOutside(out, root);
        root = root.toRealPath();
    }

    @AfterAll
    static void close() {
        owner.close();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<SqlAttacks.Attack> attacks() {
        return SqlAttacks.statements(true);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("attacks")
    void everyAttackIsRefusedAndChangesNothing(SqlAttacks.Attack attack) {
        Map<String, String> before = SqlAttacks.snapshot(dir);
        String sql = attack.at(root);
        RuntimeException e =
                assertThrows(RuntimeException.class, () -> Sql.of(owner).query(sql), sql);
        assertClear(attack, e);
        RuntimeException x =
                assertThrows(
                        RuntimeException.class,
                        () -> Sql.of(owner).export(sql, out.resolve("x.csv"), ExportFormat.CSV),
                        sql);
        assertClear(attack, x);
        assertEquals(before, SqlAttacks.snapshot(dir), "nothing written, nothing changed: " + sql);
    }

    static void assertClear(SqlAttacks.Attack attack, RuntimeException e) {
        assertTrue(e instanceof QueryException, () -> attack + " → " + e);
        String m = e.getMessage();
        assertFalse(m.contains("\n"), m);
        if (attack.family().equals("not a query")) {
            assertTrue(
                    m.startsWith("refused: ")
                            || m.startsWith("the query is empty")
                            || m.startsWith("query failed: syntax error"),
                    attack + " → " + m);
        } else {
            // a time-travel spec that is no version or instant never becomes a name DuckDB would
            // look up
            assertTrue(
                    m.startsWith("refused: ")
                            || m.contains("is neither a version nor an ISO-8601 instant"),
                    attack + " → " + m);
        }
    }

    @Test
    void everyTableFunctionOfTheEngineIsRefusedUnlessItReadsNoFiles() throws Exception {
        List<String> functions = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT DISTINCT function_name FROM duckdb_functions()"
                                                + " WHERE function_type IN ('table', 'table_macro') ORDER BY 1")) {
            while (rs.next()) {
                functions.add(rs.getString(1));
            }
        }
        assertTrue(functions.size() > 100, functions.toString());
        // written out again from SqlGuard's TABLE_FUNCTIONS and CATALOG_FUNCTIONS on purpose:
        // the test states what is allowed instead of reading it from the code it checks
        List<String> allowed =
                List.of(
                        "range",
                        "generate_series",
                        "unnest",
                        "json_each",
                        "json_tree",
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
        for (String fn : SqlAttacks.FILE_FUNCTIONS.keySet()) {
            assertTrue(functions.contains(fn), fn + " is a table function of the engine");
        }
        Map<String, String> before = SqlAttacks.snapshot(dir);
        for (String fn : functions) {
            String sql = "SELECT * FROM " + fn + "()";
            if (allowed.contains(fn)) {
                continue;
            }
            QueryException e =
                    assertThrows(QueryException.class, () -> Sql.of(owner).query(sql), sql);
            assertTrue(
                    e.getMessage().startsWith("refused: ") && e.getMessage().contains(fn + "()"),
                    e.getMessage());
        }
        assertEquals(before, SqlAttacks.snapshot(dir));
    }

    static List<String> exportTargets() {
        return SqlAttacks.EXPORT_TARGETS;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("exportTargets")
    void exportsIntoTheLakeAreRefusedAndWriteNothing(String template) {
        Path target = SqlAttacks.target(template, root, out);
        Map<String, String> before = SqlAttacks.snapshot(dir);
        QueryException e =
                assertThrows(
                        QueryException.class,
                        () ->
                                Sql.of(owner)
                                        .export(
                                                "SELECT * FROM raw.clicks",
                                                target,
                                                ExportFormat.CSV),
                        target::toString);
        assertTrue(
                e.getMessage().startsWith("refused: ")
                        && e.getMessage().contains("inside the lake")
                        && e.getMessage().contains("saveAsTable"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(before, SqlAttacks.snapshot(dir), "nothing written anywhere: " + target);
    }

    @Test
    void exportsOutsideTheLakeStillWork() throws Exception {
        Path target = out.resolve("deeper/clicks.csv");
        try {
            assertEquals(
                    2,
                    Sql.of(analyst).export("SELECT * FROM raw.clicks", target, ExportFormat.CSV));
            assertTrue(Files.readString(target).startsWith("user,page"));
            // a name that merely starts like the lake's directory is outside it
            Path beside = dir.resolve(root.getFileName() + "-exports/c.csv");
            assertEquals(
                    2,
                    Sql.of(analyst).export("SELECT * FROM raw.clicks", beside, ExportFormat.CSV));
        } finally {
            Files.deleteIfExists(target);
            Files.deleteIfExists(target.getParent());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "DESCRIBE PIVOT raw.salaries ON \"user\" IN (1, 2) USING sum(salary)",
                "SHOW PIVOT raw.salaries ON \"user\" IN (1, 2) USING sum(salary)",
                "SUMMARIZE PIVOT raw.salaries ON \"user\" IN (1, 2) USING sum(salary)",
                "PIVOT raw.salaries ON \"user\" IN (1, 2) USING sum(salary)",
                "UNPIVOT raw.salaries ON salary INTO NAME k VALUE v",
                "DESCRIBE UNPIVOT raw.salaries ON salary INTO NAME k VALUE v",
                "SELECT * FROM raw.salaries PIVOT (sum(salary) FOR \"user\" IN (1, 2))",
                "EXPLAIN ANALYZE PIVOT raw.salaries ON \"user\" IN (1, 2) USING sum(salary)",
                "SELECT * FROM RAW.SALARIES",
                "SELECT * FROM \"RAW\".\"Salaries\"",
                "SELECT * FROM MEMORY.raw.salaries",
                "WITH x AS (SELECT 1) SELECT * FROM raw.salaries",
            })
    void everyFormThatReadsADatasetNeedsReadOnIt(String sql) {
        PermissionDeniedException e =
                assertThrows(PermissionDeniedException.class, () -> Sql.of(analyst).query(sql));
        assertTrue(e.getMessage().contains("raw/salaries"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT count(*) FROM raw.clicks c JOIN processed.t t USING (\"user\")",
                "WITH a AS (SELECT * FROM raw.clicks), b AS (SELECT * FROM a) SELECT count(*) FROM b",
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT count(*) FROM r",
                "SELECT count(*) FROM processed.\"t@0\"",
                "SELECT count(*) FROM PROCESSED.\"T@0\"",
                "SELECT count(*) FROM RAW.Clicks",
                "SELECT count(*) FROM memory.raw.clicks",
                "DESCRIBE raw.clicks",
                "DESCRIBE SELECT page FROM raw.clicks",
                "SHOW raw.clicks",
                "SHOW ALL TABLES",
                "SHOW TABLES FROM raw",
                "DESCRIBE",
                "SUMMARIZE raw.clicks",
                "SUMMARIZE SELECT \"user\" FROM raw.clicks",
                "EXPLAIN SELECT * FROM raw.clicks",
                "EXPLAIN ANALYZE SELECT * FROM raw.clicks",
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw'",
                "SELECT count(*) FROM information_schema.columns",
                "SELECT count(*) FROM pg_catalog.pg_tables",
                "SELECT count(*) FROM duckdb_tables()",
                "SELECT count(*) FROM duckdb_views",
                "SELECT count(*) FROM tarn.objects",
                "PIVOT raw.clicks ON page IN ('/a', '/b') USING count(*)",
                "DESCRIBE PIVOT raw.clicks ON page IN ('/a', '/b') USING count(*)",
                "UNPIVOT (SELECT page, page AS p2 FROM raw.clicks) ON page, p2 INTO NAME k VALUE v",
                "SELECT * FROM raw.clicks PIVOT (count(*) FOR page IN ('/a', '/b'))",
                "SELECT * FROM range(3) t(i), generate_series(1, 2), unnest([1, 2])",
                "VALUES (1, 'a'), (2, 'b')",
                "FROM raw.clicks",
                "SELECT 1;",
            })
    void legitimateQueriesStillWork(String sql) {
        QueryResult r = Sql.of(analyst).query(sql);
        assertFalse(r.rows().isEmpty(), sql);
    }

    @Test
    void showTablesListsTheDefaultSchemaWhichHoldsNoDatasets() {
        // DuckDB's SHOW TABLES lists the current schema (main); SHOW ALL TABLES and SHOW TABLES
        // FROM zone list datasets
        assertTrue(Sql.of(analyst).query("SHOW TABLES").rows().isEmpty());
        assertEquals(2, Sql.of(analyst).query("SHOW TABLES FROM raw").rowCount());
    }

    @Test
    void statementsNamingADatasetThatDoesNotExistSaySo() {
        QueryException e =
                assertThrows(
                        QueryException.class, () -> Sql.of(owner).query("SELECT * FROM raw.nope"));
        assertTrue(e.getMessage().contains("there is no dataset raw/nope"), e.getMessage());
        QueryException zone =
                assertThrows(
                        QueryException.class, () -> Sql.of(owner).query("SELECT * FROM ml.clicks"));
        assertTrue(
                zone.getMessage().contains("there is no zone 'ml'")
                        && zone.getMessage().contains("analytics, processed, raw"),
                zone.getMessage());
    }
}
