/**
 * The first stage of a conversion: reading input. What an input is ({@link
 * dev.tarn.lake.format.internal.read.Detection}: format, CSV dialect and header, JSON layout, Avro
 * schema), opening it with decompression and transcoding ({@link
 * dev.tarn.lake.format.internal.read.Sources}), the chunks the reading thread hands to the workers
 * ({@link dev.tarn.lake.format.internal.read.Chunk}), and the parsers that turn a record's bytes
 * into values: CSV ({@link dev.tarn.lake.format.internal.read.Csv}), JSON ({@link
 * dev.tarn.lake.format.internal.read.FastJson}, which also feeds inference and conversion directly
 * from the bytes), Avro ({@link dev.tarn.lake.format.internal.read.AvroRows}), numbers ({@link
 * dev.tarn.lake.format.internal.read.NumText}) and UTF-8 checks ({@link
 * dev.tarn.lake.format.internal.read.Utf8}). Not part of the public API.
 */
package dev.tarn.lake.format.internal.read;
