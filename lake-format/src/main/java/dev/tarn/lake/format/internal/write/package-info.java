/**
 * The last stage: writing outputs so that they appear all at once or not at all. {@link
 * dev.tarn.lake.format.internal.write.FileRoller} rolls rows into Parquet files of the target size
 * (by partition value when partitioned), {@link dev.tarn.lake.format.internal.write.PartitionSpill}
 * sorts partitioned rows through bounded memory and local temp disk, {@link
 * dev.tarn.lake.format.internal.write.Sink} stages every file and commits or discards them
 * together, and {@link dev.tarn.lake.format.internal.write.QuarantineWriter} keeps bad records as
 * NDJSON. The Parquet encoding itself lives in {@code dev.tarn.lake.format.internal.encode}. Not
 * part of the public API.
 */
package dev.tarn.lake.format.internal.write;
