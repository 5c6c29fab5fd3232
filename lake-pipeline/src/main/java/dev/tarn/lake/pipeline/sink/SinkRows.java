package dev.tarn.lake.pipeline.sink;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.query.QueryCursor;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.sql.Blob;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;

/**
 * The rows a sink sends, read through SQL in bounded memory and typed by the table's schema (the
 * one type model): nested values (structs, lists, maps) come as JSON text, timestamps with a time
 * zone as UTC {@link OffsetDateTime}s, naive ones as {@link java.time.LocalDateTime}s, binary as
 * {@code byte[]}, dates as {@link java.time.LocalDate}s, decimals as {@link java.math.BigDecimal}s.
 */
final class SinkRows implements AutoCloseable {
    private final List<Field> fields;
    private final QueryCursor cursor;
    private final Iterator<List<Object>> rows;

    private SinkRows(List<Field> fields, QueryCursor cursor) {
        this.fields = fields;
        this.cursor = cursor;
        this.rows = cursor.iterator();
    }

    /** The table's schema at {@code version}. */
    static Schema schemaAt(Lake lake, DatasetId table, long version) {
        return Tables.of(lake).load(table).snapshot(version).schema();
    }

    /**
     * The rows of the table at {@code version} or, with {@code after} present, the rows that the
     * versions after it up to {@code version} added.
     */
    static SinkRows open(
            Lake lake, DatasetId table, Schema schema, long version, OptionalLong after) {
        String relation =
                after.isPresent()
                        ? Sql.relationAdded(table, after.getAsLong(), version)
                        : Sql.relationAt(table, version);
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < schema.fields().size(); i++) {
            Field f = schema.fields().get(i);
            if (i > 0) {
                select.append(", ");
            }
            // always quoted: a plain name may still be a keyword of DuckDB's (at, order)
            String name = '"' + f.name().replace("\"", "\"\"") + '"';
            if (isNested(f.type())) {
                // one text form for nested values, whatever the target: JSON
                select.append("CAST(to_json(")
                        .append(name)
                        .append(") AS VARCHAR) AS ")
                        .append(name);
            } else {
                select.append(name);
            }
        }
        select.append(" FROM ").append(relation);
        return new SinkRows(schema.fields(), Sql.of(lake).cursor(select.toString()));
    }

    static boolean isNested(DataType type) {
        return switch (type.kind()) {
            case STRUCT, LIST, MAP -> true;
            default -> false;
        };
    }

    List<Field> fields() {
        return fields;
    }

    boolean hasNext() {
        return rows.hasNext();
    }

    /** The next row, its values normalised as the class comment says. */
    Object[] next() {
        List<Object> row = rows.next();
        Object[] out = new Object[fields.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = normalise(fields.get(i).type(), row.get(i));
        }
        return out;
    }

    private static Object normalise(DataType type, Object v) {
        if (v == null) {
            return null;
        }
        return switch (type.kind()) {
            case BINARY -> bytes(v);
            case DATE -> v instanceof java.sql.Date d ? d.toLocalDate() : v;
            case TIMESTAMP ->
                    v instanceof OffsetDateTime t
                            ? t.withOffsetSameInstant(ZoneOffset.UTC)
                            : v instanceof Timestamp ts
                                    ? ts.toInstant().atOffset(ZoneOffset.UTC)
                                    : v;
            case TIMESTAMP_NTZ -> v instanceof Timestamp ts ? ts.toLocalDateTime() : v;
            case STRUCT, LIST, MAP -> v.toString();
            default -> v;
        };
    }

    private static byte[] bytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof Blob blob) {
            try {
                return blob.getBytes(1, Math.toIntExact(blob.length()));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read a binary value: " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("not a binary value: " + v.getClass().getName());
    }

    @Override
    public void close() {
        cursor.close();
    }
}
