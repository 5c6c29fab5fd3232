package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.testing.TarnExtension;
import dev.tarn.lake.testing.TempLake;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tables (Delta) in SQL: as views over their snapshots, joined with raw data, at past versions. */
@ExtendWith(TarnExtension.class)
class SqlTablesTest {
    @TempLake Lake lake;
    Path root;

    /**
     * An independent DuckDB that writes the Parquet data files, as an engine of the format module
     * would.
     */
    Connection writer;

    static final Schema ORDERS =
            Schema.of(
                    Field.of("order_id", DataType.LONG),
                    Field.of("user_id", DataType.LONG),
                    Field.of("amount", DataType.DOUBLE),
                    Field.of("region", DataType.STRING));

    @BeforeEach
    void setUp() throws Exception {
        root = Path.of(URI.create(lake.location()));
        writer = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterEach
    void tearDown() throws Exception {
        writer.close();
    }

    /**
     * Writes rows (order_id, user_id, amount) as a Parquet file under the table; returns its
     * relative path.
     */
    String parquet(String table, String dir, List<long[]> rows) throws Exception {
        String rel = dir + "/part-" + UUID.randomUUID() + ".parquet";
        Path file = root.resolve(table).resolve(rel);
        Files.createDirectories(file.getParent());
        StringBuilder values = new StringBuilder();
        for (long[] r : rows) {
            values.append(values.length() == 0 ? "" : ", ")
                    .append('(')
                    .append(r[0])
                    .append("::BIGINT, ")
                    .append(r[1])
                    .append("::BIGINT, ")
                    .append(r[2])
                    .append("::DOUBLE / 100)");
        }
        try (Statement s = writer.createStatement()) {
            s.execute(
                    "COPY (SELECT * FROM (VALUES "
                            + values
                            + ") t(order_id, user_id, amount)) TO '"
                            + file
                            + "' (FORMAT PARQUET)");
        }
        return rel;
    }

    void append(Table t, String region, List<long[]> rows) throws Exception {
        String rel = parquet(t.keyPrefix(), "region=" + region, rows);
        t.newAppend().addFile(t.dataFile(rel, Map.of("region", region))).commit();
    }

    @Test
    void aJoinAcrossRawNdjsonRawCsvAndAPartitionedTableIsExact() throws Exception {
        // users (raw CSV), clicks (raw NDJSON), orders (a table partitioned by region)
        StringBuilder users = new StringBuilder("user_id,segment\n");
        Map<Long, String> segmentOf = new HashMap<>();
        for (long u = 1; u <= 12; u++) {
            String seg = u % 2 == 0 ? "gold" : "basic";
            segmentOf.put(u, seg);
            users.append(u).append(',').append(seg).append('\n');
        }
        lake.ingest("raw/users").bytes(users.toString().getBytes(), "users.csv").commit();
        StringBuilder clicks = new StringBuilder();
        Map<Long, Long> clicksOf = new HashMap<>();
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 300; i++) {
            long u = 1 + rnd.nextInt(12);
            clicksOf.merge(u, 1L, Long::sum);
            clicks.append("{\"user_id\":")
                    .append(u)
                    .append(",\"page\":\"/p")
                    .append(i % 7)
                    .append("\"}\n");
        }
        lake.ingest("raw/clicks").bytes(clicks.toString().getBytes(), "clicks.ndjson").commit();
        Table orders = Tables.of(lake).create("processed/orders", ORDERS, "region");
        Map<String, Long> expectedCents = new TreeMap<>();
        Map<String, Long> expectedClicks = new TreeMap<>();
        long id = 1;
        for (String region : List.of("eu", "us", "apac")) {
            List<long[]> rows = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long u = 1 + rnd.nextInt(12);
                long cents = rnd.nextInt(50_000);
                rows.add(new long[] {id++, u, cents});
                String key = region + "/" + segmentOf.get(u);
                expectedCents.merge(key, cents, Long::sum);
                expectedClicks.merge(key, clicksOf.getOrDefault(u, 0L), Long::sum);
            }
            append(orders, region, rows);
        }
        QueryResult r =
                Sql.of(lake)
                        .query(
                                """
                SELECT o.region || '/' || u.segment AS k,
                       round(sum(o.amount) * 100)::BIGINT AS cents,
                       sum((SELECT count(*) FROM raw.clicks c WHERE c.user_id = o.user_id)) AS clicks
                FROM processed.orders o JOIN raw.users u USING (user_id)
                GROUP BY k ORDER BY k""");
        Map<String, Long> cents = new TreeMap<>();
        Map<String, Long> clicksSeen = new TreeMap<>();
        for (int i = 0; i < r.rowCount(); i++) {
            cents.put((String) r.get(i, "k"), ((Number) r.get(i, "cents")).longValue());
            clicksSeen.put((String) r.get(i, "k"), ((Number) r.get(i, "clicks")).longValue());
        }
        assertEquals(expectedCents, cents);
        assertEquals(expectedClicks, clicksSeen);
    }

    @Test
    void partitionValuesComeFromTheLogAndTheSchemaIsWhole() throws Exception {
        Table t = Tables.of(lake).create("processed/orders", ORDERS, "region");
        // a file in a directory whose name disagrees with the log: the log wins, as the Delta
        // protocol says
        String rel = parquet(t.keyPrefix(), "misfiled", List.of(new long[] {1, 2, 300}));
        t.newAppend().addFile(t.dataFile(rel, Map.of("region", "eu"))).commit();
        QueryResult r = Sql.of(lake).query("SELECT * FROM processed.orders");
        assertEquals(List.of("order_id", "user_id", "amount", "region"), r.columnNames());
        assertEquals(List.of(List.of(1L, 2L, 3.0, "eu")), r.rows());
        assertEquals(
                List.of("BIGINT", "BIGINT", "DOUBLE", "VARCHAR"),
                r.columns().stream().map(QueryResult.Column::type).toList());
        // an empty table is a relation with the whole schema and no rows
        Tables.of(lake).create("analytics/empty", ORDERS);
        QueryResult empty = Sql.of(lake).query("SELECT * FROM analytics.empty");
        assertEquals(0, empty.rowCount());
        assertEquals(4, empty.columns().size());
    }

    @Test
    void aColumnNoFileHoldsYetReadsAsTypedNulls() throws Exception {
        Schema withNote = ORDERS.plus(List.of(Field.of("note", DataType.STRING)));
        Table t = Tables.of(lake).create("processed/noted", withNote, "region");
        append(t, "eu", List.of(new long[] {1, 2, 300}));
        QueryResult r = Sql.of(lake).query("SELECT order_id, note, region FROM processed.noted");
        assertEquals(List.of(java.util.Arrays.asList(1L, null, "eu")), r.rows());
        assertEquals("VARCHAR", r.columns().get(1).type());
    }

    @Test
    void timeTravelByVersionAndByTimestampReturnsTheHistoricalRows() throws Exception {
        Table t = Tables.of(lake).create("processed/orders", ORDERS, "region");
        long v0 = t.snapshot().version();
        append(t, "eu", List.of(new long[] {1, 1, 100}));
        long v1 = t.snapshot().version();
        Instant afterV1 = t.snapshot().timestamp();
        Thread.sleep(5);
        append(t, "us", List.of(new long[] {2, 1, 200}, new long[] {3, 2, 300}));
        Sql sql = Sql.of(lake);
        assertEquals(3L, count(sql, "processed.orders"));
        assertEquals(0L, count(sql, "processed.\"orders@" + v0 + "\""));
        assertEquals(1L, count(sql, "processed.\"orders@" + v1 + "\""));
        assertEquals(1L, count(sql, "processed.\"orders@" + afterV1 + "\""));
        assertEquals(1L, count(sql, Sql.relationAt(t.id(), v1)));
        assertEquals(1L, count(sql, Sql.relationAsOf(t.id(), afterV1)));
        assertEquals(3L, count(sql, Sql.relation(t.id())));
        assertEquals(
                List.of(List.of(1L, "eu")),
                sql.query("SELECT order_id, region FROM \"processed\".\"orders@" + v1 + "\"")
                        .rows());
        // a version and the present in one statement
        assertEquals(
                2L,
                ((Number)
                                sql.query(
                                                "SELECT (SELECT count(*) FROM processed.orders) - "
                                                        + "(SELECT count(*) FROM processed.\"orders@"
                                                        + v1
                                                        + "\")")
                                        .scalar())
                        .longValue());
        var e =
                assertThrows(
                        QueryException.class,
                        () -> sql.query("SELECT * FROM processed.\"orders@999\""));
        assertTrue(e.getMessage().contains("processed/orders"), e.getMessage());
        lake.ingest("raw/clicks").bytes("{\"a\":1}\n".getBytes(), "c.ndjson").commit();
        var raw =
                assertThrows(
                        QueryException.class, () -> sql.query("SELECT * FROM raw.\"clicks@1\""));
        assertTrue(raw.getMessage().contains("applies to tables"), raw.getMessage());
    }

    @Test
    void aQueryWhileAnotherThreadCommitsSeesOneVersionNeverAMix() throws Exception {
        Table t = Tables.of(lake).create("processed/orders", ORDERS, "region");
        Sql sql = Sql.of(lake);
        // every commit adds two files (eu and us) of 5 rows each: a mix would show a count not
        // divisible by 10
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread committer =
                new Thread(
                        () -> {
                            try {
                                for (int c = 0; c < 25; c++) {
                                    String eu =
                                            parquet(t.keyPrefix(), "region=eu", rows(c * 10, 5));
                                    String us =
                                            parquet(
                                                    t.keyPrefix(),
                                                    "region=us",
                                                    rows(c * 10 + 5, 5));
                                    t.newAppend()
                                            .addFile(t.dataFile(eu, Map.of("region", "eu")))
                                            .addFile(t.dataFile(us, Map.of("region", "us")))
                                            .commit();
                                }
                            } catch (Throwable e) {
                                failure.set(e);
                            }
                        });
        committer.start();
        List<Long> seen = new ArrayList<>();
        while (committer.isAlive()) {
            seen.add(count(sql, "processed.orders"));
        }
        committer.join();
        assertNull(failure.get());
        seen.add(count(sql, "processed.orders"));
        for (long n : seen) {
            assertEquals(0, n % 10, "a whole commit or none: " + n);
        }
        assertEquals(250L, seen.get(seen.size() - 1));
        assertTrue(seen.size() > 2, "queries ran while commits landed");
    }

    @Test
    void aResultSavedAsATableRecordsItsLineageAndReadsBackExactly() throws Exception {
        lake.ingest("raw/users")
                .bytes("user_id,segment\n1,gold\n2,basic\n3,gold\n".getBytes(), "u.csv")
                .commit();
        Table orders = Tables.of(lake).create("processed/orders", ORDERS, "region");
        append(orders, "eu", List.of(new long[] {1, 1, 1000}, new long[] {2, 2, 250}));
        append(orders, "us", List.of(new long[] {3, 3, 500}, new long[] {4, 1, 125}));
        long ordersVersion = orders.snapshot().version();
        Sql sql = Sql.of(lake);
        String kpi =
                """
                SELECT u.segment, count(*) AS orders, sum(o.amount) AS revenue, min(o.order_id) AS first_order,
                       TIMESTAMPTZ '2026-11-21 10:00:00+00' AS computed_at, DATE '2026-11-21' AS day
                FROM processed.orders o JOIN raw.users u USING (user_id)
                WHERE o.amount > ? GROUP BY u.segment ORDER BY u.segment""";
        QueryResult expected = sql.query(kpi, 1.0);
        SavedTable saved =
                sql.saveAsTable(
                        kpi, dev.tarn.lake.catalog.DatasetId.parse("analytics/segment_kpis"), 1.0);
        assertEquals(2, saved.rows());
        assertEquals(
                java.util.Map.of(
                        "processed/orders",
                        "table@" + ordersVersion,
                        "raw/users",
                        "catalog@"
                                + lake.catalog().dataset("raw/users").orElseThrow().lastVersion()),
                saved.lineage());

        QueryResult back = sql.query("SELECT * FROM analytics.segment_kpis ORDER BY segment");
        assertEquals(expected.columnNames(), back.columnNames());
        assertEquals(expected.rows(), back.rows());
        assertEquals(
                List.of(
                        "VARCHAR",
                        "BIGINT",
                        "DOUBLE",
                        "BIGINT",
                        "TIMESTAMP WITH TIME ZONE",
                        "DATE"),
                back.columns().stream().map(QueryResult.Column::type).toList());

        Table t = Tables.of(lake).load("analytics/segment_kpis");
        String lineage = t.snapshot().properties().get("tarn.lineage");
        assertTrue(
                lineage.contains("\"processed/orders\":\"table@" + ordersVersion + "\""), lineage);
        assertTrue(lineage.contains("raw.users"), "the query itself is kept: " + lineage);
        assertEquals(
                "analytics",
                lake.catalog().dataset("analytics/segment_kpis").orElseThrow().id().zone());
        // an independent DuckDB reading the table's files sees the same rows
        String files =
                t.snapshot().files().stream()
                        .map(f -> "'" + root.resolve(t.keyPrefix() + f.path()) + "'")
                        .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        try (Statement s = writer.createStatement();
                var rs =
                        s.executeQuery(
                                "SELECT string_agg(segment || ':' || orders || ':' || revenue, ',' ORDER BY"
                                        + " segment) FROM read_parquet("
                                        + files
                                        + ")")) {
            rs.next();
            assertEquals("basic:1:2.5,gold:3:16.25", rs.getString(1));
        }

        var exists =
                assertThrows(
                        dev.tarn.lake.exceptions.TarnException.class,
                        () ->
                                sql.saveAsTable(
                                        "SELECT 1 AS x",
                                        dev.tarn.lake.catalog.DatasetId.parse(
                                                "analytics/segment_kpis")));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
        // nested values a table holds as they are are saved; ones whose parts would need a cast are
        // refused
        sql.saveAsTable(
                "SELECT {'a': 1, 'b': [2, 3]} AS s",
                dev.tarn.lake.catalog.DatasetId.parse("analytics/st"));
        QueryResult st = sql.query("SELECT s.a AS a, s.b[2] AS b FROM analytics.st");
        assertEquals(List.of(List.of(1, 3)), st.rows());
        var nested =
                assertThrows(
                        QueryException.class,
                        () ->
                                sql.saveAsTable(
                                        "SELECT {'t': TIME '10:00'} AS s",
                                        dev.tarn.lake.catalog.DatasetId.parse("analytics/nested")));
        assertTrue(nested.getMessage().contains("to_json(s)"), nested.getMessage());
        assertTrue(lake.catalog().dataset("analytics/nested").isEmpty(), "nothing created");
        var refused =
                assertThrows(
                        QueryException.class,
                        () ->
                                sql.saveAsTable(
                                        "COPY (SELECT 1) TO 'x.csv'",
                                        dev.tarn.lake.catalog.DatasetId.parse("analytics/evil")));
        assertTrue(refused.getMessage().startsWith("refused"), refused.getMessage());
    }

    private static List<long[]> rows(int firstId, int n) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new long[] {firstId + i, i, 100 + i});
        }
        return out;
    }

    private static long count(Sql sql, String relation) {
        return ((Number) sql.query("SELECT count(*) FROM " + relation).scalar()).longValue();
    }
}
