package dev.tarn.lake.format.internal.read;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes at a time: skipping over bytes that need no attention. Exact (no false positives or
 * negatives).
 */
public final class Swar {
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH = 0x8080808080808080L;
    private static final long NL = 0x0A0A0A0A0A0A0A0AL;
    private static final long QUOTE = 0x2222222222222222L;
    private static final long BACKSLASH = 0x5C5C5C5C5C5C5C5CL;

    private Swar() {}

    /** High bit set in each byte of {@code x} that is zero. */
    /**
     * Equality of two byte ranges a word at a time, the last word read overlapping. For the short
     * ranges compared per value (field names, dictionary entries) this inlines into the caller,
     * where the range form of {@code Arrays.equals} is an out-of-line call with its own checks.
     */
    public static boolean equal(byte[] a, int ao, byte[] b, int bo, int len) {
        if (len >= 8) {
            int i = 0;
            for (; i + 8 <= len; i += 8) {
                if ((long) LONGS.get(a, ao + i) != (long) LONGS.get(b, bo + i)) {
                    return false;
                }
            }
            return i == len
                    || (long) LONGS.get(a, ao + len - 8) == (long) LONGS.get(b, bo + len - 8);
        }
        for (int i = 0; i < len; i++) {
            if (a[ao + i] != b[bo + i]) {
                return false;
            }
        }
        return true;
    }

    private static long zeros(long x) {
        return ~(((x & LOW7) + LOW7) | x | LOW7);
    }

    /** Index of the first LF in {@code b[from, to)}, or {@code to}. */
    public static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        while (i + 8 <= to) {
            long m = zeros((long) LONGS.get(b, i) ^ NL);
            if (m != 0) {
                return i + (Long.numberOfTrailingZeros(m) >>> 3);
            }
            i += 8;
        }
        while (i < to && b[i] != '\n') {
            i++;
        }
        return i;
    }

    /** Number of LFs in {@code b[0, len)}. */
    public static long countNewlines(byte[] b, int len) {
        long n = 0;
        int i = 0;
        while (i + 8 <= len) {
            n += Long.bitCount(zeros((long) LONGS.get(b, i) ^ NL));
            i += 8;
        }
        for (; i < len; i++) {
            if (b[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    /** A word with every byte equal to {@code c}. */
    public static long broadcast(byte c) {
        return (c & 0xFFL) * 0x0101010101010101L;
    }

    /**
     * Index of the first byte in {@code b[from, to)} equal to one of the three broadcast bytes (see
     * {@link #broadcast}), or {@code to}.
     */
    public static int indexOfAny(byte[] b, int from, int to, long c1, long c2, long c3) {
        int i = from;
        while (i + 8 <= to) {
            long w = (long) LONGS.get(b, i);
            long m = zeros(w ^ c1) | zeros(w ^ c2) | zeros(w ^ c3);
            if (m != 0) {
                return i + (Long.numberOfTrailingZeros(m) >>> 3);
            }
            i += 8;
        }
        byte a1 = (byte) c1, a2 = (byte) c2, a3 = (byte) c3;
        while (i < to) {
            byte x = b[i];
            if (x == a1 || x == a2 || x == a3) {
                return i;
            }
            i++;
        }
        return to;
    }

    /**
     * Index of the first byte in {@code b[from, to)} that a JSON string scanner must look at: a
     * quote, a backslash, a control character or a non-ASCII byte; or the position where fewer than
     * 8 bytes remain.
     */
    public static int skipPlainString(byte[] b, int from, int to) {
        int i = from;
        while (i + 8 <= to) {
            long w = (long) LONGS.get(b, i);
            long control = ~((w & LOW7) + 0x6060606060606060L) & ~w & HIGH; // bytes below 0x20
            long m = zeros(w ^ QUOTE) | zeros(w ^ BACKSLASH) | control | (w & HIGH);
            if (m != 0) {
                return i + (Long.numberOfTrailingZeros(m) >>> 3);
            }
            i += 8;
        }
        return i;
    }
}
