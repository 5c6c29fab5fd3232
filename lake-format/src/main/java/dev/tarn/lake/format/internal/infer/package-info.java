/**
 * The second stage: inferring a schema. A type accumulator per column ({@link
 * dev.tarn.lake.format.internal.infer.TypeAcc}) watches the values of a sample (or of every record)
 * and resolves to the narrowest type that holds them all; {@link
 * dev.tarn.lake.format.internal.infer.Temporal} tells dates and timestamps in text; {@link
 * dev.tarn.lake.format.internal.infer.SchemaMerge} merges the inputs' schemas (and an explicit one)
 * under the schema policy; {@link dev.tarn.lake.format.internal.infer.SchemaReader} reads explicit
 * Avro schemas. Not part of the public API.
 */
package dev.tarn.lake.format.internal.infer;
