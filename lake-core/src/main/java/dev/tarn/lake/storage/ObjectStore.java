package dev.tarn.lake.storage;

import dev.tarn.lake.exceptions.ObjectExistsException;
import dev.tarn.lake.exceptions.ObjectNotFoundException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The one door through which every byte of a lake passes.
 *
 * <p>Keys are '/'-separated relative paths ({@code raw/clicks/ingest_date=2026-11-21/a.ndjson}). No
 * segment may be empty, {@code .} or {@code ..}, or start with {@code .}: implementations keep
 * their own bookkeeping (temp files, staging areas) under such names, out of the key space.
 *
 * <p>Contract every implementation honours, because the catalog and the table log are built on it:
 *
 * <ul>
 *   <li>A written object becomes visible whole or not at all; readers never see a partial object.
 *   <li>{@link WriteMode#CREATE} (put-if-absent) is exclusive: of any number of concurrent writers
 *       to one key, across threads and processes, exactly one succeeds and the others get {@link
 *       ObjectExistsException}.
 *   <li>{@link #list(String, String)} returns keys in ascending lexicographic (UTF-8 byte) order.
 * </ul>
 *
 * Errors surface as {@link UncheckedIOException}; a missing key as {@link ObjectNotFoundException}.
 */
public interface ObjectStore extends Closeable {

    /**
     * Where this store lives, as a URI string ({@code file:///...}, {@code s3://bucket/prefix}).
     */
    String location();

    /** Streams a whole object. */
    InputStream get(String key);

    /** Streams {@code length} bytes starting at {@code offset} (fewer if the object ends first). */
    InputStream get(String key, long offset, long length);

    /** Reads a whole (small) object into memory. */
    default byte[] getBytes(String key) {
        try (InputStream in = get(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key + " from " + location(), e);
        }
    }

    /** Size and modification time of an object, or empty if there is none. */
    Optional<ObjectStat> stat(String key);

    /**
     * Opens a streaming write. Nothing is visible until {@link ObjectWriter#commit()}; closing a
     * writer that was not committed discards what was written.
     */
    ObjectWriter newWriter(String key, WriteMode mode);

    /** Writes a whole object from memory. */
    default ObjectStat put(String key, byte[] bytes, WriteMode mode) {
        try (ObjectWriter w = newWriter(key, mode)) {
            w.write(bytes);
            return w.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + key + " to " + location(), e);
        }
    }

    /** Writes a whole object from a stream, which is read to its end but not closed. */
    default ObjectStat put(String key, InputStream in, WriteMode mode) {
        try (ObjectWriter w = newWriter(key, mode)) {
            in.transferTo(w);
            return w.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + key + " to " + location(), e);
        }
    }

    /**
     * Every object whose key starts with {@code prefix} (a plain string prefix, not only a folder),
     * in ascending key order, starting after {@code startAfter} when it is not null.
     */
    default List<ObjectStat> list(String prefix, String startAfter) {
        return list(prefix, startAfter, Integer.MAX_VALUE);
    }

    /** As {@link #list(String, String)}, stopping after {@code limit} objects. */
    List<ObjectStat> list(String prefix, String startAfter, int limit);

    default List<ObjectStat> list(String prefix) {
        return list(prefix, null);
    }

    /** Deletes an object; returns false if there was none. */
    boolean delete(String key);

    /**
     * Writes that were started and never committed nor discarded: temp files of a process that
     * died, unfinished multipart uploads. {@code doctor} reports them and may {@link #abandon}
     * them.
     */
    List<PendingWrite> pendingWrites();

    /** Discards a pending write found by {@link #pendingWrites()}. */
    void abandon(PendingWrite write);

    @Override
    default void close() {}
}
