package dev.tarn.lake.stream;

/** How rolled objects are compressed. */
public enum StreamCompression {
    /** Plain NDJSON ({@code .ndjson}). */
    NONE,
    /** Zstandard-compressed NDJSON ({@code .ndjson.zst}); needs zstd-jni on the class path. */
    ZSTD
}
