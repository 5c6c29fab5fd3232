package dev.tarn.lake.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * One stored object and its metadata record.
 *
 * <p>The catalog log's own record of an object (its {@code add} line) repeats these components on
 * purpose: the log's format must not change when this public record does.
 *
 * @param dataset the dataset it belongs to
 * @param path its path inside the dataset, e.g. {@code ingest_date=2026-11-21/events.ndjson}
 * @param size bytes
 * @param sha256 hex SHA-256 of its bytes
 * @param contentType MIME type
 * @param format detected format
 * @param originalName the name it came with (file name, or the name given with a stream)
 * @param ingestedAt when it was committed
 * @param source where it came from (an absolute file path, {@code stdin}, {@code stream}, {@code
 *     records})
 * @param partition its Hive-style partition values, in path order
 * @param metadata user key/values
 * @param version the catalog version that added it
 */
public record LakeObject(
        DatasetId dataset,
        String path,
        long size,
        String sha256,
        String contentType,
        Format format,
        String originalName,
        Instant ingestedAt,
        String source,
        Map<String, String> partition,
        Map<String, String> metadata,
        long version) {
    public LakeObject {
        partition = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(partition));
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** The object's key in the lake's store. */
    public String key() {
        return dataset.keyPrefix() + path;
    }
}
