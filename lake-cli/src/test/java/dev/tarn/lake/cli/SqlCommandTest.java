package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlCommandTest {
    @TempDir Path dir;
    CliRunner lake;

    @BeforeEach
    void setUp() throws Exception {
        lake = new CliRunner(dir.resolve("lake"));
        Path events = dir.resolve("events.ndjson");
        Files.writeString(
                events,
                "{\"user\":1,\"amount\":2.5}\n{\"user\":2,\"amount\":4}\n{\"user\":1,\"amount\":1}\n");
        Path users = dir.resolve("users.csv");
        Files.writeString(users, "user,name\n1,ann\n2,\"bob, jr\"\n");
        assertEquals(0, lake.run("ingest", "raw/events", events.toString()).code());
        assertEquals(0, lake.run("ingest", "raw/users", users.toString()).code());
    }

    @Test
    void aQueryPrintsATableJsonOrCsv() {
        String q =
                "SELECT name, sum(amount) AS total FROM raw.events JOIN raw.users USING (user)"
                        + " GROUP BY name ORDER BY name";
        var table = lake.run("sql", q);
        assertEquals(0, table.code(), table.toString());
        assertTrue(table.out().contains("ann"), table.out());
        assertTrue(table.out().contains("3.5"), table.out());
        assertTrue(table.out().contains("(2 rows)"), table.out());

        JsonNode json = lake.run("sql", q, "--output", "json").json();
        assertEquals(2, json.size());
        assertEquals("ann", json.get(0).get("name").asText());
        assertEquals(3.5, json.get(0).get("total").asDouble());
        assertEquals("bob, jr", json.get(1).get("name").asText());

        var csv = lake.run("sql", q, "-o", "csv");
        assertEquals("name,total\nann,3.5\n\"bob, jr\",4.0\n", csv.out());
    }

    @Test
    void outWritesAFileInTheFormatItsNameSays() throws Exception {
        Path out = dir.resolve("out/r.parquet");
        var r = lake.run("sql", "SELECT * FROM raw.users ORDER BY user", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.stderr().contains("2 rows written"), r.stderr());
        assertEquals("PAR1", new String(Files.readAllBytes(out), 0, 4, StandardCharsets.US_ASCII));
        Path csv = dir.resolve("r.csv");
        assertEquals(
                0,
                lake.run("sql", "SELECT name FROM raw.users ORDER BY user", "--out", csv.toString())
                        .code());
        assertEquals("name\nann\n\"bob, jr\"\n", Files.readString(csv));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT * FROM read_csv('/etc/passwd')",
                "COPY (SELECT 1) TO 'x.csv'",
                "ATTACH 'other.db'",
            })
    void escapesAreRefusedWithExitOne(String q) {
        var r = lake.run("sql", q);
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().startsWith("lake: refused"), r.stderr());
        assertFalse(r.stderr().contains("\tat "), "no stack trace");
    }

    @Test
    void withoutAQueryStatementsComeFromStdin() {
        byte[] script =
                """
                SELECT count(*) AS n
                FROM raw.events;
                .tables
                SELECT nonsense FROM raw.events;
                SELECT 40 + 2 AS answer;
                """
                        .getBytes(StandardCharsets.UTF_8);
        var r = lake.runWithStdin(script, "sql", "-o", "csv");
        assertEquals(1, r.code(), "one statement failed: " + r);
        assertEquals("n\n3\nraw.events\nraw.users\nanswer\n42\n", r.out());
        assertTrue(r.stderr().contains("lake: query failed"), r.stderr());
        assertFalse(r.stderr().contains("tarn>"), "no prompt when nobody types");
    }

    @Test
    void describeShowsTheSchemaInferredOnRead() {
        var r = lake.run("describe", "raw/events");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("schema:"), r.out());
        assertTrue(r.out().contains("user INTEGER"), r.out());
        assertTrue(r.out().contains("amount DOUBLE"), r.out());
        JsonNode json = lake.run("describe", "raw/users", "-o", "json").json();
        assertEquals("user", json.get("schema").get(0).get("name").asText());
        assertEquals("VARCHAR", json.get("schema").get(1).get("type").asText());
    }

    @Test
    void timeTravelWorksOnTheCommandLine() throws Exception {
        try (var l = dev.tarn.lake.Lake.open(lake.lake())) {
            var t =
                    dev.tarn.lake.table.Tables.of(l)
                            .create(
                                    "processed/nums",
                                    dev.tarn.lake.types.Schema.of(
                                            dev.tarn.lake.types.Field.of(
                                                    "n", dev.tarn.lake.types.DataType.LONG)));
            for (int commit = 1; commit <= 2; commit++) {
                Path f = lake.lake().resolve("processed/nums/part-" + commit + ".parquet");
                Files.createDirectories(f.getParent());
                try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                        var s = c.createStatement()) {
                    s.execute(
                            "COPY (SELECT range AS n FROM range("
                                    + commit * 10
                                    + ")) TO '"
                                    + f
                                    + "' (FORMAT PARQUET)");
                }
                t.newAppend()
                        .addFile(t.dataFile("part-" + commit + ".parquet", java.util.Map.of()))
                        .commit();
            }
        }
        var now = lake.run("sql", "SELECT count(*) AS n FROM processed.nums", "-o", "csv");
        assertEquals("n\n30\n", now.out(), now.toString());
        assertEquals("", now.stderr(), "a query says nothing on stderr");
        var v1 = lake.run("sql", "SELECT count(*) AS n FROM processed.\"nums@1\"", "-o", "csv");
        assertEquals("n\n10\n", v1.out(), v1.toString());
        var missing = lake.run("sql", "SELECT * FROM processed.\"nums@99\"");
        assertEquals(1, missing.code());
        assertTrue(missing.stderr().contains("processed/nums"), missing.stderr());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, lake.run("sql", "SELECT 1", "SELECT 2").code());
        assertEquals(2, lake.run("sql", "--out", "x.csv").code());
        assertEquals(0, lake.run("sql", "--help").code());
    }
}
