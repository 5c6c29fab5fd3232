package dev.tarn.lake.format.internal.engine;

import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.Compression;
import dev.tarn.lake.format.ConversionReport;
import dev.tarn.lake.format.ErrorBudgetExceededException;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.format.Output;
import dev.tarn.lake.format.OutputFileInfo;
import dev.tarn.lake.format.Progress;
import dev.tarn.lake.format.ProgressListener;
import dev.tarn.lake.format.internal.convert.Required;
import dev.tarn.lake.format.internal.encode.ParquetRows;
import dev.tarn.lake.format.internal.infer.SchemaMerge;
import dev.tarn.lake.format.internal.infer.TypeAcc;
import dev.tarn.lake.format.internal.read.Detection;
import dev.tarn.lake.format.internal.read.Src;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.SchemaChange;
import dev.tarn.lake.types.SchemaEvolution;
import dev.tarn.lake.types.SchemaPolicy;
import dev.tarn.lake.types.StructType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Runs a conversion configured by {@link dev.tarn.lake.format.Conversion} (its {@link Settings}) in
 * its phases: detect each input ({@link Detection}), infer and merge the schema ({@link
 * SchemaMerge}), convert through a {@link Pipeline}, then commit or discard the outputs and report.
 * Not part of the public API.
 */
public final class Engine {

    private final Settings s;
    private final List<String> notes = new ArrayList<>();
    private volatile Pipeline active;
    private volatile String phase = "starting";
    private long t0;
    private long totalBytes;

    public Engine(Settings s) {
        this.s = s;
    }

    public ConversionReport run() {
        t0 = System.nanoTime();
        validate();
        List<Src> srcs = resolveAll();
        totalBytes = 0;
        for (Src src : srcs) {
            long sz = src.input.size();
            totalBytes = sz < 0 || totalBytes < 0 ? -1 : totalBytes + sz;
        }
        ScheduledExecutorService ticker = null;
        if (s.run().progress() != ProgressListener.NONE) {
            ticker =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t = new Thread(r, "tarn-format-progress");
                                t.setDaemon(true);
                                return t;
                            });
            ticker.scheduleAtFixedRate(
                    this::tick,
                    s.run().progressIntervalMillis(),
                    s.run().progressIntervalMillis(),
                    TimeUnit.MILLISECONDS);
        }
        try {
            return convertWithRetry(srcs);
        } finally {
            if (ticker != null) {
                ticker.shutdownNow();
                try {
                    ticker.awaitTermination(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            phase = "done";
            tick();
        }
    }

    /** Infers (and merges, by the policy) the schema of the inputs without converting anything. */
    public StructType inferSchema() {
        return inspect().schema();
    }

    /** {@link #inferSchema()} with the layout detected for each input. */
    public dev.tarn.lake.format.SchemaInference inspect() {
        t0 = System.nanoTime();
        if (s.read().inputs().isEmpty()) {
            throw new IllegalStateException("no input: use Conversion.of(...)");
        }
        List<Src> srcs = resolveAll();
        StructType schema;
        if (s.inference().schema() != null
                && s.inference().effectivePolicy() == SchemaPolicy.STRICT) {
            schema = s.inference().schema();
        } else {
            infer(srcs, s.inference().fullInference());
            schema = mergeSchemas(srcs, new ArrayList<>(), new ArrayList<>());
        }
        List<dev.tarn.lake.format.SchemaInference.InputLayout> layouts =
                new ArrayList<>(srcs.size());
        for (Src src : srcs) {
            List<String> path =
                    src.layout == Src.PATH && src.jsonPath != null
                            ? List.of(src.jsonPath)
                            : List.of();
            dev.tarn.lake.format.SchemaInference.Layout layout;
            if (src.format != InputFormat.JSON && src.format != InputFormat.NDJSON) {
                layout = dev.tarn.lake.format.SchemaInference.Layout.ROWS;
            } else {
                layout =
                        switch (src.layout) {
                            case Src.ARRAY -> dev.tarn.lake.format.SchemaInference.Layout.ARRAY;
                            case Src.CONCAT ->
                                    dev.tarn.lake.format.SchemaInference.Layout.DOCUMENTS;
                            case Src.PATH ->
                                    path.isEmpty()
                                            ? dev.tarn.lake.format.SchemaInference.Layout.DOCUMENTS
                                            : dev.tarn.lake.format.SchemaInference.Layout.PATH;
                            default -> dev.tarn.lake.format.SchemaInference.Layout.LINES;
                        };
            }
            layouts.add(
                    new dev.tarn.lake.format.SchemaInference.InputLayout(
                            src.name(), src.format, layout, path));
        }
        return new dev.tarn.lake.format.SchemaInference(schema, layouts);
    }

    /**
     * The inputs' schemas merged with the explicit one under the policy (see {@link SchemaMerge}).
     */
    private StructType mergeSchemas(
            List<Src> srcs, List<SchemaChange> changes, List<SchemaEvolution.Conflict> conflicts) {
        return SchemaMerge.merge(
                srcs, s.inference().schema(), s.inference().effectivePolicy(), changes, conflicts);
    }

    /** Detects what each input is (format, dialect, layout), in input order. */
    private List<Src> resolveAll() {
        Settings.Read r = s.read();
        Detection detection =
                new Detection(
                        r.format(), r.csv(), r.jsonPath(), r.charset(), r.maxColumns(), notes);
        List<Src> srcs = new ArrayList<>();
        for (int i = 0; i < r.inputs().size(); i++) {
            srcs.add(detection.resolve(new Src(r.inputs().get(i), i)));
        }
        checkUnions(srcs);
        return srcs;
    }

    /**
     * Text input has no way to say which branch of a union a value belongs to, so such a schema is
     * refused.
     */
    private void checkUnions(List<Src> srcs) {
        if (s.inference().avroUnions().isEmpty()) {
            return;
        }
        for (Src src : srcs) {
            if (src.format != InputFormat.AVRO) {
                throw new FormatException(
                        src.name()
                                + ": the schema's field \""
                                + s.inference().avroUnions().get(0)
                                + "\" is an Avro union of several types, which only Avro input can fill; "
                                + src.format
                                + " input needs a single type (or [\"null\", T]) there");
            }
        }
    }

    private void validate() {
        if (s.read().inputs().isEmpty()) {
            throw new IllegalStateException("no input: use Conversion.of(...)");
        }
        if (s.write().output() == null) {
            throw new IllegalStateException(
                    "no output: use Conversion.output(Output.directory(...)) or Output.file(...)");
        }
        if (s.write().output().isSingle() && !s.write().partitionBy().isEmpty()) {
            throw new IllegalStateException(
                    "partitioning needs a directory or store prefix output, not the single file "
                            + s.write().output());
        }
        if (!s.write().budget().isZero() && s.write().quarantine() == null) {
            throw new IllegalStateException(
                    "an error budget of "
                            + s.write().budget()
                            + " needs a quarantine: set "
                            + "Conversion.quarantine(Output.file(...)) so bad records are kept, not lost");
        }
        if (s.write().quarantine() != null
                && !s.write().quarantine().isSingle()
                && s.write().quarantine().kind() != Output.Kind.LOCAL_DIRECTORY
                && s.write().quarantine().kind() != Output.Kind.STORE_PREFIX) {
            throw new IllegalStateException(
                    "unsupported quarantine destination " + s.write().quarantine());
        }
    }

    // ------------------------------------------------------------------ inference and schema

    private void infer(List<Src> srcs, boolean full) {
        phase = "inferring schema";
        boolean any = srcs.stream().anyMatch(x -> x.format != InputFormat.AVRO);
        if (!any) {
            return;
        }
        for (Src src : srcs) {
            src.inferred.set(0);
            src.truncated = false;
            src.exhausted = false;
        }
        Pipeline p =
                new Pipeline(
                        Pipeline.Mode.INFER,
                        s.run().threads(),
                        s.read().charset(),
                        full ? 0 : s.inference().sampleRows());
        p.maxColumns = s.read().maxColumns();
        active = p;
        p.run(srcs);
        p.inference.collect(srcs);
        for (Src src : srcs) {
            if (src.format != InputFormat.AVRO && src.acc == null) {
                src.acc = TypeAcc.root();
                if (src.format == InputFormat.CSV) {
                    src.acc.beginStruct(null);
                    src.acc.objects = 0;
                    src.acc.present = 0;
                    for (String h : src.header) {
                        src.acc.field(h);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ conversion

    private ConversionReport convertWithRetry(List<Src> srcs) {
        List<SchemaChange> changes = new ArrayList<>();
        boolean explicitOnly =
                s.inference().schema() != null
                        && s.inference().effectivePolicy() == SchemaPolicy.STRICT;
        boolean sampled = false;
        DataType schema;
        if (explicitOnly) {
            schema = s.inference().schema();
        } else {
            infer(srcs, s.inference().fullInference());
            sampled =
                    !s.inference().fullInference()
                            && srcs.stream()
                                    .anyMatch(
                                            x ->
                                                    x.format != InputFormat.AVRO
                                                            && (!x.exhausted || x.truncated));
            List<SchemaEvolution.Conflict> conflicts = new ArrayList<>();
            schema = mergeSchemas(srcs, changes, conflicts);
            if (!conflicts.isEmpty() && sampled) {
                // records that do not fit are expected now: infer from everything, so that a misfit
                // is quarantined
                // for the conflict rather than taken for a value the sample missed
                changes.clear();
                conflicts.clear();
                infer(srcs, true);
                sampled = false;
                schema = mergeSchemas(srcs, changes, conflicts);
            }
            noteConflicts(conflicts);
        }
        int attempts = 1;
        try {
            return convert(srcs, schema, changes, sampled, attempts);
        } catch (Pipeline.Restart r) {
            notes.add(
                    "re-inferred the schema over the whole input: "
                            + r.getMessage()
                            + " did not fit the schema inferred from the first "
                            + s.inference().sampleRows()
                            + " records");
            changes.clear();
            infer(srcs, true);
            List<SchemaEvolution.Conflict> conflicts = new ArrayList<>();
            schema = mergeSchemas(srcs, changes, conflicts);
            noteConflicts(conflicts);
            return convert(srcs, schema, changes, false, 2);
        }
    }

    /**
     * Says which columns of which input do not fit: their records are quarantined (the reason per
     * record).
     */
    private void noteConflicts(List<SchemaEvolution.Conflict> conflicts) {
        for (SchemaEvolution.Conflict c : conflicts) {
            notes.add(c.reason() + ": records whose values do not fit are quarantined");
        }
    }

    private ConversionReport convert(
            List<Src> srcs,
            DataType schema,
            List<SchemaChange> changes,
            boolean sampled,
            int attempt) {
        phase = "converting";
        checkPartitionColumns(schema);
        for (Src src : srcs) {
            if (src.format == InputFormat.CSV) {
                src.colToField = new int[src.header.length];
                for (int i = 0; i < src.header.length; i++) {
                    src.colToField[i] = schema.asStruct().indexOf(src.header[i]);
                }
            }
        }
        ParquetRows.Settings ps = new ParquetRows.Settings();
        ps.codec = codec(s.write().compression());
        ps.level = s.write().compressionLevel();
        ps.rowGroupBytes = s.write().rowGroupBytes();
        ps.rowGroupRows = s.write().rowGroupRows();
        java.util.Set<String> noDict = new java.util.HashSet<>();
        for (Src src : srcs) {
            if (src.acc != null) {
                src.acc.highCardinalityColumns("", noDict);
            }
        }
        ps.noDictionary = noDict;
        StructType declared = s.inference().schema();
        boolean[] required = null;
        if (declared != null) {
            required = new boolean[schema.asStruct().fields().size()];
            boolean any = false;
            for (int i = 0; i < required.length; i++) {
                Field f = schema.asStruct().fields().get(i);
                java.util.Optional<Field> decl = declared.asStruct().field(f.name());
                required[i] = decl.isPresent() && !decl.get().nullable();
                any |= required[i];
            }
            if (!any) {
                required = null;
            }
        }
        int threads = Math.max(1, s.run().threads());
        Outputs out = new Outputs(s.write(), schema, ps, threads);
        Pipeline p = new Pipeline(Pipeline.Mode.CONVERT, threads, s.read().charset(), 0);
        p.maxColumns = s.read().maxColumns();
        Required nested = declared == null ? null : Required.nestedOf(declared, schema);
        p.convert(
                schema,
                declared == null,
                sampled,
                required,
                nested,
                s.write().budget(),
                out.quarantine(),
                out::workerRoller,
                out.sharedRoller());
        if (out.spill() != null) {
            p.partitions(out.spill(), out::partitionRoller);
        }
        active = p;
        try {
            p.run(srcs);
        } catch (Pipeline.Restart r) {
            out.discardAll();
            throw r;
        } catch (Pipeline.BudgetExceeded e) {
            String q = out.discardKeepingBadRecords();
            ConversionReport rep = report(srcs, schema, changes, p, List.of(), q, attempt);
            throw new ErrorBudgetExceededException(
                    e.getMessage()
                            + "; no output was written"
                            + (q == null ? "" : "; bad records are in " + q),
                    rep);
        } catch (RuntimeException | Error e) {
            out.failed();
            throw e;
        } finally {
            out.closeSpill(notes);
        }
        long read = p.rowsRead.sum();
        long bad = p.quarantined.get();
        if (bad > 0 && s.write().budget().exceeded(bad, read)) {
            String q = out.discardKeepingBadRecords();
            ConversionReport rep = report(srcs, schema, changes, p, List.of(), q, attempt);
            throw new ErrorBudgetExceededException(
                    "error budget exceeded ("
                            + s.write().budget()
                            + "): "
                            + bad
                            + " of "
                            + read
                            + " records were bad; no output was written"
                            + (q == null ? "" : "; bad records are in " + q),
                    rep);
        }
        phase = "committing";
        List<OutputFileInfo> files = out.commit();
        String q = out.commitQuarantine();
        return report(srcs, finalSchema(schema, p), changes, p, files, q, attempt);
    }

    private StructType finalSchema(DataType schema, Pipeline p) {
        long[] nulls = p.nullCounts();
        List<Field> fs = new ArrayList<>();
        for (int i = 0; i < schema.asStruct().fields().size(); i++) {
            Field f = schema.asStruct().fields().get(i);
            boolean nullable;
            java.util.Optional<Field> decl =
                    s.inference().schema() == null
                            ? java.util.Optional.empty()
                            : s.inference().schema().asStruct().field(f.name());
            if (decl.isPresent()) {
                nullable = decl.get().nullable();
            } else {
                nullable = nulls[i] > 0 || p.rowsWritten.sum() == 0 && f.nullable();
            }
            fs.add(new Field(f.name(), f.type(), nullable));
        }
        return DataType.struct(fs);
    }

    private ConversionReport report(
            List<Src> srcs,
            DataType schema,
            List<SchemaChange> changes,
            Pipeline p,
            List<OutputFileInfo> files,
            String quarantine,
            int attempt) {
        List<String> names = new ArrayList<>();
        for (Src src : srcs) {
            names.add(src.name());
        }
        return new ConversionReport(
                names,
                schema.asStruct(),
                changes,
                p.rowsRead.sum(),
                p.rowsWritten.sum(),
                p.quarantined.get(),
                p.currentBytes(),
                files,
                quarantine,
                attempt,
                notes,
                Duration.ofNanos(System.nanoTime() - t0));
    }

    private void checkPartitionColumns(DataType schema) {
        for (String c : s.write().partitionBy()) {
            int i = schema.asStruct().indexOf(c);
            if (i < 0) {
                throw new IllegalStateException(
                        "partition column \"" + c + "\" is not in the schema " + schema);
            }
            DataType.Kind k = schema.asStruct().fields().get(i).type().kind();
            if (k == DataType.Kind.STRUCT
                    || k == DataType.Kind.LIST
                    || k == DataType.Kind.MAP
                    || k == DataType.Kind.BINARY) {
                throw new IllegalStateException(
                        "partition column \"" + c + "\" must be a scalar, not " + k);
            }
        }
        if (!s.write().partitionBy().isEmpty()
                && s.write().partitionBy().size() == schema.asStruct().fields().size()) {
            throw new IllegalStateException(
                    "every column is a partition column: nothing would be left in the files");
        }
    }

    private static CompressionCodecName codec(Compression c) {
        switch (c) {
            case SNAPPY:
                return CompressionCodecName.SNAPPY;
            case GZIP:
                return CompressionCodecName.GZIP;
            case UNCOMPRESSED:
                return CompressionCodecName.UNCOMPRESSED;
            default:
                return CompressionCodecName.ZSTD;
        }
    }

    private void tick() {
        try {
            Pipeline p = active;
            long bytes = p == null ? 0 : p.currentBytes();
            long rows = p == null ? 0 : p.rowsRead.sum();
            Duration el = Duration.ofNanos(System.nanoTime() - t0);
            double secs = el.toNanos() / 1e9;
            s.run()
                    .progress()
                    .onProgress(
                            new Progress(
                                    bytes,
                                    totalBytes,
                                    rows,
                                    secs > 0 ? rows / secs : 0,
                                    el,
                                    phase));
        } catch (RuntimeException ignored) {
            // a listener's failure must not break the conversion
        }
    }
}
