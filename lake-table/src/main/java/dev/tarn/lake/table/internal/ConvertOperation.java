package dev.tarn.lake.table.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.catalog.Format;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.TableAlreadyExistsException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.format.Conversion;
import dev.tarn.lake.format.ConversionReport;
import dev.tarn.lake.format.ErrorBudget;
import dev.tarn.lake.format.ErrorBudgetExceededException;
import dev.tarn.lake.format.Input;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.format.Output;
import dev.tarn.lake.format.OutputFileInfo;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.table.CommitResult;
import dev.tarn.lake.table.Convert;
import dev.tarn.lake.table.ConvertResult;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.TableWrite;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Raw objects → lake-format → Parquet under the table → one table commit carrying {@code
 * txn(tarn-convert:SOURCE, catalogVersion)}. The txn makes runs exactly once: a run converts only
 * objects newer than the last recorded catalog version, and of two runs racing with the same
 * objects, the second commit conflicts on the txn and is dropped.
 */
final class ConvertOperation implements Convert {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DefaultTables tables;
    private final DefaultTables.Runtime rt;
    private final DatasetId source;
    private final DatasetId target;
    private final List<String> partitionBy = new ArrayList<>();
    private Path avsc;
    private Mode mode = Mode.APPEND;
    private dev.tarn.lake.types.SchemaPolicy policy = dev.tarn.lake.types.SchemaPolicy.STRICT;
    private String[] jsonPath;
    private ErrorBudget budget = ErrorBudget.fraction(0.10);
    private int maxColumns = dev.tarn.lake.format.Conversion.DEFAULT_MAX_COLUMNS;

    /**
     * For a Parquet source: the table file each raw object was copied to → the object's path, for
     * messages.
     */
    private final java.util.Map<String, String> copiedFrom = new java.util.LinkedHashMap<>();

    private dev.tarn.lake.format.ProgressListener progress =
            dev.tarn.lake.format.ProgressListener.NONE;

    ConvertOperation(
            DefaultTables tables, DefaultTables.Runtime rt, DatasetId source, DatasetId target) {
        this.tables = tables;
        this.rt = rt;
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "table");
    }

    /**
     * The application id of conversions from one source, as recorded in the table's txn actions.
     */
    static String appId(DatasetId source) {
        return "tarn-convert:" + source;
    }

    @Override
    public Convert partitionBy(String... columns) {
        partitionBy.clear();
        partitionBy.addAll(List.of(columns));
        return this;
    }

    @Override
    public Convert schema(Path avsc) {
        this.avsc = Objects.requireNonNull(avsc, "avsc");
        return this;
    }

    @Override
    public Convert mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    @Override
    public Convert evolveSchema() {
        this.policy = dev.tarn.lake.types.SchemaPolicy.WIDEN;
        return this;
    }

    @Override
    public Convert schemaPolicy(dev.tarn.lake.types.SchemaPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy is null");
        return this;
    }

    @Override
    public Convert jsonPath(String... path) {
        this.jsonPath = Objects.requireNonNull(path, "path is null").clone();
        return this;
    }

    @Override
    public Convert errorBudget(ErrorBudget budget) {
        this.budget = Objects.requireNonNull(budget, "budget");
        return this;
    }

    @Override
    public Convert maxColumns(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("the column limit must be at least 1");
        }
        this.maxColumns = n;
        return this;
    }

    @Override
    public Convert progress(dev.tarn.lake.format.ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** What a run found before writing: the objects it converts and the table as it was. */
    private record Plan(
            long sourceVersion,
            dev.tarn.lake.table.Snapshot existing,
            long consumed,
            List<LakeObject> pending,
            List<String> partitioning) {}

    @Override
    public ConvertResult apply() {
        Plan p = plan();
        return new ConvertResult(
                source,
                target,
                -1,
                p.pending().isEmpty() ? p.consumed() : p.sourceVersion(),
                p.pending().stream().map(LakeObject::path).toList(),
                0,
                0,
                null);
    }

    /** Reads and checks; writes nothing. */
    private Plan plan() {
        rt.authorize(Privilege.READ, source);
        rt.authorize(Privilege.WRITE, target);
        tables.requireNotDropped(target); // before any file is written under its name
        Catalog catalog = rt.lake().catalog();
        Dataset ds =
                catalog.dataset(source)
                        .orElseThrow(
                                () ->
                                        new NotFoundException(
                                                "no dataset "
                                                        + source
                                                        + " to convert (see 'lake ls "
                                                        + source.zone()
                                                        + "')"));
        if (ds.kind() != DatasetKind.OBJECTS) {
            throw new TarnException(
                    ErrorCode.INVALID_OPERATION,
                    source + " is a table; convert reads datasets of raw objects");
        }
        long sourceVersion = catalog.version();
        String app = appId(source);
        // the table as this run finds it (one read of its log): what it consumed, its partitioning
        // and its schema
        dev.tarn.lake.table.Snapshot existing =
                tables.exists(target) ? tables.load(target).snapshot() : null;
        long consumed = existing != null ? existing.transactionVersion(app) : -1;
        List<LakeObject> pending = new ArrayList<>();
        for (LakeObject o : catalog.objects(source)) {
            if (mode == Mode.OVERWRITE || o.version() > consumed) {
                pending.add(o);
            }
        }
        if (pending.isEmpty()) {
            return new Plan(sourceVersion, existing, consumed, pending, partitionBy);
        }
        List<String> partitioning = new ArrayList<>(partitionBy);
        if (existing != null) {
            // An existing table decides its partitioning; asking for another is a mistake worth
            // saying.
            List<String> columns = existing.partitionColumns();
            if (!partitionBy.isEmpty() && !partitionBy.equals(columns)) {
                throw new TarnException(
                        ErrorCode.INVALID_OPERATION,
                        target
                                + " is partitioned by "
                                + columns
                                + ", not "
                                + partitionBy
                                + "; convert into a new table to partition differently");
            }
            partitioning = new ArrayList<>(columns);
        }
        ObjectStore store = rt.store();
        // An object whose bytes are gone or cut would convert into fewer rows (or records
        // quarantined as malformed)
        // while the table records it as consumed for good: refuse before writing a byte.
        // One listing of the dataset gives every size (a request per thousand objects on S3, not
        // one per object).
        java.util.Map<String, Long> sizes = new java.util.HashMap<>();
        for (dev.tarn.lake.storage.ObjectStat st : store.list(source.keyPrefix())) {
            sizes.put(st.key(), st.size());
        }
        for (LakeObject o : pending) {
            long size = sizes.getOrDefault(o.key(), -1L);
            if (size != o.size()) {
                throw new TarnException(
                        ErrorCode.OBJECT_DAMAGED,
                        "cannot convert "
                                + source
                                + ": its object "
                                + o.key()
                                + (size < 0
                                        ? " is in the catalog but its bytes are gone"
                                        : " has "
                                                + size
                                                + " bytes where the catalog recorded "
                                                + o.size()
                                                + " (changed behind the lake)")
                                + "; nothing was written; run 'lake doctor'");
            }
        }
        if (pending.stream().allMatch(o -> o.format() == Format.PARQUET)) {
            checkParquet(partitioning);
        } else {
            inputFormat(pending); // one format, one that converts
        }
        return new Plan(sourceVersion, existing, consumed, pending, partitioning);
    }

    @Override
    public ConvertResult commit() {
        Plan plan = plan();
        long sourceVersion = plan.sourceVersion();
        String app = appId(source);
        dev.tarn.lake.table.Snapshot existing = plan.existing();
        long consumed = plan.consumed();
        List<LakeObject> pending = plan.pending();
        List<String> partitioning = plan.partitioning();
        if (pending.isEmpty()) {
            return new ConvertResult(source, target, -1, consumed, List.of(), 0, 0, null);
        }
        ObjectStore store = rt.store();
        String batch = sourceVersion + "-" + UUID.randomUUID().toString().substring(0, 8);
        String quarantineKey = target.keyPrefix() + "_quarantine/convert-" + batch + ".ndjson";
        List<DataFile> files;
        long rowsWritten;
        long rowsQuarantined;
        List<String> notes = List.of();
        if (pending.stream().allMatch(o -> o.format() == Format.PARQUET)) {
            files = copyParquet(store, pending, batch);
            rowsWritten = files.stream().mapToLong(DataFile::recordCount).sum();
            rowsQuarantined = 0;
        } else {
            InputFormat format = inputFormat(pending);
            List<Input> inputs = pending.stream().map(o -> Input.object(store, o.key())).toList();
            Conversion conversion =
                    Conversion.of(inputs)
                            .format(format)
                            .output(Output.store(store, target.keyPrefix()))
                            .quarantine(Output.storeObject(store, quarantineKey))
                            .errorBudget(budget)
                            .maxColumns(maxColumns)
                            .progress(progress);
            if (!partitioning.isEmpty()) {
                conversion.partitionBy(partitioning.toArray(String[]::new));
            }
            if (jsonPath != null) {
                conversion.jsonPath(jsonPath);
            }
            if (avsc != null) {
                conversion.schema(avsc).policy(policy);
            } else if (existing != null) {
                // Validate before writing: the conversion writes the table's columns with the
                // table's types, and a
                // record that does not fit is quarantined (or the column evolves as the policy
                // allows) before a byte
                // is written, instead of a file being refused after it was written.
                conversion.schema(existing.schema()).policy(policy);
            } else {
                conversion.policy(
                        policy == dev.tarn.lake.types.SchemaPolicy.STRICT
                                ? dev.tarn.lake.types.SchemaPolicy.WIDEN
                                : policy);
            }
            ConversionReport report;
            try {
                report = conversion.commit();
            } catch (ErrorBudgetExceededException e) {
                // Nothing is committed, so nothing may stay: the conversion removed its data files;
                // its quarantine
                // goes too (the records are still in the raw objects), and the error names the
                // first of them.
                String first = firstBadRecords(store, quarantineKey, 3);
                deleteQuietly(store, quarantineKey, e);
                String m = e.getMessage();
                int cut = m.indexOf("; bad records are in ");
                throw new ErrorBudgetExceededException(
                        (cut < 0 ? m : m.substring(0, cut))
                                + first
                                + (policy == dev.tarn.lake.types.SchemaPolicy.WIDEN
                                                || existing == null
                                        ? ""
                                        : "; records that need a new column or a wider type fit once the table's schema may evolve"
                                                + " (schema policy add-columns or widen)"),
                        e.report());
            } catch (RuntimeException e) {
                deleteQuietly(store, quarantineKey, e);
                throw e;
            }

            files = new ArrayList<>();
            for (OutputFileInfo f : report.files()) {
                ObjectStat stat =
                        store.stat(target.keyPrefix() + f.relative())
                                .orElseThrow(
                                        () ->
                                                new TarnException(
                                                        ErrorCode.IO_ERROR,
                                                        "converted file "
                                                                + f.relative()
                                                                + " of "
                                                                + target
                                                                + " vanished before its commit"));
                files.add(ParquetFooter.describe(store, stat, f.relative(), f.partition()));
            }
            rowsWritten = report.rowsWritten();
            rowsQuarantined = report.rowsQuarantined();
            notes = report.notes();
        }
        try {
            Table table = ensureTable(files);
            String lineage = lineage(pending);
            TableWrite<?> write = mode == Mode.APPEND ? table.newAppend() : table.newOverwrite();
            write.addFiles(files)
                    .transaction(app, sourceVersion)
                    .parameter("source", source.toString())
                    .parameter("sourceVersion", Long.toString(sourceVersion))
                    .parameter("sourceObjects", lineage);
            if (rowsQuarantined > 0) {
                // the quarantine belongs to this commit: the table's bookkeeping, never an
                // unreferenced object
                write.parameter("quarantine", quarantineKey.substring(target.keyPrefix().length()));
            }
            if (policy != dev.tarn.lake.types.SchemaPolicy.STRICT) {
                write.evolveSchema();
            }
            CommitResult c = write.commit();
            return new ConvertResult(
                    source,
                    target,
                    c.version(),
                    sourceVersion,
                    pending.stream().map(LakeObject::path).toList(),
                    rowsWritten,
                    rowsQuarantined,
                    rowsQuarantined > 0 ? quarantineKey : null,
                    notes);
        } catch (dev.tarn.lake.exceptions.CommitStateUnknownException e) {
            throw e; // the commit may have landed: the files it would reference stay ('lake doctor'
            // tells)
        } catch (RuntimeException e) {
            // Nothing references the files this run wrote: remove them, so a retry leaves no
            // orphans behind.
            for (DataFile f : files) {
                store.delete(target.keyPrefix() + f.path());
            }
            deleteQuietly(store, quarantineKey, e);
            if (e instanceof dev.tarn.lake.exceptions.SchemaMismatchException
                    && !copiedFrom.isEmpty()) {
                throw namingObjects((dev.tarn.lake.exceptions.SchemaMismatchException) e);
            }
            if (e instanceof dev.tarn.lake.exceptions.CommitConflictException
                    && tables.exists(target)
                    && tables.load(target).snapshot().transactionVersion(app)
                            >= maxVersion(pending)) {
                // A concurrent run committed these objects first: they are converted, exactly once.
                return new ConvertResult(
                        source,
                        target,
                        -1,
                        tables.load(target).snapshot().transactionVersion(app),
                        List.of(),
                        0,
                        0,
                        null);
            }
            throw e;
        }
    }

    /**
     * The first {@code n} records of a quarantine as an error can say them ({@code "; first bad
     * records: OBJECT line 3: REASON; ..."}), or "" when it cannot be read.
     */
    private static String firstBadRecords(ObjectStore store, String key, int n) {
        List<String> out = new ArrayList<>();
        try (java.io.BufferedReader r =
                new java.io.BufferedReader(
                        new java.io.InputStreamReader(
                                store.get(key), java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while (out.size() < n && (line = r.readLine()) != null) {
                com.fasterxml.jackson.databind.JsonNode q = JSON.readTree(line);
                out.add(
                        q.path("source").asText("?")
                                + " line "
                                + q.path("line").asText("?")
                                + ": "
                                + q.path("reason").asText(""));
            }
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
        return out.isEmpty()
                ? ""
                : "; first bad record"
                        + (out.size() == 1 ? "" : "s")
                        + ": "
                        + String.join("; ", out);
    }

    /** Removes a file this failed run wrote, keeping the run's own error as the one thrown. */
    private static void deleteQuietly(ObjectStore store, String key, RuntimeException cause) {
        try {
            store.delete(key);
        } catch (RuntimeException again) {
            cause.addSuppressed(again);
        }
    }

    /**
     * The table, created from the first file's schema (partition columns as strings) if it does not
     * exist.
     */
    private Table ensureTable(List<DataFile> files) {
        if (tables.exists(target)) {
            return tables.load(target);
        }
        if (files.isEmpty() || files.get(0).schema() == null) {
            throw new TarnException(
                    ErrorCode.INVALID_INPUT,
                    "the conversion of "
                            + source
                            + " wrote no rows, so there is no schema to create "
                            + target
                            + " from");
        }
        List<Field> partitionFields = new ArrayList<>();
        Set<String> inFile = new LinkedHashSet<>(files.get(0).schema().columnNames());
        for (String c : partitionBy) {
            if (!inFile.contains(c)) {
                partitionFields.add(Field.of(c, DataType.STRING));
            }
        }
        Schema schema = files.get(0).schema().plus(partitionFields);
        // Every file must fit before the table exists: a run refused for a type conflict leaves no
        // empty table behind.
        SchemaCheck.evolve(
                schema, partitionBy, files, policy != dev.tarn.lake.types.SchemaPolicy.STRICT);
        try {
            return tables.newCreate(target)
                    .schema(schema)
                    .partitionBy(partitionBy)
                    .description("converted from " + source)
                    .ifNotExists()
                    .commit();
        } catch (TableAlreadyExistsException e) {
            return tables.load(
                    target); // created meanwhile with another schema: the append will say if it
            // fits
        }
    }

    private static InputFormat inputFormat(List<LakeObject> objects) {
        Set<Format> formats = new LinkedHashSet<>();
        objects.forEach(o -> formats.add(o.format()));
        if (formats.size() != 1) {
            throw new TarnException(
                    ErrorCode.INVALID_INPUT,
                    "the objects to convert have several formats "
                            + formats
                            + "; convert one format at a time (ingest them into separate datasets)");
        }
        Format f = formats.iterator().next();
        return switch (f) {
            case NDJSON -> InputFormat.NDJSON;
            case JSON -> InputFormat.JSON;
            case CSV -> InputFormat.CSV;
            case TSV -> InputFormat.TSV;
            case AVRO -> InputFormat.AVRO;
            default ->
                    throw new TarnException(
                            ErrorCode.UNSUPPORTED_OPERATION,
                            "objects in format "
                                    + f.id()
                                    + " cannot be converted to a table"
                                    + " (JSON, NDJSON, CSV, TSV, Avro and Parquet can)");
        };
    }

    /**
     * Raw Parquet objects are already what a table holds: each is copied byte for byte into the
     * table's directory and described from its footer (schema, record count, column statistics), so
     * nothing is decoded and no value can change on the way. The append then checks each file's
     * schema against the table's, as for any other file. An object that is not a readable Parquet
     * file, or has a column type Delta cannot hold, fails the run naming the object, with the
     * copies already made removed: the table stays exactly as it was.
     */
    /** What a Parquet source can be converted into, checked before anything is copied. */
    private void checkParquet(List<String> partitioning) {
        if (!partitioning.isEmpty()) {
            throw new TarnException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    "the Parquet objects of "
                            + source
                            + " convert into an unpartitioned table only ("
                            + (partitionBy.isEmpty()
                                    ? target + " is partitioned by " + partitioning
                                    : "asked to partition by " + partitioning)
                            + "); convert without partition columns, or into a"
                            + " new table");
        }
        if (avsc != null) {
            throw new TarnException(
                    ErrorCode.INVALID_OPERATION,
                    "a schema file applies to JSON, CSV and Avro sources; the Parquet objects of "
                            + source
                            + " carry their own schema");
        }
    }

    private List<DataFile> copyParquet(ObjectStore store, List<LakeObject> objects, String batch) {
        List<DataFile> files = new ArrayList<>();
        try {
            int i = 0;
            for (LakeObject o : objects) {
                String rel =
                        "part-"
                                + batch
                                + "-"
                                + String.format(java.util.Locale.ROOT, "%05d", i++)
                                + ".parquet";
                ObjectStat copied;
                try (java.io.InputStream in = store.get(o.key())) {
                    copied =
                            store.put(
                                    target.keyPrefix() + rel,
                                    in,
                                    dev.tarn.lake.storage.WriteMode.CREATE);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(
                            "cannot copy " + o.key() + " into " + target, e);
                }
                files.add(
                        DataFile.builder(rel)
                                .size(copied.size())
                                .build()); // removed on failure below
                copiedFrom.put(rel, o.path());
                try {
                    files.set(
                            files.size() - 1,
                            ParquetFooter.describe(store, copied, rel, java.util.Map.of()));
                } catch (RuntimeException e) {
                    throw new TarnException(
                            ErrorCode.INVALID_INPUT,
                            "object "
                                    + o.path()
                                    + " of "
                                    + source
                                    + " cannot become part of a table: "
                                    + (e instanceof java.io.UncheckedIOException
                                                    && e.getCause() != null
                                            ? "not a readable Parquet file ("
                                                    + e.getCause().getMessage()
                                                    + ")"
                                            : e.getMessage()),
                            e);
                }
            }
        } catch (RuntimeException e) {
            for (DataFile f : files) {
                store.delete(target.keyPrefix() + f.path());
            }
            throw e;
        }
        return files;
    }

    /** A schema mismatch of a copied Parquet file, said in terms of the raw object it came from. */
    private RuntimeException namingObjects(dev.tarn.lake.exceptions.SchemaMismatchException e) {
        String m = String.valueOf(e.getMessage());
        for (var c : copiedFrom.entrySet()) {
            m = m.replace("file " + c.getKey(), "object " + c.getValue() + " of " + source);
        }
        var named = new dev.tarn.lake.exceptions.SchemaMismatchException(m);
        named.initCause(e);
        return named;
    }

    private static long maxVersion(List<LakeObject> objects) {
        return objects.stream().mapToLong(LakeObject::version).max().orElse(-1);
    }

    private static String lineage(List<LakeObject> objects) {
        try {
            return JSON.writeValueAsString(objects.stream().map(LakeObject::path).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
