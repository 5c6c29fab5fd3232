package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.IllegalNameException;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.testing.TarnExtension;
import dev.tarn.lake.testing.TempLake;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(TarnExtension.class)
class SqlTest {
    @TempLake Lake lake;

    static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aJoinAcrossRawNdjsonAndRawCsvReturnsExactResults() {
        Random rnd = new Random(11);
        StringBuilder events = new StringBuilder();
        StringBuilder users = new StringBuilder("user_id,country\n");
        Map<Integer, String> countryOf = new HashMap<>();
        for (int u = 1; u <= 20; u++) {
            String country = List.of("de", "fr", "us").get(u % 3);
            countryOf.put(u, country);
            users.append(u).append(',').append(country).append('\n');
        }
        Map<String, Long> expectedCount = new TreeMap<>();
        Map<String, BigDecimal> expectedSum = new TreeMap<>();
        for (int i = 0; i < 500; i++) {
            int u = 1 + rnd.nextInt(20);
            int cents = rnd.nextInt(10_000);
            events.append("{\"user_id\":")
                    .append(u)
                    .append(",\"cents\":")
                    .append(cents)
                    .append("}\n");
            expectedCount.merge(countryOf.get(u), 1L, Long::sum);
            expectedSum.merge(countryOf.get(u), BigDecimal.valueOf(cents), BigDecimal::add);
        }
        // two NDJSON objects, to show the view spans every committed object
        String all = events.toString();
        int cut = all.indexOf('\n', all.length() / 2) + 1;
        lake.ingest("raw/events").bytes(utf8(all.substring(0, cut)), "a.ndjson").commit();
        lake.ingest("raw/events").bytes(utf8(all.substring(cut)), "b.ndjson").commit();
        lake.ingest("raw/users").bytes(utf8(users.toString()), "users.csv").commit();

        QueryResult r =
                Sql.of(lake)
                        .query(
                                """
                SELECT u.country, count(*) AS n, sum(e.cents) AS total
                FROM raw.events e JOIN raw.users u USING (user_id)
                GROUP BY u.country ORDER BY u.country""");
        assertEquals(List.of("country", "n", "total"), r.columnNames());
        assertEquals(expectedCount.size(), r.rowCount());
        for (int i = 0; i < r.rowCount(); i++) {
            String country = (String) r.get(i, "country");
            assertEquals(expectedCount.get(country), ((Number) r.get(i, "n")).longValue(), country);
            assertEquals(
                    0,
                    expectedSum
                            .get(country)
                            .compareTo(new BigDecimal(r.get(i, "total").toString())),
                    country);
        }
    }

    @Test
    void filesWithDifferentColumnsReadAsOneViewAndPartitionsArePruned() {
        lake.ingest("raw/clicks")
                .bytes(utf8("{\"a\":1,\"b\":\"x\"}\n"), "one.ndjson")
                .partition("day", "2026-01-01")
                .commit();
        lake.ingest("raw/clicks")
                .bytes(utf8("{\"c\":true,\"a\":2}\n"), "two.ndjson")
                .partition("day", "2026-01-02")
                .commit();
        Sql sql = Sql.of(lake);
        QueryResult r = sql.query("SELECT a, b, c, day FROM raw.clicks ORDER BY a");
        assertEquals(2, r.rowCount());
        assertEquals(1L, ((Number) r.get(0, "a")).longValue());
        assertEquals("x", r.get(0, "b"));
        assertNull(r.get(0, "c"), "a column missing from a file reads as NULL");
        assertNull(r.get(1, "b"));
        assertEquals(Boolean.TRUE, r.get(1, "c"));
        assertEquals("DATE", r.columns().get(3).type(), "partition values are typed");
        String plan = sql.explain("SELECT * FROM raw.clicks WHERE day = DATE '2026-01-02'");
        assertTrue(plan.contains("Scanning Files: 1/2"), plan);
    }

    @Test
    void anOptionalSourceColumnNamesEachRowsObject() {
        lake.ingest("raw/clicks")
                .bytes(utf8("{\"a\":1}\n{\"a\":2}\n"), "one.ndjson")
                .partition("day", "d1")
                .commit();
        lake.ingest("raw/clicks")
                .bytes(utf8("{\"a\":3}\n"), "two.ndjson")
                .partition("day", "d2")
                .commit();
        Lake other = Lake.open(Path.of(java.net.URI.create(lake.location())));
        try {
            Sql sql = Sql.of(other, SqlOptions.defaults().sourceColumn("_object"));
            QueryResult r = sql.query("SELECT a, _object FROM raw.clicks ORDER BY a");
            // small integers are INTEGER, as a table converted from them has them
            assertEquals(
                    List.of(
                            List.of(1, "raw/clicks/day=d1/one.ndjson"),
                            List.of(2, "raw/clicks/day=d1/one.ndjson"),
                            List.of(3, "raw/clicks/day=d2/two.ndjson")),
                    r.rows());
            // the key is the object's as the catalog has it
            String key =
                    other.catalog()
                            .objects(dev.tarn.lake.catalog.DatasetId.parse("raw/clicks"))
                            .get(0)
                            .key();
            assertEquals(key, r.get(0, "_object"));
        } finally {
            other.close();
        }
        assertFalse(
                Sql.of(lake).query("SELECT * FROM raw.clicks").columnNames().contains("_object"),
                "off by default");
        assertThrows(
                IllegalArgumentException.class, () -> SqlOptions.defaults().sourceColumn("a b"));
    }

    @Test
    void parametersAreBoundNeverSpliced() {
        lake.ingest("raw/people").bytes(utf8("name\nann\nbob\n"), "p.csv").commit();
        Sql sql = Sql.of(lake);
        assertEquals(
                1L,
                ((Number)
                                sql.query("SELECT count(*) FROM raw.people WHERE name = ?", "ann")
                                        .scalar())
                        .longValue());
        assertEquals(
                0L,
                ((Number)
                                sql.query(
                                                "SELECT count(*) FROM raw.people WHERE name = ?",
                                                "x' OR '1'='1")
                                        .scalar())
                        .longValue());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT * FROM read_csv('/etc/passwd')",
                "SELECT * FROM read_text('/etc/hostname')",
                "SELECT * FROM glob('/etc/*')",
            })
    void filesOutsideTheLakeAreRefused(String query) {
        var e = assertThrows(QueryException.class, () -> Sql.of(lake).query(query));
        assertTrue(
                e.getMessage().contains("refused") || e.getMessage().contains("Permission"),
                e.getMessage());
    }

    @Test
    void aPathEscapingTheLakeWithDotDotIsRefused() {
        lake.ingest("raw/x").bytes(utf8("a\n1\n"), "x.csv").commit();
        String root = Path.of(java.net.URI.create(lake.location())).toString();
        var e =
                assertThrows(
                        QueryException.class,
                        () ->
                                Sql.of(lake)
                                        .query(
                                                "SELECT * FROM read_csv('"
                                                        + root
                                                        + "/../../../etc/passwd')"));
        assertTrue(
                e.getMessage().contains("refused") || e.getMessage().contains("Permission"),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "COPY (SELECT 42) TO 'LAKE/raw/x/evil.csv'",
                "CREATE TABLE t AS SELECT 1",
                "ATTACH 'LAKE/other.db'",
                "INSTALL httpfs",
                "SET enable_external_access = true",
                "SELECT 1; COPY (SELECT 42) TO 'LAKE/raw/x/evil.csv'",
                "DROP VIEW raw.x",
                "PRAGMA enable_profiling",
            })
    void statementsThatWriteOrReconfigureAreRefused(String statement) throws Exception {
        lake.ingest("raw/x").bytes(utf8("a\n1\n"), "x.csv").commit();
        Path root = Path.of(java.net.URI.create(lake.location()));
        String sql = statement.replace("LAKE", root.toString());
        var e = assertThrows(QueryException.class, () -> Sql.of(lake).query(sql));
        assertTrue(e.getMessage().startsWith("refused"), e.getMessage());
        assertFalse(Files.exists(root.resolve("raw/x/evil.csv")));
        assertFalse(Files.exists(root.resolve("other.db")));
        assertEquals(
                1L,
                ((Number) Sql.of(lake).query("SELECT count(*) FROM raw.x").scalar()).longValue());
    }

    @Test
    void datasetNamesThatCouldInjectSqlCannotExistAndHyphensAreQuoted() {
        for (String bad : List.of("raw/x\"; DROP VIEW raw.y; --", "raw/a b", "raw/X", "raw/x'y")) {
            assertThrows(
                    IllegalNameException.class,
                    () -> lake.ingest(bad).bytes(utf8("a"), "a.txt").commit());
        }
        lake.ingest("raw/web-events").bytes(utf8("{\"k\":1}\n{\"k\":2}\n"), "e.ndjson").commit();
        assertEquals(
                2L,
                ((Number) Sql.of(lake).query("SELECT count(*) FROM raw.\"web-events\"").scalar())
                        .longValue());
    }

    @Test
    void binaryDatasetsAreTablesOfTheirObjectsMetadata() {
        lake.ingest("raw/images")
                .bytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1}, "cat.png")
                .meta("camera", "x100")
                .commit();
        QueryResult r =
                Sql.of(lake)
                        .query(
                                "SELECT path, size, content_type, original_name, metadata->>'camera' AS camera FROM raw.images");
        assertEquals(1, r.rowCount());
        assertEquals(6L, ((Number) r.get(0, "size")).longValue());
        assertEquals("image/png", r.get(0, "content_type"));
        assertEquals("cat.png", r.get(0, "original_name"));
        assertEquals("x100", r.get(0, "camera"));
        QueryResult all = Sql.of(lake).query("SELECT zone, dataset, format FROM tarn.objects");
        assertEquals(List.of(List.of("raw", "images", "binary")), all.rows());
    }

    @Test
    void anUnreadableDatasetDoesNotBreakTheOthers() {
        lake.ingest("raw/good").bytes(utf8("{\"a\":1}\n"), "g.ndjson").commit();
        lake.ingest("raw/bad").bytes(utf8("{\"a\":1}\n{\"a\": nope\n"), "b.ndjson").commit();
        Sql sql = Sql.of(lake);
        assertEquals(
                1L, ((Number) sql.query("SELECT count(*) FROM raw.good").scalar()).longValue());
        var e = assertThrows(QueryException.class, () -> sql.query("SELECT * FROM raw.bad"));
        assertTrue(e.getMessage().contains("raw/bad"), e.getMessage());
        var count =
                assertThrows(QueryException.class, () -> sql.query("SELECT count(*) FROM raw.bad"));
        assertTrue(
                count.getMessage().contains("raw/bad"),
                "no answer from a dataset that cannot be read");
    }

    @Test
    void anEmptyLakeAnswersQueries() {
        Sql sql = Sql.of(lake);
        assertEquals(
                0L, ((Number) sql.query("SELECT count(*) FROM tarn.objects").scalar()).longValue());
        assertEquals(42, ((Number) sql.query("SELECT ? + 1", 41).scalar()).intValue());
    }

    @Test
    void newDataIsSeenByTheNextQuery() {
        Sql sql = Sql.of(lake);
        lake.ingest("raw/n").bytes(utf8("{\"v\":1}\n"), "1.ndjson").commit();
        assertEquals(1L, ((Number) sql.query("SELECT count(*) FROM raw.n").scalar()).longValue());
        lake.ingest("raw/n").bytes(utf8("{\"v\":2}\n"), "2.ndjson").commit();
        assertEquals(2L, ((Number) sql.query("SELECT count(*) FROM raw.n").scalar()).longValue());
    }

    @Test
    void aQueryRunningWhileAnotherThreadIngestsSeesWholeObjectsOnly() throws Exception {
        int rowsPerObject = 100;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rowsPerObject; i++) {
            b.append("{\"i\":").append(i).append("}\n");
        }
        lake.ingest("raw/stream").bytes(utf8(b.toString()), "0.ndjson").commit();
        Sql sql = Sql.of(lake);
        Thread writer =
                new Thread(
                        () -> {
                            for (int n = 1; n <= 30; n++) {
                                lake.ingest("raw/stream")
                                        .bytes(
                                                utf8(b + "{\"i\":" + -n + "}\n").clone(),
                                                n + ".ndjson")
                                        .commit();
                            }
                        });
        writer.start();
        List<Long> seen = new ArrayList<>();
        while (writer.isAlive()) {
            seen.add(((Number) sql.query("SELECT count(*) FROM raw.stream").scalar()).longValue());
        }
        writer.join();
        seen.add(((Number) sql.query("SELECT count(*) FROM raw.stream").scalar()).longValue());
        for (long count : seen) {
            // object 0 has 100 rows, every later one 101
            assertEquals(
                    0,
                    (count - rowsPerObject) % (rowsPerObject + 1),
                    "a whole number of objects: " + count);
        }
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), "never goes back");
        }
        assertEquals(rowsPerObject + 30L * (rowsPerObject + 1), seen.get(seen.size() - 1));
    }

    @Test
    void resultSetsStreamAndResultsPrintAsATable() throws Exception {
        lake.ingest("raw/t").bytes(utf8("id,name\n1,ann\n2,\n"), "t.csv").commit();
        Sql sql = Sql.of(lake);
        try (ResultSet rs = sql.resultSet("SELECT id, name FROM raw.t ORDER BY id")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(1));
            assertTrue(rs.next());
            assertFalse(rs.next());
        }
        String table = sql.query("SELECT id, name FROM raw.t ORDER BY id").toString();
        assertTrue(table.startsWith("id      | name"), table);
        assertTrue(
                table.contains("INTEGER | VARCHAR"),
                table); // Tarn's inference, as the converted table
        assertTrue(table.contains("NULL"), table);
        assertTrue(table.endsWith("(2 rows)"), table);
    }

    @Test
    void resultsExportToCsvJsonAndParquet(@org.junit.jupiter.api.io.TempDir Path out)
            throws Exception {
        lake.ingest("raw/t").bytes(utf8("id,name\n1,\"a, b\"\n2,ü\n3,c\n"), "t.csv").commit();
        Sql sql = Sql.of(lake);
        String q = "SELECT id, name FROM raw.t WHERE id < ? ORDER BY id";
        assertEquals(2, sql.export(q, out.resolve("r.csv"), ExportFormat.CSV, 3));
        assertEquals("id,name\n1,\"a, b\"\n2,ü\n", Files.readString(out.resolve("r.csv")));
        assertEquals(2, sql.export(q, out.resolve("r.ndjson"), ExportFormat.JSON, 3));
        assertEquals(
                List.of("{\"id\":1,\"name\":\"a, b\"}", "{\"id\":2,\"name\":\"ü\"}"),
                Files.readAllLines(out.resolve("r.ndjson")));
        Path parquet = out.resolve("sub/r.parquet");
        assertEquals(3, sql.export("SELECT * FROM raw.t", parquet, ExportFormat.PARQUET));
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(parquet), 4);
        assertArrayEquals(utf8("PAR1"), head);
        // the exported file read back by an independent DuckDB
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                var rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT string_agg(name, '|' ORDER BY id) FROM read_parquet('"
                                                + parquet
                                                + "')")) {
            rs.next();
            assertEquals("a, b|ü|c", rs.getString(1));
        }
        var e =
                assertThrows(
                        QueryException.class,
                        () ->
                                sql.export(
                                        "SELECT 1) TO '/tmp/x.csv' (FORMAT CSV); --",
                                        out.resolve("x.csv"),
                                        ExportFormat.CSV));
        assertFalse(Files.exists(out.resolve("x.csv")));
        assertFalse(
                Files.exists(Path.of("/tmp/x.csv"))
                        && Files.getLastModifiedTime(Path.of("/tmp/x.csv"))
                                .toInstant()
                                .isAfter(java.time.Instant.now().minusSeconds(60)),
                e.getMessage());
    }

    @Test
    void aCursorStreamsRowsInBoundedMemory() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            b.append("{\"i\":").append(i).append("}\n");
        }
        lake.ingest("raw/many").bytes(utf8(b.toString()), "m.ndjson").commit();
        long sum = 0;
        int n = 0;
        try (QueryCursor rows = Sql.of(lake).cursor("SELECT i FROM raw.many WHERE i >= ?", 1000)) {
            assertEquals(
                    List.of("i"), rows.columns().stream().map(QueryResult.Column::name).toList());
            for (List<Object> row : rows) {
                sum += ((Number) row.get(0)).longValue();
                n++;
            }
            assertThrows(IllegalStateException.class, rows::iterator, "iterable once");
        }
        assertEquals(4000, n);
        assertEquals((1000L + 4999L) * 4000 / 2, sum);
        // a cursor left early and closed gives its connection back: many in a row do not exhaust
        // anything
        for (int i = 0; i < 50; i++) {
            try (QueryCursor rows = Sql.of(lake).cursor("SELECT i FROM raw.many")) {
                assertTrue(rows.iterator().hasNext());
            }
        }
    }

    @Test
    void theEngineIsOnePerLakeAndClosesWithIt() {
        Lake other = Lake.temporary();
        Sql a = Sql.of(other);
        other.ingest("raw/x").bytes(utf8("a\n1\n"), "x.csv").commit();
        assertEquals(1L, ((Number) a.query("SELECT count(*) FROM raw.x").scalar()).longValue());
        assertThrows(
                IllegalStateException.class, () -> Sql.of(other, SqlOptions.defaults().threads(1)));
        other.close();
        assertThrows(RuntimeException.class, () -> a.query("SELECT 1"));
    }
}
