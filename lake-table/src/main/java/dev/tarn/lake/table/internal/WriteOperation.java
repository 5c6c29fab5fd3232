package dev.tarn.lake.table.internal;

import dev.tarn.lake.table.AppendFiles;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.OverwriteFiles;
import dev.tarn.lake.table.PartitionFilter;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.types.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Appends and overwrites: Delta's {@code WRITE} operation in mode Append or Overwrite. One
 * implementation; the two interfaces differ only in {@link OverwriteFiles#overwrite}.
 */
abstract class WriteOperation<S> extends TableOperation<S> {
    private final boolean overwrite;
    private final List<DataFile> files = new ArrayList<>();
    PartitionFilter filter;

    private WriteOperation(DefaultTable table, boolean overwrite) {
        super(table, "WRITE", Set.of("mode", "partitionBy"));
        this.overwrite = overwrite;
    }

    static final class Append extends WriteOperation<AppendFiles> implements AppendFiles {
        Append(DefaultTable table) {
            super(table, false);
        }
    }

    static final class Overwrite extends WriteOperation<OverwriteFiles> implements OverwriteFiles {
        Overwrite(DefaultTable table) {
            super(table, true);
        }

        @Override
        public OverwriteFiles overwrite(PartitionFilter f) {
            filter = f;
            return this;
        }
    }

    public S addFile(DataFile file) {
        files.add(file);
        return self();
    }

    @Override
    Planned plan(TableState base, boolean preview) {
        Protocols.checkWritable(base, table.id().toString());
        Transaction tx = begin(base);
        List<String> partitionColumns = base.metadata().partitionColumns();
        SchemaCheck.Outcome checked =
                SchemaCheck.evolve(base.schema(), partitionColumns, files, evolve);
        Schema schema = checked.schema();
        tx.parameter("mode", overwrite ? "Overwrite" : "Append")
                .parameter("partitionBy", Json.write(Json.fromJava(partitionColumns)));
        // A table takes a feature only when this write needs it (a timestamp_ntz column, a widened
        // column, a file
        // whose column is narrower than the table's); a table that needs none stays at reader 1 /
        // writer 2.
        boolean protocolChanged = !Protocols.supports(base.protocol(), checked.features());
        if (protocolChanged) {
            tx.add(Protocols.upgrade(base.protocol(), checked.features()));
        }
        Actions.Metadata metadata = base.metadata();
        if (checked.widened()
                && !"true"
                        .equalsIgnoreCase(
                                metadata.configuration().get(Protocols.ENABLE_TYPE_WIDENING))) {
            // the protocol lets writers change a column's type only on tables with this property
            metadata = metadata.withConfiguration(Protocols.ENABLE_TYPE_WIDENING, "true");
        }
        boolean schemaChanged =
                !schema.equals(base.schema()) || metadata != base.metadata() || protocolChanged;
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
                throw new IllegalArgumentException(
                        "file "
                                + f.path()
                                + " is already in table "
                                + table.id()
                                + "; data files are immutable: write new data under a new name");
            }
            if (overwrite && filter != null && !filter.test(a.partitionValues())) {
                throw new IllegalArgumentException(
                        "file "
                                + f.path()
                                + " with partition values "
                                + a.partitionValues()
                                + " is outside the partitions this overwrite replaces");
            }
            tx.add(a);
            rows += Math.max(0, f.recordCount());
            bytes += a.size();
        }
        tx.metric("numFiles", files.size())
                .metric("numOutputRows", rows)
                .metric("numOutputBytes", bytes);
        if (overwrite) {
            tx.metric("numRemovedFiles", removed).metric("numRemovedRows", removedRows);
        }
        return Planned.of(tx);
    }
}
