package dev.tarn.lake.query;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Resource limits of a lake's SQL engine. Defaults suit a library embedded in an application: all
 * cores, a quarter of the memory that the machine has beyond the JVM's heap (at most 4 GiB;
 * DuckDB's memory is outside the heap), spilling to a temp directory of the engine's own (in the
 * cache directory, {@code ~/.cache/tarn/sql}) up to half of the free space there, and no statement
 * timeout.
 *
 * @param threads worker threads (0: one per core)
 * @param memoryLimit DuckDB memory limit such as {@code "2GB"} (null: the default above)
 * @param tempDirectory where large operations spill (null: a fresh temp directory, deleted on
 *     close)
 * @param maxRows the most rows {@link Sql#query} materialises before asking for {@link
 *     Sql#resultSet}
 * @param cacheBytes for lakes in an object store (S3): how large the local cache of objects that
 *     SQL reads may grow (least recently used copies are evicted; default 2 GiB)
 * @param sourceColumn if not null, raw datasets read as they lie get a column of this name holding
 *     each row's object key ({@code raw/clicks/ingest_date=2026-11-21/events.ndjson}, as {@code
 *     lake cat} takes it)
 * @param timeout how long one statement may run, reading its result included, before it is
 *     cancelled (null: no limit)
 * @param tempLimit how much the engine may spill to its temp directory, a size such as {@code
 *     "20GB"} (null: half of the free space there); a query needing more fails with DuckDB's error
 * @param skipBadObjects whether a raw dataset's view leaves out the objects it cannot read (each is
 *     read once, in full, to check it; {@link Sql#skippedObjects()} says which were left out)
 *     instead of failing every query on the dataset with an error naming them
 */
public record SqlOptions(
        int threads,
        String memoryLimit,
        Path tempDirectory,
        int maxRows,
        String sourceColumn,
        long cacheBytes,
        Duration timeout,
        String tempLimit,
        boolean skipBadObjects) {
    private static final String SIZE = "\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)";

    public SqlOptions(
            int threads,
            String memoryLimit,
            Path tempDirectory,
            int maxRows,
            String sourceColumn,
            long cacheBytes) {
        this(threads, memoryLimit, tempDirectory, maxRows, sourceColumn, cacheBytes, null, null);
    }

    public SqlOptions(
            int threads,
            String memoryLimit,
            Path tempDirectory,
            int maxRows,
            String sourceColumn,
            long cacheBytes,
            Duration timeout,
            String tempLimit) {
        this(
                threads,
                memoryLimit,
                tempDirectory,
                maxRows,
                sourceColumn,
                cacheBytes,
                timeout,
                tempLimit,
                false);
    }

    public SqlOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (one per core) or more");
        }
        if (memoryLimit != null && !memoryLimit.matches(SIZE)) {
            throw new IllegalArgumentException(
                    "memory limit '" + memoryLimit + "' is not a size such as 512MB or 2GB");
        }
        if (tempLimit != null && !tempLimit.matches(SIZE)) {
            throw new IllegalArgumentException(
                    "temp limit '" + tempLimit + "' is not a size such as 512MB or 20GB");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("a statement timeout must be positive");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1");
        }
        if (cacheBytes < 1) {
            throw new IllegalArgumentException("cache size must be positive");
        }
        if (sourceColumn != null && !sourceColumn.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
            throw new IllegalArgumentException(
                    "source column name '"
                            + sourceColumn
                            + "' is not allowed; use"
                            + " letters, digits and '_', starting with a letter or '_'");
        }
    }

    public static SqlOptions defaults() {
        return new SqlOptions(0, null, null, 1_000_000, null, 2L << 30, null, null, false);
    }

    public SqlOptions threads(int n) {
        return new SqlOptions(
                n,
                memoryLimit,
                tempDirectory,
                maxRows,
                sourceColumn,
                cacheBytes,
                timeout,
                tempLimit,
                skipBadObjects);
    }

    public SqlOptions memoryLimit(String limit) {
        return new SqlOptions(
                threads,
                Objects.requireNonNull(limit),
                tempDirectory,
                maxRows,
                sourceColumn,
                cacheBytes,
                timeout,
                tempLimit,
                skipBadObjects);
    }

    public SqlOptions tempDirectory(Path dir) {
        return new SqlOptions(
                threads,
                memoryLimit,
                Objects.requireNonNull(dir),
                maxRows,
                sourceColumn,
                cacheBytes,
                timeout,
                tempLimit,
                skipBadObjects);
    }

    public SqlOptions maxRows(int n) {
        return new SqlOptions(
                threads,
                memoryLimit,
                tempDirectory,
                n,
                sourceColumn,
                cacheBytes,
                timeout,
                tempLimit,
                skipBadObjects);
    }

    /** The most bytes the local cache of a lake in an object store may hold. */
    public SqlOptions cacheBytes(long bytes) {
        return new SqlOptions(
                threads,
                memoryLimit,
                tempDirectory,
                maxRows,
                sourceColumn,
                bytes,
                timeout,
                tempLimit,
                skipBadObjects);
    }

    /**
     * Adds a column of this name, holding each row's object key, to raw datasets read as they lie.
     */
    public SqlOptions sourceColumn(String name) {
        return new SqlOptions(
                threads,
                memoryLimit,
                tempDirectory,
                maxRows,
                Objects.requireNonNull(name),
                cacheBytes,
                timeout,
                tempLimit,
                skipBadObjects);
    }

    /** Cancels a statement that runs longer than this, reading its result included. */
    public SqlOptions timeout(Duration limit) {
        return new SqlOptions(
                threads,
                memoryLimit,
                tempDirectory,
                maxRows,
                sourceColumn,
                cacheBytes,
                Objects.requireNonNull(limit),
                tempLimit,
                skipBadObjects);
    }

    /** The most the engine may spill to its temp directory, a size such as {@code "20GB"}. */
    public SqlOptions tempLimit(String limit) {
        return new SqlOptions(
                threads,
                memoryLimit,
                tempDirectory,
                maxRows,
                sourceColumn,
                cacheBytes,
                timeout,
                Objects.requireNonNull(limit),
                skipBadObjects);
    }

    /**
     * Whether a raw dataset's view leaves out the objects it cannot read, reading each object once
     * in full to check it, rather than failing every query on the dataset with an error that names
     * them.
     */
    public SqlOptions skipBadObjects(boolean skip) {
        return new SqlOptions(
                threads,
                memoryLimit,
                tempDirectory,
                maxRows,
                sourceColumn,
                cacheBytes,
                timeout,
                tempLimit,
                skip);
    }
}
