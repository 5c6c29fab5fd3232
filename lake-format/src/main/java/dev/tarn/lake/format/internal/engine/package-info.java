/**
 * The orchestration of a conversion: {@link dev.tarn.lake.format.internal.engine.Settings} (what a
 * {@link dev.tarn.lake.format.Conversion} was configured with, as immutable records), the {@link
 * dev.tarn.lake.format.internal.engine.Engine} that runs the stages in order (detect, infer,
 * convert, commit or discard, report), and the {@link
 * dev.tarn.lake.format.internal.engine.Pipeline} that runs one pass over the inputs: the calling
 * thread reads chunks ({@link dev.tarn.lake.format.internal.engine.InputReader}), worker threads
 * parse them ({@link dev.tarn.lake.format.internal.engine.Worker}) and either infer types (merged
 * in input order by {@link dev.tarn.lake.format.internal.engine.ChunkInference}) or convert and
 * write rows. Not part of the public API.
 */
package dev.tarn.lake.format.internal.engine;
