package dev.tarn.lake.format.internal.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Passes bytes through to a parser while keeping every byte not yet {@link #release released}, so
 * the exact raw text of a record can be cut out by its start and end offsets.
 */
public final class Retaining extends InputStream {
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private long bufStart;
    private int n;
    private long released;

    public Retaining(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int k = read(one, 0, 1);
        return k < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int k = in.read(b, off, len);
        if (k > 0) {
            ensure(n + k);
            System.arraycopy(b, off, buf, n, k);
            n += k;
        }
        return k;
    }

    private void ensure(int cap) {
        if (cap > buf.length) {
            int drop = (int) Math.min(n, Math.max(0, released - bufStart));
            if (drop > 0) {
                System.arraycopy(buf, drop, buf, 0, n - drop);
                n -= drop;
                bufStart += drop;
                cap -= drop;
            }
            if (cap > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(cap, buf.length * 2));
            }
        }
    }

    /** Allows bytes before absolute offset {@code pos} to be forgotten. */
    public void release(long pos) {
        released = Math.max(released, pos);
    }

    /** Copies retained bytes [start, end) to {@code dst}. */
    public void copy(long start, long end, byte[] dst, int off) {
        int from = (int) (start - bufStart);
        int len = (int) (end - start);
        if (from < 0 || from + len > n) {
            throw new IllegalStateException("bytes " + start + ".." + end + " are not retained");
        }
        System.arraycopy(buf, from, dst, off, len);
    }

    /** Reads the rest of the input into the retained bytes (up to the record limit). */
    public void drain() throws IOException {
        byte[] tmp = new byte[1 << 16];
        int k;
        while (n < Chunk.MAX_RECORD && (k = in.read(tmp)) > 0) {
            ensure(n + k);
            System.arraycopy(tmp, 0, buf, n, k);
            n += k;
        }
    }

    /** Absolute offset just past the retained bytes. */
    public long end() {
        return bufStart + n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
