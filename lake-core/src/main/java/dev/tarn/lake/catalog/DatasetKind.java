package dev.tarn.lake.catalog;

import java.util.Locale;

/** How a dataset holds its data. */
public enum DatasetKind {
    /**
     * Objects stored as they came (the raw zone's way): files of any format, each with its metadata
     * record.
     */
    OBJECTS,
    /** A table in the Delta Lake format: Parquet files and a transaction log. */
    TABLE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DatasetKind fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
