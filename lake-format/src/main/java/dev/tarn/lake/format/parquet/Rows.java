package dev.tarn.lake.format.parquet;

import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.StructType;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Rows read by {@link ParquetFiles} (parquet-java {@link Group}s) in the form {@link RowWriter} writes, so that a file
 * can be written again: the Tarn type says what a value becomes, the file's Parquet type how it is stored (decimals
 * as INT32, INT64 or bytes; timestamps as INT96 or INT64 in any unit; two- and three-level lists).
 */
public final class Rows {
    private static final long JULIAN_EPOCH_DAY = 2_440_588L;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private Rows() {
    }

    /** The row of {@code g} with the fields of {@code struct} (a field the file lacks is null). */
    public static Object[] of(Group g, StructType struct) {
        GroupType gt = g.getType();
        List<Field> fields = struct.fields();
        Object[] out = new Object[fields.size()];
        for (int i = 0; i < out.length; i++) {
            String name = fields.get(i).name();
            if (!gt.containsField(name)) {
                continue;
            }
            int idx = gt.getFieldIndex(name);
            if (g.getFieldRepetitionCount(idx) > 0) {
                out[i] = value(g, idx, 0, gt.getType(idx), fields.get(i).type());
            }
        }
        return out;
    }

    private static Object value(Group g, int idx, int rep, Type type, DataType t) {
        switch (t.kind()) {
            case STRUCT:
                return of(g.getGroup(idx, rep), t.asStruct());
            case LIST: {
                Group list = g.getGroup(idx, rep);
                Type repeated = list.getType().getType(0);
                // three levels (list / element) unless the repeated field is the element itself
                boolean nested = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1;
                Object[] out = new Object[list.getFieldRepetitionCount(0)];
                for (int k = 0; k < out.length; k++) {
                    if (!nested) {
                        out[k] = value(list, 0, k, repeated, t.asList().element());
                    } else {
                        Group e = list.getGroup(0, k);
                        out[k] = e.getFieldRepetitionCount(0) == 0 ? null
                                : value(e, 0, 0, repeated.asGroupType().getType(0), t.asList().element());
                    }
                }
                return out;
            }
            case MAP: {
                Group map = g.getGroup(idx, rep);
                GroupType kv = map.getType().getType(0).asGroupType();
                Object[] out = new Object[map.getFieldRepetitionCount(0)];
                for (int k = 0; k < out.length; k++) {
                    Group e = map.getGroup(0, k);
                    Object key = value(e, 0, 0, kv.getType(0), t.asMap().key());
                    Object v = kv.getFieldCount() < 2 || e.getFieldRepetitionCount(1) == 0 ? null
                            : value(e, 1, 0, kv.getType(1), t.asMap().value());
                    out[k] = new Object[] {key, v};
                }
                return out;
            }
            default:
                return primitive(g, idx, rep, type.asPrimitiveType(), t);
        }
    }

    private static Object primitive(Group g, int idx, int rep, PrimitiveType p, DataType t) {
        switch (t.kind()) {
            case DECIMAL: {
                int scale = t.asDecimal().scale();
                switch (p.getPrimitiveTypeName()) {
                    case INT32:
                        return BigDecimal.valueOf(g.getInteger(idx, rep), scale);
                    case INT64:
                        return BigDecimal.valueOf(g.getLong(idx, rep), scale);
                    default:
                        return new BigDecimal(new BigInteger(g.getBinary(idx, rep).getBytes()), scale);
                }
            }
            case TIMESTAMP:
            case TIMESTAMP_NTZ:
                return micros(g, idx, rep, p);
            case BOOLEAN:
                return g.getBoolean(idx, rep);
            case BYTE:
            case SHORT:
            case INT:
            case DATE:
                return g.getInteger(idx, rep);
            case LONG:
                return p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32
                        ? (long) g.getInteger(idx, rep) : g.getLong(idx, rep);
            case FLOAT:
                return g.getFloat(idx, rep);
            case DOUBLE:
                return g.getDouble(idx, rep);
            default:
                return g.getBinary(idx, rep);
        }
    }

    private static long micros(Group g, int idx, int rep, PrimitiveType p) {
        if (p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
            // nanoseconds of the day, then the Julian day, both little-endian
            ByteBuffer b = ByteBuffer.wrap(g.getInt96(idx, rep).getBytes()).order(ByteOrder.LITTLE_ENDIAN);
            long nanos = b.getLong();
            int day = b.getInt();
            return (day - JULIAN_EPOCH_DAY) * MICROS_PER_DAY + Math.floorDiv(nanos, 1000L);
        }
        long v = g.getLong(idx, rep);
        if (p.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
            switch (ts.getUnit()) {
                case MILLIS:
                    return Math.multiplyExact(v, 1000L);
                case NANOS:
                    return Math.floorDiv(v, 1000L);
                default:
                    return v;
            }
        }
        return v;
    }
}
