package dev.tarn.lake.query;

import dev.tarn.lake.catalog.DatasetId;

/**
 * An object of a raw dataset that SQL cannot read as rows: a CSV whose dialect cannot be detected
 * (mixed line endings), a row with more fields than the header, a truncated JSON document, a
 * damaged Parquet file.
 *
 * @param dataset the dataset it belongs to
 * @param key its object key, as {@code lake cat} takes it ({@code
 *     raw/sales/ingest_date=2026-12-03/b.csv})
 * @param reason why it cannot be read, in one line ({@code mixed line endings (CRLF and LF)})
 */
public record BadObject(DatasetId dataset, String key, String reason) {
    @Override
    public String toString() {
        return key + " (" + reason + ")";
    }
}
