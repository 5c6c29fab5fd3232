package dev.tarn.lake.format.internal.write;

import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.ObjectWriter;
import dev.tarn.lake.storage.WriteMode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A file being written that becomes visible only on {@link #commit()}. Closing the stream (as the
 * Parquet writer does when it has written the footer) does not publish anything.
 */
public abstract class Staged {
    private final Counting stream;

    Staged(OutputStream out) {
        this.stream = new Counting(out);
    }

    public PositionOutputStream stream() {
        return stream;
    }

    public long size() {
        return stream.pos;
    }

    /** Makes the file visible; returns its location (path or key). */
    public abstract String commit();

    /**
     * The writer is done with the file: a local temp file is closed now, so that a conversion
     * writing many files (one per partition) holds neither a descriptor nor a buffer per finished
     * file until the commit.
     */
    public void finished() {}

    /** Deletes what was written. Idempotent. */
    public abstract void discard();

    public abstract String describe();

    /**
     * A position-tracking stream whose close only flushes the underlying one, never publishes or
     * discards.
     */
    static final class Counting extends PositionOutputStream {
        private OutputStream out;
        long pos;
        boolean closed;

        Counting(OutputStream out) {
            this.out = out;
        }

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            pos++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            pos += len;
        }

        @Override
        public void flush() throws IOException {
            if (out != null) {
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                flush();
            }
        }

        /** Closes the underlying stream and lets go of it (and its buffer). Idempotent. */
        void closeUnderlying() throws IOException {
            OutputStream o = out;
            if (o != null) {
                out = null;
                o.close();
            }
        }
    }

    /** A local temp file moved into place on commit. */
    public static final class Local extends Staged {
        private final Path temp;
        private final Path target;
        private boolean done;

        private Local(Path temp, Path target, OutputStream out) {
            super(out);
            this.temp = temp;
            this.target = target;
        }

        public static Local create(Path temp, Path target) {
            try {
                Files.createDirectories(temp.getParent());
                return new Local(
                        temp,
                        target,
                        new BufferedOutputStream(Files.newOutputStream(temp), 1 << 18));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + temp, e);
            }
        }

        @Override
        public void finished() {
            try {
                ((Counting) stream()).closeUnderlying();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + temp, e);
            }
        }

        @Override
        public String commit() {
            try {
                ((Counting) stream()).closeUnderlying();
                Path parent = target.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    Files.move(
                            temp,
                            target,
                            StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                done = true;
                return target.toString();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move " + temp + " to " + target, e);
            }
        }

        @Override
        public void discard() {
            if (done) {
                return;
            }
            done = true;
            try {
                ((Counting) stream()).closeUnderlying();
            } catch (IOException ignored) {
                // deleting anyway
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: a leftover temp file ends in .tmp and is never read as data
            }
        }

        @Override
        public String describe() {
            return target.toString();
        }
    }

    /** An object of a store, written through an {@link ObjectWriter} committed at the end. */
    public static final class Store extends Staged {
        private final ObjectWriter writer;
        private final ObjectStore store;
        private boolean done;
        private ObjectStat stat;

        private Store(ObjectStore store, ObjectWriter writer) {
            super(writer);
            this.store = store;
            this.writer = writer;
        }

        public static Store create(ObjectStore store, String key) {
            return new Store(store, store.newWriter(key, WriteMode.CREATE));
        }

        @Override
        public void finished() {
            writer.finishWriting();
        }

        @Override
        public String commit() {
            stat = writer.commit();
            done = true;
            writer.close();
            return writer.key();
        }

        /** What the store reports about the object once committed; null before. */
        public ObjectStat stat() {
            return stat;
        }

        @Override
        public void discard() {
            if (!done) {
                done = true;
                writer.close();
            }
        }

        @Override
        public String describe() {
            return store.location() + "/" + writer.key();
        }
    }
}
