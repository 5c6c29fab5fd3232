package dev.tarn.lake.format.internal.engine;

import dev.tarn.lake.format.Compression;
import dev.tarn.lake.format.ConversionReport;
import dev.tarn.lake.format.CsvOptions;
import dev.tarn.lake.format.ErrorBudget;
import dev.tarn.lake.format.ErrorBudgetExceededException;
import dev.tarn.lake.format.FormatException;
import dev.tarn.lake.format.Input;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.format.Output;
import dev.tarn.lake.format.OutputFileInfo;
import dev.tarn.lake.format.Progress;
import dev.tarn.lake.format.ProgressListener;
import dev.tarn.lake.format.internal.ParquetRows;
import dev.tarn.lake.format.internal.convert.Required;
import dev.tarn.lake.format.internal.infer.TypeAcc;
import dev.tarn.lake.format.internal.read.AvroRows;
import dev.tarn.lake.format.internal.read.Chunk;
import dev.tarn.lake.format.internal.read.Csv;
import dev.tarn.lake.format.internal.read.JsonLayout;
import dev.tarn.lake.format.internal.read.Sources;
import dev.tarn.lake.format.internal.read.Src;
import dev.tarn.lake.format.internal.write.FileRoller;
import dev.tarn.lake.format.internal.write.PartitionSpill;
import dev.tarn.lake.format.internal.write.QuarantineWriter;
import dev.tarn.lake.format.internal.write.Sink;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import dev.tarn.lake.types.SchemaChange;
import dev.tarn.lake.types.SchemaEvolution;
import dev.tarn.lake.types.SchemaPolicy;
import dev.tarn.lake.types.StructType;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a conversion configured by {@link dev.tarn.lake.format.Conversion}. Not part of the public API.
 *
 * <p>Over 500 lines for now: it holds the detection of formats and layouts beside the settings a conversion carries
 * and the order of its phases; splitting detection from the settings (as immutable records) is planned with the
 * package-per-stage layout of the format module.
 */
public final class Engine {

    /** Everything a conversion was configured with. */
    public static final class Settings {
        public List<Input> inputs = new ArrayList<>();
        public InputFormat format = InputFormat.AUTO;
        public CsvOptions csv = CsvOptions.defaults();
        public String[] jsonPath;
        public StructType schema;
        /** Paths of multi-type Avro unions in an explicit Avro schema; only Avro input can fill them. */
        public List<String> avroUnions = List.of();
        public SchemaPolicy policy;
        public ErrorBudget budget = ErrorBudget.none();
        public Output quarantine;
        public Output output;
        public Compression compression = Compression.ZSTD;
        public int compressionLevel = 3;
        public List<String> partitionBy = new ArrayList<>();
        public long targetFileBytes = 256L << 20;
        public long rowGroupBytes = 64L << 20;
        public int rowGroupRows = 131_072;
        public int threads = Runtime.getRuntime().availableProcessors();
        public ProgressListener progress = ProgressListener.NONE;
        public long progressIntervalMillis = 250;
        public Charset charset;
        public long sampleRows = 100_000;
        public boolean fullInference;
        /** The most columns a record may have (a JSON object's fields, a CSV header's columns). */
        public int maxColumns = dev.tarn.lake.format.Conversion.DEFAULT_MAX_COLUMNS;
        /** Memory for partitioned rows before they spill to local temp disk; 0 for {@link PartitionSpill#defaultMemory}. */
        public long partitionMemoryBytes;
    }

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
        List<Src> srcs = new ArrayList<>();
        for (int i = 0; i < s.inputs.size(); i++) {
            srcs.add(resolve(new Src(s.inputs.get(i), i)));
        }
        checkUnions(srcs);
        totalBytes = 0;
        for (Src src : srcs) {
            long sz = src.input.size();
            totalBytes = sz < 0 || totalBytes < 0 ? -1 : totalBytes + sz;
        }
        ScheduledExecutorService ticker = null;
        if (s.progress != ProgressListener.NONE) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tarn-format-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::tick, s.progressIntervalMillis, s.progressIntervalMillis,
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
        if (s.inputs.isEmpty()) {
            throw new IllegalStateException("no input: use Conversion.of(...)");
        }
        List<Src> srcs = new ArrayList<>();
        for (int i = 0; i < s.inputs.size(); i++) {
            srcs.add(resolve(new Src(s.inputs.get(i), i)));
        }
        checkUnions(srcs);
        StructType schema;
        if (s.schema != null && policy() == SchemaPolicy.STRICT) {
            schema = s.schema;
        } else {
            infer(srcs, s.fullInference);
            schema = mergeSchemas(srcs, new ArrayList<>(), new ArrayList<>());
        }
        List<dev.tarn.lake.format.SchemaInference.InputLayout> layouts = new ArrayList<>(srcs.size());
        for (Src src : srcs) {
            List<String> path = src.layout == Src.PATH && src.jsonPath != null ? List.of(src.jsonPath) : List.of();
            dev.tarn.lake.format.SchemaInference.Layout layout;
            if (src.format != InputFormat.JSON && src.format != InputFormat.NDJSON) {
                layout = dev.tarn.lake.format.SchemaInference.Layout.ROWS;
            } else {
                layout = switch (src.layout) {
                    case Src.ARRAY -> dev.tarn.lake.format.SchemaInference.Layout.ARRAY;
                    case Src.CONCAT -> dev.tarn.lake.format.SchemaInference.Layout.DOCUMENTS;
                    case Src.PATH -> path.isEmpty() ? dev.tarn.lake.format.SchemaInference.Layout.DOCUMENTS
                            : dev.tarn.lake.format.SchemaInference.Layout.PATH;
                    default -> dev.tarn.lake.format.SchemaInference.Layout.LINES;
                };
            }
            layouts.add(new dev.tarn.lake.format.SchemaInference.InputLayout(src.name(), src.format, layout, path));
        }
        return new dev.tarn.lake.format.SchemaInference(schema, layouts);
    }

    /** Text input has no way to say which branch of a union a value belongs to, so such a schema is refused. */
    private void checkUnions(List<Src> srcs) {
        if (s.avroUnions.isEmpty()) {
            return;
        }
        for (Src src : srcs) {
            if (src.format != InputFormat.AVRO) {
                throw new FormatException(src.name() + ": the schema's field \"" + s.avroUnions.get(0)
                        + "\" is an Avro union of several types, which only Avro input can fill; "
                        + src.format + " input needs a single type (or [\"null\", T]) there");
            }
        }
    }

    private void validate() {
        if (s.inputs.isEmpty()) {
            throw new IllegalStateException("no input: use Conversion.of(...)");
        }
        if (s.output == null) {
            throw new IllegalStateException("no output: use Conversion.output(Output.directory(...)) or Output.file(...)");
        }
        if (s.output.isSingle() && !s.partitionBy.isEmpty()) {
            throw new IllegalStateException("partitioning needs a directory or store prefix output, not the single file "
                    + s.output);
        }
        if (!s.budget.isZero() && s.quarantine == null) {
            throw new IllegalStateException("an error budget of " + s.budget + " needs a quarantine: set "
                    + "Conversion.quarantine(Output.file(...)) so bad records are kept, not lost");
        }
        if (s.quarantine != null && !s.quarantine.isSingle() && s.quarantine.kind() != Output.Kind.LOCAL_DIRECTORY
                && s.quarantine.kind() != Output.Kind.STORE_PREFIX) {
            throw new IllegalStateException("unsupported quarantine destination " + s.quarantine);
        }
    }

    // ------------------------------------------------------------------ resolution and detection

    private Src resolve(Src src) {
        InputFormat f = s.format;
        if (f == InputFormat.AUTO) {
            f = Sources.formatFromName(src.name());
        }
        byte[] head = new byte[64 << 10];
        int n;
        int bom = 0;
        try (Sources.Opened o = Sources.open(src.input, s.charset, false)) {
            n = o.data.readNBytes(head, 0, head.length);
            if (n >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
                bom = 3;
                System.arraycopy(head, 3, head, 0, n - 3);
                n -= 3;
            }
        } catch (IOException e) {
            throw new FormatException(src.name() + ": cannot read: " + e.getMessage(), e);
        }
        src.bom = bom;
        if (f == InputFormat.AUTO) {
            f = Sources.formatFromContent(head, n);
        }
        if (f == InputFormat.TSV) {
            src.format = InputFormat.CSV;
            src.csv = withDelimiter(s.csv, '\t');
        } else {
            src.format = f;
        }
        switch (src.format) {
            case CSV:
                resolveCsv(src, head, n);
                break;
            case JSON:
                resolveJsonLayout(src);
                break;
            case NDJSON:
                src.layout = Src.LINES;
                break;
            case AVRO:
                src.avroType = readAvroSchema(src);
                break;
            default:
                throw new IllegalStateException();
        }
        return src;
    }

    private static CsvOptions withDelimiter(CsvOptions o, char d) {
        return o.toBuilder().delimiter(o.delimiter() != null ? o.delimiter() : d).build();
    }

    private void resolveCsv(Src src, byte[] head, int n) {
        CsvOptions o = src.csv != null ? src.csv : s.csv;
        // only complete records of the sample
        int usable = n;
        if (n == head.length) {
            Csv.Scan sc = new Csv.Scan();
            Csv.scan(head, 0, n, (byte) (o.delimiter() == null ? ',' : o.delimiter()), (byte) o.quote(),
                    (byte) o.escape(), Csv.comment(o), sc);
            if (sc.boundary == 0) {
                // The first record is longer than the sample (a very wide header): read it whole, up to what a
                // header of the column limit may take, rather than take its first part for the header.
                head = longHead(src, o);
                n = head.length;
                Csv.scan(head, 0, n, (byte) (o.delimiter() == null ? ',' : o.delimiter()), (byte) o.quote(),
                        (byte) o.escape(), Csv.comment(o), sc);
            }
            usable = sc.boundary > 0 ? sc.boundary : n;
        }
        if (o.delimiter() == null) {
            char d = Csv.detectDelimiter(head, usable, o);
            o = withDelimiter(o, d);
            notes.add(src.name() + ": detected delimiter " + (d == '\t' ? "TAB" : "'" + d + "'"));
        }
        src.csv = o;
        Csv csv = new Csv(o);
        int pos = 0;
        long line = 1;
        while (pos < usable) {
            int start = pos;
            pos = csv.parseRecord(head, pos, usable, 0, src.name());
            if (csv.count == 0 && csv.error == null) {
                line += csv.newlines;
                continue;
            }
            csv.strings();
            boolean header = o.header() != null ? o.header()
                    : csv.error == null && Csv.looksLikeHeader(csv.fields, csv.count);
            if (o.header() == null) {
                notes.add(src.name() + ": " + (header ? "detected a header row" : "no header row detected; columns are"
                        + " named column1, column2, ..."));
            }
            if (csv.count > s.maxColumns) {
                throw new FormatException(src.name() + " line " + line + ": " + csv.count + " columns, more than the"
                        + " column limit of " + s.maxColumns + " (raise it with --max-columns)");
            }
            String[] names = new String[csv.count];
            for (int i = 0; i < csv.count; i++) {
                names[i] = header ? csv.fields[i] : null;
            }
            src.header = uniqueNames(src, names, line, o.header() == null);
            if (header) {
                src.dataStart = pos;
                src.dataStartLine = line + csv.newlines;
            } else {
                src.dataStart = start;
                src.dataStartLine = line;
            }
            return;
        }
        src.header = new String[0];
        src.dataStart = 0;
    }

    /**
     * The start of a CSV input whose first record did not fit the sample: as much as a first record within the
     * column limit can take (columns of up to 1 KiB each, at most the longest record read at all); a longer first
     * record is refused.
     */
    private byte[] longHead(Src src, CsvOptions o) {
        int max = (int) Math.min(Chunk.MAX_RECORD, (long) s.maxColumns * 1024 + 1);
        byte[] head;
        try (Sources.Opened in = Sources.open(src.input, s.charset, false)) {
            in.data.skipNBytes(src.bom);
            head = in.data.readNBytes(max);
        } catch (IOException e) {
            throw new FormatException(src.name() + ": cannot read: " + e.getMessage(), e);
        }
        Csv.Scan sc = new Csv.Scan();
        Csv.scan(head, 0, head.length, (byte) (o.delimiter() == null ? ',' : o.delimiter()), (byte) o.quote(),
                (byte) o.escape(), Csv.comment(o), sc);
        if (sc.boundary == 0 && head.length == max) {
            throw new FormatException(src.name() + " line 1: the first record is longer than " + (max >> 10)
                    + " KiB, more than a record of the column limit of " + s.maxColumns + " columns may take"
                    + " (raise it with --max-columns)");
        }
        return head;
    }

    /**
     * The column names of a CSV header. Columns are matched regardless of case (as Delta and Spark do), so a name that
     * repeats another in any case ({@code id,id} or {@code id,ID}) is an error naming the file and line; an empty
     * name becomes {@code column<n>} (with a suffix should a header already use that name).
     */
    private String[] uniqueNames(Src src, String[] names, long line, boolean detected) {
        String[] out = new String[names.length];
        java.util.Map<String, String> used = new java.util.HashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null || names[i].isEmpty()) {
                continue;
            }
            String before = used.putIfAbsent(lower(names[i]), names[i]);
            if (before != null) {
                throw new FormatException(src.name() + " line " + line + ": " + (before.equals(names[i])
                        ? "column \"" + names[i] + "\" appears twice in the header"
                        : "columns \"" + before + "\" and \"" + names[i] + "\" of the header differ only in case")
                        + " (column names must be unique regardless of case)"
                        + (detected ? "; if that line is data, not a header, convert with --no-header" : ""));
            }
            out[i] = names[i];
        }
        for (int i = 0; i < names.length; i++) {
            if (out[i] != null) {
                continue;
            }
            String base = "column" + (i + 1);
            String name = base;
            int k = 2;
            while (used.putIfAbsent(lower(name), name) != null) {
                name = base + "_" + k++;
            }
            if (names[i] != null) {
                notes.add(src.name() + ": header " + (i + 1) + " is empty, named \"" + name + "\"");
            }
            out[i] = name;
        }
        return out;
    }

    private void resolveJsonLayout(Src src) {
        if (s.jsonPath != null && s.jsonPath.length > 0) {
            src.layout = Src.PATH;
            src.jsonPath = s.jsonPath;
            return;
        }
        JsonLayout l;
        try (Sources.Opened o = Sources.open(src.input, s.charset, true)) {
            l = JsonLayout.detect(src.name(), o.data, s.jsonPath == null);
        } catch (JsonLayout.Ambiguous e) {
            throw new FormatException(e.getMessage(), FormatException.Remedy.JSON_PATH,
                    " with Conversion.jsonPath(...), e.g. jsonPath(\"" + e.candidates.get(0) + "\")");
        } catch (IOException e) {
            throw new FormatException(src.name() + ": cannot read: " + e.getMessage(), e);
        }
        src.layout = l.layout;
        src.jsonPath = l.path;
        if (l.note != null) {
            notes.add(src.name() + ": " + l.note);
        }
    }

    private DataType readAvroSchema(Src src) {
        try (InputStream in = src.input.open();
             DataFileStream<GenericRecord> r = new DataFileStream<>(in, new GenericDatumReader<>())) {
            return AvroRows.toDataType(r.getSchema());
        } catch (IOException | org.apache.avro.AvroRuntimeException e) {
            throw new FormatException(src.name() + ": not a readable Avro object container file: " + e.getMessage(), e);
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
        Pipeline p = new Pipeline(Pipeline.Mode.INFER, s.threads, s.charset, full ? 0 : s.sampleRows);
        p.maxColumns = s.maxColumns;
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

    private StructType schemaOf(Src src) {
        if (src.format == InputFormat.AVRO) {
            return src.avroType.asStruct();
        }
        DataType t = src.acc.resolve();
        return t == null ? DataType.struct(List.of()) : t.asStruct();
    }

    /**
     * The schema of the inputs together: each input's inferred schema (or Avro schema) is evolved into the schema so
     * far (the explicit one, else the first input's) by the one rule set of {@link SchemaEvolution}, so a later input
     * widens a column only as {@link dev.tarn.lake.types.TypeWidening} allows and columns are matched regardless of
     * case (the first spelling is kept). What does not fit is a conflict: the records that carry such values are
     * quarantined with the reason, never turned to VARCHAR. Within one input, inference may still give VARCHAR to a
     * column of mixed values (that is inference, not evolution).
     */
    private StructType mergeSchemas(List<Src> srcs, List<SchemaChange> changes,
                                    List<SchemaEvolution.Conflict> conflicts) {
        SchemaPolicy policy = policy();
        Schema merged = s.schema == null ? null : Schema.of(s.schema);
        // columns that only held nulls so far take the type of the first input that has values for them
        java.util.Set<String> untyped = new java.util.HashSet<>();
        for (Src src : srcs) {
            src.conflicts = java.util.Map.of();
        }
        for (Src src : srcs) {
            StructType t = schemaOf(src);
            Schema inc = datasetSchema(src, t);
            java.util.Set<String> incUntyped = untypedColumns(src);
            if (src.acc != null && s.schema == null) {
                // columns this input's own values made wider than its first values (inference within the input)
                src.acc.collectChanges(t, changes);
            }
            if (merged == null) {
                merged = inc;
                untyped.addAll(incUntyped);
                continue;
            }
            List<Field> current = new ArrayList<>();
            for (Field f : merged.fields()) {
                String key = lower(f.name());
                java.util.Optional<Field> g = inc.field(f.name());
                if (untyped.contains(key) && g.isPresent() && !incUntyped.contains(key)) {
                    current.add(f.withType(g.get().type()));
                    untyped.remove(key);
                } else {
                    current.add(f);
                }
            }
            List<Field> incoming = new ArrayList<>();
            for (Field g : inc.fields()) {
                java.util.Optional<Field> f = merged.field(g.name());
                boolean blank = incUntyped.contains(lower(g.name()));
                if (blank && f.isEmpty()) {
                    untyped.add(lower(g.name()));
                }
                // a VARCHAR column keeps any value as the text it was written as (as a declared VARCHAR does): the
                // column does not change, so this is no conflict
                boolean asText = f.isPresent() && f.get().type().kind() == DataType.Kind.STRING;
                incoming.add((blank || asText) && f.isPresent() ? g.withType(f.get().type()) : g);
            }
            SchemaEvolution.Result r = SchemaEvolution.evolve(new Schema(current), new Schema(incoming), policy,
                    src.name());
            merged = r.schema();
            changes.addAll(r.changes());
            conflicts.addAll(r.conflicts());
            java.util.Map<String, String> why = new java.util.HashMap<>();
            for (SchemaEvolution.Conflict c : r.conflicts()) {
                why.putIfAbsent(c.column(), c.reason());
            }
            src.conflicts = why;
        }
        return merged == null ? DataType.struct(List.of()) : merged.asStruct();
    }

    private static String lower(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    /** Top-level columns of an input that held only nulls (lower case): inference could not tell their type. */
    private static java.util.Set<String> untypedColumns(Src src) {
        if (src.acc == null || src.acc.fields == null) {
            return java.util.Set.of();
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        for (java.util.Map.Entry<String, TypeAcc> e : src.acc.fields.entrySet()) {
            if (!src.acc.isAlias(e.getKey()) && e.getValue().seen == 0) {
                out.add(lower(e.getKey()));
            }
        }
        return out;
    }

    /** An input's schema as a dataset's: column names must be unique regardless of case. */
    private static Schema datasetSchema(Src src, StructType t) {
        try {
            return Schema.of(t);
        } catch (IllegalArgumentException e) {
            throw new FormatException(src.name() + ": " + e.getMessage());
        }
    }

    private SchemaPolicy policy() {
        if (s.policy != null) {
            return s.policy;
        }
        return s.schema != null ? SchemaPolicy.STRICT : SchemaPolicy.WIDEN;
    }

    // ------------------------------------------------------------------ conversion

    private ConversionReport convertWithRetry(List<Src> srcs) {
        List<SchemaChange> changes = new ArrayList<>();
        boolean explicitOnly = s.schema != null && policy() == SchemaPolicy.STRICT;
        boolean sampled = false;
        DataType schema;
        if (explicitOnly) {
            schema = s.schema;
        } else {
            infer(srcs, s.fullInference);
            sampled = !s.fullInference
                    && srcs.stream().anyMatch(x -> x.format != InputFormat.AVRO && (!x.exhausted || x.truncated));
            List<SchemaEvolution.Conflict> conflicts = new ArrayList<>();
            schema = mergeSchemas(srcs, changes, conflicts);
            if (!conflicts.isEmpty() && sampled) {
                // records that do not fit are expected now: infer from everything, so that a misfit is quarantined
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
            notes.add("re-inferred the schema over the whole input: " + r.getMessage()
                    + " did not fit the schema inferred from the first " + s.sampleRows + " records");
            changes.clear();
            infer(srcs, true);
            List<SchemaEvolution.Conflict> conflicts = new ArrayList<>();
            schema = mergeSchemas(srcs, changes, conflicts);
            noteConflicts(conflicts);
            return convert(srcs, schema, changes, false, 2);
        }
    }

    /** Says which columns of which input do not fit: their records are quarantined (the reason per record). */
    private void noteConflicts(List<SchemaEvolution.Conflict> conflicts) {
        for (SchemaEvolution.Conflict c : conflicts) {
            notes.add(c.reason() + ": records whose values do not fit are quarantined");
        }
    }

    private ConversionReport convert(List<Src> srcs, DataType schema, List<SchemaChange> changes, boolean sampled,
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
        String jobId = UUID.randomUUID().toString().substring(0, 8);
        Sink sink = new Sink(s.output, jobId);
        QuarantineWriter qw = s.quarantine == null ? null
                : new QuarantineWriter(new Sink(s.quarantine, jobId), "quarantine-" + jobId + ".ndjson");
        ParquetRows.Settings ps = new ParquetRows.Settings();
        ps.codec = codec(s.compression);
        ps.level = s.compressionLevel;
        ps.rowGroupBytes = s.rowGroupBytes;
        ps.rowGroupRows = s.rowGroupRows;
        java.util.Set<String> noDict = new java.util.HashSet<>();
        for (Src src : srcs) {
            if (src.acc != null) {
                src.acc.highCardinalityColumns("", noDict);
            }
        }
        ps.noDictionary = noDict;
        boolean[] required = null;
        if (s.schema != null) {
            required = new boolean[schema.asStruct().fields().size()];
            boolean any = false;
            for (int i = 0; i < required.length; i++) {
                Field f = schema.asStruct().fields().get(i);
                java.util.Optional<Field> decl = s.schema.asStruct().field(f.name());
                required[i] = decl.isPresent() && !decl.get().nullable();
                any |= required[i];
            }
            if (!any) {
                required = null;
            }
        }
        int threads = Math.max(1, s.threads);
        Pipeline p = new Pipeline(Pipeline.Mode.CONVERT, threads, s.charset, 0);
        p.maxColumns = s.maxColumns;
        FileRoller shared = s.output.isSingle()
                ? new FileRoller(sink, schema, s.partitionBy, ps, s.targetFileBytes, "part-" + jobId) : null;
        Required nested = s.schema == null ? null : Required.nestedOf(s.schema, schema);
        PartitionSpill spill = s.partitionBy.isEmpty() || s.output.isSingle() ? null
                : new PartitionSpill(s.partitionMemoryBytes > 0 ? s.partitionMemoryBytes
                        : PartitionSpill.defaultMemory(), threads);
        p.convert(schema, s.schema == null, sampled, required, nested, s.budget, qw,
                id -> new FileRoller(sink, schema, s.partitionBy, ps, s.targetFileBytes,
                        "part-" + jobId + "-" + id).spillTo(spill == null ? null : spill.buffer()), shared);
        if (spill != null) {
            p.partitions(spill, id -> new FileRoller(sink, schema, s.partitionBy, ps, s.targetFileBytes,
                    "part-" + jobId + "-" + id));
        }
        active = p;
        try {
            p.run(srcs);
        } catch (Pipeline.Restart r) {
            sink.discardAll();
            if (qw != null) {
                qw.discard();
            }
            throw r;
        } catch (Pipeline.BudgetExceeded e) {
            sink.discardAll();
            String q = qw == null ? null : qw.commit();
            ConversionReport rep = report(srcs, schema, changes, p, List.of(), q, attempt);
            throw new ErrorBudgetExceededException(e.getMessage() + "; no output was written"
                    + (q == null ? "" : "; bad records are in " + q), rep);
        } catch (RuntimeException | Error e) {
            sink.discardAll();
            if (qw != null) {
                if (qw.count() > 0) {
                    qw.commit();
                } else {
                    qw.discard();
                }
            }
            throw e;
        } finally {
            if (spill != null) {
                if (spill.spilledBytes() > 0) {
                    notes.add(String.format("partitioned rows were sorted through %d run(s) on local temp disk"
                            + " (%.1f MiB)", spill.spilledRuns(), spill.spilledBytes() / 1048576.0));
                }
                spill.discard();
            }
        }
        long read = p.rowsRead.sum();
        long bad = p.quarantined.get();
        if (bad > 0 && s.budget.exceeded(bad, read)) {
            sink.discardAll();
            String q = qw == null ? null : qw.commit();
            ConversionReport rep = report(srcs, schema, changes, p, List.of(), q, attempt);
            throw new ErrorBudgetExceededException("error budget exceeded (" + s.budget + "): " + bad + " of " + read
                    + " records were bad; no output was written" + (q == null ? "" : "; bad records are in " + q), rep);
        }
        phase = "committing";
        List<OutputFileInfo> files = sink.commitAll();
        String q = qw == null ? null : qw.commit();
        return report(srcs, finalSchema(schema, p), changes, p, files, q, attempt);
    }

    private StructType finalSchema(DataType schema, Pipeline p) {
        long[] nulls = p.nullCounts();
        List<Field> fs = new ArrayList<>();
        for (int i = 0; i < schema.asStruct().fields().size(); i++) {
            Field f = schema.asStruct().fields().get(i);
            boolean nullable;
            java.util.Optional<Field> decl = s.schema == null ? java.util.Optional.empty() : s.schema.asStruct().field(f.name());
            if (decl.isPresent()) {
                nullable = decl.get().nullable();
            } else {
                nullable = nulls[i] > 0 || p.rowsWritten.sum() == 0 && f.nullable();
            }
            fs.add(new Field(f.name(), f.type(), nullable));
        }
        return DataType.struct(fs);
    }

    private ConversionReport report(List<Src> srcs, DataType schema, List<SchemaChange> changes, Pipeline p,
                                    List<OutputFileInfo> files, String quarantine, int attempt) {
        List<String> names = new ArrayList<>();
        for (Src src : srcs) {
            names.add(src.name());
        }
        return new ConversionReport(names, schema.asStruct(), changes, p.rowsRead.sum(), p.rowsWritten.sum(), p.quarantined.get(),
                p.currentBytes(), files, quarantine, attempt, notes, Duration.ofNanos(System.nanoTime() - t0));
    }

    private void checkPartitionColumns(DataType schema) {
        for (String c : s.partitionBy) {
            int i = schema.asStruct().indexOf(c);
            if (i < 0) {
                throw new IllegalStateException("partition column \"" + c + "\" is not in the schema " + schema);
            }
            DataType.Kind k = schema.asStruct().fields().get(i).type().kind();
            if (k == DataType.Kind.STRUCT || k == DataType.Kind.LIST || k == DataType.Kind.MAP
                    || k == DataType.Kind.BINARY) {
                throw new IllegalStateException("partition column \"" + c + "\" must be a scalar, not " + k);
            }
        }
        if (!s.partitionBy.isEmpty() && s.partitionBy.size() == schema.asStruct().fields().size()) {
            throw new IllegalStateException("every column is a partition column: nothing would be left in the files");
        }
    }

    private static CompressionCodecName codec(Compression c) {
        switch (c) {
            case SNAPPY: return CompressionCodecName.SNAPPY;
            case GZIP: return CompressionCodecName.GZIP;
            case UNCOMPRESSED: return CompressionCodecName.UNCOMPRESSED;
            default: return CompressionCodecName.ZSTD;
        }
    }

    private void tick() {
        try {
            Pipeline p = active;
            long bytes = p == null ? 0 : p.currentBytes();
            long rows = p == null ? 0 : p.rowsRead.sum();
            Duration el = Duration.ofNanos(System.nanoTime() - t0);
            double secs = el.toNanos() / 1e9;
            s.progress.onProgress(new Progress(bytes, totalBytes, rows, secs > 0 ? rows / secs : 0, el, phase));
        } catch (RuntimeException ignored) {
            // a listener's failure must not break the conversion
        }
    }
}
