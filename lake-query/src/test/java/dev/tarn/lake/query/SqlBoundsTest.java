package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.testing.TarnExtension;
import dev.tarn.lake.testing.TempLake;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine's bounds through the API: a statement timeout, row caps checked while reading, errors
 * of streamed results, and raw JSON datasets of many small objects under a small memory limit.
 */
@ExtendWith(TarnExtension.class)
class SqlBoundsTest {
    @TempLake Lake lake;

    @Test
    void aCursorIsCancelledAtTheTimeoutWhileItsRowsAreRead() {
        Sql sql = Sql.of(lake, SqlOptions.defaults().timeout(Duration.ofSeconds(2)));
        long t0 = System.nanoTime();
        long rows = 0;
        QueryException e;
        try (QueryCursor c = sql.cursor("SELECT * FROM generate_series(1, 1000000000000)")) {
            e =
                    assertThrows(
                            QueryException.class,
                            () -> {
                                for (List<Object> ignored : c) {
                                    // read and drop
                                }
                            });
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(
                "the statement ran longer than its timeout of 2s and was cancelled",
                e.getMessage());
        assertTrue(ms < 15_000, ms + " ms");
        // the engine goes on answering
        assertEquals(3L, ((Number) sql.query("SELECT 1 + 2").scalar()).longValue());
    }

    @Test
    void aQueryThatNeverReturnsARowEndsAtTheTimeout() {
        Sql sql = Sql.of(lake, SqlOptions.defaults().timeout(Duration.ofMillis(1500)));
        QueryException e =
                assertThrows(
                        QueryException.class,
                        () ->
                                sql.query(
                                        "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t"));
        assertEquals(
                "the statement ran longer than its timeout of 1500ms and was cancelled",
                e.getMessage());
    }

    @Test
    void anExportOrASavedTableEndsAtTheTimeoutAndLeavesNothing(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Sql sql = Sql.of(lake, SqlOptions.defaults().timeout(Duration.ofMillis(1500)));
        String endless =
                "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT max(n) AS n FROM t";
        java.nio.file.Path out = dir.resolve("out.csv");
        QueryException e =
                assertThrows(
                        QueryException.class, () -> sql.export(endless, out, ExportFormat.CSV));
        assertEquals(
                "the statement ran longer than its timeout of 1500ms and was cancelled",
                e.getMessage());
        assertTrue(java.nio.file.Files.notExists(out));
        long before = lake.catalog().version();
        QueryException saved =
                assertThrows(
                        QueryException.class,
                        () ->
                                sql.saveAsTable(
                                        endless,
                                        dev.tarn.lake.catalog.DatasetId.parse(
                                                "analytics/endless")));
        assertEquals(
                "the statement ran longer than its timeout of 1500ms and was cancelled",
                saved.getMessage());
        assertEquals(before, lake.catalog().version(), "nothing committed");
        assertTrue(
                lake.catalog()
                        .dataset(dev.tarn.lake.catalog.DatasetId.parse("analytics/endless"))
                        .isEmpty());
        // the engine goes on answering
        assertEquals(3L, ((Number) sql.query("SELECT 1 + 2").scalar()).longValue());
    }

    @Test
    void theRowCapOfQueryIsCheckedWhileReading() {
        Sql sql = Sql.of(lake, SqlOptions.defaults().maxRows(1000));
        long t0 = System.nanoTime();
        QueryException e =
                assertThrows(
                        QueryException.class,
                        () -> sql.query("SELECT * FROM generate_series(1, 1000000000000)"));
        assertTrue(e.getMessage().contains("more than 1000 rows"), e.getMessage());
        assertTrue(
                (System.nanoTime() - t0) / 1_000_000 < 10_000,
                "not after building the whole result");
    }

    @Test
    void aStreamedQueryFailsWithItsRealReason() {
        Sql sql = Sql.of(lake);
        QueryException early =
                assertThrows(QueryException.class, () -> sql.query("SELECT 'x'::VARCHAR::INT"));
        assertTrue(early.getMessage().contains("Could not convert string 'x'"), early.getMessage());
        QueryException late =
                assertThrows(
                        QueryException.class,
                        () -> {
                            try (QueryCursor c =
                                    sql.cursor(
                                            "SELECT CASE WHEN range = 3000000 THEN error('late boom') ELSE range"
                                                    + " END FROM range(5000000)")) {
                                c.forEach(r -> {});
                            }
                        });
        assertTrue(late.getMessage().contains("late boom"), late.getMessage());
        QueryException bound =
                assertThrows(QueryException.class, () -> sql.query("SELECT ? ::INT", "y"));
        assertTrue(bound.getMessage().contains("Could not convert string 'y'"), bound.getMessage());
    }

    @Test
    void manySmallJsonObjectsAnswerUnderASmallMemoryLimit() {
        // 300 objects of one line: DuckDB kept 32 MiB per object it sampled to its end (9.4 GiB
        // here)
        var ingest = lake.ingest("raw/events");
        for (int i = 0; i < 300; i++) {
            // more than 256 files: read with the schema inferred batch by batch; "score" is an
            // integer in the
            // first batch and a fraction in the second
            String extra =
                    i == 123
                            ? ", \"late\": \"yes\""
                            : i == 5 ? ", \"score\": 5" : i == 280 ? ", \"score\": 2.5" : "";
            ingest.bytes(
                    ("{\"id\": " + i + extra + "}\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "e" + i + ".ndjson");
        }
        ingest.commit();
        Sql sql = Sql.of(lake, SqlOptions.defaults().memoryLimit("256MB").threads(2));
        QueryResult r =
                sql.query(
                        "SELECT count(*) AS n, sum(id) AS ids, count(late) AS late FROM raw.events");
        assertEquals(300L, ((Number) r.get(0, "n")).longValue());
        assertEquals(299L * 300 / 2, ((Number) r.get(0, "ids")).longValue());
        assertEquals(1L, ((Number) r.get(0, "late")).longValue());
        assertEquals(
                7.5,
                ((Number) sql.query("SELECT sum(score) FROM raw.events").scalar()).doubleValue());
        assertEquals(
                300L,
                ((Number) sql.query("SELECT count(*) FROM tarn.objects").scalar()).longValue());
    }

    @Test
    void limitsAreValidated() {
        assertThrows(
                IllegalArgumentException.class, () -> SqlOptions.defaults().timeout(Duration.ZERO));
        assertThrows(
                IllegalArgumentException.class, () -> SqlOptions.defaults().tempLimit("plenty"));
        assertEquals(
                Duration.ofMinutes(5),
                SqlOptions.defaults().timeout(Duration.ofMinutes(5)).timeout());
        Sql sql = Sql.of(lake, SqlOptions.defaults().tempLimit("2GiB").memoryLimit("300MB"));
        assertEquals("286.0 MiB", sql.query("SELECT current_setting('memory_limit')").scalar());
        assertEquals(
                "2.0 GiB", sql.query("SELECT current_setting('max_temp_directory_size')").scalar());
    }
}
