package dev.tarn.lake.table.internal;

import dev.tarn.lake.table.AppendFiles;
import dev.tarn.lake.table.CommitResult;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.OverwriteFiles;
import dev.tarn.lake.table.PartitionFilter;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.types.Schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Appends and overwrites: Delta's {@code WRITE} operation in mode Append or Overwrite. */
final class WriteOperation {
    private final DefaultTable table;
    private final boolean overwrite;
    private final List<DataFile> files = new ArrayList<>();
    private PartitionFilter filter;
    private boolean evolve;
    private String appId;
    private long appVersion;
    private final java.util.Map<String, String> parameters = new java.util.LinkedHashMap<>();

    WriteOperation(DefaultTable table, boolean overwrite) {
        this.table = table;
        this.overwrite = overwrite;
    }

    void addFile(DataFile file) {
        files.add(file);
    }

    void evolveSchema() {
        evolve = true;
    }

    void transaction(String id, long version) {
        this.appId = java.util.Objects.requireNonNull(id, "appId");
        this.appVersion = version;
    }

    void overwrite(PartitionFilter f) {
        this.filter = f;
    }

    void parameter(String key, String value) {
        if (key.equals("mode") || key.equals("partitionBy")) {
            throw new IllegalArgumentException("'" + key + "' is set by the operation itself");
        }
        parameters.put(key, java.util.Objects.requireNonNull(value, "value"));
    }

    static final class Append implements AppendFiles {
        private final WriteOperation op;

        Append(DefaultTable table) {
            op = new WriteOperation(table, false);
        }

        @Override
        public AppendFiles addFile(DataFile file) {
            op.addFile(file);
            return this;
        }

        @Override
        public AppendFiles evolveSchema() {
            op.evolveSchema();
            return this;
        }

        @Override
        public AppendFiles transaction(String appId, long version) {
            op.transaction(appId, version);
            return this;
        }

        @Override
        public AppendFiles parameter(String key, String value) {
            op.parameter(key, value);
            return this;
        }

        @Override
        public CommitResult commit() {
            return op.commit();
        }
    }

    static final class Overwrite implements OverwriteFiles {
        private final WriteOperation op;

        Overwrite(DefaultTable table) {
            op = new WriteOperation(table, true);
        }

        @Override
        public OverwriteFiles overwrite(PartitionFilter filter) {
            op.overwrite(filter);
            return this;
        }

        @Override
        public OverwriteFiles addFile(DataFile file) {
            op.addFile(file);
            return this;
        }

        @Override
        public OverwriteFiles evolveSchema() {
            op.evolveSchema();
            return this;
        }

        @Override
        public OverwriteFiles transaction(String appId, long version) {
            op.transaction(appId, version);
            return this;
        }

        @Override
        public OverwriteFiles parameter(String key, String value) {
            op.parameter(key, value);
            return this;
        }

        @Override
        public CommitResult commit() {
            return op.commit();
        }
    }

    CommitResult commit() {
        DeltaLog log = table.log();
        TableState base = log.latest();
        Protocols.checkWritable(base, table.id().toString());
        if (appId != null) {
            // Delta's idempotent writes: a batch version at or below the recorded one was written already (perhaps
            // by a concurrent writer that committed before this one read the table).
            Actions.SetTransaction done = base.txns().get(appId);
            if (done != null && done.version() >= appVersion) {
                throw new dev.tarn.lake.exceptions.CommitConflictException("application " + appId + " already committed batch "
                        + done.version() + " to table " + table.id() + "; batch " + appVersion
                        + " is not newer, so nothing was written");
            }
        }
        List<String> partitionColumns = base.metadata().partitionColumns();
        SchemaCheck.Outcome checked = SchemaCheck.evolve(base.schema(), partitionColumns, files, evolve);
        Schema schema = checked.schema();
        Transaction tx = new Transaction(table.runtime(), log, table.id().toString(), base, "WRITE")
                .parameter("mode", overwrite ? "Overwrite" : "Append")
                .parameter("partitionBy", Json.write(Json.fromJava(partitionColumns)));
        parameters.forEach(tx::parameter);
        // A table takes a feature only when this write needs it (a timestamp_ntz column, a widened column, a file
        // whose column is narrower than the table's); a table that needs none stays at reader 1 / writer 2.
        boolean protocolChanged = !Protocols.supports(base.protocol(), checked.features());
        if (protocolChanged) {
            tx.add(Protocols.upgrade(base.protocol(), checked.features()));
        }
        Actions.Metadata metadata = base.metadata();
        if (checked.widened() && !"true".equalsIgnoreCase(metadata.configuration().get(
                Protocols.ENABLE_TYPE_WIDENING))) {
            // the protocol lets writers change a column's type only on tables with this property
            metadata = metadata.withConfiguration(Protocols.ENABLE_TYPE_WIDENING, "true");
        }
        boolean schemaChanged = !schema.equals(base.schema()) || metadata != base.metadata() || protocolChanged;
        if (schemaChanged) {
            tx.add(metadata.withSchema(DeltaSchema.toJson(schema)));
        }
        long now = table.runtime().clock().millis();
        int removed = 0;
        long removedRows = 0;
        if (overwrite) {
            PartitionFilter f = filter == null ? PartitionFilter.all() : filter;
            if (filter == null) {
                tx.readWholeTable();
            } else {
                tx.parameter("predicate", "partition filter");
            }
            tx.readPredicate(f);
            for (AddFile a : base.files().values()) {
                if (f.test(a.partitionValues())) {
                    tx.readFile(a.path());
                    tx.add(a.remove(now, true));
                    removed++;
                    long n = FileCodec.toDataFile(a).recordCount();
                    removedRows += Math.max(0, n);
                }
            }
        } else if (!schemaChanged) {
            tx.blindAppend();
        }
        Set<String> seen = new HashSet<>();
        long rows = 0;
        long bytes = 0;
        for (DataFile f : files) {
            AddFile a = table.toAdd(f, base, true);
            if (!seen.add(a.path())) {
                throw new IllegalArgumentException("file " + f.path() + " is added twice");
            }
            if (base.files().containsKey(a.path())) {
                throw new IllegalArgumentException("file " + f.path() + " is already in table " + table.id()
                        + "; data files are immutable: write new data under a new name");
            }
            if (overwrite && filter != null && !filter.test(a.partitionValues())) {
                throw new IllegalArgumentException("file " + f.path() + " with partition values "
                        + a.partitionValues() + " is outside the partitions this overwrite replaces");
            }
            tx.add(a);
            rows += Math.max(0, f.recordCount());
            bytes += a.size();
        }
        if (appId != null) {
            tx.add(new Actions.SetTransaction(appId, appVersion, now));
        }
        tx.metric("numFiles", files.size()).metric("numOutputRows", rows).metric("numOutputBytes", bytes);
        if (overwrite) {
            tx.metric("numRemovedFiles", removed).metric("numRemovedRows", removedRows);
        }
        return tx.commit();
    }
}
