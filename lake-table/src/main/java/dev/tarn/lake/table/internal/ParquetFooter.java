package dev.tarn.lake.table.internal;

import dev.tarn.lake.exceptions.SchemaMismatchException;
import dev.tarn.lake.format.parquet.ParquetFiles;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.FileStats;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.DecimalType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.ListType;
import dev.tarn.lake.types.MapType;
import dev.tarn.lake.types.Schema;
import dev.tarn.lake.types.StructType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * A {@link DataFile} from a Parquet footer: schema, record count and Delta per-column statistics.
 */
public final class ParquetFooter {
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter NTZ =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    /** Delta keeps string statistics to a prefix of this many characters. */
    private static final int STRING_PREFIX = 32;

    private ParquetFooter() {}

    public static ParquetMetadata read(ObjectStore store, ObjectStat stat) {
        return ParquetFiles.footer(store, stat);
    }

    /**
     * The Tarn schema of a Parquet schema; IllegalArgumentException for a type with no Delta type.
     */
    static Schema schemaOf(MessageType message) {
        return new Schema(fields(message));
    }

    public static DataFile describe(
            ObjectStore store, ObjectStat stat, String path, Map<String, String> partitionValues) {
        ParquetMetadata footer = read(store, stat);
        MessageType message = footer.getFileMetaData().getSchema();
        Schema schema;
        try {
            schema = new Schema(fields(message));
        } catch (IllegalArgumentException e) {
            throw new SchemaMismatchException("file " + path + ": " + e.getMessage());
        }
        long rows = 0;
        for (BlockMetaData b : footer.getBlocks()) {
            rows += b.getRowCount();
        }
        return DataFile.builder(path)
                .partitionValues(partitionValues)
                .size(stat.size())
                .modificationTime(stat.lastModified())
                .schema(schema)
                .stats(stats(footer, schema, rows))
                .build();
    }

    // ---- schema

    private static List<Field> fields(GroupType g) {
        List<Field> out = new ArrayList<>();
        for (Type t : g.getFields()) {
            if (t.isRepetition(Type.Repetition.REPEATED)) {
                throw new IllegalArgumentException(
                        "column '"
                                + t.getName()
                                + "' is a bare repeated field; write"
                                + " lists with the LIST annotation");
            }
            out.add(
                    new Field(
                            t.getName(),
                            type(t),
                            t.isRepetition(Type.Repetition.OPTIONAL),
                            Map.of()));
        }
        return out;
    }

    private static DataType type(Type t) {
        LogicalTypeAnnotation la = t.getLogicalTypeAnnotation();
        if (!t.isPrimitive()) {
            GroupType g = t.asGroupType();
            if (la instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
                Type repeated = g.getType(0);
                Type element =
                        repeated.isPrimitive() || repeated.asGroupType().getFieldCount() != 1
                                ? repeated
                                : repeated.asGroupType().getType(0);
                return new ListType(type(element), !element.isRepetition(Type.Repetition.REQUIRED));
            }
            if (la instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
                    || la instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation) {
                GroupType kv = g.getType(0).asGroupType();
                Type value = kv.getType(1);
                return new MapType(
                        type(kv.getType(0)),
                        type(value),
                        !value.isRepetition(Type.Repetition.REQUIRED));
            }
            return new StructType(fields(g));
        }
        PrimitiveType p = t.asPrimitiveType();
        if (la instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
            return new DecimalType(d.getPrecision(), d.getScale());
        }
        switch (p.getPrimitiveTypeName()) {
            case BOOLEAN:
                return DataType.BOOLEAN;
            case INT32:
                if (la == null) {
                    return DataType.INT;
                }
                if (la instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return DataType.DATE;
                }
                if (la instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
                        && i.isSigned()) {
                    return i.getBitWidth() == 8
                            ? DataType.BYTE
                            : i.getBitWidth() == 16 ? DataType.SHORT : DataType.INT;
                }
                break;
            case INT64:
                if (la == null
                        || (la instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
                                && i.isSigned())) {
                    return DataType.LONG;
                }
                if (la instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
                        && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS) {
                    // Without an adjustment to UTC it is a wall-clock value: Delta's timestamp_ntz,
                    // which the
                    // table then holds through the timestampNtz feature.
                    return ts.isAdjustedToUTC() ? DataType.TIMESTAMP : DataType.TIMESTAMP_NTZ;
                }
                break;
            case INT96:
                return DataType.TIMESTAMP;
            case FLOAT:
                return DataType.FLOAT;
            case DOUBLE:
                return DataType.DOUBLE;
            case BINARY:
                if (la instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || la instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || la instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    return DataType.STRING;
                }
                if (la == null) {
                    return DataType.BINARY;
                }
                break;
            case FIXED_LEN_BYTE_ARRAY:
                if (la == null) {
                    return DataType.BINARY;
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException(
                "column '" + t.getName() + "' has Parquet type " + p + ", which has no Delta type");
    }

    // ---- statistics

    private static FileStats stats(ParquetMetadata footer, Schema schema, long rows) {
        Map<String, Object> min = new LinkedHashMap<>();
        Map<String, Object> max = new LinkedHashMap<>();
        Map<String, Object> nulls = new LinkedHashMap<>();
        Map<String, DataType> leafTypes = new HashMap<>();
        collectLeaves(schema.fields(), "", leafTypes);
        Map<String, Object[]> acc = new LinkedHashMap<>(); // path -> {min, max, nulls, valid}
        for (BlockMetaData b : footer.getBlocks()) {
            for (ColumnChunkMetaData c : b.getColumns()) {
                String path = String.join(".", c.getPath().toArray());
                DataType type = leafTypes.get(path);
                if (type == null) {
                    continue;
                }
                Object[] a =
                        acc.computeIfAbsent(
                                path,
                                k -> new Object[] {null, null, 0L, Boolean.TRUE, Boolean.TRUE});
                Statistics<?> s = c.getStatistics();
                if (s == null || s.isEmpty() || !s.isNumNullsSet()) {
                    a[3] = Boolean.FALSE;
                    a[4] = Boolean.FALSE;
                    continue;
                }
                a[2] = (Long) a[2] + s.getNumNulls();
                if (s.hasNonNullValue()) {
                    Comparable<Object> lo = value(type, s.genericGetMin(), c.getPrimitiveType());
                    Comparable<Object> hi = value(type, s.genericGetMax(), c.getPrimitiveType());
                    if (lo == null || hi == null) {
                        a[4] = Boolean.FALSE;
                    } else {
                        a[0] = a[0] == null || lo.compareTo(a[0]) < 0 ? lo : a[0];
                        a[1] = a[1] == null || hi.compareTo(a[1]) > 0 ? hi : a[1];
                    }
                }
            }
        }
        for (Map.Entry<String, Object[]> e : acc.entrySet()) {
            Object[] a = e.getValue();
            if (!(Boolean) a[3]) {
                continue;
            }
            put(nulls, e.getKey(), a[2]);
            if ((Boolean) a[4] && a[0] != null) {
                DataType t = leafTypes.get(e.getKey());
                Object lo = json(t, a[0], false);
                Object hi = json(t, a[1], true);
                if (lo != null && hi != null) {
                    put(min, e.getKey(), lo);
                    put(max, e.getKey(), hi);
                }
            }
        }
        return new FileStats(rows, min, max, nulls);
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String path, Object v) {
        String[] parts = path.split("\\.");
        Map<String, Object> m = root;
        for (int i = 0; i < parts.length - 1; i++) {
            m =
                    (Map<String, Object>)
                            m.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        m.put(parts[parts.length - 1], v);
    }

    /** Leaf columns reachable through structs only (statistics of lists and maps are not kept). */
    private static void collectLeaves(
            List<Field> fields, String prefix, Map<String, DataType> out) {
        for (Field f : fields) {
            if (f.name().contains(".")) {
                continue;
            }
            if (f.type() instanceof StructType s) {
                collectLeaves(s.fields(), prefix + f.name() + ".", out);
            } else if (f.type() instanceof dev.tarn.lake.types.PrimitiveType
                    || f.type() instanceof DecimalType) {
                out.put(prefix + f.name(), f.type());
            }
        }
    }

    /** A comparable Java value of a statistic, or null if Delta keeps no min/max for the type. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable<Object> value(DataType t, Object raw, PrimitiveType p) {
        if (t instanceof DecimalType d) {
            BigInteger unscaled;
            if (raw instanceof Integer i) {
                unscaled = BigInteger.valueOf(i);
            } else if (raw instanceof Long l) {
                unscaled = BigInteger.valueOf(l);
            } else if (raw instanceof Binary b) {
                unscaled = new BigInteger(b.getBytes());
            } else {
                return null;
            }
            return (Comparable) new BigDecimal(unscaled, d.scale());
        }
        switch (t.kind()) {
            case BYTE:
            case SHORT:
            case INT:
            case DATE:
                return (Comparable) Long.valueOf(((Number) raw).longValue());
            case LONG:
                return (Comparable) raw;
            case TIMESTAMP:
            case TIMESTAMP_NTZ:
                if (raw instanceof Long micros) {
                    return (Comparable) micros;
                }
                return null; // INT96 statistics are not reliable
            case FLOAT:
            case DOUBLE:
                {
                    double d = ((Number) raw).doubleValue();
                    return Double.isNaN(d) ? null : (Comparable) Double.valueOf(d);
                }
            case STRING:
                return (Comparable) ((Binary) raw).toStringUsingUTF8();
            default:
                return null;
        }
    }

    private static Object json(DataType t, Object v, boolean isMax) {
        if (t == DataType.DATE) {
            return LocalDate.ofEpochDay((Long) v).toString();
        }
        if (t == DataType.TIMESTAMP) {
            long micros = (Long) v;
            return TS.format(
                    Instant.ofEpochSecond(
                            Math.floorDiv(micros, 1_000_000),
                            Math.floorMod(micros, 1_000_000) * 1000L));
        }
        if (t == DataType.TIMESTAMP_NTZ) {
            // Delta writes timestamp_ntz statistics without a zone suffix, microseconds kept
            long micros = (Long) v;
            return NTZ.format(
                    java.time.LocalDateTime.ofEpochSecond(
                            Math.floorDiv(micros, 1_000_000),
                            (int) (Math.floorMod(micros, 1_000_000) * 1000L),
                            ZoneOffset.UTC));
        }
        if (t == DataType.STRING) {
            String s = (String) v;
            if (s.codePointCount(0, s.length()) > STRING_PREFIX) {
                if (isMax) {
                    return null; // a cut maximum would not be an upper bound
                }
                return s.substring(0, s.offsetByCodePoints(0, STRING_PREFIX));
            }
            return s;
        }
        if (t == DataType.FLOAT) {
            return ((Double) v).floatValue();
        }
        return v;
    }
}
