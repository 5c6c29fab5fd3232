package dev.tarn.lake.format.internal.write;

import dev.tarn.lake.format.internal.encode.ByteBuf;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.parquet.io.api.Binary;

/**
 * How {@link PartitionSpill} serializes rows into its buffers and run files: each value as a type
 * tag and its bytes (little-endian numbers, length-prefixed bytes, nested lists and structs as
 * arrays). Read back, values keep pointing into the run's bytes instead of being copied.
 */
final class SpillRows {
    private SpillRows() {}

    // Value tags, written into run files. Alike in layout only to TypeAcc's type categories, which
    // number another thing: the two lists change separately.
    private static final int NULL = 0,
            INT = 1,
            LONG = 2,
            DOUBLE = 3,
            TRUE = 4,
            FALSE = 5,
            BINARY = 6,
            STRING = 7,
            DECIMAL = 8,
            BYTES = 9,
            ARRAY = 10,
            FLOAT = 11;

    static void writeValue(ByteBuf o, Object v) {
        if (v == null) {
            o.put(NULL);
        } else if (v instanceof Binary) {
            Binary b = (Binary) v;
            o.put(BINARY);
            int len = b.length();
            o.putVarInt(len);
            o.ensure(len);
            ByteBuffer bb = b.toByteBuffer();
            bb.get(o.a, o.n, len);
            o.n += len;
        } else if (v instanceof Integer) {
            o.put(INT);
            o.putIntLE((Integer) v);
        } else if (v instanceof Long) {
            o.put(LONG);
            o.putLongLE((Long) v);
        } else if (v instanceof Double) {
            o.put(DOUBLE);
            o.putLongLE(Double.doubleToRawLongBits((Double) v));
        } else if (v instanceof Boolean) {
            o.put((Boolean) v ? TRUE : FALSE);
        } else if (v instanceof Float) {
            o.put(FLOAT);
            o.putIntLE(Float.floatToRawIntBits((Float) v));
        } else if (v instanceof Object[]) {
            Object[] a = (Object[]) v;
            o.put(ARRAY);
            o.putVarInt(a.length);
            for (Object x : a) {
                writeValue(o, x);
            }
        } else if (v instanceof String) {
            byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
            o.put(STRING);
            o.putVarInt(b.length);
            o.put(b, 0, b.length);
        } else if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            byte[] b = d.unscaledValue().toByteArray();
            o.put(DECIMAL);
            o.putIntLE(d.scale());
            o.putVarInt(b.length);
            o.put(b, 0, b.length);
        } else if (v instanceof byte[]) {
            byte[] b = (byte[]) v;
            o.put(BYTES);
            o.putVarInt(b.length);
            o.put(b, 0, b.length);
        } else {
            throw new IllegalStateException("cannot spill a value of " + v.getClass());
        }
    }

    private static int varInt(byte[] b, int[] p) {
        int v = 0;
        int shift = 0;
        while (true) {
            byte x = b[p[0]++];
            v |= (x & 0x7f) << shift;
            if (x >= 0) {
                return v;
            }
            shift += 7;
        }
    }

    private static int intLE(byte[] b, int at) {
        return (b[at] & 0xff)
                | (b[at + 1] & 0xff) << 8
                | (b[at + 2] & 0xff) << 16
                | (b[at + 3] & 0xff) << 24;
    }

    private static long longLE(byte[] b, int at) {
        return (intLE(b, at) & 0xffffffffL) | ((long) intLE(b, at + 4) << 32);
    }

    /** Values keep pointing into {@code b}, which is never reused. */
    static Object readValue(byte[] b, int[] p) {
        int tag = b[p[0]++];
        switch (tag) {
            case NULL:
                return null;
            case INT:
                {
                    int v = intLE(b, p[0]);
                    p[0] += 4;
                    return v;
                }
            case LONG:
                {
                    long v = longLE(b, p[0]);
                    p[0] += 8;
                    return v;
                }
            case DOUBLE:
                {
                    long v = longLE(b, p[0]);
                    p[0] += 8;
                    return Double.longBitsToDouble(v);
                }
            case FLOAT:
                {
                    int v = intLE(b, p[0]);
                    p[0] += 4;
                    return Float.intBitsToFloat(v);
                }
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case BINARY:
                {
                    int len = varInt(b, p);
                    Binary v = Binary.fromConstantByteArray(b, p[0], len);
                    p[0] += len;
                    return v;
                }
            case STRING:
                {
                    int len = varInt(b, p);
                    String v = new String(b, p[0], len, StandardCharsets.UTF_8);
                    p[0] += len;
                    return v;
                }
            case DECIMAL:
                {
                    int scale = intLE(b, p[0]);
                    p[0] += 4;
                    int len = varInt(b, p);
                    BigDecimal v = new BigDecimal(new BigInteger(b, p[0], len), scale);
                    p[0] += len;
                    return v;
                }
            case BYTES:
                {
                    int len = varInt(b, p);
                    byte[] v = java.util.Arrays.copyOfRange(b, p[0], p[0] + len);
                    p[0] += len;
                    return v;
                }
            case ARRAY:
                {
                    int n = varInt(b, p);
                    Object[] a = new Object[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = readValue(b, p);
                    }
                    return a;
                }
            default:
                throw new IllegalStateException("corrupt spilled row: tag " + tag);
        }
    }
}
