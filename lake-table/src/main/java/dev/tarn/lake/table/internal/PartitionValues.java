package dev.tarn.lake.table.internal;

import dev.tarn.lake.table.DeltaTypes;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.DecimalType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks partition values against the partition columns' types and writes them as the protocol
 * serializes them.
 */
public final class PartitionValues {
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");
    private static final DateTimeFormatter ISO_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private PartitionValues() {}

    /**
     * {@code yyyy-MM-dd HH:mm:ss[.micros]}: the protocol's form of a timestamp without time zone.
     */
    private static String ntz(LocalDateTime t) {
        String s = t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        int micros = t.getNano() / 1000;
        return micros == 0 ? s : s + "." + String.format("%06d", micros);
    }

    /**
     * The canonical partition values of a file: exactly the partition columns, in their order, each
     * value parsed by its column type and written back in the protocol's form; "" means null.
     */
    public static Map<String, String> canonical(
            Schema schema, List<String> partitionColumns, Map<String, String> values, String file) {
        for (String k : values.keySet()) {
            if (!partitionColumns.contains(k)) {
                throw new IllegalArgumentException(
                        "file "
                                + file
                                + " has a value for '"
                                + k
                                + "', which is not a partition column of the table (partition columns: "
                                + partitionColumns
                                + ")");
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : partitionColumns) {
            if (!values.containsKey(c)) {
                throw new IllegalArgumentException(
                        "file "
                                + file
                                + " has no value for partition column '"
                                + c
                                + "' (give null for the null partition)");
            }
            Field f = schema.field(c).orElseThrow();
            out.put(c, canonicalValue(f, values.get(c), file));
        }
        return out;
    }

    private static String canonicalValue(Field f, String v, String file) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            DataType t = f.type();
            if (t instanceof DecimalType d) {
                return new BigDecimal(v).setScale(d.scale()).toPlainString();
            }
            switch (t.kind()) {
                case STRING:
                    return v;
                case BYTE:
                    return Byte.toString(Byte.parseByte(v));
                case SHORT:
                    return Short.toString(Short.parseShort(v));
                case INT:
                    return Integer.toString(Integer.parseInt(v));
                case LONG:
                    return Long.toString(Long.parseLong(v));
                case FLOAT:
                    return Float.toString(Float.parseFloat(v));
                case DOUBLE:
                    return Double.toString(Double.parseDouble(v));
                case BOOLEAN:
                    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                        return v.toLowerCase(java.util.Locale.ROOT);
                    }
                    throw new IllegalArgumentException("not a boolean");
                case DATE:
                    return LocalDate.parse(v).toString();
                case TIMESTAMP:
                    {
                        LocalDateTime t2;
                        try {
                            t2 =
                                    OffsetDateTime.parse(v)
                                            .withOffsetSameInstant(ZoneOffset.UTC)
                                            .toLocalDateTime();
                        } catch (DateTimeParseException e) {
                            t2 = LocalDateTime.parse(v, TS);
                        }
                        // ISO 8601 adjusted to UTC, as the protocol recommends (a value without a
                        // zone would be read
                        // in the reader's time zone)
                        return t2.format(ISO_UTC);
                    }
                case TIMESTAMP_NTZ:
                    // a wall-clock value: no zone to adjust to, written as the protocol spells it
                    return ntz(LocalDateTime.parse(v.replace(' ', 'T')));
                default:
                    throw new IllegalArgumentException(
                            DeltaTypes.name(f.type()) + " cannot be a partition column");
            }
        } catch (IllegalArgumentException | ArithmeticException | DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "file "
                            + file
                            + ": partition value '"
                            + v
                            + "' of column '"
                            + f.name()
                            + "' is not a valid "
                            + DeltaTypes.name(f.type())
                            + " ("
                            + e.getMessage()
                            + ")");
        }
    }
}
