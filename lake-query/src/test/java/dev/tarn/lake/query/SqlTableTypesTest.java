package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.table.Snapshot;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.testing.TarnExtension;
import dev.tarn.lake.testing.TempLake;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Column types between tables and SQL: timestamp_ntz columns read as TIMESTAMP that no zone shifts,
 * widened columns read as the table's type whatever files hold them, and saveAsTable maps DuckDB's
 * result types with the one mapping (HUGEINT never reaches a table; timestamps without time zone
 * stay so), so convert can write into its tables.
 */
@ExtendWith(TarnExtension.class)
class SqlTableTypesTest {
    @TempLake Lake lake;
    Path root;
    Connection writer;

    @BeforeEach
    void setUp() throws Exception {
        root = Path.of(URI.create(lake.location()));
        writer = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterEach
    void tearDown() throws Exception {
        writer.close();
    }

    private void ingest(String dataset, String name, String text) {
        lake.ingest(dataset).bytes(text.getBytes(StandardCharsets.UTF_8), name).commit();
    }

    private String write(Table t, String rel, String select) throws Exception {
        Path file = root.resolve(t.keyPrefix()).resolve(rel);
        Files.createDirectories(file.getParent());
        try (Statement s = writer.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + file + "' (FORMAT PARQUET)");
        }
        return rel;
    }

    private static List<String> types(QueryResult r) {
        return r.columns().stream().map(QueryResult.Column::type).toList();
    }

    private static List<String> texts(QueryResult r) {
        List<String> out = new ArrayList<>();
        for (List<Object> row : r.rows()) {
            out.add(row.stream().map(String::valueOf).reduce((a, b) -> a + "|" + b).orElse(""));
        }
        return out;
    }

    @Test
    void naiveTimestampsReadAsTimestampInEveryZone() throws Exception {
        TimeZone before = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
            ingest(
                    "raw/weather",
                    "a.csv",
                    "date,temp\n2010-01-01T01:00:00,1\n2026-11-21 10:00:00,2\n");
            Tables.of(lake).newConvert("raw/weather", "processed/weather").commit();
            Sql sql = Sql.of(lake);
            QueryResult table =
                    sql.query(
                            "SELECT date, CAST(date AS VARCHAR) AS text FROM processed.weather"
                                    + " ORDER BY date");
            assertEquals(List.of("TIMESTAMP", "VARCHAR"), types(table));
            assertEquals(
                    List.of("2010-01-01 01:00:00", "2026-11-21 10:00:00"),
                    table.rows().stream().map(r -> r.get(1)).toList());
            // the raw view and the table agree on the column's type
            QueryResult raw = sql.query("SELECT date FROM raw.weather ORDER BY date");
            assertEquals(types(raw), List.of(table.columns().get(0).type()));

            // the table's files hold wall-clock values: DuckDB set to another zone reads the same
            Table t = Tables.of(lake).load("processed/weather");
            try (Statement s = writer.createStatement()) {
                s.execute("SET TimeZone = 'Pacific/Auckland'");
                for (var f : t.snapshot().files()) {
                    try (ResultSet rs =
                            s.executeQuery(
                                    "SELECT min(date)::VARCHAR, typeof(min(date)) FROM read_parquet('"
                                            + root.resolve(t.keyPrefix() + f.path())
                                            + "')")) {
                        rs.next();
                        assertEquals("2010-01-01 01:00:00", rs.getString(1));
                        assertEquals("TIMESTAMP", rs.getString(2));
                    }
                }
            }
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void widenedColumnsReadAsTheTablesTypes() throws Exception {
        Table t =
                Tables.of(lake)
                        .create(
                                "processed/w",
                                Schema.of(
                                        Field.of("id", DataType.INT),
                                        Field.of("l", DataType.INT),
                                        Field.of("d", DataType.INT),
                                        Field.of("ts", DataType.DATE)));
        t.newAppend()
                .addFile(
                        t.dataFile(
                                write(
                                        t,
                                        "a.parquet",
                                        "SELECT 1 AS id, -2147483648 AS l, 7 AS d,"
                                                + " DATE '2026-11-21' AS ts"),
                                Map.of()))
                .commit();
        t.newAppend()
                .addFile(
                        t.dataFile(
                                write(
                                        t,
                                        "b.parquet",
                                        "SELECT 2 AS id, 9007199254740993::BIGINT AS l,"
                                                + " 2.5::DOUBLE AS d, TIMESTAMP '2010-01-01 01:00:00' AS ts"),
                                Map.of()))
                .evolveSchema()
                .commit();
        Snapshot s = t.snapshot();
        assertEquals(
                List.of("typeWidening", "timestampNtz"),
                List.of(s.readerFeatures().get(1), s.readerFeatures().get(0)));
        Sql sql = Sql.of(lake);
        QueryResult r = sql.query("SELECT id, l, d, ts FROM processed.w ORDER BY id");
        assertEquals(List.of("INTEGER", "BIGINT", "DOUBLE", "TIMESTAMP"), types(r));
        assertEquals(
                List.of(
                        "1|-2147483648|7.0|2026-11-21 00:00:00.0",
                        "2|9007199254740993|2.5|2010-01-01 01:00:00.0"),
                texts(r));
        // a snapshot holding only the older, narrower file still reads as the table's types
        QueryResult old = sql.query("SELECT l, d, ts FROM processed.w WHERE id = 1");
        assertEquals(List.of("BIGINT", "DOUBLE", "TIMESTAMP"), types(old));
        Table only = Tables.of(lake).create("processed/w2", s.schema());
        only.newAppend()
                .addFile(
                        only.dataFile(
                                write(
                                        only,
                                        "a.parquet",
                                        "SELECT 1 AS id, 5 AS l, 7 AS d,"
                                                + " DATE '2026-11-21' AS ts"),
                                Map.of()))
                .commit();
        QueryResult narrow = sql.query("SELECT l, d, ts FROM processed.w2");
        assertEquals(List.of("BIGINT", "DOUBLE", "TIMESTAMP"), types(narrow));
        assertEquals(List.of("5|7.0|2026-11-21 00:00:00.0"), texts(narrow));
    }

    @Test
    void hugeintNeverReachesATable() {
        Sql sql = Sql.of(lake);
        ingest(
                "raw/nums",
                "a.json",
                "[{\"n\": -5, \"m\": 1}, {\"n\": 9007199254740993, \"m\": 2}]");
        QueryResult raw = sql.query("SELECT n, m FROM raw.nums");
        sql.saveAsTable("SELECT n, m FROM raw.nums", DatasetId.parse("analytics/nums"));
        Snapshot s = Tables.of(lake).load("analytics/nums").snapshot();
        // whatever DuckDB typed the column as, the table holds the narrowest type of its values
        assertEquals(
                DataType.LONG,
                s.schema().field("n").orElseThrow().type(),
                raw.columns().toString());
        assertEquals(
                List.of("-5", "9007199254740993"),
                sql.query("SELECT n::VARCHAR FROM analytics.nums ORDER BY n").rows().stream()
                        .map(r -> (String) r.get(0))
                        .toList());

        sql.saveAsTable(
                "SELECT (-1)::HUGEINT AS small, 99999999999999999999999999999999999999::HUGEINT AS big,"
                        + " 18446744073709551615::UBIGINT AS u",
                DatasetId.parse("analytics/huge"));
        Schema huge = Tables.of(lake).load("analytics/huge").snapshot().schema();
        assertEquals(DataType.LONG, huge.field("small").orElseThrow().type());
        assertEquals(DataType.decimal(38, 0), huge.field("big").orElseThrow().type());
        // a HUGEINT beyond 38 digits fits no table type: the save fails on the checked cast,
        // leaving nothing behind
        assertThrows(
                QueryException.class,
                () ->
                        sql.saveAsTable(
                                "SELECT 170141183460469231731687303715884105727::HUGEINT AS big",
                                DatasetId.parse("analytics/toobig")));
        assertTrue(lake.catalog().dataset(DatasetId.parse("analytics/toobig")).isEmpty());
        try (var left = java.nio.file.Files.walk(root.resolve("analytics"))) {
            assertTrue(
                    left.noneMatch(p -> p.toString().contains("toobig") && Files.isRegularFile(p)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(DataType.decimal(20, 0), huge.field("u").orElseThrow().type());
        assertEquals(
                List.of("-1|99999999999999999999999999999999999999|18446744073709551615"),
                texts(sql.query("SELECT small, big, u FROM analytics.huge")));
    }

    @Test
    void convertWritesIntoATableSavedFromSql() {
        Sql sql = Sql.of(lake);
        ingest(
                "raw/events",
                "a.ndjson",
                "{\"id\":1,\"ts\":\"2026-11-21 10:00:00\",\"n\":-5}\n"
                        + "{\"id\":2,\"ts\":\"2010-01-01 01:00:00\",\"n\":3}\n");
        sql.saveAsTable("SELECT * FROM raw.events", DatasetId.parse("analytics/events"));
        Schema saved = Tables.of(lake).load("analytics/events").snapshot().schema();
        assertEquals(DataType.TIMESTAMP_NTZ, saved.field("ts").orElseThrow().type());
        // the raw objects converted into the saved table: same columns, types that fit (no "integer
        // vs long")
        Tables.of(lake).newConvert("raw/events", "analytics/events").commit();
        Snapshot s = Tables.of(lake).load("analytics/events").snapshot();
        assertEquals(saved.columnNames(), s.schema().columnNames());
        assertEquals(
                saved.fields().stream().map(Field::type).toList(),
                s.schema().fields().stream().map(Field::type).toList());
        QueryResult r = sql.query("SELECT id, ts, n FROM analytics.events ORDER BY id, n");
        assertEquals(
                List.of(
                        "1|2026-11-21 10:00:00.0|-5",
                        "1|2026-11-21 10:00:00.0|-5",
                        "2|2010-01-01 01:00:00.0|3",
                        "2|2010-01-01 01:00:00.0|3"),
                texts(r));
        // and a table converted from the raw data is saved from SQL into a new table with the same
        // types
        Tables.of(lake).newConvert("raw/events", "processed/events").commit();
        sql.saveAsTable("SELECT * FROM processed.events", DatasetId.parse("analytics/events2"));
        assertEquals(
                Tables.of(lake).load("processed/events").snapshot().schema().fields().stream()
                        .map(Field::type)
                        .toList(),
                Tables.of(lake).load("analytics/events2").snapshot().schema().fields().stream()
                        .map(Field::type)
                        .toList());
    }

    @Test
    void aQueryResultIsInsertedIntoAConvertedTableWithTheTablesTypes() throws Exception {
        Sql sql = Sql.of(lake);
        ingest(
                "raw/events",
                "a.ndjson",
                "{\"ID\":1,\"ts\":\"2026-11-21 10:00:00\",\"n\":-5}\n"
                        + "{\"ID\":2,\"ts\":\"2010-01-01 01:00:00\",\"n\":3}\n");
        Tables.of(lake).newConvert("raw/events", "processed/events").commit();
        Schema before = Tables.of(lake).load("processed/events").snapshot().schema();
        assertEquals(DataType.INT, before.field("n").orElseThrow().type());

        // SMALLINT and DATE widen to the table's INTEGER and timestamp_ntz; names match in any case
        SavedTable r =
                sql.insertInto(
                        "SELECT 3::SMALLINT AS id, DATE '2026-12-03' AS TS, 7::SMALLINT AS n",
                        DatasetId.parse("processed/events"));
        assertEquals(1, r.rows());
        assertEquals(
                before,
                Tables.of(lake).load("processed/events").snapshot().schema(),
                "the table's schema stays");
        assertEquals(
                List.of(
                        "1|2026-11-21 10:00:00.0|-5",
                        "2|2010-01-01 01:00:00.0|3",
                        "3|2026-12-03 00:00:00.0|7"),
                texts(sql.query("SELECT \"ID\", ts, n FROM processed.events ORDER BY 1")));
        assertEquals(
                "SELECT 3::SMALLINT AS id, DATE '2026-12-03' AS TS, 7::SMALLINT AS n",
                Tables.of(lake)
                        .load("processed/events")
                        .history()
                        .get(0)
                        .parameters()
                        .get("query"));

        // a column that would need the table to widen, or that it lacks, is refused before a byte
        // is written
        java.util.List<String> files = new java.util.ArrayList<>();
        lake.store().list("processed/events/").forEach(o -> files.add(o.key()));
        TarnException wide =
                assertThrows(
                        TarnException.class,
                        () ->
                                sql.insertInto(
                                        "SELECT 4 AS id, TIMESTAMP '2026-12-03 10:00:00' AS ts, 3000000000 AS n",
                                        DatasetId.parse("processed/events")));
        assertTrue(
                wide.getMessage().contains("BIGINT") && wide.getMessage().contains("INTEGER"),
                wide.getMessage());
        TarnException extra =
                assertThrows(
                        TarnException.class,
                        () ->
                                sql.insertInto(
                                        "SELECT 4 AS id, 'x' AS note",
                                        DatasetId.parse("processed/events")));
        assertTrue(extra.getMessage().contains("note"), extra.getMessage());
        java.util.List<String> after = new java.util.ArrayList<>();
        lake.store().list("processed/events/").forEach(o -> after.add(o.key()));
        assertEquals(files, after);
        assertThrows(
                TarnException.class,
                () -> sql.insertInto("SELECT 1 AS id", DatasetId.parse("processed/none")));
    }
}
