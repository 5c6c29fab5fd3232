package dev.tarn.lake.table.internal;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TableAlreadyExistsException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.table.CommitResult;
import dev.tarn.lake.table.CreateTable;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.DeltaTypes;
import dev.tarn.lake.table.Snapshot;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.table.internal.Actions.Metadata;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.DecimalType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.PrimitiveType;
import dev.tarn.lake.types.Schema;
import dev.tarn.lake.types.StructType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Version 0 of a table. */
final class CreateTableOperation implements CreateTable {
    private static final Set<String> NEEDS_NEWER_PROTOCOL =
            Set.of(
                    "delta.enableDeletionVectors",
                    "delta.enableChangeDataFeed",
                    "delta.enableRowTracking",
                    "delta.enableInCommitTimestamps",
                    "delta.enableIcebergCompatV1",
                    "delta.enableIcebergCompatV2",
                    "delta.checkpointPolicy",
                    "delta.enableVariantShredding");

    private final DefaultTables tables;
    private final DefaultTables.Runtime rt;
    private final DatasetId id;
    private final DeltaLog log;
    private Schema schema;
    private List<String> partitionColumns = List.of();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private String description;
    private final List<DataFile> files = new ArrayList<>();
    private boolean ifNotExists;

    CreateTableOperation(
            DefaultTables tables, DefaultTables.Runtime rt, DatasetId id, DeltaLog log) {
        this.tables = tables;
        this.rt = rt;
        this.id = id;
        this.log = log;
    }

    @Override
    public CreateTable schema(Schema s) {
        this.schema = s;
        return this;
    }

    @Override
    public CreateTable partitionBy(List<String> columns) {
        this.partitionColumns = List.copyOf(columns);
        return this;
    }

    @Override
    public CreateTable property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    @Override
    public CreateTable description(String d) {
        this.description = d;
        return this;
    }

    @Override
    public CreateTable addFile(DataFile file) {
        files.add(file);
        return this;
    }

    @Override
    public CreateTable ifNotExists() {
        this.ifNotExists = true;
        return this;
    }

    @Override
    public Snapshot apply() {
        Schema s = schema != null ? schema : schemaFromFiles();
        validate(s);
        rt.authorize(dev.tarn.lake.security.Privilege.WRITE, id);
        if (log.exists()) {
            return existing(s).snapshot();
        }
        Transaction tx = plan(s);
        CommitResult r = tx.preview();
        return new SnapshotImpl(
                TableState.empty().toBuilder()
                        .apply(0, tx.actions(), r.timestamp().toEpochMilli())
                        .build());
    }

    @Override
    public Table commit() {
        Schema s = schema != null ? schema : schemaFromFiles();
        validate(s);
        tables.register(id);
        if (log.exists()) {
            return existing(s);
        }
        Transaction tx = plan(s);
        try {
            tx.commit();
        } catch (TableAlreadyExistsException e) {
            if (!ifNotExists) {
                throw e;
            }
            return existing(s);
        }
        return new DefaultTable(rt, id, log);
    }

    /** Version 0's actions. */
    private Transaction plan(Schema s) {
        long now = rt.clock().millis();
        Metadata md =
                new Metadata(
                        UUID.randomUUID().toString(),
                        null,
                        description,
                        "parquet",
                        Map.of(),
                        DeltaSchema.toJson(s),
                        partitionColumns,
                        now,
                        properties);
        // 1/2 unless the schema needs a feature (a timestamp_ntz column, columns with a type change
        // history)
        Set<String> features = new java.util.TreeSet<>(Protocols.needed(s, properties));
        features.addAll(SchemaCheck.evolve(s, partitionColumns, files, false).features());
        Actions.Protocol protocol = Protocols.withFeatures(features);
        TableState shape =
                TableState.empty().toBuilder().apply(0, List.of(protocol, md), now).build();
        Transaction tx =
                new Transaction(rt, log, id.toString(), TableState.empty(), "CREATE TABLE")
                        .create()
                        .parameter("isManaged", "false")
                        .parameter("description", description == null ? "" : description)
                        .parameter("partitionBy", Json.write(Json.fromJava(partitionColumns)))
                        .parameter("properties", Json.write(Json.fromJava(properties)));
        tx.add(protocol).add(md);
        DefaultTable table = new DefaultTable(rt, id, log);
        Set<String> seen = new HashSet<>();
        long rows = 0;
        long bytes = 0;
        for (DataFile f : files) {
            AddFile a = table.toAdd(f, shape, true);
            if (!seen.add(a.path())) {
                throw new IllegalArgumentException("file " + f.path() + " is added twice");
            }
            tx.add(a);
            rows += Math.max(0, f.recordCount());
            bytes += a.size();
        }
        if (!files.isEmpty()) {
            tx.metric("numFiles", files.size())
                    .metric("numOutputRows", rows)
                    .metric("numOutputBytes", bytes);
        }
        return tx;
    }

    private Table existing(Schema s) {
        if (!ifNotExists) {
            throw new TableAlreadyExistsException("table " + id + " already exists");
        }
        TableState st = log.latest();
        if (!SchemaCheck.sameType(st.schema().asStruct(), s.asStruct())
                || !st.metadata().partitionColumns().equals(partitionColumns)) {
            throw new TableAlreadyExistsException(
                    "table "
                            + id
                            + " already exists with schema "
                            + st.schema()
                            + " partitioned by "
                            + st.metadata().partitionColumns()
                            + ", not "
                            + s
                            + " partitioned by "
                            + partitionColumns);
        }
        return new DefaultTable(rt, id, log);
    }

    private Schema schemaFromFiles() {
        for (DataFile f : files) {
            if (f.schema() != null) {
                List<Field> fields = new ArrayList<>(f.schema().fields());
                for (String p : partitionColumns) {
                    fields.add(Field.of(p, DataType.STRING));
                }
                return new Schema(fields);
            }
        }
        throw new IllegalArgumentException(
                "table "
                        + id
                        + ": give a schema, or a first file whose schema is known"
                        + " (Table.dataFile reads it from the Parquet footer)");
    }

    private void validate(Schema s) {
        if (s.fields().isEmpty()) {
            throw new IllegalArgumentException("table " + id + " needs at least one column");
        }
        if (new HashSet<>(partitionColumns).size() != partitionColumns.size()) {
            throw new IllegalArgumentException(
                    "partition columns " + partitionColumns + " repeat a column");
        }
        for (String p : partitionColumns) {
            Field f =
                    s.field(p)
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "partition column '"
                                                            + p
                                                            + "' is not a column of "
                                                            + s));
            if (!(f.type() instanceof PrimitiveType) && !(f.type() instanceof DecimalType)) {
                throw new IllegalArgumentException(
                        "partition column '"
                                + p
                                + "' is a "
                                + DeltaTypes.name(f.type())
                                + "; partition columns must be of a primitive type");
            }
            if (f.type() == DataType.BINARY) {
                throw new IllegalArgumentException(
                        "partition column '"
                                + p
                                + "' is binary; Tarn does not"
                                + " partition by binary columns");
            }
        }
        if (partitionColumns.size() == s.fields().size()) {
            throw new IllegalArgumentException(
                    "every column of "
                            + s
                            + " is a partition column; a table needs at"
                            + " least one data column");
        }
        for (String k : properties.keySet()) {
            if (NEEDS_NEWER_PROTOCOL.contains(k)
                    || k.startsWith("delta.feature.")
                    || (k.equals("delta.columnMapping.mode")
                            && !"none".equals(properties.get(k)))) {
                throw new TarnException(
                        ErrorCode.UNSUPPORTED_TABLE_FEATURE,
                        "table property "
                                + k
                                + " needs a Delta table feature that Tarn does not"
                                + " implement (it writes reader 1 / writer 2 tables, and 3 / 7 with timestampNtz and"
                                + " typeWidening)");
            }
        }
        for (String k : properties.keySet()) {
            if (k.startsWith(dev.tarn.lake.table.Constraint.PROPERTY_PREFIX)) {
                dev.tarn.lake.table.Constraint.checkName(
                        k.substring(dev.tarn.lake.table.Constraint.PROPERTY_PREFIX.length()));
                dev.tarn.lake.table.Constraint.checkExpression(properties.get(k));
            }
        }
        checkNoInvariants(s.fields(), true);
    }

    /** Invariants are enforced on top-level columns (ConstraintEnforcer), not inside structs. */
    private static void checkNoInvariants(List<Field> fields, boolean top) {
        for (Field f : fields) {
            if ((!top && f.metadata().containsKey("delta.invariants"))
                    || f.metadata().containsKey("delta.generationExpression")
                    || f.metadata().keySet().stream()
                            .anyMatch(k -> k.startsWith("delta.identity."))) {
                throw new TarnException(
                        ErrorCode.UNSUPPORTED_TABLE_FEATURE,
                        "column "
                                + f.name()
                                + " declares an invariant, generation expression or"
                                + " identity, which Tarn cannot enforce");
            }
            if (f.type() instanceof StructType st) {
                checkNoInvariants(st.fields(), false);
            }
        }
    }
}
