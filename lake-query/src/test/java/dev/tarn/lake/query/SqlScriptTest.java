package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.testing.TarnExtension;
import dev.tarn.lake.testing.TempLake;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scripts of several statements through the API: every statement runs, or none does. */
@ExtendWith(TarnExtension.class)
class SqlScriptTest {
    @TempLake Lake lake;

    @Test
    void aScriptRunsEveryStatementAndReturnsEachResultInOrder() {
        lake.ingest("raw/users")
                .bytes("id,name\n1,ann\n2,bob\n".getBytes(StandardCharsets.UTF_8), "u.csv")
                .commit();
        Sql sql = Sql.of(lake);
        List<QueryResult> results =
                sql.queryAll(
                        "SELECT 1 AS a; SELECT 2 AS b;\n"
                                + "-- a comment; with a semicolon\n"
                                + "SELECT name FROM raw.users WHERE name <> 'x;y' /* ; */ ORDER BY id;");
        assertEquals(3, results.size());
        assertEquals(List.of("a"), results.get(0).columnNames());
        assertEquals(1, ((Number) results.get(0).scalar()).intValue());
        assertEquals(2, ((Number) results.get(1).scalar()).intValue());
        assertEquals(
                List.of("ann", "bob"), results.get(2).rows().stream().map(r -> r.get(0)).toList());
    }

    @Test
    void statementsAreSplitWhereTheParserSplitsThem() {
        Sql sql = Sql.of(lake);
        assertEquals(
                List.of("SELECT 'a;b' AS \"c;d\"", " SELECT $$x;y$$ AS e", " SELECT E'\\';' AS f"),
                sql.statements(
                        "SELECT 'a;b' AS \"c;d\"; SELECT $$x;y$$ AS e; SELECT E'\\';' AS f; -- done"));
        assertEquals(
                List.of("SELECT 1 /* a /* nested; */ comment */"),
                sql.statements("SELECT 1 /* a /* nested; */ comment */"));
        QueryException empty =
                assertThrows(QueryException.class, () -> sql.statements(" ; -- nothing ;"));
        assertTrue(empty.getMessage().startsWith("refused: no query to run"), empty.getMessage());
    }

    @Test
    void oneRefusedStatementRefusesTheWholeScriptBeforeAnyRuns() {
        Sql sql = Sql.of(lake);
        long before = lake.catalog().version();
        for (String script :
                List.of(
                        "SELECT 1; CREATE TABLE t AS SELECT 1; SELECT 2",
                        "SELECT 1; SELECT * FROM raw.missing",
                        "SELECT 1; SELECT * FROM read_csv('/etc/passwd')")) {
            QueryException e =
                    assertThrows(QueryException.class, () -> sql.queryAll(script), script);
            assertTrue(e.getMessage().startsWith("statement 2 of "), e.getMessage());
            assertTrue(
                    e.getMessage().endsWith("no statement of the script was run"), e.getMessage());
        }
        assertEquals(before, lake.catalog().version());
        // query() still takes one statement, and says how a script runs instead of dropping a
        // result
        QueryException one =
                assertThrows(QueryException.class, () -> sql.query("SELECT 1 AS a; SELECT 2 AS b"));
        assertTrue(one.getMessage().contains("one statement at a time"), one.getMessage());
        assertTrue(one.getMessage().contains("Sql.queryAll"), one.getMessage());
    }

    @Test
    void duckDbErrorsKeepTheirHints() {
        Sql sql = Sql.of(lake);
        QueryException e = assertThrows(QueryException.class, () -> sql.query("SELECT sume(1)"));
        assertTrue(e.getMessage().contains("Did you mean \"sum\""), e.getMessage());
    }
}
