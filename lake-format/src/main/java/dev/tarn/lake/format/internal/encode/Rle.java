package dev.tarn.lake.format.internal.encode;

/**
 * Parquet's RLE / bit-packing hybrid encoding of small unsigned integers (definition and repetition
 * levels, dictionary ids). Runs of 8 or more equal values become RLE runs; everything else is
 * bit-packed in groups of 8.
 */
final class Rle {
    private Rle() {}

    /** Bits needed for values up to {@code max}. */
    static int width(int max) {
        return 32 - Integer.numberOfLeadingZeros(max);
    }

    static void encode(int[] v, int n, int width, ByteBuf out) {
        int valueBytes = (width + 7) >>> 3;
        int i = 0;
        int packedFrom = 0;
        while (i < n) {
            int x = v[i];
            int j = i + 1;
            while (j < n && v[j] == x) {
                j++;
            }
            // a bit-packed run must hold a multiple of 8 values, so the first values of a run may
            // top it up
            int fill = (8 - ((i - packedFrom) & 7)) & 7;
            if (j - i >= fill + 8) {
                i += fill;
                if (i > packedFrom) {
                    pack(v, packedFrom, i - packedFrom, width, out);
                }
                out.putVarInt((j - i) << 1);
                out.ensure(valueBytes);
                for (int k = 0; k < valueBytes; k++) {
                    out.a[out.n++] = (byte) (x >>> (8 * k));
                }
                packedFrom = j;
            }
            i = j;
        }
        if (n > packedFrom) {
            pack(v, packedFrom, n - packedFrom, width, out);
        }
    }

    /**
     * One bit-packed run; the last group is padded with zeros (only ever at the end of the data).
     */
    private static void pack(int[] v, int from, int count, int width, ByteBuf out) {
        int groups = (count + 7) >>> 3;
        out.putVarInt(groups << 1 | 1);
        out.ensure(groups * width);
        byte[] a = out.a;
        int o = out.n;
        long acc = 0;
        int bits = 0;
        int end = from + count;
        int padded = from + groups * 8;
        for (int k = from; k < padded; k++) {
            long x = k < end ? v[k] & 0xffffffffL : 0;
            acc |= x << bits;
            bits += width;
            while (bits >= 8) {
                a[o++] = (byte) acc;
                acc >>>= 8;
                bits -= 8;
            }
        }
        out.n = o;
    }
}
