package dev.tarn.lake.format;

/** The layout of the input. */
public enum InputFormat {
    /**
     * Detect from the name ({@code .ndjson .jsonl .json .csv .tsv .avro}, before {@code .gz/.zst})
     * and the content.
     */
    AUTO,
    /** One JSON document per line. */
    NDJSON,
    /**
     * JSON: a top-level array of records, concatenated documents, newline-delimited documents
     * (detected), or a single document whose records sit at {@link Conversion#jsonPath(String...) a
     * path}.
     */
    JSON,
    /** Delimited text per RFC 4180 (delimiter detected unless configured). */
    CSV,
    /** CSV with a tab delimiter. */
    TSV,
    /** Avro object container file. */
    AVRO
}
