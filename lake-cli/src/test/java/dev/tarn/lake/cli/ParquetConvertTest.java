package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lake convert} of a raw Parquet dataset into a table; Parquet files written by a DuckDB of
 * the test's own.
 */
class ParquetConvertTest {
    @TempDir Path dir;
    CliRunner lake;

    @BeforeEach
    void setUp() {
        lake = new CliRunner(dir.resolve("lake"));
    }

    /** Writes {@code SELECT} as a Parquet file with DuckDB, outside the lake. */
    private Path parquet(String name, String select) throws Exception {
        Path f = dir.resolve(name);
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                var s = c.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + f + "' (FORMAT parquet)");
        }
        return f;
    }

    private void ingest(String dataset, Path f) {
        var r = lake.run("ingest", dataset, f.toString());
        assertEquals(0, r.code(), r.toString());
    }

    private JsonNode sql(String query) {
        var r = lake.run("sql", query, "-o", "json");
        assertEquals(0, r.code(), r.toString());
        return r.json();
    }

    @Test
    void aRawParquetDatasetBecomesATableIncrementally() throws Exception {
        ingest(
                "raw/sales",
                parquet(
                        "a.parquet",
                        "SELECT i AS id, 'shop' || (i % 3) AS shop,"
                                + " CAST(i * 1.5 AS DOUBLE) AS amount, DATE '2026-11-01' + CAST(i AS INTEGER) AS day"
                                + " FROM range(100) t(i)"));
        var first = lake.run("convert", "raw/sales", "processed/sales", "-o", "json");
        assertEquals(0, first.code(), first.toString());
        assertTrue(first.json().get("converted").asBoolean());
        assertEquals(100, first.json().get("rowsWritten").asLong());
        assertEquals(0, first.json().get("rowsQuarantined").asLong());
        assertEquals(
                100, sql("SELECT count(*) AS n FROM processed.sales").get(0).get("n").asLong());
        JsonNode row = sql("SELECT id, shop, amount, day FROM processed.sales WHERE id = 7").get(0);
        assertEquals("shop1", row.get("shop").asText());
        assertEquals(10.5, row.get("amount").asDouble());
        assertEquals("2026-11-08", row.get("day").asText());

        assertTrue(
                lake.run("convert", "raw/sales", "processed/sales")
                        .out()
                        .startsWith("nothing new"));
        ingest(
                "raw/sales",
                parquet(
                        "b.parquet",
                        "SELECT i AS id, 'shop9' AS shop, CAST(2 AS DOUBLE) AS amount,"
                                + " DATE '2026-12-01' AS day FROM range(100, 130) t(i)"));
        var secondRun = lake.run("convert", "raw/sales", "processed/sales", "-o", "json");
        assertEquals(0, secondRun.code(), secondRun.toString());
        JsonNode second = secondRun.json();
        assertEquals(30, second.get("rowsWritten").asLong());
        assertEquals(1, second.get("objects").size());
        assertTrue(
                second.get("objects").get(0).asText().matches("ingest_date=[0-9-]+/b\\.parquet"),
                second.toString());
        assertEquals(
                130,
                sql("SELECT count(DISTINCT id) AS n FROM processed.sales")
                        .get(0)
                        .get("n")
                        .asLong());

        JsonNode t = lake.run("describe", "processed/sales", "-o", "json").json().get("table");
        assertEquals(130, t.get("rows").asLong(), "the footers' row counts are in the log");
        assertEquals(2, t.get("version").asLong());
        JsonNode lineage = lake.run("lineage", "processed/sales", "-o", "json").json();
        assertEquals(2, lineage.size());
        assertTrue(lineage.get(0).get("objects").get(0).asText().endsWith("/a.parquet"));

        // a file whose column type differs from the table's is refused, and the table stays exactly
        // as it was
        long files = parquetFiles(lake.lake().resolve("processed/sales"));
        ingest(
                "raw/sales",
                parquet(
                        "c.parquet",
                        "SELECT CAST(200 AS BIGINT) AS id, 'x' AS shop, 'a lot' AS amount,"
                                + " DATE '2026-12-02' AS day"));
        var mismatch = lake.run("convert", "raw/sales", "processed/sales");
        assertEquals(1, mismatch.code(), mismatch.toString());
        assertTrue(
                mismatch.stderr()
                        .matches(
                                "(?s).*object ingest_date=[0-9-]+/c\\.parquet of raw/sales has column"
                                        + " 'amount'.*"),
                mismatch.stderr());
        assertEquals(
                files,
                parquetFiles(lake.lake().resolve("processed/sales")),
                "the copy was removed");
        assertEquals(
                2,
                lake.run("describe", "processed/sales", "-o", "json")
                        .json()
                        .get("table")
                        .get("version")
                        .asLong());
    }

    private static long parquetFiles(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".parquet")).count();
        }
    }

    @Test
    void aParquetObjectATableCannotHoldFailsNamingItAndLeavesNothing() throws Exception {
        ingest(
                "raw/logs",
                parquet(
                        "good.parquet",
                        "SELECT 1 AS id, TIMESTAMPTZ '2026-11-01 10:00:00+00' AS ts"));
        // an instant in one object and a wall-clock timestamp (timestamp_ntz) in another: no type
        // holds both, and
        // guessing a zone would change values
        ingest(
                "raw/logs",
                parquet("local.parquet", "SELECT 2 AS id, TIMESTAMP '2026-11-01 10:00:00' AS ts"));
        var r = lake.run("convert", "raw/logs", "processed/logs");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.stderr().contains("local.parquet"), r.stderr());
        assertFalse(
                r.stderr().contains("\n") && r.stderr().indexOf('\n') < r.stderr().length() - 1,
                "one line: " + r.stderr());
        Path table = lake.lake().resolve("processed/logs");
        try (Stream<Path> files = Files.exists(table) ? Files.walk(table) : Stream.empty()) {
            assertEquals(
                    List.of(),
                    files.filter(p -> p.toString().endsWith(".parquet")).toList(),
                    "no copy is left behind");
        }
        assertEquals(1, lake.run("history", "processed/logs").code(), "no table was created");

        // on their own, wall-clock timestamps are a timestamp_ntz table (Delta's timestampNtz
        // feature)
        ingest(
                "raw/local",
                parquet("local.parquet", "SELECT 2 AS id, TIMESTAMP '2026-11-01 10:00:00' AS ts"));
        assertEquals(0, lake.run("convert", "raw/local", "processed/local").code());
        var described = lake.run("describe", "processed/local", "-o", "json");
        assertTrue(described.out().contains("\"timestamp_ntz\""), described.toString());

        var partitioned = lake.run("convert", "raw/logs", "processed/byid", "--partition-by", "id");
        assertEquals(1, partitioned.code());
        assertTrue(partitioned.stderr().contains("unpartitioned table only"), partitioned.stderr());
        var schema =
                lake.run(
                        "convert",
                        "raw/logs",
                        "processed/other",
                        "--schema",
                        dir.resolve("x.avsc").toString());
        assertEquals(1, schema.code());
        assertTrue(schema.stderr().contains("carry their own schema"), schema.stderr());
    }
}
