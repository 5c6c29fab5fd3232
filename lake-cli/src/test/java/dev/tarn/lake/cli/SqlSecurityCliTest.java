package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.testing.SqlAttacks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance, through the CLI: {@code lake sql} refuses every attack of {@link SqlAttacks} (each
 * core plainly, one of each kind inside every DESCRIBE/SHOW/SUMMARIZE/EXPLAIN/PIVOT form;
 * lake-query's SqlSecurityTest runs the full cross product through the API), {@code --out} refuses
 * every target inside the lake, each with exit 1 and one {@code lake: refused: ...} line, and no
 * file of the lake or beside it changes.
 */
class SqlSecurityCliTest {
    @TempDir static Path dir;
    static Path root;
    static Path out;
    static CliRunner lake;

    @BeforeAll
    static void lake() throws Exception {
        root = dir.resolve("lake");
        lake = new CliRunner(root);
        Path clicks = dir.resolve("c.ndjson");
        Files.writeString(clicks, "{\"user\":1,\"page\":\"/a\"}\n{\"user\":2,\"page\":\"/b\"}\n");
        Path salaries = dir.resolve("s.csv");
        Files.writeString(salaries, "user,salary\n1,100000\n2,90000\n");
        assertEquals(0, lake.run("ingest", "raw/clicks", clicks.toString()).code());
        assertEquals(0, lake.run("ingest", "raw/salaries", salaries.toString()).code());
        try (Lake l = Lake.open(root)) {
            Sql.of(l).saveAsTable("SELECT * FROM raw.clicks", DatasetId.parse("processed/t"));
        }
        out = dir.resolve("out");
        SqlAttacks.prepareOutside(out, root);
        root = root.toRealPath();
    }

    static List<SqlAttacks.Attack> attacks() {
        // a script of two queries runs both on the command line (SqlScriptCliTest); through
        // Sql.query it stays refused
        return SqlAttacks.statements(false).stream()
                .filter(a -> !a.sql().equals("SELECT 1; SELECT 2"))
                .toList();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("attacks")
    void everyAttackIsRefusedAndChangesNothing(SqlAttacks.Attack attack) {
        Map<String, String> before = SqlAttacks.snapshot(dir);
        String sql = attack.at(root);
        CliRunner.Result r = lake.run("sql", sql);
        assertRefused(attack, r);
        CliRunner.Result x = lake.run("sql", sql, "--out", out.resolve("x.csv").toString());
        if (!sql.isEmpty()) { // an empty query with --out is a usage error before anything runs
            assertRefused(attack, x);
        }
        assertEquals(before, SqlAttacks.snapshot(dir), "nothing written, nothing changed: " + sql);
    }

    static void assertRefused(SqlAttacks.Attack attack, CliRunner.Result r) {
        assertEquals(1, r.code(), () -> attack + "\n" + r);
        assertEquals("", r.out(), r::toString);
        // a statement of a script is refused with the whole script, named by its place: "statement
        // 2 of 2 (...): "
        String m = r.stderr().replaceFirst("^lake: statement \\d+ of \\d+ \\(.*?\\): ", "lake: ");
        assertEquals(1, m.lines().count(), r::toString);
        if (attack.family().equals("not a query")) {
            assertTrue(
                    m.startsWith("lake: refused: ")
                            || m.startsWith("lake: the query is empty")
                            || m.startsWith("lake: query failed: syntax error"),
                    () -> attack + "\n" + r);
        } else {
            assertTrue(
                    m.startsWith("lake: refused: ")
                            || m.contains("is neither a version nor an ISO-8601 instant"),
                    () -> attack + "\n" + r);
        }
    }

    @Test
    void aSessionOnStdinRefusesEachAttackAndGoesOn() {
        List<String> statements =
                SqlAttacks.statements(false).stream()
                        .filter(a -> !a.family().equals("not a query"))
                        .map(a -> a.at(root))
                        .toList();
        Map<String, String> before = SqlAttacks.snapshot(dir);
        String input =
                String.join(";\n", statements) + ";\nSELECT count(*) AS n FROM raw.clicks;\n";
        CliRunner.Result r =
                lake.runWithStdin(input.getBytes(StandardCharsets.UTF_8), "sql", "-o", "csv");
        assertEquals(1, r.code(), r::toString);
        List<String> errors = r.stderr().lines().toList();
        assertEquals(statements.size(), errors.size(), r::toString);
        for (String e : errors) {
            assertTrue(
                    e.startsWith("lake: refused: ")
                            || e.contains("is neither a version nor an ISO-8601 instant"),
                    e);
        }
        assertEquals("n\n2\n", r.out(), "the session goes on after each refusal");
        assertEquals(before, SqlAttacks.snapshot(dir));
    }

    @Test
    void theIssuesAttacksOneByOne() {
        // item 1: a path split over a qualified name; item 2: statements the guard could not
        // serialise
        for (String sql :
                List.of(
                        "SELECT * FROM \"LAKE/_tarn/catalog/log/00000000000000000000\".\"json\"",
                        "SELECT count(*) FROM \"LAKE/**/*\".\"ndjson\"",
                        "DESCRIBE PIVOT (SELECT * FROM read_text('LAKE/_tarn/catalog/log/00000000000000000000.json'))"
                                + " ON content USING count(*)",
                        "SHOW PIVOT (SELECT * FROM glob('LAKE/**')) ON file USING count(*)",
                        "ANALYZE")) {
            Map<String, String> before = SqlAttacks.snapshot(dir);
            CliRunner.Result r = lake.run("sql", sql.replace("LAKE", root.toString()));
            assertEquals(1, r.code(), r::toString);
            assertTrue(r.stderr().startsWith("lake: refused: "), r::toString);
            assertFalse(r.out().contains("tarn") || r.stderr().contains("commitInfo"), r::toString);
            assertEquals(before, SqlAttacks.snapshot(dir));
        }
        // item 3: a crafted query written over a table's next commit, and over the catalog's next
        // entry
        for (String target :
                List.of(
                        "processed/t/_delta_log/00000000000000000001.json",
                        "_tarn/catalog/log/00000000000000000005.json")) {
            Map<String, String> before = SqlAttacks.snapshot(dir);
            CliRunner.Result r =
                    lake.run(
                            "sql",
                            "SELECT '{\"remove\":{}}' AS x",
                            "-o",
                            "csv",
                            "--out",
                            root.resolve(target).toString());
            assertEquals(1, r.code(), r::toString);
            assertTrue(
                    r.stderr().startsWith("lake: refused: ")
                            && r.stderr().contains("lake sql --save"),
                    r::toString);
            assertEquals(before, SqlAttacks.snapshot(dir));
        }
        assertEquals(
                "count_star()\n2\n",
                lake.run("sql", "SELECT count(*) FROM processed.t", "-o", "csv").out());
    }

    static List<String> exportTargets() {
        return SqlAttacks.EXPORT_TARGETS;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("exportTargets")
    void outIntoTheLakeIsRefusedAndWritesNothing(String template) {
        Path target = SqlAttacks.target(template, root, out);
        Map<String, String> before = SqlAttacks.snapshot(dir);
        CliRunner.Result r =
                lake.run("sql", "SELECT * FROM raw.clicks", "--out", target.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(
                r.stderr().startsWith("lake: refused: ") && r.stderr().contains("inside the lake"),
                r::toString);
        assertEquals(1, r.stderr().lines().count(), r::toString);
        assertEquals(before, SqlAttacks.snapshot(dir), "nothing written anywhere: " + target);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT count(*) FROM raw.clicks c JOIN processed.t t USING (\"user\")",
                "WITH a AS (SELECT * FROM raw.clicks) SELECT count(*) FROM a",
                "SELECT count(*) FROM processed.\"t@0\"",
                "DESCRIBE raw.clicks",
                "SHOW ALL TABLES",
                "SUMMARIZE raw.clicks",
                "EXPLAIN SELECT * FROM raw.clicks",
                "EXPLAIN ANALYZE SELECT * FROM raw.clicks",
                "SELECT count(*) FROM information_schema.tables",
                "PIVOT raw.clicks ON page IN ('/a', '/b') USING count(*)",
            })
    void legitimateQueriesStillWork(String sql) {
        CliRunner.Result r = lake.run("sql", sql, "-o", "json");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.json().size() > 0, r::toString);
    }

    @Test
    void outsideTheLakeOutStillWrites() throws Exception {
        Path target = dir.resolve("exports/clicks.csv");
        CliRunner.Result r =
                lake.run(
                        "sql",
                        "SELECT \"user\", page FROM raw.clicks ORDER BY 1",
                        "--out",
                        target.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals("user,page\n1,/a\n2,/b\n", Files.readString(target, StandardCharsets.UTF_8));
        Files.delete(target);
        Files.delete(target.getParent());
    }
}
