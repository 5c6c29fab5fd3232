package dev.tarn.lake.format.internal.encode;

import dev.tarn.lake.format.internal.read.Swar;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * A BINARY (text, bytes) or FIXED_LEN_BYTE_ARRAY (wide decimal) column. The dictionary is a byte
 * arena with an open-addressing table keyed by a word-at-a-time hash, so a repeated value costs one
 * hash and one word-wise compare, and nothing is allocated per value. Page bounds in dictionary
 * mode compare each distinct entry of the page once, when the page is full.
 */
final class BinaryColumn extends Column {
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BIG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;

    /** Length of a FIXED_LEN_BYTE_ARRAY value; -1 for BINARY (length-prefixed in PLAIN). */
    private final int fixed;

    /** Decimals compare as signed big-endian numbers; other bytes unsigned, lexicographically. */
    private final boolean signed;

    // the dictionary of the current chunk
    // Lookups miss the cache on a large dictionary: a table slot holds hash, id, offset and length
    // side by side,
    // so a hit touches two cache lines (the slot and the bytes); page bounds are found when the
    // page is full.
    private byte[] arena = new byte[1 << 12];
    private int arenaLen;

    /** Per entry: offset, length. */
    private int[] meta = new int[2 * 256];

    private int entries;

    /** Per slot, two longs: hash and entry id + 1 (0 when empty); offset and length. */
    private long[] table = new long[2 * 512];

    /** Entries seen while finding a page's bounds. */
    private long[] seen = new long[4];

    private long dictBytes;

    // the current page
    private int[] ids = new int[1024];
    private int nIds;
    private final ByteBuf plain = new ByteBuf(1 << 12);
    private int minOff = -1;
    private int minLen;
    private int maxOff = -1;
    private int maxLen;
    private long minKey;
    private long maxKey;

    /** PLAIN size of the page's values, to tell whether the dictionary pays on the first page. */
    private long raw;

    BinaryColumn(ColumnDescriptor desc, Shared sh, boolean dictionaryAllowed, boolean signed) {
        super(desc, sh, dictionaryAllowed);
        this.fixed =
                desc.getPrimitiveType().getPrimitiveTypeName()
                                == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
                        ? desc.getPrimitiveType().getTypeLength()
                        : -1;
        this.signed = signed;
    }

    /** parquet-java's slice of a byte array, the class the parsers hand text over in. */
    private static final Class<?> SLICE = Binary.fromReusedByteArray(new byte[2], 0, 1).getClass();

    /**
     * Receives a slice's array, offset and length from {@link Binary#writeTo}, which does not copy
     * or allocate.
     */
    private static final class Capture extends java.io.OutputStream {
        byte[] a;
        int off;
        int len;

        @Override
        public void write(byte[] b, int o, int l) {
            a = b;
            off = o;
            len = l;
        }

        @Override
        public void write(int b) {
            throw new UnsupportedOperationException();
        }
    }

    private final Capture capture = new Capture();

    @Override
    void add(int r, int d, Object v) {
        if (v.getClass() == SLICE) {
            try {
                ((Binary) v).writeTo(capture);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            add(r, d, capture.a, capture.off, capture.len);
        } else if (v instanceof Binary) {
            ByteBuffer bb = ((Binary) v).toByteBuffer();
            if (bb.hasArray()) {
                add(r, d, bb.array(), bb.arrayOffset() + bb.position(), bb.remaining());
            } else {
                byte[] b = new byte[bb.remaining()];
                bb.get(b);
                add(r, d, b, 0, b.length);
            }
        } else if (v instanceof String) {
            byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
            add(r, d, b, 0, b.length);
        } else if (v instanceof BigDecimal) {
            byte[] b = ParquetRows.fixed((BigDecimal) v, fixed);
            add(r, d, b, 0, b.length);
        } else {
            byte[] b = (byte[]) v;
            add(r, d, b, 0, b.length);
        }
    }

    void add(int r, int d, byte[] a, int off, int len) {
        level(r, d);
        if (dictionary) {
            int id = lookup(a, off, len);
            if (nIds == ids.length) {
                ids = Arrays.copyOf(ids, nIds * 2);
            }
            ids[nIds++] = id;
            raw += fixed < 0 ? 4 + len : len;
            est += 4;
            if (dictBytes > sh.dictionaryBytes) {
                fallBack();
            }
        } else {
            appendPlain(a, off, len);
        }
    }

    /**
     * Gives up the dictionary for the rest of the chunk: the open page's values are re-encoded as
     * PLAIN.
     */
    private void fallBack() {
        dictionary = false;
        int n = nIds;
        nIds = 0;
        est = 0;
        for (int k = 0; k < n; k++) {
            int id = ids[k];
            appendPlain(arena, meta[2 * id], meta[2 * id + 1]);
        }
    }

    private void appendPlain(byte[] a, int off, int len) {
        if (fixed < 0) {
            plain.putIntLE(len);
        }
        int at = plain.n;
        plain.put(a, off, len);
        est += fixed < 0 ? 4 + len : len;
        byte[] p = plain.a;
        // most values differ from the bounds in their first eight bytes (ids, hashes, timestamps as
        // text): compare
        // those as one unsigned number, and whole values only on a tie
        long key = signed ? 0 : prefix(p, at, len);
        if (minOff < 0
                || (signed || key == minKey
                        ? compare(p, at, len, p, minOff, minLen) < 0
                        : Long.compareUnsigned(key, minKey) < 0)) {
            minOff = at;
            minLen = len;
            minKey = key;
        }
        if (maxOff < 0
                || (signed || key == maxKey
                        ? compare(p, at, len, p, maxOff, maxLen) > 0
                        : Long.compareUnsigned(key, maxKey) > 0)) {
            maxOff = at;
            maxLen = len;
            maxKey = key;
        }
    }

    /**
     * The first eight bytes as a big-endian number, zero-padded: orders like the bytes, except on
     * ties.
     */
    static long prefix(byte[] a, int off, int len) {
        if (len >= 8) {
            return (long) BIG.get(a, off);
        }
        long k = 0;
        for (int i = 0; i < 8; i++) {
            k = k << 8 | (i < len ? a[off + i] & 0xff : 0);
        }
        return k;
    }

    private int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        if (signed && aLen > 0 && bLen > 0 && a[aOff] != b[bOff]) {
            return Byte.compare(a[aOff], b[bOff]);
        }
        return Arrays.compareUnsigned(a, aOff, aOff + aLen, b, bOff, bOff + bLen);
    }

    static int hash(byte[] a, int off, int len) {
        long h = len * K1;
        int end = off + len;
        if (len >= 8) {
            int i = off;
            for (; i + 8 <= end; i += 8) {
                h = Long.rotateLeft(h ^ (long) LONGS.get(a, i) * K2, 31) * K1;
            }
            if (i < end) {
                // the last, partial word is read as the (overlapping) last eight bytes
                h = Long.rotateLeft(h ^ (long) LONGS.get(a, end - 8) * K2, 31) * K1;
            }
        } else {
            long w = 0;
            for (int i = off; i < end; i++) {
                w = w << 8 | (a[i] & 0xff);
            }
            h = Long.rotateLeft(h ^ w * K2, 31) * K1;
        }
        h ^= h >>> 29;
        h *= K2;
        return (int) (h ^ (h >>> 32));
    }

    private int lookup(byte[] a, int off, int len) {
        int h = hash(a, off, len);
        long[] t = table;
        int mask = (t.length >> 1) - 1;
        int slot = h & mask;
        long e;
        while ((e = t[2 * slot]) != 0) {
            if ((int) (e >>> 32) == h) {
                long where = t[2 * slot + 1];
                if ((int) where == len && Swar.equal(arena, (int) (where >>> 32), a, off, len)) {
                    return (int) e - 1;
                }
            }
            slot = (slot + 1) & mask;
        }
        int id = entries++;
        if (2 * id == meta.length) {
            meta = Arrays.copyOf(meta, meta.length * 2);
        }
        if (arenaLen + len > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arenaLen + len, arena.length * 2));
        }
        System.arraycopy(a, off, arena, arenaLen, len);
        meta[2 * id] = arenaLen;
        meta[2 * id + 1] = len;
        t[2 * slot] = (long) h << 32 | (id + 1);
        t[2 * slot + 1] = (long) arenaLen << 32 | len;
        arenaLen += len;
        dictBytes += fixed < 0 ? 4 + len : len;
        if (entries * 2 > (t.length >> 1)) {
            rehash();
        }
        return id;
    }

    private void rehash() {
        long[] t = new long[table.length * 2];
        int mask = (t.length >> 1) - 1;
        for (int k = 0; k < table.length; k += 2) {
            long e = table[k];
            if (e != 0) {
                int slot = (int) (e >>> 32) & mask;
                while (t[2 * slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                t[2 * slot] = e;
                t[2 * slot + 1] = table[k + 1];
            }
        }
        table = t;
    }

    @Override
    Encoding encodeValues(ByteBuf out, boolean firstPage) {
        if (dictionary && firstPage && nIds > 0) {
            long encoded = dictBytes + (long) nIds * Rle.width(Math.max(1, entries - 1)) / 8;
            if (encoded >= raw) {
                fallBack();
            }
        }
        if (dictionary) {
            int width = Math.max(1, Rle.width(entries - 1));
            out.put(width);
            Rle.encode(ids, nIds, width, out);
            return Encoding.PLAIN_DICTIONARY;
        }
        out.put(plain.a, 0, plain.n);
        return Encoding.PLAIN;
    }

    @Override
    void bounds() {
        if (dictionary && nIds > 0) {
            // each distinct entry of the page is compared once; the bit set is small enough to stay
            // in cache
            int words = (entries + 63) >>> 6;
            if (seen.length < words) {
                seen = new long[Math.max(words, seen.length * 2)];
            }
            long[] bits = seen;
            int[] m = meta;
            int minId = -1;
            int maxId = -1;
            for (int k = 0; k < nIds; k++) {
                int id = ids[k];
                long bit = 1L << id;
                if ((bits[id >>> 6] & bit) != 0) {
                    continue;
                }
                bits[id >>> 6] |= bit;
                if (minId < 0
                        || compare(
                                        arena,
                                        m[2 * id],
                                        m[2 * id + 1],
                                        arena,
                                        m[2 * minId],
                                        m[2 * minId + 1])
                                < 0) {
                    minId = id;
                }
                if (maxId < 0
                        || compare(
                                        arena,
                                        m[2 * id],
                                        m[2 * id + 1],
                                        arena,
                                        m[2 * maxId],
                                        m[2 * maxId + 1])
                                > 0) {
                    maxId = id;
                }
            }
            Arrays.fill(bits, 0, words, 0);
            pageMin = Arrays.copyOfRange(arena, m[2 * minId], m[2 * minId] + m[2 * minId + 1]);
            pageMax = Arrays.copyOfRange(arena, m[2 * maxId], m[2 * maxId] + m[2 * maxId + 1]);
        } else if (!dictionary && minOff >= 0) {
            pageMin = Arrays.copyOfRange(plain.a, minOff, minOff + minLen);
            pageMax = Arrays.copyOfRange(plain.a, maxOff, maxOff + maxLen);
        }
    }

    @Override
    int compareBounds(byte[] a, byte[] b) {
        return compare(a, 0, a.length, b, 0, b.length);
    }

    @Override
    void resetPage() {
        nIds = 0;
        raw = 0;
        plain.reset();
        minOff = -1;
        maxOff = -1;
    }

    @Override
    int dictionary(ByteBuf out) {
        for (int id = 0; id < entries; id++) {
            if (fixed < 0) {
                out.putIntLE(meta[2 * id + 1]);
            }
            out.put(arena, meta[2 * id], meta[2 * id + 1]);
        }
        return entries;
    }

    @Override
    long dictionaryBytes() {
        return dictBytes;
    }

    @Override
    void resetChunk() {
        if (entries > 0) {
            Arrays.fill(table, 0);
        }
        entries = 0;
        arenaLen = 0;
        dictBytes = 0;
    }
}
