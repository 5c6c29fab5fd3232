package dev.tarn.lake.format.internal.read;

import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.internal.convert.BadRecord;
import dev.tarn.lake.format.internal.convert.Plan;
import dev.tarn.lake.format.internal.convert.Values;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/** Avro schemas to Tarn types, and Avro generic records to rows. */
public final class AvroRows {
    private AvroRows() {}

    /**
     * The Tarn struct for an Avro record schema. A union of several non-null types becomes a struct
     * with one nullable member per branch ({@link #unionNames}); a map a list of key/value structs.
     */
    public static DataType toDataType(Schema s) {
        if (s.getType() != Schema.Type.RECORD) {
            throw new FormatException(
                    "an Avro schema for records must be a record, got " + s.getType());
        }
        return type(s, s.getName());
    }

    private static DataType type(Schema s, String path) {
        LogicalType lt = s.getLogicalType();
        switch (s.getType()) {
            case RECORD:
                {
                    List<Field> fs = new ArrayList<>();
                    for (Schema.Field f : s.getFields()) {
                        Schema fs0 = f.schema();
                        boolean nullable = false;
                        if (fs0.getType() == Schema.Type.UNION) {
                            nullable =
                                    fs0.getTypes().stream()
                                            .anyMatch(t -> t.getType() == Schema.Type.NULL);
                        } else if (fs0.getType() == Schema.Type.NULL) {
                            nullable = true;
                        }
                        fs.add(new Field(f.name(), type(fs0, path + "." + f.name()), nullable));
                    }
                    return DataType.struct(fs);
                }
            case UNION:
                {
                    List<Schema> branches = nonNull(s);
                    if (branches.isEmpty()) {
                        return DataType.STRING;
                    }
                    if (branches.size() == 1) {
                        return type(branches.get(0), path);
                    }
                    // one nullable member per branch, at most one of them set: the shape Spark and
                    // others give unions
                    String[] names = unionNames(branches);
                    List<Field> fs = new ArrayList<>();
                    for (int i = 0; i < names.length; i++) {
                        fs.add(
                                new Field(
                                        names[i],
                                        type(branches.get(i), path + "." + names[i]),
                                        true));
                    }
                    return DataType.struct(fs);
                }
            case ARRAY:
                return DataType.list(
                        type(s.getElementType(), path + "[]"), nullable(s.getElementType()));
            case MAP:
                return DataType.map(
                        DataType.STRING,
                        type(s.getValueType(), path + "{}"),
                        nullable(s.getValueType()));
            case NULL:
                return DataType.STRING;
            case BOOLEAN:
                return DataType.BOOLEAN;
            case INT:
                if (lt instanceof LogicalTypes.Date) {
                    return DataType.DATE;
                }
                return DataType.INT;
            case LONG:
                if (lt instanceof LogicalTypes.TimestampMillis
                        || lt instanceof LogicalTypes.TimestampMicros) {
                    return DataType.TIMESTAMP;
                }
                if (lt instanceof LogicalTypes.LocalTimestampMillis
                        || lt instanceof LogicalTypes.LocalTimestampMicros) {
                    return DataType.TIMESTAMP_NTZ;
                }
                return DataType.LONG;
            case FLOAT:
                return DataType.FLOAT;
            case DOUBLE:
                return DataType.DOUBLE;
            case STRING:
            case ENUM:
                return DataType.STRING;
            case BYTES:
            case FIXED:
                if (lt instanceof LogicalTypes.Decimal) {
                    LogicalTypes.Decimal d = (LogicalTypes.Decimal) lt;
                    if (d.getPrecision() > DataType.MAX_DECIMAL_PRECISION) {
                        throw new FormatException(
                                "Avro field "
                                        + path
                                        + ": decimal precision "
                                        + d.getPrecision()
                                        + " exceeds "
                                        + DataType.MAX_DECIMAL_PRECISION);
                    }
                    return DataType.decimal(d.getPrecision(), d.getScale());
                }
                return DataType.BINARY;
            default:
                throw new FormatException(
                        "Avro field " + path + ": unsupported type " + s.getType());
        }
    }

    private static boolean nullable(Schema s) {
        return s.getType() == Schema.Type.NULL
                || s.getType() == Schema.Type.UNION
                        && s.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL);
    }

    private static boolean severalTypes(List<Schema> union) {
        int n = 0;
        for (Schema t : union) {
            if (t.getType() != Schema.Type.NULL) {
                n++;
            }
        }
        return n > 1;
    }

    private static List<Schema> nonNull(Schema union) {
        List<Schema> out = new ArrayList<>(union.getTypes().size());
        for (Schema t : union.getTypes()) {
            if (t.getType() != Schema.Type.NULL) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Member names for the non-null branches of a union: the type name ({@code int}, {@code
     * string}, {@code array}, ...) or, for records, enums and fixed, their simple name, or their
     * full name when two simple names clash; and {@code member0, member1, ...} (by position among
     * the non-null branches) when names still clash.
     */
    static String[] unionNames(List<Schema> branches) {
        String[] simple = new String[branches.size()];
        for (int i = 0; i < simple.length; i++) {
            simple[i] = branchName(branches.get(i), false);
        }
        if (distinct(simple)) {
            return simple;
        }
        String[] full = new String[simple.length];
        for (int i = 0; i < full.length; i++) {
            full[i] = branchName(branches.get(i), true);
        }
        if (distinct(full)) {
            return full;
        }
        String[] member = new String[simple.length];
        for (int i = 0; i < member.length; i++) {
            member[i] = "member" + i;
        }
        return member;
    }

    private static String branchName(Schema t, boolean full) {
        switch (t.getType()) {
            case RECORD:
            case ENUM:
            case FIXED:
                return full ? t.getFullName() : t.getName();
            default:
                return t.getType().getName();
        }
    }

    private static boolean distinct(String[] names) {
        return new java.util.HashSet<>(List.of(names)).size() == names.length;
    }

    /** Converts a record to a row of {@code plan} (a struct plan), matching fields by name. */
    public static Object[] row(GenericRecord r, Plan plan) {
        Schema s = r.getSchema();
        Object[] row = new Object[plan.names.length];
        for (Schema.Field f : s.getFields()) {
            int i = plan.indexOf(f.name());
            Object v = r.get(f.pos());
            if (i < 0) {
                if (v != null) {
                    throw BadRecord.misfit(
                            "unknown field \"" + f.name() + "\" (not in the schema)");
                }
                continue;
            }
            row[i] = value(v, f.schema(), plan.children[i]);
        }
        return row;
    }

    private static Object value(Object v, Schema s, Plan p) {
        if (v == null) {
            return null;
        }
        if (s.getType() == Schema.Type.UNION) {
            int k = GenericData.get().resolveUnion(s, v);
            List<Schema> ts = s.getTypes();
            if (p.kind == DataType.Kind.STRUCT && severalTypes(ts)) {
                return unionRow(v, s, k, p);
            }
            s = ts.get(k);
        }
        LogicalType lt = s.getLogicalType();
        switch (p.kind) {
            case STRING:
                if (v instanceof CharSequence
                        || v instanceof GenericData.EnumSymbol
                        || v instanceof Number
                        || v instanceof Boolean) {
                    return v.toString();
                }
                break;
            case BOOLEAN:
                if (v instanceof Boolean) {
                    return v;
                }
                break;
            case INT:
                if (v instanceof Integer) {
                    return v;
                }
                break;
            case BYTE:
            case SHORT:
                if (v instanceof Integer && Values.fitsSmall((Integer) v, p.kind)) {
                    return v;
                }
                break;
            case FLOAT:
                if (v instanceof Float) {
                    return v;
                }
                if (v instanceof Integer && Math.abs((Integer) v) <= (1 << 24)) {
                    return ((Integer) v).floatValue();
                }
                break;
            case LONG:
                if (v instanceof Integer || v instanceof Long) {
                    return ((Number) v).longValue();
                }
                break;
            case DOUBLE:
                if (v instanceof Float || v instanceof Double || v instanceof Integer) {
                    return ((Number) v).doubleValue();
                }
                if (v instanceof Long && Math.abs((Long) v) <= (1L << 53)) {
                    return ((Long) v).doubleValue();
                }
                break;
            case DATE:
                if (v instanceof Integer) {
                    return v;
                }
                break;
            case TIMESTAMP:
            case TIMESTAMP_NTZ:
                if (v instanceof Long) {
                    long x = (Long) v;
                    if (lt instanceof LogicalTypes.TimestampMillis
                            || lt instanceof LogicalTypes.LocalTimestampMillis) {
                        return Math.multiplyExact(x, 1000L);
                    }
                    if (lt instanceof LogicalTypes.TimestampMicros
                            || lt instanceof LogicalTypes.LocalTimestampMicros) {
                        return x;
                    }
                }
                break;
            case DECIMAL:
                {
                    BigDecimal d = null;
                    if (lt instanceof LogicalTypes.Decimal) {
                        int scale = ((LogicalTypes.Decimal) lt).getScale();
                        byte[] b =
                                v instanceof ByteBuffer
                                        ? bytes((ByteBuffer) v)
                                        : ((GenericFixed) v).bytes();
                        d = new BigDecimal(new BigInteger(b), scale);
                    } else if (v instanceof Integer || v instanceof Long) {
                        d = BigDecimal.valueOf(((Number) v).longValue());
                    }
                    if (d != null) {
                        return Values.decimal(d, p.type);
                    }
                    break;
                }
            case BINARY:
                if (v instanceof ByteBuffer) {
                    return bytes((ByteBuffer) v);
                }
                if (v instanceof GenericFixed) {
                    return ((GenericFixed) v).bytes().clone();
                }
                break;
            case STRUCT:
                if (v instanceof GenericRecord) {
                    return row((GenericRecord) v, p);
                }
                break;
            case MAP:
                if (v instanceof java.util.Map && s.getType() == Schema.Type.MAP) {
                    java.util.Map<?, ?> m = (java.util.Map<?, ?>) v;
                    Object[] out = new Object[m.size()];
                    int i = 0;
                    for (java.util.Map.Entry<?, ?> e : m.entrySet()) {
                        out[i++] =
                                new Object[] {
                                    e.getKey().toString(),
                                    value(e.getValue(), s.getValueType(), p.element)
                                };
                    }
                    return out;
                }
                break;
            case LIST:
                if (v instanceof java.util.Map
                        && s.getType() == Schema.Type.MAP
                        && p.element.kind == DataType.Kind.STRUCT
                        && p.element.names.length == 2) {
                    // a schema that still declares a map as a list of key/value structs (as Tarn
                    // wrote maps before)
                    java.util.Map<?, ?> m = (java.util.Map<?, ?>) v;
                    Object[] out = new Object[m.size()];
                    int i = 0;
                    for (java.util.Map.Entry<?, ?> e : m.entrySet()) {
                        out[i++] =
                                new Object[] {
                                    e.getKey().toString(),
                                    value(e.getValue(), s.getValueType(), p.element.children[1])
                                };
                    }
                    return out;
                }
                if (v instanceof Collection) {
                    Collection<?> c = (Collection<?>) v;
                    Object[] out = new Object[c.size()];
                    int i = 0;
                    for (Object e : c) {
                        out[i++] = value(e, s.getElementType(), p.element);
                    }
                    return out;
                }
                break;
            default:
                break;
        }
        throw BadRecord.misfit(
                p.describe() + ": Avro " + s.getType().getName() + " value does not fit " + p.type);
    }

    /** The union member struct with only the member of branch {@code k} set. */
    private static Object[] unionRow(Object v, Schema union, int k, Plan p) {
        List<Schema> branches = nonNull(union);
        Schema branch = union.getTypes().get(k);
        String name = unionNames(branches)[branches.indexOf(branch)];
        int i = p.indexOf(name);
        if (i < 0) {
            throw BadRecord.misfit(
                    p.describe() + ": Avro union branch " + name + " is not a member of " + p.type);
        }
        Object[] out = new Object[p.names.length];
        out[i] = value(v, branch, p.children[i]);
        return out;
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
