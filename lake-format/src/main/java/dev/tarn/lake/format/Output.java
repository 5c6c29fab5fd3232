package dev.tarn.lake.format;

import dev.tarn.lake.storage.ObjectStore;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a conversion writes. Every file is staged (a temp file, an uncommitted {@link
 * dev.tarn.lake.storage.ObjectWriter}) and made visible only when the whole conversion succeeds.
 */
public final class Output {
    /** The kinds of destination. */
    public enum Kind {
        LOCAL_DIRECTORY,
        LOCAL_FILE,
        STORE_PREFIX,
        STORE_OBJECT
    }

    private final Kind kind;
    private final Path path;
    private final ObjectStore store;
    private final String key;

    private Output(Kind kind, Path path, ObjectStore store, String key) {
        this.kind = kind;
        this.path = path;
        this.store = store;
        this.key = key;
    }

    /**
     * A local directory that receives {@code part-*.parquet} files (and Hive partition
     * directories).
     */
    public static Output directory(Path dir) {
        return new Output(Kind.LOCAL_DIRECTORY, Objects.requireNonNull(dir, "dir"), null, null);
    }

    /** Exactly one local file (no rolling, no partitioning). */
    public static Output file(Path file) {
        return new Output(Kind.LOCAL_FILE, Objects.requireNonNull(file, "file"), null, null);
    }

    /** Objects under {@code prefix} (a folder such as {@code processed/clicks}) of a store. */
    public static Output store(ObjectStore store, String prefix) {
        String p = Objects.requireNonNull(prefix, "prefix");
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return new Output(Kind.STORE_PREFIX, null, Objects.requireNonNull(store, "store"), p);
    }

    /** Exactly one object of a store. */
    public static Output storeObject(ObjectStore store, String key) {
        return new Output(
                Kind.STORE_OBJECT,
                null,
                Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(key, "key"));
    }

    public Kind kind() {
        return kind;
    }

    /** The local path, for local kinds. */
    public Path path() {
        return path;
    }

    /** The store, for store kinds. */
    public ObjectStore store() {
        return store;
    }

    /** The prefix or key, for store kinds. */
    public String key() {
        return key;
    }

    /** True for destinations that are one single file/object. */
    public boolean isSingle() {
        return kind == Kind.LOCAL_FILE || kind == Kind.STORE_OBJECT;
    }

    @Override
    public String toString() {
        return path != null ? path.toString() : store.location() + "/" + key;
    }
}
