package dev.tarn.lake.pipeline.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.query.QueryResult;
import dev.tarn.lake.query.SavedTable;
import dev.tarn.lake.query.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Blob;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Real-looking orders for sink tests: every type of the type model, nulls, unicode, nested values,
 * and the rows of a table at a version in one comparable form.
 */
final class SinkData {
    static final ObjectMapper JSON = new ObjectMapper();
    static final DatasetId ORDERS = DatasetId.parse("analytics/orders");

    /** The columns, in the table's order. */
    static final List<String> COLUMNS =
            List.of(
                    "id",
                    "customer",
                    "amount",
                    "qty",
                    "paid",
                    "score",
                    "day",
                    "local_ts",
                    "at",
                    "city",
                    "meta",
                    "nums",
                    "attrs",
                    "payload");

    private SinkData() {}

    /** Orders with ids {@code from} to {@code to - 1}. */
    static String orders(long from, long to) {
        return "SELECT i AS id,"
                + " 'cust-' || (i % 97) AS customer,"
                + " CASE WHEN i % 13 = 0 THEN NULL ELSE CAST(i * 1.25 + 0.01 AS DECIMAL(12,2)) END"
                + " AS amount,"
                + " CAST(i % 7 AS INTEGER) AS qty,"
                + " CASE WHEN i % 11 = 0 THEN NULL ELSE i % 3 = 0 END AS paid,"
                + " CAST(i AS DOUBLE) / 7 AS score,"
                + " DATE '2026-01-01' + CAST(i % 365 AS INTEGER) AS day,"
                + " TIMESTAMP '2026-03-29 01:30:00' + to_microseconds(i * 1000003) AS local_ts,"
                + " CASE WHEN i % 17 = 0 THEN NULL ELSE TIMESTAMPTZ '2026-10-25 00:59:59.5+00'"
                + " + to_microseconds(i * 999999) END AS at,"
                + " CASE i % 5 WHEN 0 THEN 'Zürich' WHEN 1 THEN '東京 🚀' WHEN 2 THEN 'São Paulo,"
                + " \"centro\"' WHEN 3 THEN NULL ELSE 'O''Brien\nline 2' END AS city,"
                + " {'k': i, 'tags': ['a', 'b' || (i % 4)], 'geo': {'lat': 47.37, 'lon': 8.54}}"
                + " AS meta,"
                + " CASE WHEN i % 9 = 0 THEN NULL ELSE [i, i + 1, NULL] END AS nums,"
                + " MAP {'x': i, 'y': i * 2} AS attrs,"
                + " CASE WHEN i % 19 = 0 THEN NULL ELSE encode('bytes-' || i) END AS payload"
                + " FROM range("
                + from
                + ", "
                + to
                + ") t(i)";
    }

    static SavedTable create(Lake lake, long rows) {
        return Sql.of(lake).saveAsTable(orders(0, rows), ORDERS);
    }

    static SavedTable append(Lake lake, long from, long to) {
        return Sql.of(lake).insertInto(orders(from, to), ORDERS);
    }

    /** The table's rows at a version, by id, each in the comparable form of {@link #value}. */
    static Map<Long, List<Object>> lakeRows(Lake lake, DatasetId table, String relation) {
        QueryResult r =
                Sql.of(lake)
                        .query(
                                "SELECT id, customer, amount, qty, paid, score, day, local_ts, \"at\","
                                        + " city, CAST(to_json(meta) AS VARCHAR),"
                                        + " CAST(to_json(nums) AS VARCHAR),"
                                        + " CAST(to_json(attrs) AS VARCHAR), payload FROM "
                                        + relation);
        Map<Long, List<Object>> out = new TreeMap<>();
        for (List<Object> row : r.rows()) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                values.add(value(COLUMNS.get(i), row.get(i)));
            }
            out.put((Long) values.get(0), values);
        }
        return out;
    }

    /**
     * One form for a value from wherever it came (the lake, SQLite text, PostgreSQL objects):
     * integers as longs, decimals as BigDecimal, timestamps with zone as instants, JSON as trees,
     * binary as hex.
     */
    static Object value(String column, Object v) {
        if (v == null) {
            return null;
        }
        try {
            return switch (column) {
                case "id", "qty" -> ((Number) v).longValue();
                case "amount" -> new BigDecimal(v.toString());
                case "paid" -> v instanceof Boolean b ? b : ((Number) v).intValue() != 0;
                case "score" -> ((Number) v).doubleValue();
                case "day" -> v instanceof LocalDate d ? d : LocalDate.parse(v.toString());
                case "local_ts" ->
                        v instanceof Timestamp t
                                ? t.toLocalDateTime()
                                : v instanceof LocalDateTime t
                                        ? t
                                        : LocalDateTime.parse(v.toString().replace(' ', 'T'));
                case "at" ->
                        v instanceof OffsetDateTime t
                                ? t.toInstant()
                                : OffsetDateTime.parse(v.toString().replace(' ', 'T')).toInstant();
                case "meta", "nums", "attrs" -> JSON.readTree(v.toString());
                case "payload" -> HexFormat.of().formatHex(bytes(v));
                default -> v.toString();
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        try {
            Blob blob = (Blob) v;
            return blob.getBytes(1, (int) blob.length());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
