/**
 * Sinks: a table's new version sent out of the lake, to a database over JDBC or to an HTTP endpoint
 * as NDJSON. {@link dev.tarn.lake.pipeline.sink.Sinks#open} makes one from its {@link
 * dev.tarn.lake.pipeline.sink.SinkSpec}.
 */
package dev.tarn.lake.pipeline.sink;
