package dev.tarn.lake.table;

import dev.tarn.lake.types.Schema;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One data file of a table: a Parquet file under the table's directory.
 *
 * @param path relative to the table's root, '/'-separated, not URI-encoded ({@code
 *     date=2026-11-21/part-0001.parquet})
 * @param partitionValues partition column to value, serialized as the Delta protocol says (numbers
 *     as their decimal text, dates {@code yyyy-MM-dd}, booleans {@code true}/{@code false}); a null
 *     value is the null partition. Exactly the table's partition columns.
 * @param size bytes; -1 when not known yet (an append then takes it from the store)
 * @param modificationTime when the file was written; null when not known yet (taken from the store)
 * @param stats per-file statistics, or null if none were collected
 * @param schema the columns stored in the file (partition columns are not stored in files), when
 *     known: appends check it against the table's schema. Never stored in the log.
 */
public record DataFile(
        String path,
        Map<String, String> partitionValues,
        long size,
        Instant modificationTime,
        FileStats stats,
        Schema schema) {
    public DataFile {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("//")) {
            throw new IllegalArgumentException(
                    "data file path must be relative to the table root: '" + path + "'");
        }
        partitionValues =
                partitionValues == null
                        ? Map.of()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(partitionValues));
    }

    public Optional<FileStats> statistics() {
        return Optional.ofNullable(stats);
    }

    /** The record count from the statistics, or -1 when unknown. */
    public long recordCount() {
        return stats == null ? -1 : stats.numRecords();
    }

    public static Builder builder(String path) {
        return new Builder(path);
    }

    /** A copy with other partition values, size, time, stats or schema. */
    public Builder toBuilder() {
        Builder b = new Builder(path);
        b.partitionValues.putAll(partitionValues);
        b.size = size;
        b.modificationTime = modificationTime;
        b.stats = stats;
        b.schema = schema;
        return b;
    }

    /** Builds a {@link DataFile}. */
    public static final class Builder {
        private final String path;
        private final Map<String, String> partitionValues = new LinkedHashMap<>();
        private long size = -1;
        private Instant modificationTime;
        private FileStats stats;
        private Schema schema;

        private Builder(String path) {
            this.path = path;
        }

        /** One partition value (null for the null partition). */
        public Builder partition(String column, String value) {
            partitionValues.put(column, value);
            return this;
        }

        public Builder partitionValues(Map<String, String> values) {
            partitionValues.putAll(values);
            return this;
        }

        public Builder size(long bytes) {
            this.size = bytes;
            return this;
        }

        public Builder modificationTime(Instant t) {
            this.modificationTime = t;
            return this;
        }

        public Builder recordCount(long n) {
            this.stats =
                    stats == null
                            ? FileStats.ofRecords(n)
                            : new FileStats(
                                    n, stats.minValues(), stats.maxValues(), stats.nullCount());
            return this;
        }

        public Builder stats(FileStats s) {
            this.stats = s;
            return this;
        }

        public Builder schema(Schema s) {
            this.schema = s;
            return this;
        }

        public DataFile build() {
            return new DataFile(path, partitionValues, size, modificationTime, stats, schema);
        }
    }
}
