package dev.tarn.lake.ingest;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Stores data in a dataset byte for byte as it came, with a metadata record per object, in one
 * atomic commit: after {@link #commit()} returns, every object is visible; if it throws, none is.
 *
 * <pre>{@code
 * lake.ingest("raw/clicks").file(Path.of("events.ndjson")).meta("source-system", "web").commit();
 * }</pre>
 *
 * Objects land under {@code ZONE/DATASET/ingest_date=YYYY-MM-DD/} (UTC), or under the partition
 * values given. Bytes the dataset already holds are reported as duplicates and not stored again,
 * unless {@link #force()}.
 */
public interface Ingest extends dev.tarn.lake.PendingUpdate<IngestResult> {
    /** Adds a file. */
    Ingest file(Path file);

    /**
     * Adds every regular file below a directory, keeping their relative paths. Hidden files are
     * skipped.
     */
    Ingest directory(Path dir);

    /** Adds a file or, for a directory, its tree. */
    default Ingest path(Path path) {
        return java.nio.file.Files.isDirectory(path) ? directory(path) : file(path);
    }

    /** Adds the bytes of a stream, read to its end (not closed), under the given name. */
    Ingest stream(InputStream in, String name);

    Ingest bytes(byte[] bytes, String name);

    /**
     * Adds Java objects or maps serialised as NDJSON (one JSON document per line) under the given
     * name.
     */
    Ingest records(Iterable<?> records, String name);

    /**
     * Stores under {@code key=value} instead of {@code ingest_date=...}; repeat for several levels,
     * in order.
     */
    Ingest partition(String key, String value);

    /** Adds a user key/value to every object's metadata record. */
    Ingest meta(String key, String value);

    default Ingest meta(Map<String, String> metadata) {
        metadata.forEach(this::meta);
        return this;
    }

    /**
     * Overrides the recorded source (by default the absolute file path, {@code stream} or {@code
     * records}).
     */
    Ingest source(String source);

    /** Overrides the content type detected from the name and bytes. */
    Ingest contentType(String contentType);

    /** Stores bytes the dataset already holds, instead of reporting them as duplicates. */
    Ingest force();

    /** Reports progress while bytes are stored. */
    Ingest progress(IngestProgress listener);

    /**
     * Reads and hashes everything added without storing it, and reports what {@link #commit()}
     * would store and what it would find to be a duplicate, and the catalog version it would commit
     * (-1: nothing new). Not for an ingest of a {@link #stream stream}, which can be read only
     * once.
     */
    @Override
    IngestResult apply();

    /** Stores everything added, commits, and reports what was stored and what was a duplicate. */
    @Override
    IngestResult commit();
}
