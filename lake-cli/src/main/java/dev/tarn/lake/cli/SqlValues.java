package dev.tarn.lake.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SQL values as {@code lake sql} prints them, the same in every output: numbers, booleans and
 * strings as they are; STRUCT, MAP and LIST as JSON objects and arrays (in {@code -o json} nested,
 * in the table and CSV their compact JSON text); timestamps as ISO 8601 in UTC with microseconds
 * ({@code 2026-01-02T03:04:05.123000Z}), which is what {@code --out} writes too. The engine's time
 * zone is UTC, so a TIMESTAMP without a time zone is printed as UTC. The driver's own classes are
 * loaded apart from the CLI's, so its STRUCT and JSON values are recognised by the {@link java.sql}
 * interfaces they implement or by name.
 */
final class SqlValues {
    /**
     * DuckDB's {@code %Y-%m-%dT%H:%M:%S.%fZ}, which {@code --out} passes to DuckDB
     * (SqlSession.TIMESTAMP_FORMAT).
     */
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT);

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private SqlValues() {}

    /**
     * A value for {@link Json#write}: nested values become maps and lists, everything else a string
     * or number.
     */
    static Object json(Object v) {
        if (v == null || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Number n) {
            return n instanceof BigDecimal
                            || n instanceof BigInteger
                            || n instanceof Long
                            || n instanceof Integer
                            || n instanceof Double
                            || n instanceof Float
                            || n instanceof Short
                            || n instanceof Byte
                    ? n
                    : new BigDecimal(n.toString()); // the driver's HUGEINT: its digits, as a number
        }
        try {
            if (v instanceof java.sql.Struct struct) {
                return struct(struct);
            }
            if (v instanceof java.sql.Array array) {
                List<Object> out = new ArrayList<>();
                Object items = array.getArray();
                if (items instanceof Object[] values) {
                    for (Object o : values) {
                        out.add(json(o));
                    }
                    return out;
                }
                return String.valueOf(items);
            }
            if (v instanceof java.sql.Blob blob) {
                return blob(blob.getBytes(1, (int) Math.min(blob.length(), Integer.MAX_VALUE)));
            }
        } catch (SQLException e) {
            throw new dev.tarn.lake.exceptions.QueryException(
                    "reading a value of the result failed: " + e.getMessage(), e);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(
                        text(e.getKey()),
                        json(e.getValue())); // JSON keys are text, as DuckDB's to_json writes them
            }
            return out;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(o -> out.add(json(o)));
            return out;
        }
        if (v instanceof byte[] bytes) {
            return blob(bytes);
        }
        if (v.getClass().getName().equals("org.duckdb.JsonNode")) {
            try {
                return CliJson.MAPPER.readValue(
                        v.toString(), Object.class); // a JSON column is JSON already
            } catch (JsonProcessingException e) {
                return v.toString();
            }
        }
        return scalarText(v);
    }

    /** A value as one cell of the table or CSV output. */
    static String text(Object v) {
        if (v == null) {
            return null;
        }
        Object j = json(v);
        if (j instanceof Map<?, ?> || j instanceof List<?>) {
            try {
                return CliJson.MAPPER.writeValueAsString(j);
            } catch (JsonProcessingException e) {
                return String.valueOf(j);
            }
        }
        return j instanceof BigDecimal d ? d.toString() : String.valueOf(j);
    }

    /**
     * A STRUCT by field name: the driver's struct has a public getMap(), the JDBC interface only
     * the values.
     */
    private static Object struct(java.sql.Struct struct) throws SQLException {
        Object map = null;
        try {
            map = struct.getClass().getMethod("getMap").invoke(struct);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another driver's struct: its values in order
        }
        if (map instanceof Map<?, ?> m) {
            return json(m);
        }
        List<Object> out = new ArrayList<>();
        for (Object o : struct.getAttributes()) {
            out.add(json(o));
        }
        return out;
    }

    /** Times and dates in ISO 8601; anything else as its text. */
    private static String scalarText(Object v) {
        if (v instanceof java.sql.Timestamp t) {
            // the wall-clock value, which the engine reads as UTC; nanoseconds rounded to
            // microseconds, as DuckDB
            // casts TIMESTAMP_NS to TIMESTAMP for --out
            LocalDateTime wall = t.toLocalDateTime();
            int below = wall.getNano() % 1000;
            return TIMESTAMP.format(below >= 500 ? wall.plusNanos(1000 - below) : wall);
        }
        if (v instanceof OffsetDateTime t) {
            return TIMESTAMP.format(t.withOffsetSameInstant(ZoneOffset.UTC));
        }
        if (v instanceof ZonedDateTime t) {
            return TIMESTAMP.format(t.withZoneSameInstant(ZoneOffset.UTC));
        }
        if (v instanceof Instant t) {
            return TIMESTAMP.format(t.atOffset(ZoneOffset.UTC));
        }
        if (v instanceof LocalDateTime t) {
            return TIMESTAMP.format(t);
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof LocalTime t) {
            return time(t);
        }
        if (v instanceof OffsetTime t) {
            return time(t.toLocalTime())
                    + (t.getOffset().equals(ZoneOffset.UTC) ? "Z" : t.getOffset().getId());
        }
        if (v instanceof java.sql.Time t) {
            return time(t.toLocalTime());
        }
        return v.toString();
    }

    /** {@code 01:02:03}, with the fraction only when there is one ({@code 01:02:03.500000}). */
    private static String time(LocalTime t) {
        String s = TIME.format(t);
        return t.getNano() == 0 ? s : s + String.format(Locale.ROOT, ".%06d", t.getNano() / 1000);
    }

    /**
     * Bytes as DuckDB writes a BLOB as text: printable ASCII as it is, other bytes as {@code \xNN}.
     */
    private static String blob(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            int u = x & 0xff;
            if (u >= 0x20 && u < 0x7f && u != '\\') {
                b.append((char) u);
            } else {
                b.append(String.format(Locale.ROOT, "\\x%02X", u));
            }
        }
        return b.toString();
    }
}
