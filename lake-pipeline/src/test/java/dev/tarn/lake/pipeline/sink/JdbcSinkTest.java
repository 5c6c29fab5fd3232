package dev.tarn.lake.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.IllegalNameException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.query.SavedTable;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.testing.PostgresServer;
import dev.tarn.lake.testing.TarnExtension;
import dev.tarn.lake.testing.TempLake;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDBC sink against real databases, SQLite (embedded) and PostgreSQL (a server from the
 * machine's packages, see {@link PostgresServer}): every mode on messy orders of 12,000 rows (more
 * than ten batches), sends repeated, and sends that fail halfway.
 */
@ExtendWith(TarnExtension.class)
class JdbcSinkTest {
    @RegisterExtension static PostgresServer postgres = new PostgresServer();

    static final int ROWS = 12_000;

    @TempLake Lake lake;
    @TempDir Path dir;

    private String database(String kind) {
        return switch (kind) {
            case "sqlite" -> "jdbc:sqlite:" + dir.resolve("target.db");
            case "postgresql" -> postgres.newDatabase();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static SinkResult send(
            String url, SinkMode mode, List<String> key, Lake lake, long version, Long previous) {
        try (Sink sink = Sinks.open(new JdbcSinkSpec(url, "orders", mode, key, Map.of()))) {
            return sink.send(
                    new SinkRequest(
                            lake,
                            SinkData.ORDERS,
                            version,
                            previous == null ? OptionalLong.empty() : OptionalLong.of(previous),
                            "shop/orders_db"));
        }
    }

    /** The target table's rows by id, in the comparable form of {@link SinkData#value}. */
    static Map<Long, List<Object>> targetRows(String url, String table) throws SQLException {
        Map<Long, List<Object>> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT "
                                        + String.join(
                                                ", ",
                                                SinkData.COLUMNS.stream()
                                                        .map(JdbcSink::quote)
                                                        .toList())
                                        + " FROM "
                                        + table)) {
            boolean pg = url.startsWith("jdbc:postgresql:");
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= SinkData.COLUMNS.size(); i++) {
                    String column = SinkData.COLUMNS.get(i - 1);
                    Object v =
                            switch (column) {
                                case "day" ->
                                        pg ? rs.getObject(i, LocalDate.class) : rs.getString(i);
                                case "local_ts" ->
                                        pg ? rs.getObject(i, LocalDateTime.class) : rs.getString(i);
                                case "at" ->
                                        pg
                                                ? rs.getObject(i, OffsetDateTime.class)
                                                : rs.getString(i);
                                case "amount", "meta", "nums", "attrs" -> rs.getString(i);
                                case "payload" -> rs.getBytes(i);
                                default -> rs.getObject(i);
                            };
                    row.add(SinkData.value(column, v));
                }
                out.put((Long) row.get(0), row);
            }
        }
        return out;
    }

    static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void execute(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private Map<Long, List<Object>> lakeRowsAt(long version) {
        return SinkData.lakeRows(lake, SinkData.ORDERS, Sql.relationAt(SinkData.ORDERS, version));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void replaceHoldsExactlyTheVersionsRowsAndASecondSendChangesNothing(String kind)
            throws Exception {
        String url = database(kind);
        SavedTable v0 = SinkData.create(lake, ROWS);
        SinkResult first = send(url, SinkMode.REPLACE, List.of(), lake, v0.version(), null);
        assertEquals(new SinkResult(ROWS, false), first);
        Map<Long, List<Object>> expected = lakeRowsAt(v0.version());
        assertEquals(ROWS, expected.size());
        assertEquals(expected, targetRows(url, "orders"));

        // again: the target's progress table says it has this version; nothing is written
        execute(url, "UPDATE orders SET customer = 'touched' WHERE id = 1");
        assertEquals(
                new SinkResult(0, true),
                send(url, SinkMode.REPLACE, List.of(), lake, v0.version(), null));
        assertEquals(1, count(url, "SELECT count(*) FROM orders WHERE customer = 'touched'"));

        // a new version replaces the rows, in one transaction
        SavedTable v1 = SinkData.append(lake, ROWS, ROWS + 321);
        SinkResult second =
                send(url, SinkMode.REPLACE, List.of(), lake, v1.version(), v0.version());
        assertEquals(new SinkResult(ROWS + 321, false), second);
        assertEquals(lakeRowsAt(v1.version()), targetRows(url, "orders"));
        assertEquals(
                v1.version(),
                count(
                        url,
                        "SELECT version FROM tarn_sink_progress WHERE send_id = 'shop/orders_db'"
                                + " AND target = 'orders'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void upsertInsertsAndUpdatesByKey(String kind) throws Exception {
        String url = database(kind);
        SavedTable v0 = SinkData.create(lake, ROWS);
        assertEquals(
                new SinkResult(ROWS, false),
                send(url, SinkMode.UPSERT, List.of("id"), lake, v0.version(), null));
        assertEquals(lakeRowsAt(v0.version()), targetRows(url, "orders"));

        // the target drifts: a row changed by hand is set back by key, a row of its own stays
        execute(
                url,
                "UPDATE orders SET customer = 'drifted', qty = 99 WHERE id = 5",
                "INSERT INTO orders (id, customer, qty) VALUES (9999999, 'kept', 1)");
        assertEquals(
                new SinkResult(0, true),
                send(url, SinkMode.UPSERT, List.of("id"), lake, v0.version(), null));
        SavedTable v1 = SinkData.append(lake, ROWS, ROWS + 50);
        assertEquals(
                new SinkResult(ROWS + 50, false),
                send(url, SinkMode.UPSERT, List.of("id"), lake, v1.version(), v0.version()));
        Map<Long, List<Object>> target = targetRows(url, "orders");
        assertEquals("kept", target.remove(9999999L).get(1));
        assertEquals(lakeRowsAt(v1.version()), target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void upsertIntoATableWithoutAUniqueKeyIsRefused(String kind) throws Exception {
        String url = database(kind);
        SavedTable v0 = SinkData.create(lake, 10);
        send(url, SinkMode.REPLACE, List.of(), lake, v0.version(), null);
        TarnException e =
                assertThrows(
                        TarnException.class,
                        () ->
                                Sinks.open(
                                                new JdbcSinkSpec(
                                                        url,
                                                        "orders",
                                                        SinkMode.UPSERT,
                                                        List.of("id"),
                                                        Map.of()))
                                        .send(
                                                new SinkRequest(
                                                        lake,
                                                        SinkData.ORDERS,
                                                        v0.version(),
                                                        OptionalLong.empty(),
                                                        "other/step")));
        assertEquals(ErrorCode.INVALID_OPERATION, e.errorCode());
        assertTrue(
                e.getMessage().contains("primary key or unique constraint on (id)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("table orders"), e.getMessage());
        assertEquals(10, count(url, "SELECT count(*) FROM orders"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void appendSendsTheAddedRowsOnce(String kind) throws Exception {
        String url = database(kind);
        SavedTable v0 = SinkData.create(lake, ROWS);
        assertEquals(
                new SinkResult(ROWS, false),
                send(url, SinkMode.APPEND, List.of(), lake, v0.version(), null));
        SavedTable v1 = SinkData.append(lake, ROWS, ROWS + 700);
        SavedTable v2 = SinkData.append(lake, ROWS + 700, ROWS + 1000);
        assertEquals(
                new SinkResult(700, false),
                send(url, SinkMode.APPEND, List.of(), lake, v1.version(), v0.version()));
        // the pipeline crashed before recording v1: it sends v2 after v0 again; the target's own
        // record says v1 is there, so only v2's rows are added
        assertEquals(
                new SinkResult(300, false),
                send(url, SinkMode.APPEND, List.of(), lake, v2.version(), v0.version()));
        assertEquals(
                new SinkResult(0, true),
                send(url, SinkMode.APPEND, List.of(), lake, v2.version(), v1.version()));
        assertEquals(lakeRowsAt(v2.version()), targetRows(url, "orders"));
        assertEquals(ROWS + 1000, count(url, "SELECT count(*) FROM orders"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aSendFailingHalfwayLeavesTheTargetAsItWas(String kind) throws Exception {
        String url = database(kind);
        // row 4321 breaks the target's CHECK constraint: the fifth batch fails
        SavedTable small =
                Sql.of(lake)
                        .saveAsTable(
                                "SELECT i AS id, CASE WHEN i = 4321 THEN 99 ELSE CAST(i % 5 AS INTEGER)"
                                        + " END AS qty, 'name ' || i AS name FROM range(5000) t(i)",
                                DatasetId.parse("analytics/small"));
        // a first send creates the sink's progress table
        send(url, SinkMode.REPLACE, List.of(), lake, SinkData.create(lake, 10).version(), null);
        execute(
                url,
                "CREATE TABLE small (id BIGINT PRIMARY KEY, qty INTEGER CHECK (qty < 50), name"
                        + " TEXT)",
                "INSERT INTO small VALUES (1, 1, 'old one'), (2, 2, 'old two')");
        for (SinkMode mode : List.of(SinkMode.REPLACE, SinkMode.APPEND, SinkMode.UPSERT)) {
            Sink sink =
                    Sinks.open(
                            new JdbcSinkSpec(
                                    url,
                                    "small",
                                    mode,
                                    mode == SinkMode.UPSERT ? List.of("id") : List.of(),
                                    Map.of()));
            TarnException e =
                    assertThrows(
                            TarnException.class,
                            () ->
                                    sink.send(
                                            new SinkRequest(
                                                    lake,
                                                    DatasetId.parse("analytics/small"),
                                                    small.version(),
                                                    OptionalLong.empty(),
                                                    "p/small")));
            assertEquals(ErrorCode.SINK_FAILED, e.errorCode(), e.getMessage());
            assertTrue(e.getMessage().contains("table small"), e.getMessage());
            assertTrue(
                    e.getMessage()
                            .contains(mode == SinkMode.UPSERT ? "upsert failed" : "insert failed"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertEquals(2, count(url, "SELECT count(*) FROM small"));
            assertEquals(1, count(url, "SELECT count(*) FROM small WHERE name = 'old two'"));
            assertEquals(
                    0,
                    count(
                            url,
                            "SELECT count(*) FROM tarn_sink_progress WHERE send_id = 'p/small'"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anExistingTargetWithOtherColumnsIsRefusedNamingThem(String kind) throws Exception {
        String url = database(kind);
        long v = SinkData.create(lake, 10).version();
        execute(url, "CREATE TABLE orders (id BIGINT, customer TEXT, notes TEXT)");
        TarnException e =
                assertThrows(
                        TarnException.class,
                        () -> send(url, SinkMode.REPLACE, List.of(), lake, v, null));
        assertEquals(ErrorCode.SCHEMA_MISMATCH, e.errorCode());
        assertTrue(
                e.getMessage()
                        .contains(
                                "missing in the target: amount, qty, paid, score, day, local_ts,"
                                        + " at, city, meta, nums, attrs, payload; not in the lake"
                                        + " table: notes"),
                e.getMessage());
    }

    @Test
    void aTableCreatedByHandWithItsOwnSpellingAndTypesIsFilled() throws Exception {
        String url = database("postgresql");
        SavedTable revenue =
                Sql.of(lake)
                        .saveAsTable(
                                "SELECT 'books' AS \"Category\", CAST(12.5 AS DECIMAL(10,2)) AS revenue"
                                        + " UNION ALL SELECT 'games', 7.25",
                                DatasetId.parse("analytics/revenue"));
        // unquoted names fold to lower case in PostgreSQL
        execute(url, "CREATE TABLE revenue (category varchar(40) PRIMARY KEY, revenue numeric)");
        Sink sink =
                Sinks.open(
                        new JdbcSinkSpec(
                                url, "revenue", SinkMode.UPSERT, List.of("Category"), Map.of()));
        assertEquals(
                new SinkResult(2, false),
                sink.send(
                        new SinkRequest(
                                lake,
                                DatasetId.parse("analytics/revenue"),
                                revenue.version(),
                                OptionalLong.empty(),
                                "p/revenue")));
        assertEquals(
                1250, count(url, "SELECT revenue * 100 FROM revenue WHERE category = 'books'"));
    }

    @Test
    void namesThatCouldInjectSqlAreRefused() {
        for (String bad : List.of("orders; DROP TABLE x", "a.b.c", "\"quoted\"", "", "1abc")) {
            assertThrows(
                    IllegalNameException.class,
                    () ->
                            Sinks.open(
                                    new JdbcSinkSpec(
                                            "jdbc:sqlite:x",
                                            bad,
                                            SinkMode.REPLACE,
                                            List.of(),
                                            Map.of())),
                    bad);
        }
        TarnException noKey =
                assertThrows(
                        TarnException.class,
                        () ->
                                Sinks.open(
                                        new JdbcSinkSpec(
                                                "jdbc:sqlite:x",
                                                "t",
                                                SinkMode.UPSERT,
                                                List.of(),
                                                Map.of())));
        assertEquals(ErrorCode.INVALID_CONFIGURATION, noKey.errorCode());
    }

    @Test
    void anUnknownDriverAndPasswordsInMessages() {
        long v = SinkData.create(lake, 3).version();
        TarnException e =
                assertThrows(
                        TarnException.class,
                        () ->
                                Sinks.open(
                                                new JdbcSinkSpec(
                                                        "jdbc:nosuchdb://h/db?user=u&password=hunter2",
                                                        "t",
                                                        SinkMode.REPLACE,
                                                        List.of(),
                                                        Map.of()))
                                        .send(
                                                new SinkRequest(
                                                        lake,
                                                        SinkData.ORDERS,
                                                        v,
                                                        OptionalLong.empty(),
                                                        "p/s")));
        assertEquals(ErrorCode.INVALID_CONFIGURATION, e.errorCode());
        assertTrue(e.getMessage().contains("TARN_EXTRA_CLASSPATH"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertEquals(
                "jdbc:mysql://app:***@db/shop?password=***&ssl=true",
                JdbcSink.redact("jdbc:mysql://app:pw@db/shop?password=secret&ssl=true"));
    }

    @Test
    void anotherDatabaseGetsAnsiTypes() throws Exception {
        // DuckDB's own JDBC driver stands in for a database without a dialect of its own
        String url = "jdbc:duckdb:" + dir.resolve("other.duckdb");
        SavedTable v0 = SinkData.create(lake, 2500);
        assertEquals(
                new SinkResult(2500, false),
                send(url, SinkMode.REPLACE, List.of(), lake, v0.version(), null));
        assertEquals(2500, count(url, "SELECT count(*) FROM orders"));
        assertEquals(
                count(url, "SELECT count(*) FROM orders WHERE amount IS NULL"),
                lakeRowsAt(v0.version()).values().stream().filter(r -> r.get(2) == null).count());
    }

    @Test
    void aServerStoppedHalfwayLosesTheWholeSendAndTheNextSendCompletesIt() throws Exception {
        String url = database("postgresql");
        SavedTable v0 = SinkData.create(lake, 100);
        send(url, SinkMode.REPLACE, List.of(), lake, v0.version(), null);
        SavedTable v1 = SinkData.append(lake, 100, 6000);
        // the row with id 3000 waits in the server, mid-send, until the server stops
        execute(
                url,
                "CREATE FUNCTION hold() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(60);"
                        + " RETURN NEW; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER hold BEFORE INSERT ON orders FOR EACH ROW WHEN (NEW.id = 3000)"
                        + " EXECUTE FUNCTION hold()");
        java.util.concurrent.CompletableFuture<SinkResult> sending =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () ->
                                send(
                                        url,
                                        SinkMode.REPLACE,
                                        List.of(),
                                        lake,
                                        v1.version(),
                                        v0.version()));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (count(url, "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")
                == 0) {
            assertFalse(sending.isDone(), () -> "the send ended early: " + sending.join());
            assertTrue(System.nanoTime() < deadline, "the send never reached row 3000");
            Thread.sleep(50);
        }
        postgres.stop();
        java.util.concurrent.ExecutionException failed =
                assertThrows(java.util.concurrent.ExecutionException.class, sending::get);
        TarnException e = (TarnException) failed.getCause();
        assertEquals(ErrorCode.SINK_FAILED, e.errorCode(), e.getMessage());
        assertTrue(e.getMessage().contains("insert failed"), e.getMessage());

        postgres.start();
        // the server is back on another port
        String again = url.replaceAll(":\\d+/", ":" + postgres.port() + "/");
        assertEquals(lakeRowsAt(v0.version()), targetRows(again, "orders"));
        execute(again, "DROP TRIGGER hold ON orders");
        assertEquals(
                new SinkResult(6000, false),
                send(again, SinkMode.REPLACE, List.of(), lake, v1.version(), v0.version()));
        assertEquals(lakeRowsAt(v1.version()), targetRows(again, "orders"));
    }
}
