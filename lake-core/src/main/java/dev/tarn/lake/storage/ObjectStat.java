package dev.tarn.lake.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * What a store knows about one object without reading it.
 *
 * @param key the object's key
 * @param size its length in bytes
 * @param lastModified when it was written
 * @param etag a store-specific version tag (S3 ETag; size and mtime for local files), never null
 */
public record ObjectStat(String key, long size, Instant lastModified, String etag) {
    public ObjectStat {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(etag, "etag");
    }
}
