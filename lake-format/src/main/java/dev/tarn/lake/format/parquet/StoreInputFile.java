package dev.tarn.lake.format.parquet;

import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Tarn's one store adapter for reading Parquet: an {@link InputFile} over an object of the store, read with ranged gets
 * through a small buffer. (Writing goes through the encoder's staged store writes, see {@link RowWriter}.)
 */
public final class StoreInputFile implements InputFile {
    private static final int CHUNK = 256 * 1024;
    private final ObjectStore store;
    private final String key;
    private final long length;

    public StoreInputFile(ObjectStore store, ObjectStat stat) {
        this(store, stat.key(), stat.size());
    }

    public StoreInputFile(ObjectStore store, String key, long length) {
        this.store = store;
        this.key = key;
        this.length = length;
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public SeekableInputStream newStream() {
        return new Stream();
    }

    @Override
    public String toString() {
        return key;
    }

    private final class Stream extends SeekableInputStream {
        private long pos;
        private byte[] buf = new byte[0];
        private long bufStart;

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void seek(long newPos) {
            pos = newPos;
        }

        private boolean fill(int want) throws IOException {
            if (pos >= length) {
                return false;
            }
            if (pos >= bufStart && pos < bufStart + buf.length) {
                return true;
            }
            int n = (int) Math.min(Math.max(want, CHUNK), length - pos);
            try (InputStream in = store.get(key, pos, n)) {
                buf = in.readNBytes(n);
            }
            bufStart = pos;
            return buf.length > 0;
        }

        @Override
        public int read() throws IOException {
            if (!fill(1)) {
                return -1;
            }
            int b = buf[(int) (pos - bufStart)] & 0xff;
            pos++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill(len)) {
                return -1;
            }
            int from = (int) (pos - bufStart);
            int n = Math.min(len, buf.length - from);
            System.arraycopy(buf, from, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
            while (len > 0) {
                int n = read(bytes, start, len);
                if (n < 0) {
                    throw new EOFException("end of " + key + " at " + pos);
                }
                start += n;
                len -= n;
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int len = dst.remaining();
            if (len == 0) {
                return 0;
            }
            byte[] tmp = new byte[len];
            int n = read(tmp, 0, len);
            if (n > 0) {
                dst.put(tmp, 0, n);
            }
            return n;
        }

        @Override
        public void readFully(ByteBuffer dst) throws IOException {
            byte[] tmp = new byte[dst.remaining()];
            readFully(tmp);
            dst.put(tmp);
        }
    }
}
