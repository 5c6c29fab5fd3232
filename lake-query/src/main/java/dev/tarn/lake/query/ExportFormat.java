package dev.tarn.lake.query;

/** File formats a query result can be exported to. */
public enum ExportFormat {
    /** RFC 4180 CSV with a header row. */
    CSV,
    /** Newline-delimited JSON, one object per row. */
    JSON,
    /** Parquet, ZSTD-compressed. */
    PARQUET;

    /** The format a file name's extension suggests, CSV when it suggests none. */
    public static ExportFormat forFileName(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".parquet")) {
            return PARQUET;
        }
        if (n.endsWith(".json") || n.endsWith(".ndjson") || n.endsWith(".jsonl")) {
            return JSON;
        }
        return CSV;
    }
}
