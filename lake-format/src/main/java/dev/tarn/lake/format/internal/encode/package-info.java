/**
 * The encode stage: rows become Parquet. {@link dev.tarn.lake.format.internal.encode.RowFile}
 * writes one file of rows through the column writers ({@link
 * dev.tarn.lake.format.internal.encode.FixedColumn}, {@link
 * dev.tarn.lake.format.internal.encode.BinaryColumn}: dictionary, RLE/bit-packed levels, pages,
 * statistics) and {@link dev.tarn.lake.format.internal.encode.ParquetFile} (the footer); {@link
 * dev.tarn.lake.format.internal.encode.ParquetRows} holds the Parquet schema of a row type and the
 * writer settings. The same encoder writes converted data files and, through the public {@code
 * dev.tarn.lake.format.parquet} layer, the table's rewritten files and checkpoints. Not part of the
 * public API.
 */
package dev.tarn.lake.format.internal.encode;
