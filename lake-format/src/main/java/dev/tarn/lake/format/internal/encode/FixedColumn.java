package dev.tarn.lake.format.internal.encode;

import java.math.BigDecimal;
import java.util.Arrays;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.format.Encoding;

/**
 * An INT32, INT64, FLOAT, DOUBLE or BOOLEAN column. Values are kept as raw 64-bit patterns until
 * the page is full; the dictionary lookups (a primitive open-addressing map) and statistics then
 * run as tight loops over the page.
 */
abstract class FixedColumn extends Column {
    enum Kind {
        INT32,
        INT64,
        FLOAT,
        DOUBLE,
        BOOLEAN
    }

    private final Kind kind;
    private final int width;

    private long[] vals = new long[1024];
    private int n;

    // the dictionary of the current chunk
    private long[] keys = new long[512];
    private int[] slots = new int[512];
    private long[] dict = new long[256];
    private int entries;
    private int[] ids = new int[1024];

    private FixedColumn(ColumnDescriptor desc, Shared sh, boolean dictionaryAllowed, Kind kind) {
        super(desc, sh, dictionaryAllowed && kind != Kind.BOOLEAN);
        this.kind = kind;
        this.width = kind == Kind.INT32 || kind == Kind.FLOAT ? 4 : kind == Kind.BOOLEAN ? 1 : 8;
    }

    /**
     * One subclass per kind: besides saving a switch per value, the shredder's call to {@link
     * Column#add} then sees more than two receiver classes and stays a plain virtual call, instead
     * of C2 inlining whole column encoders into one large method that costs far more to compile
     * than the call costs to run.
     */
    static FixedColumn of(ColumnDescriptor desc, Shared sh, boolean dictionaryAllowed, Kind kind) {
        switch (kind) {
            case INT32:
                return new FixedColumn(desc, sh, dictionaryAllowed, kind) {
                    @Override
                    void add(int r, int d, Object v) {
                        put(
                                r,
                                d,
                                v instanceof Integer
                                        ? (Integer) v
                                        : ((BigDecimal) v).unscaledValue().intValueExact());
                    }
                };
            case INT64:
                return new FixedColumn(desc, sh, dictionaryAllowed, kind) {
                    @Override
                    void add(int r, int d, Object v) {
                        put(
                                r,
                                d,
                                v instanceof Long
                                        ? (Long) v
                                        : ((BigDecimal) v).unscaledValue().longValueExact());
                    }
                };
            case DOUBLE:
                return new FixedColumn(desc, sh, dictionaryAllowed, kind) {
                    @Override
                    void add(int r, int d, Object v) {
                        put(r, d, Double.doubleToRawLongBits((Double) v));
                    }
                };
            case FLOAT:
                // the 32 bits of the float, kept unsigned so that a page holds one key per value
                return new FixedColumn(desc, sh, dictionaryAllowed, kind) {
                    @Override
                    void add(int r, int d, Object v) {
                        put(r, d, Float.floatToRawIntBits((Float) v) & 0xffffffffL);
                    }
                };
            default:
                return new FixedColumn(desc, sh, dictionaryAllowed, kind) {
                    @Override
                    void add(int r, int d, Object v) {
                        put(r, d, (Boolean) v ? 1 : 0);
                    }
                };
        }
    }

    final void put(int r, int d, long x) {
        level(r, d);
        if (n == vals.length) {
            vals = Arrays.copyOf(vals, n * 2);
        }
        vals[n++] = x;
        est += width;
    }

    private int lookup(long k) {
        int mask = keys.length - 1;
        int slot = (int) ((k * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        int e;
        while ((e = slots[slot]) != 0) {
            if (keys[slot] == k) {
                return e - 1;
            }
            slot = (slot + 1) & mask;
        }
        int id = entries++;
        if (id == dict.length) {
            dict = Arrays.copyOf(dict, id * 2);
        }
        dict[id] = k;
        keys[slot] = k;
        slots[slot] = id + 1;
        if (entries * 2 > keys.length) {
            rehash();
        }
        return id;
    }

    private void rehash() {
        long[] k2 = new long[keys.length * 2];
        int[] s2 = new int[k2.length];
        int mask = k2.length - 1;
        for (int id = 0; id < entries; id++) {
            long k = dict[id];
            int slot = (int) ((k * 0x9E3779B97F4A7C15L) >>> 40) & mask;
            while (s2[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            k2[slot] = k;
            s2[slot] = id + 1;
        }
        keys = k2;
        slots = s2;
    }

    @Override
    Encoding encodeValues(ByteBuf out, boolean firstPage) {
        if (dictionary && n > 0) {
            if (ids.length < n) {
                ids = new int[vals.length];
            }
            for (int i = 0; i < n; i++) {
                ids[i] = lookup(vals[i]);
            }
            long dictSize = (long) entries * width;
            boolean pays =
                    !firstPage
                            || dictSize + (long) n * Rle.width(Math.max(1, entries - 1)) / 8
                                    < (long) n * width;
            if (dictSize > sh.dictionaryBytes || !pays) {
                // past the first page, earlier pages need the dictionary: this page's new entries
                // stay in it, unused
                if (firstPage) {
                    resetChunk();
                }
                dictionary = false;
            } else {
                int w = Math.max(1, Rle.width(entries - 1));
                out.put(w);
                Rle.encode(ids, n, w, out);
                return Encoding.PLAIN_DICTIONARY;
            }
        }
        if (kind == Kind.BOOLEAN) {
            out.ensure((n + 7) >>> 3);
            int b = 0;
            for (int i = 0; i < n; i++) {
                b |= (int) vals[i] << (i & 7);
                if ((i & 7) == 7) {
                    out.a[out.n++] = (byte) b;
                    b = 0;
                }
            }
            if ((n & 7) != 0) {
                out.a[out.n++] = (byte) b;
            }
        } else if (width == 4) {
            out.ensure(4 * n);
            for (int i = 0; i < n; i++) {
                out.putIntLE((int) vals[i]);
            }
        } else {
            out.ensure(8 * n);
            for (int i = 0; i < n; i++) {
                out.putLongLE(vals[i]);
            }
        }
        return Encoding.PLAIN;
    }

    @Override
    void bounds() {
        if (n == 0) {
            return;
        }
        if (kind == Kind.FLOAT) {
            float min = Float.NaN;
            float max = Float.NaN;
            for (int i = 0; i < n; i++) {
                float x = Float.intBitsToFloat((int) vals[i]);
                if (x < min || min != min) {
                    min = x;
                }
                if (x > max || max != max) {
                    max = x;
                }
            }
            if (min != min) {
                return;
            }
            pageMin = le(Float.floatToRawIntBits(min == 0 ? -0.0f : min), 4);
            pageMax = le(Float.floatToRawIntBits(max == 0 ? 0.0f : max), 4);
            return;
        }
        if (kind == Kind.DOUBLE) {
            double min = Double.NaN;
            double max = Double.NaN;
            for (int i = 0; i < n; i++) {
                double x = Double.longBitsToDouble(vals[i]);
                if (x < min || min != min) {
                    min = x;
                }
                if (x > max || max != max) {
                    max = x;
                }
            }
            if (min != min) {
                // only NaNs: no usable bounds (NaN is left out of min/max as the format asks)
                return;
            }
            // zero bounds cover both signed zeros
            pageMin = le(Double.doubleToRawLongBits(min == 0 ? -0.0 : min), 8);
            pageMax = le(Double.doubleToRawLongBits(max == 0 ? 0.0 : max), 8);
            return;
        }
        long min = vals[0];
        long max = vals[0];
        for (int i = 1; i < n; i++) {
            long x = vals[i];
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        pageMin = le(min, width);
        pageMax = le(max, width);
    }

    private static byte[] le(long v, int width) {
        byte[] b = new byte[width];
        for (int i = 0; i < width; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static long fromLe(byte[] b) {
        long v = 0;
        for (int i = b.length - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }

    @Override
    int compareBounds(byte[] a, byte[] b) {
        long x = fromLe(a);
        long y = fromLe(b);
        switch (kind) {
            case INT32:
                return Integer.compare((int) x, (int) y);
            case DOUBLE:
                return Double.compare(Double.longBitsToDouble(x), Double.longBitsToDouble(y));
            case FLOAT:
                return Float.compare(Float.intBitsToFloat((int) x), Float.intBitsToFloat((int) y));
            default:
                return Long.compare(x, y);
        }
    }

    @Override
    void resetPage() {
        n = 0;
    }

    @Override
    int dictionary(ByteBuf out) {
        for (int id = 0; id < entries; id++) {
            if (width == 4) {
                out.putIntLE((int) dict[id]);
            } else {
                out.putLongLE(dict[id]);
            }
        }
        return entries;
    }

    @Override
    long dictionaryBytes() {
        return (long) entries * width;
    }

    @Override
    void resetChunk() {
        if (entries > 0) {
            Arrays.fill(slots, 0);
        }
        entries = 0;
    }
}
