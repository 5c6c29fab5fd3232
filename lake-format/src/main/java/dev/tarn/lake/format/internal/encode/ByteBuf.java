package dev.tarn.lake.format.internal.encode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable little-endian byte buffer for page building; reused across pages so the hot path does
 * not allocate.
 */
public final class ByteBuf {
    private static final VarHandle INTS =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    public byte[] a;
    public int n;

    public ByteBuf(int capacity) {
        a = new byte[Math.max(16, capacity)];
    }

    public void ensure(int more) {
        if (n + more > a.length) {
            a = Arrays.copyOf(a, Math.max(n + more, a.length * 2));
        }
    }

    public void put(int b) {
        ensure(1);
        a[n++] = (byte) b;
    }

    public void putIntLE(int v) {
        ensure(4);
        INTS.set(a, n, v);
        n += 4;
    }

    void setIntLE(int at, int v) {
        INTS.set(a, at, v);
    }

    public void putLongLE(long v) {
        ensure(8);
        LONGS.set(a, n, v);
        n += 8;
    }

    public void put(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, a, n, len);
        n += len;
    }

    public void putVarInt(int v) {
        ensure(5);
        while ((v & ~0x7f) != 0) {
            a[n++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        a[n++] = (byte) v;
    }

    public void reset() {
        n = 0;
    }

    byte[] copy() {
        return Arrays.copyOf(a, n);
    }
}
