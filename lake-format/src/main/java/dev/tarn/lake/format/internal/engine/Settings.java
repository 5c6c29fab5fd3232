package dev.tarn.lake.format.internal.engine;

import dev.tarn.lake.format.Compression;
import dev.tarn.lake.format.Conversion;
import dev.tarn.lake.format.CsvOptions;
import dev.tarn.lake.format.ErrorBudget;
import dev.tarn.lake.format.Input;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.format.Output;
import dev.tarn.lake.format.ProgressListener;
import dev.tarn.lake.types.SchemaPolicy;
import dev.tarn.lake.types.StructType;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Objects;

/**
 * Everything a conversion is configured with, by stage: what is read and how, how the schema is
 * found, what is written where, and how the run is carried out. Immutable: {@link Conversion} keeps
 * one and replaces it on each setter through the {@code with...} methods, and each value is checked
 * once, when its record is made (so an engine never sees a setting out of range).
 */
public record Settings(Read read, Inference inference, Write write, Run run) {

    public Settings {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(inference, "inference");
        Objects.requireNonNull(write, "write");
        Objects.requireNonNull(run, "run");
    }

    /** The defaults for these inputs (see {@link Conversion} for what they are). */
    public static Settings of(List<Input> inputs) {
        return new Settings(
                new Read(
                        inputs,
                        InputFormat.AUTO,
                        CsvOptions.defaults(),
                        null,
                        null,
                        Conversion.DEFAULT_MAX_COLUMNS),
                new Inference(null, List.of(), null, 100_000, false),
                new Write(
                        null,
                        null,
                        ErrorBudget.none(),
                        Compression.ZSTD,
                        3,
                        List.of(),
                        256L << 20,
                        64L << 20,
                        131_072,
                        0),
                new Run(Runtime.getRuntime().availableProcessors(), ProgressListener.NONE, 250));
    }

    public Settings with(Read r) {
        return new Settings(r, inference, write, run);
    }

    public Settings with(Inference i) {
        return new Settings(read, i, write, run);
    }

    public Settings with(Write w) {
        return new Settings(read, inference, w, run);
    }

    public Settings with(Run r) {
        return new Settings(read, inference, write, r);
    }

    /**
     * What is read: the inputs, their format and CSV dialect (unset parts detected), the path to
     * the records of a JSON document (null: detected; empty: each document is one record), the
     * charset of text input (null: UTF-8), and the most columns a record may have.
     */
    public record Read(
            List<Input> inputs,
            InputFormat format,
            CsvOptions csv,
            List<String> jsonPath,
            Charset charset,
            int maxColumns) {
        public Read {
            inputs = List.copyOf(inputs);
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(csv, "options");
            jsonPath = jsonPath == null ? null : List.copyOf(jsonPath);
            if (maxColumns < 1) {
                throw new IllegalArgumentException("the column limit must be at least 1");
            }
        }

        public Read withFormat(InputFormat f) {
            return new Read(inputs, f, csv, jsonPath, charset, maxColumns);
        }

        public Read withCsv(CsvOptions o) {
            return new Read(inputs, format, o, jsonPath, charset, maxColumns);
        }

        public Read withJsonPath(List<String> path) {
            return new Read(inputs, format, csv, path, charset, maxColumns);
        }

        public Read withCharset(Charset c) {
            return new Read(
                    inputs,
                    format,
                    csv,
                    jsonPath,
                    Objects.requireNonNull(c, "charset"),
                    maxColumns);
        }

        public Read withMaxColumns(int n) {
            return new Read(inputs, format, csv, jsonPath, charset, n);
        }
    }

    /**
     * How the schema is found: an explicit schema (null: inferred) with the paths of its multi-type
     * Avro unions (which only Avro input can fill), the policy across inputs (null: WIDEN without
     * an explicit schema, STRICT with one), and the records each input's inference reads.
     */
    public record Inference(
            StructType schema,
            List<String> avroUnions,
            SchemaPolicy policy,
            long sampleRows,
            boolean fullInference) {
        public Inference {
            avroUnions = List.copyOf(avroUnions);
            if (sampleRows < 1) {
                throw new IllegalArgumentException("sample must be >= 1 record");
            }
        }

        public Inference withSchema(StructType s, List<String> unions) {
            return new Inference(s, unions, policy, sampleRows, fullInference);
        }

        public Inference withPolicy(SchemaPolicy p) {
            return new Inference(
                    schema,
                    avroUnions,
                    Objects.requireNonNull(p, "policy"),
                    sampleRows,
                    fullInference);
        }

        public Inference withSampleRows(long n) {
            return new Inference(schema, avroUnions, policy, n, fullInference);
        }

        public Inference withFullInference(boolean full) {
            return new Inference(schema, avroUnions, policy, sampleRows, full);
        }

        /**
         * The policy in effect: the one set, or STRICT with an explicit schema and WIDEN without.
         */
        public SchemaPolicy effectivePolicy() {
            if (policy != null) {
                return policy;
            }
            return schema != null ? SchemaPolicy.STRICT : SchemaPolicy.WIDEN;
        }
    }

    /**
     * What is written where: the output and quarantine, the error budget, compression, partition
     * columns, file and row group sizes, and the memory for partitioned rows before they spill to
     * local temp disk (0: the default, see {@code PartitionSpill.defaultMemory}).
     */
    public record Write(
            Output output,
            Output quarantine,
            ErrorBudget budget,
            Compression compression,
            int compressionLevel,
            List<String> partitionBy,
            long targetFileBytes,
            long rowGroupBytes,
            int rowGroupRows,
            long partitionMemoryBytes) {
        public Write {
            Objects.requireNonNull(budget, "budget");
            Objects.requireNonNull(compression, "compression");
            partitionBy = List.copyOf(partitionBy);
            if (targetFileBytes < 1 << 16) {
                throw new IllegalArgumentException("target file size must be at least 64 KiB");
            }
            if (rowGroupRows < 1 || rowGroupBytes < 1 << 16) {
                throw new IllegalArgumentException("row groups need at least 1 row and 64 KiB");
            }
        }

        public Write withOutput(Output o) {
            return new Write(
                    Objects.requireNonNull(o, "output"),
                    quarantine,
                    budget,
                    compression,
                    compressionLevel,
                    partitionBy,
                    targetFileBytes,
                    rowGroupBytes,
                    rowGroupRows,
                    partitionMemoryBytes);
        }

        public Write withQuarantine(Output q) {
            return new Write(
                    output,
                    Objects.requireNonNull(q, "destination"),
                    budget,
                    compression,
                    compressionLevel,
                    partitionBy,
                    targetFileBytes,
                    rowGroupBytes,
                    rowGroupRows,
                    partitionMemoryBytes);
        }

        public Write withBudget(ErrorBudget b) {
            return new Write(
                    output,
                    quarantine,
                    b,
                    compression,
                    compressionLevel,
                    partitionBy,
                    targetFileBytes,
                    rowGroupBytes,
                    rowGroupRows,
                    partitionMemoryBytes);
        }

        public Write withCompression(Compression c, int level) {
            return new Write(
                    output,
                    quarantine,
                    budget,
                    c,
                    level,
                    partitionBy,
                    targetFileBytes,
                    rowGroupBytes,
                    rowGroupRows,
                    partitionMemoryBytes);
        }

        public Write withPartitionBy(List<String> columns) {
            return new Write(
                    output,
                    quarantine,
                    budget,
                    compression,
                    compressionLevel,
                    columns,
                    targetFileBytes,
                    rowGroupBytes,
                    rowGroupRows,
                    partitionMemoryBytes);
        }

        public Write withTargetFileBytes(long bytes) {
            return new Write(
                    output,
                    quarantine,
                    budget,
                    compression,
                    compressionLevel,
                    partitionBy,
                    bytes,
                    rowGroupBytes,
                    rowGroupRows,
                    partitionMemoryBytes);
        }

        public Write withRowGroup(int rows, long bytes) {
            return new Write(
                    output,
                    quarantine,
                    budget,
                    compression,
                    compressionLevel,
                    partitionBy,
                    targetFileBytes,
                    bytes,
                    rows,
                    partitionMemoryBytes);
        }

        public Write withPartitionMemoryBytes(long bytes) {
            return new Write(
                    output,
                    quarantine,
                    budget,
                    compression,
                    compressionLevel,
                    partitionBy,
                    targetFileBytes,
                    rowGroupBytes,
                    rowGroupRows,
                    bytes);
        }
    }

    /** How the run is carried out: worker threads, and who hears of progress how often. */
    public record Run(int threads, ProgressListener progress, long progressIntervalMillis) {
        public Run {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1");
            }
            Objects.requireNonNull(progress, "listener");
        }

        public Run withThreads(int n) {
            return new Run(n, progress, progressIntervalMillis);
        }

        public Run withProgress(ProgressListener listener) {
            return new Run(threads, listener, progressIntervalMillis);
        }
    }
}
