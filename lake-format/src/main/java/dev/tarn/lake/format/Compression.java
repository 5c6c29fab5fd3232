package dev.tarn.lake.format;

/** Parquet page compression. */
public enum Compression {
    ZSTD,
    SNAPPY,
    GZIP,
    UNCOMPRESSED
}
