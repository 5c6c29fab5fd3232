package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lake sql} with scripts of several statements, nested values and timestamps in every
 * output, errors in full, time travel past the retention, and {@code --save}.
 */
class SqlScriptCliTest {
    static final String THREE =
            "SELECT 1 AS a; SELECT 'x;y' AS b, 2 AS c;\n-- the last one\nSELECT name FROM raw.users"
                    + " ORDER BY name";

    @TempDir Path dir;
    CliRunner lake;

    @BeforeEach
    void setUp() throws Exception {
        lake = new CliRunner(dir.resolve("lake"));
        Path users = dir.resolve("users.csv");
        Files.writeString(users, "user,name\n1,ann\n2,bob\n");
        assertEquals(0, lake.run("ingest", "raw/users", users.toString()).code());
    }

    @Test
    void aScriptOfThreeStatementsPrintsThreeResultsInEveryOutput() throws Exception {
        var table = lake.run("sql", THREE);
        assertEquals(0, table.code(), table.toString());
        String[] blocks = table.out().split("\n\n");
        assertEquals(3, blocks.length, table.out());
        assertTrue(blocks[0].startsWith("a ") && blocks[0].endsWith("(1 row)"), blocks[0]);
        assertTrue(blocks[1].contains("x;y") && blocks[1].endsWith("(1 row)"), blocks[1]);
        assertTrue(
                blocks[2].contains("ann")
                        && blocks[2].contains("bob")
                        && blocks[2].endsWith("(2 rows)\n"),
                blocks[2]);

        var csv = lake.run("sql", THREE, "-o", "csv");
        assertEquals("a\n1\n\nb,c\nx;y,2\n\nname\nann\nbob\n", csv.out(), csv.toString());

        var json = lake.run("sql", THREE, "-o", "json");
        assertEquals(0, json.code(), json.toString());
        JsonNode docs = json.json();
        assertEquals(3, docs.size(), json.out());
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, docs.get(i).get("statement").asInt());
            assertEquals(docs.get(i).get("rows").size(), docs.get(i).get("rowCount").asInt());
        }
        assertEquals("SELECT 1 AS a", docs.get(0).get("sql").asText());
        assertEquals("INTEGER", docs.get(0).get("columns").get(0).get("type").asText());
        assertEquals("x;y", docs.get(1).get("rows").get(0).get("b").asText());
        assertEquals("bob", docs.get(2).get("rows").get(1).get("name").asText());
        jq(
                json.out(),
                "length==3 and all(.[]; (.rows|type)==\"array\" and (.columns|type)==\"array\""
                        + " and (.rowCount|type)==\"number\")");

        // one statement keeps its plain array of rows
        assertEquals(
                1, lake.run("sql", "SELECT 1 AS a;", "-o", "json").json().get(0).get("a").asInt());
    }

    @Test
    void aScriptWithOneRefusedStatementRunsNothing() {
        var r =
                lake.run(
                        "sql",
                        "SELECT 1 AS a; SELECT * FROM read_csv('/etc/passwd'); SELECT 3 AS c");
        assertEquals(1, r.code(), r.toString());
        assertEquals("", r.out(), "nothing ran: " + r);
        assertTrue(
                r.stderr()
                        .startsWith(
                                "lake: statement 2 of 3 (SELECT * FROM read_csv('/etc/passwd')): refused:"),
                r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        var missing = lake.run("sql", "SELECT 1 AS a; SELECT * FROM raw.nope", "-o", "json");
        assertEquals(1, missing.code());
        assertEquals("", missing.out());
        assertTrue(missing.stderr().contains("there is no dataset raw/nope"), missing.stderr());
        // a statement failing as it runs ends the script there, and says so
        var fails =
                lake.run(
                        "sql",
                        "SELECT 1 AS a; SELECT error('boom') AS b; SELECT 3 AS c",
                        "-o",
                        "csv");
        assertEquals(1, fails.code());
        assertTrue(fails.out().startsWith("a\n1\n"), fails.out());
        assertFalse(fails.out().contains("c\n3"), fails.out());
        assertTrue(
                fails.stderr()
                        .startsWith("lake: statement 2 of 3 failed (the 1 after it did not run): "),
                fails.stderr());
        assertTrue(fails.stderr().contains("boom"), fails.stderr());
        // --out and --save take one query
        assertEquals(
                2,
                lake.run("sql", "SELECT 1; SELECT 2", "--out", dir.resolve("x.csv").toString())
                        .code());
        assertEquals(2, lake.run("sql", "--save", "processed/x", "SELECT 1; SELECT 2").code());
        assertFalse(Files.exists(dir.resolve("x.csv")));
    }

    @Test
    void aScriptFromStdinPrintsEveryResult() {
        byte[] in =
                "SELECT 1 AS a; SELECT 2 AS b;\nSELECT 3\n  AS c;\n"
                        .getBytes(StandardCharsets.UTF_8);
        var r = lake.runWithStdin(in, "sql", "-o", "csv");
        assertEquals(0, r.code(), r.toString());
        assertEquals("a\n1\nb\n2\nc\n3\n", r.out());
    }

    @Test
    void nestedValuesAreJsonAndTimestampsOneIsoFormatInEveryOutput() throws Exception {
        String q =
                "SELECT {'a': 1, 'b': [1, 2], 'c': {'d': 'x'}} AS s, [[1, 2], [3]] AS l, MAP {'k': 1.5} AS m,"
                        + " '{\"j\": [true, null]}'::JSON AS j, TIMESTAMP '2026-01-02 03:04:05.123' AS ts,"
                        + " TIMESTAMPTZ '2026-01-02 03:04:05+01' AS tz, [TIMESTAMP '2026-01-02 03:04:05'] AS tl,"
                        + " DATE '2026-01-02' AS d, 'a\\x01'::BLOB AS b";
        var json = lake.run("sql", q, "-o", "json");
        assertEquals(0, json.code(), json.toString());
        JsonNode row = json.json().get(0);
        assertEquals(2, row.get("s").get("b").get(1).asInt());
        assertEquals("x", row.get("s").get("c").get("d").asText());
        assertEquals(3, row.get("l").get(1).get(0).asInt());
        assertEquals(1.5, row.get("m").get("k").asDouble());
        assertTrue(row.get("j").get("j").get(0).asBoolean());
        assertEquals("2026-01-02T03:04:05.123000Z", row.get("ts").asText());
        assertEquals("2026-01-02T02:04:05.000000Z", row.get("tz").asText(), "in UTC");
        assertEquals("2026-01-02T03:04:05.000000Z", row.get("tl").get(0).asText());
        assertEquals("2026-01-02", row.get("d").asText());
        assertEquals("a\\x01", row.get("b").asText());
        jq(
                json.out(),
                ".[0].s.b == [1,2] and .[0].s.c.d == \"x\" and .[0].l == [[1,2],[3]] and .[0].m.k == 1.5"
                        + " and .[0].j.j == [true,null] and (.[0].tl|type) == \"array\"");
        // no Java toString anywhere
        assertFalse(json.out().matches("(?s).*(=|DuckDB|@[0-9a-f]{6}).*"), json.out());

        var csv = lake.run("sql", q, "-o", "csv");
        String[] line = csv.out().split("\n");
        assertEquals("s,l,m,j,ts,tz,tl,d,b", line[0]);
        assertEquals(
                "\"{\"\"a\"\":1,\"\"b\"\":[1,2],\"\"c\"\":{\"\"d\"\":\"\"x\"\"}}\",\"[[1,2],[3]]\","
                        + "\"{\"\"k\"\":1.5}\",\"{\"\"j\"\":[true,null]}\",2026-01-02T03:04:05.123000Z,"
                        + "2026-01-02T02:04:05.000000Z,\"[\"\"2026-01-02T03:04:05.000000Z\"\"]\",2026-01-02,a\\x01",
                line[1]);

        var table = lake.run("sql", q);
        assertTrue(table.out().contains("2026-01-02T03:04:05.123000Z"), table.out());
        assertTrue(table.out().contains("{\"a\":1,\"b\":[1,2],"), table.out());

        // every kind of timestamp, the same in stdout csv, --out csv and --out json
        String times =
                "SELECT TIMESTAMP '2026-01-02 03:04:05.123' AS ts, TIMESTAMPTZ '2026-01-02 03:04:05+01' AS tz,"
                        + " TIMESTAMP_NS '2026-01-02 03:04:05.123456789' AS ns, TIMESTAMP_S '2026-01-02 03:04:05' AS s";
        String[] expected = {
            "2026-01-02T03:04:05.123000Z",
            "2026-01-02T02:04:05.000000Z",
            "2026-01-02T03:04:05.123457Z",
            "2026-01-02T03:04:05.000000Z"
        };
        String csvLine = String.join(",", expected);
        assertEquals("ts,tz,ns,s\n" + csvLine + "\n", lake.run("sql", times, "-o", "csv").out());
        Path outCsv = dir.resolve("t.csv");
        assertEquals(0, lake.run("sql", times, "--out", outCsv.toString()).code());
        assertEquals("ts,tz,ns,s\n" + csvLine + "\n", Files.readString(outCsv));
        Path outJson = dir.resolve("t.json");
        assertEquals(0, lake.run("sql", times, "--out", outJson.toString()).code());
        assertEquals(
                "{\"ts\":\""
                        + expected[0]
                        + "\",\"tz\":\""
                        + expected[1]
                        + "\",\"ns\":\""
                        + expected[2]
                        + "\",\"s\":\""
                        + expected[3]
                        + "\"}\n",
                Files.readString(outJson));
        JsonNode stdoutJson = lake.run("sql", times, "-o", "json").json().get(0);
        assertEquals(expected[2], stdoutJson.get("ns").asText());
    }

    @Test
    void duckDbErrorsArePrintedWholeWithTheirHints() {
        var r = lake.run("sql", "SELECT nme FROM raw.users");
        assertEquals(1, r.code());
        List<String> lines = r.stderr().lines().toList();
        assertTrue(
                lines.get(0)
                        .startsWith(
                                "lake: query failed: Binder Error: Referenced column \"nme\" not found"),
                r.stderr());
        assertTrue(r.stderr().contains("Candidate bindings: \"name\""), r.stderr());
        assertTrue(
                lines.stream().anyMatch(l -> l.startsWith("LINE 1: SELECT nme FROM raw.users")),
                r.stderr());
        var fn = lake.run("sql", "SELECT sume(1)");
        assertTrue(fn.stderr().contains("Did you mean \"sum\"?"), fn.stderr());
    }

    @Test
    void suggestionsNameCommandsAndOptionsNotJavaMethods() {
        var table = lake.run("history", "processed/nope");
        assertEquals(1, table.code(), table.toString());
        assertEquals(
                "lake: no table processed/nope ('lake convert SOURCE processed/nope' or 'lake sql --save"
                        + " processed/nope \"QUERY\"' creates it)\n",
                table.stderr());
        var write = lake.run("sql", "SELECT 1; CREATE TABLE t AS SELECT 1");
        assertTrue(
                write.stderr().contains("the lake changes through its commands"), write.stderr());
        var into = lake.run("sql", "SELECT 1", "--out", lake.lake().resolve("x.csv").toString());
        assertTrue(
                into.stderr().contains("as a table (lake sql --save ZONE/TABLE \"QUERY\")"),
                into.stderr());
        for (var r : List.of(table, write, into)) {
            assertFalse(
                    r.stderr()
                            .matches(
                                    "(?s).*(Tables\\.|Sql\\.|SqlOptions|resultSet\\(|\\bAPI\\b).*"),
                    r.stderr());
        }
    }

    @Test
    void timeTravelPastTheRetentionSaysWhichVersionsAreReadable() throws Exception {
        Path a = Files.writeString(dir.resolve("a.csv"), "id,kind\n1,a\n2,b\n");
        assertEquals(0, lake.run("ingest", "raw/ev", a.toString()).code());
        assertEquals(0, lake.run("convert", "raw/ev", "processed/ev").code());
        Path b = Files.writeString(dir.resolve("b.csv"), "id,kind\n3,c\n");
        assertEquals(0, lake.run("ingest", "raw/ev", b.toString()).code());
        assertEquals(0, lake.run("convert", "raw/ev", "processed/ev").code());
        assertEquals(0, lake.run("optimize", "processed/ev").code());
        assertEquals(0, lake.run("vacuum", "processed/ev", "--retain", "0").code());
        var r = lake.run("sql", "SELECT count(*) FROM processed.\"ev@1\"");
        assertEquals(1, r.code(), r.toString());
        assertTrue(
                r.stderr()
                        .startsWith(
                                "lake: version 1 of processed/ev (processed.\"ev@1\") can no longer be read"),
                r.stderr());
        assertTrue(
                r.stderr().contains("only version 3 (the newest) can still be read"), r.stderr());
        assertFalse(r.stderr().contains("No files found"), r.stderr());
        assertEquals(
                "n\n3\n",
                lake.run("sql", "SELECT count(*) AS n FROM processed.\"ev@3\"", "-o", "csv").out());
    }

    @Test
    void saveWritesAQueryAsATableWithLineage() throws Exception {
        var saved =
                lake.run(
                        "sql",
                        "--save",
                        "processed/names",
                        "SELECT upper(name) AS name FROM raw.users",
                        "-o",
                        "json");
        assertEquals(0, saved.code(), saved.toString());
        JsonNode s = saved.json();
        assertEquals("processed/names", s.get("table").asText());
        assertEquals(2, s.get("rows").asLong());
        assertEquals("raw/users", s.get("lineage").get(0).get("dataset").asText(), s.toString());
        assertTrue(
                s.get("lineage").get(0).get("read").asText().startsWith("catalog@"), s.toString());
        jq(saved.out(), "(.version|type)==\"number\" and (.lineage|type)==\"array\"");
        assertEquals(
                "name\nANN\nBOB\n",
                lake.run("sql", "SELECT name FROM processed.names ORDER BY name", "-o", "csv")
                        .out());
        var lineage = lake.run("lineage", "processed/names");
        assertEquals(0, lineage.code(), lineage.toString());
        assertTrue(lineage.out().contains("raw/users"), lineage.out());

        var text = lake.run("sql", "--save", "processed/one", "SELECT 1 AS n");
        assertEquals(0, text.code(), text.toString());
        assertTrue(text.out().startsWith("saved processed/one (version "), text.out());
        var again = lake.run("sql", "--save", "processed/one", "SELECT 1 AS n");
        assertEquals(1, again.code(), again.toString());
        assertTrue(again.stderr().contains("already exists"), again.stderr());
        assertEquals(
                2,
                lake.run("sql", "--save", "processed/../x", "SELECT 1").code(),
                "an invalid name");
        assertEquals(2, lake.run("sql", "--save", "processed/x").code(), "no query");
    }

    private static String jqPath() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, "jq"))) {
                return Path.of(p, "jq").toString();
            }
        }
        return null;
    }

    /**
     * Runs {@code jq -e FILTER} over the JSON text (when jq is installed): it must parse and the
     * filter be true.
     */
    private static void jq(String json, String filter) throws Exception {
        String jq = jqPath();
        if (jq == null) {
            System.err.println(
                    "SqlScriptCliTest: jq is not on PATH; the JSON was checked with Jackson only");
            return;
        }
        Process p = new ProcessBuilder(jq, "-e", filter).redirectErrorStream(true).start();
        p.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "jq -e '" + filter + "' over\n" + json + "\nsaid: " + out);
    }
}
