package dev.tarn.lake.catalog;

import java.util.Locale;

/** What kind of content an object holds, detected from its name and its first bytes. */
public enum Format {
    NDJSON,
    JSON,
    CSV,
    TSV,
    PARQUET,
    AVRO,
    TEXT,
    BINARY;

    /** The lowercase name used in the catalog, the CLI and JSON output. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Format fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** True for formats with rows and columns that SQL can read as they lie. */
    public boolean isStructured() {
        return this != TEXT && this != BINARY;
    }
}
