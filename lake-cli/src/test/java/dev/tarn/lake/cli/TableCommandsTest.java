package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableCommandsTest {
    @TempDir Path dir;
    CliRunner lake;

    static String events(int from, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            b.append("{\"id\":")
                    .append(i)
                    .append(",\"kind\":\"")
                    .append(i % 2 == 0 ? "even" : "odd")
                    .append("\",\"email\":\"user")
                    .append(i)
                    .append("@example.com\"}\n");
        }
        return b.toString();
    }

    @BeforeEach
    void setUp() throws Exception {
        lake = new CliRunner(dir.resolve("lake"));
        Files.writeString(dir.resolve("a.ndjson"), events(0, 20));
        assertEquals(0, lake.run("ingest", "raw/users", dir.resolve("a.ndjson").toString()).code());
    }

    /**
     * Rows in the table's Parquet files, whatever the log says: read by a DuckDB of its own,
     * outside the lake.
     */
    long countInFiles(String files) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                var rs = c.createStatement().executeQuery("SELECT count(*) FROM " + files)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long count(String relation) {
        var r = lake.run("sql", "SELECT count(*) AS n FROM " + relation, "-o", "json");
        assertEquals(0, r.code(), r.toString());
        return r.json().get(0).get("n").asLong();
    }

    @Test
    void convertTakesAJsonPathAndASchemaPolicy() throws Exception {
        Files.writeString(
                dir.resolve("doc.json"),
                "{\n  \"data\": [\n    {\"a\": 1}\n  ],\n  \"meta\": {\n"
                        + "    \"items\": [\n      {\"x\": 1, \"y\": \"p\"},\n      {\"x\": 2, \"y\": \"q\"}\n    ]\n  }\n}\n");
        assertEquals(0, lake.run("ingest", "raw/doc", dir.resolve("doc.json").toString()).code());
        var r =
                lake.run(
                        "convert",
                        "raw/doc",
                        "processed/items",
                        "--json-path",
                        "meta.items",
                        "-o",
                        "json");
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, r.json().get("rowsWritten").asLong());
        assertEquals(2, count("processed.items"));

        // a later file needs a wider x: strict (the default) quarantines it and the run fails with
        // nothing written
        Files.writeString(
                dir.resolve("doc2.json"),
                "{\"meta\": {\"items\": [{\"x\": 2.5, \"y\": \"r\"}]}}\n");
        assertEquals(0, lake.run("ingest", "raw/doc", dir.resolve("doc2.json").toString()).code());
        var strict = lake.run("convert", "raw/doc", "processed/items", "--json-path", "meta.items");
        assertEquals(1, strict.code(), strict.toString());
        assertTrue(
                strict.stderr().contains("does not fit INTEGER")
                        && strict.stderr().contains("widen"),
                strict.stderr());
        assertEquals(0, lake.run("doctor").code(), "nothing left behind");
        var widen =
                lake.run(
                        "convert",
                        "raw/doc",
                        "processed/items",
                        "--json-path",
                        "meta.items",
                        "--policy",
                        "widen",
                        "-o",
                        "json");
        assertEquals(0, widen.code(), widen.toString());
        assertEquals(
                "DOUBLE",
                lake.run("sql", "SELECT typeof(x) AS t FROM processed.items LIMIT 1", "-o", "json")
                        .json()
                        .get(0)
                        .get("t")
                        .asText());
        assertEquals(3, count("processed.items"));
        assertEquals(
                2,
                lake.run("convert", "raw/doc", "processed/other", "--evolve", "--policy", "strict")
                        .code(),
                "--evolve and --policy together");
        assertEquals(
                2, lake.run("convert", "raw/doc", "processed/other", "--policy", "loose").code());
    }

    @Test
    void convertIsIncrementalAndRecordsLineage() throws Exception {
        JsonNode first =
                lake.run(
                                "convert",
                                "raw/users",
                                "processed/users",
                                "--partition-by",
                                "kind",
                                "-o",
                                "json")
                        .json();
        assertTrue(first.get("converted").asBoolean(), first.toString());
        assertEquals(20, first.get("rowsWritten").asLong());
        assertEquals(20, count("processed.users"));

        var again = lake.run("convert", "raw/users", "processed/users");
        assertEquals(0, again.code());
        assertTrue(again.out().startsWith("nothing new in raw/users"), again.out());

        Files.writeString(dir.resolve("b.ndjson"), events(20, 5));
        lake.run("ingest", "raw/users", dir.resolve("b.ndjson").toString());
        var secondRun = lake.run("convert", "raw/users", "processed/users", "-o", "json");
        assertEquals(0, secondRun.code(), secondRun.toString());
        JsonNode second = secondRun.json();
        assertEquals(5, second.get("rowsWritten").asLong());
        assertEquals(25, count("processed.users"));

        JsonNode lineage = lake.run("lineage", "processed/users", "-o", "json").json();
        assertEquals(2, lineage.size());
        assertEquals("raw/users", lineage.get(0).get("source").asText());
        assertTrue(
                lineage.get(0).get("objects").get(0).asText().endsWith("/a.ndjson"),
                lineage.toString());
        assertTrue(
                lineage.get(1).get("objects").get(0).asText().endsWith("/b.ndjson"),
                lineage.toString());

        JsonNode history = lake.run("history", "processed/users", "-o", "json").json();
        assertEquals(3, history.size(), "create and two converts: " + history);
        assertEquals(2, history.get(0).get("version").asLong(), "newest first");
        var table = lake.run("history", "processed/users");
        assertTrue(table.out().startsWith("VERSION"), table.out());
    }

    /**
     * Two {@code lake convert} processes of the same objects into the same (not yet existing)
     * table, started on a barrier ({@link BarrierMain}) so that they really run at the same time,
     * not one after the JVM start-up of the other. What the design promises (tables.md, "Exactly
     * once"): both succeed (exit 0); one commits every object once, the other reports that nothing
     * was left (whether it read the table after that commit, or converted too and lost the race on
     * the convert's {@code txn}, which deletes its files); the table holds each row once, in two
     * versions (create, convert), and no file of the loser remains, so the doctor is clean at once.
     */
    @Test
    void twoProcessesConvertingAtOnceConvertEachObjectOnce() throws Exception {
        for (int i = 1; i <= 4; i++) {
            Files.writeString(dir.resolve("p" + i + ".ndjson"), events(100 * i, 10));
            assertEquals(
                    0,
                    lake.run("ingest", "raw/users", dir.resolve("p" + i + ".ndjson").toString())
                            .code());
        }
        Path go = dir.resolve("go");
        List<Process> procs = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb =
                    new ProcessBuilder(
                                    java,
                                    "-XX:+UseSerialGC",
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    BarrierMain.class.getName(),
                                    dir.resolve("ready" + p).toString(),
                                    go.toString(),
                                    dir.resolve("span" + p).toString(),
                                    "--lake",
                                    lake.lake().toString(),
                                    "convert",
                                    "raw/users",
                                    "processed/users",
                                    "-o",
                                    "json")
                            .redirectInput(
                                    ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                            .redirectOutput(dir.resolve("out" + p).toFile())
                            .redirectError(dir.resolve("err" + p).toFile());
            pb.environment().put("TARN_TTY", "0");
            procs.add(pb.start());
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (!(Files.exists(dir.resolve("ready0")) && Files.exists(dir.resolve("ready1")))) {
                for (int p = 0; p < 2; p++) {
                    assertTrue(
                            procs.get(p).isAlive(),
                            "process "
                                    + p
                                    + " ended before the barrier: "
                                    + Files.readString(dir.resolve("err" + p)));
                }
                assertTrue(
                        System.nanoTime() < deadline,
                        "the processes did not reach the barrier in a minute");
                Thread.sleep(5);
            }
            Files.createFile(go);
            for (Process p : procs) {
                assertTrue(p.waitFor(2, TimeUnit.MINUTES), "a convert did not finish");
            }
        } finally {
            procs.forEach(Process::destroyForcibly);
        }
        List<JsonNode> results = new ArrayList<>();
        long[][] spans = new long[2][];
        for (int p = 0; p < 2; p++) {
            String out = Files.readString(dir.resolve("out" + p));
            String err = Files.readString(dir.resolve("err" + p));
            assertEquals(0, procs.get(p).exitValue(), out + err);
            results.add(CliRunner.JSON.readTree(out));
            spans[p] =
                    java.util.Arrays.stream(
                                    Files.readString(dir.resolve("span" + p)).trim().split(" "))
                            .mapToLong(Long::parseLong)
                            .toArray();
        }
        // They ran at the same time: each started before the other ended.
        assertTrue(
                spans[0][0] < spans[1][1] && spans[1][0] < spans[0][1],
                "the converts did not overlap: " + java.util.Arrays.deepToString(spans));

        JsonNode winner =
                results.get(0).get("converted").asBoolean() ? results.get(0) : results.get(1);
        JsonNode loser = winner == results.get(0) ? results.get(1) : results.get(0);
        assertTrue(winner.get("converted").asBoolean(), "one convert commits: " + results);
        assertEquals(
                1, winner.get("tableVersion").asLong(), "version 0 creates the table: " + winner);
        assertEquals(
                60,
                winner.get("rowsWritten").asLong(),
                "20 + 4 x 10 rows, all by one process: " + winner);
        assertEquals(5, winner.get("objects").size(), winner.toString());
        assertFalse(
                loser.get("converted").asBoolean(),
                "the other finds everything converted: " + results);
        assertEquals(0, loser.get("rowsWritten").asLong(), loser.toString());
        assertEquals(
                winner.get("sourceVersion").asLong(),
                loser.get("sourceVersion").asLong(),
                "both name the catalog version the table is converted up to: " + results);

        JsonNode history = lake.run("history", "processed/users", "-o", "json").json();
        assertEquals(2, history.size(), "create and one convert, nothing of the loser: " + history);
        JsonNode lineage = lake.run("lineage", "processed/users", "-o", "json").json();
        assertEquals(1, lineage.size(), lineage.toString());
        assertEquals(5, lineage.get(0).get("objects").size(), lineage.toString());
        assertEquals(60, count("processed.users"));
        assertEquals(
                60,
                lake.run("sql", "SELECT count(DISTINCT id) AS n FROM processed.users", "-o", "json")
                        .json()
                        .get(0)
                        .get("n")
                        .asLong());
        // Every Parquet file in the table's directory, committed or not: the loser left none
        // behind.
        assertEquals(
                60,
                countInFiles(
                        "read_parquet('"
                                + lake.lake().resolve("processed/users")
                                + "/**/*.parquet', hive_partitioning = false)"));
        var doctor = lake.run("doctor");
        assertEquals(0, doctor.code(), doctor.toString());
        System.out.printf(
                "two converts overlapped for %.0f ms (started %.1f ms apart)%n",
                (Math.min(spans[0][1], spans[1][1]) - Math.max(spans[0][0], spans[1][0])) / 1e6,
                Math.abs(spans[0][0] - spans[1][0]) / 1e6);
    }

    @Test
    void deleteRewritesFilesAndVacuumMakesTheErasureReal() throws Exception {
        lake.run("convert", "raw/users", "processed/users");
        String files =
                "read_parquet('"
                        + lake.lake().resolve("processed/users")
                        + "/**/*.parquet',"
                        + " hive_partitioning = false)";
        // a predicate no row matches changes nothing, so it commits nothing and says so
        long versions = lake.run("history", "processed/users", "-o", "json").json().size();
        var none = lake.run("delete", "processed/users", "--where", "id = 999");
        assertEquals(0, none.code(), none.toString());
        assertTrue(none.out().contains("0 rows deleted, nothing committed"), none.out());
        assertEquals(versions, lake.run("history", "processed/users", "-o", "json").json().size());
        assertEquals(20, count("processed.users"));
        var d =
                lake.run(
                        "delete",
                        "processed/users",
                        "--where",
                        "id < 5 OR email = 'user7@example.com'");
        assertEquals(0, d.code(), d.toString());
        assertEquals(14, count("processed.users"));
        assertEquals(0, count("processed.users WHERE id < 5 OR id = 7"));
        assertEquals(
                6,
                countInFiles(files + " WHERE id < 5 OR id = 7"),
                "the old file is still there for time travel");
        assertEquals(20, count("processed.\"users@1\""));

        JsonNode dry =
                lake.run("vacuum", "processed/users", "--retain", "0", "--dry-run", "-o", "json")
                        .json();
        assertTrue(dry.get("dryRun").asBoolean());
        assertFalse(dry.get("files").isEmpty());
        assertEquals(
                6, countInFiles(files + " WHERE id < 5 OR id = 7"), "a dry run deletes nothing");
        JsonNode vac = lake.run("vacuum", "processed/users", "--retain", "0", "-o", "json").json();
        assertEquals(dry.get("files"), vac.get("files"));
        assertEquals(
                0,
                countInFiles(files + " WHERE id < 5 OR id = 7"),
                "no file holds the deleted rows any more");
        assertEquals(14, count("processed.users"));

        var restore = lake.run("restore", "processed/users", "2", "-o", "json");
        assertEquals(0, restore.code(), restore.toString());
        assertEquals(14, count("processed.users"));
        assertEquals(0, lake.run("optimize", "processed/users").code());
        assertEquals(14, count("processed.users"));
    }

    @Test
    void badPredicatesAndArgumentsAreUsageErrors() {
        lake.run("convert", "raw/users", "processed/users");
        var noWhere = lake.run("delete", "processed/users");
        assertEquals(2, noWhere.code());
        var badColumn = lake.run("delete", "processed/users", "--where", "nope = 1");
        assertEquals(2, badColumn.code());
        assertTrue(
                badColumn.stderr().contains("no column 'nope'; columns: id, kind, email"),
                badColumn.stderr());
        var unquoted = lake.run("delete", "processed/users", "--where", "email = x");
        assertEquals(2, unquoted.code());
        assertTrue(unquoted.stderr().contains("quote the value"), unquoted.stderr());
        assertEquals(
                2,
                lake.run("convert", "raw/users", "processed/users", "--mode", "sideways").code());
        assertEquals(2, lake.run("restore", "processed/users", "minus-one").code());
        assertEquals(1, lake.run("history", "processed/nope").code());
        assertEquals(1, lake.run("convert", "raw/nope", "processed/nope").code());
        for (String c :
                List.of(
                        "convert",
                        "history",
                        "lineage",
                        "optimize",
                        "vacuum",
                        "delete",
                        "restore")) {
            assertEquals(0, lake.run(c, "--help").code(), c);
        }
    }

    @Test
    void convertsErrorBudgetIsAnOption() throws Exception {
        // 1 bad record in 21: within the default 10%, but not within --max-errors 0
        Files.writeString(dir.resolve("b.ndjson"), events(20, 20) + "{\"id\": oops}\n");
        assertEquals(0, lake.run("ingest", "raw/users", dir.resolve("b.ndjson").toString()).code());
        var strict = lake.run("convert", "raw/users", "processed/users", "--max-errors", "0");
        assertEquals(1, strict.code(), strict.toString());
        assertEquals(1, strict.stderr().lines().count(), strict.stderr());
        assertEquals(
                1, lake.run("history", "processed/users").code(), "nothing committed: no table");
        assertEquals(
                2,
                lake.run("convert", "raw/users", "processed/users", "--max-errors", "some").code());
        var tolerant =
                lake.run(
                        "convert",
                        "raw/users",
                        "processed/users",
                        "--max-errors",
                        "5%",
                        "-o",
                        "json");
        assertEquals(0, tolerant.code(), tolerant.toString());
        assertEquals(40, tolerant.json().get("rowsWritten").asLong());
        assertEquals(1, tolerant.json().get("rowsQuarantined").asLong());
    }

    @Test
    void convertReadsADocumentsArrayOfRecordsAndSaysWhich() throws Exception {
        StringBuilder sb = new StringBuilder("{\n  \"data\": [\n");
        for (int i = 0; i < 3000; i++) {
            sb.append("    {\n      \"id\": ")
                    .append(i)
                    .append(",\n      \"kind\": \"k")
                    .append(i % 3)
                    .append("\"\n    }")
                    .append(i < 2999 ? ",\n" : "\n");
        }
        Files.writeString(dir.resolve("export.json"), sb.append("  ],\n  \"count\": 3000\n}\n"));
        assertEquals(
                0, lake.run("ingest", "raw/export", dir.resolve("export.json").toString()).code());
        var r = lake.run("convert", "raw/export", "processed/export");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("note: ") && r.out().contains("\"data\""), r.out());
        assertTrue(r.out().contains("3000 rows"), r.out());
        assertEquals(3000, count("processed.export"));

        Files.writeString(
                dir.resolve("two.json"),
                "{\n \"data\": [{\"id\": 1}],\n \"included\": [{\"id\": 2}]\n}\n");
        assertEquals(0, lake.run("ingest", "raw/two", dir.resolve("two.json").toString()).code());
        var amb = lake.run("convert", "raw/two", "processed/two");
        assertEquals(1, amb.code(), amb.toString());
        assertEquals(1, amb.stderr().lines().count(), amb.stderr());
        assertTrue(
                amb.stderr().contains("\"data\", \"included\"")
                        && amb.stderr().contains("--json-path"),
                amb.stderr());
        assertFalse(amb.stderr().contains("Conversion."), amb.stderr());
    }
}
