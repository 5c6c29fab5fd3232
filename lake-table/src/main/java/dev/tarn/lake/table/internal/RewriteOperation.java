package dev.tarn.lake.table.internal;

import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.RewriteFiles;
import dev.tarn.lake.table.internal.Actions.AddFile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Delta's {@code OPTIMIZE}: the same rows in other files, {@code dataChange=false}. */
final class RewriteOperation extends TableOperation<RewriteFiles> implements RewriteFiles {
    private final Set<String> removes = new LinkedHashSet<>();
    private final List<DataFile> adds = new ArrayList<>();

    RewriteOperation(DefaultTable table) {
        super(table, "OPTIMIZE", Set.of("predicate", "zOrderBy"));
    }

    @Override
    public RewriteFiles removeFile(String path) {
        removes.add(PathCodec.encode(path));
        return this;
    }

    @Override
    public RewriteFiles addFile(DataFile file) {
        adds.add(file);
        return this;
    }

    @Override
    Planned plan(TableState base, boolean preview) {
        if (removes.isEmpty()) {
            throw new IllegalArgumentException("a rewrite needs files to replace");
        }
        SchemaCheck.Outcome checked =
                SchemaCheck.evolve(base.schema(), base.metadata().partitionColumns(), adds, false);
        Transaction tx = begin(base).parameter("predicate", "[]").parameter("zOrderBy", "[]");
        if (!Protocols.supports(base.protocol(), checked.features())) {
            // a rewritten file narrower than its column is read as the column's type only through
            // typeWidening
            tx.add(Protocols.upgrade(base.protocol(), checked.features()));
        }
        long now = table.runtime().clock().millis();
        Set<Map<String, String>> partitions = new HashSet<>();
        long removedRows = 0;
        boolean rowsKnown = true;
        long removedBytes = 0;
        for (String p : removes) {
            AddFile a = base.files().get(p);
            if (a == null) {
                throw new NotFoundException(
                        "file "
                                + PathCodec.decode(p)
                                + " is not in table "
                                + table.id()
                                + " at version "
                                + base.version());
            }
            tx.readFile(p);
            tx.add(a.remove(now, false));
            partitions.add(a.partitionValues());
            long n = FileCodec.toDataFile(a).recordCount();
            rowsKnown &= n >= 0;
            removedRows += Math.max(0, n);
            removedBytes += a.size();
        }
        long addedRows = 0;
        long addedBytes = 0;
        for (DataFile f : adds) {
            AddFile a = table.toAdd(f, base, false);
            if (base.files().containsKey(a.path())) {
                throw new IllegalArgumentException(
                        "file " + f.path() + " is already in table " + table.id());
            }
            if (!partitions.contains(a.partitionValues())) {
                throw new IllegalArgumentException(
                        "file "
                                + f.path()
                                + " has partition values "
                                + a.partitionValues()
                                + ", which none of the replaced files has; a rewrite keeps rows in"
                                + " their partitions");
            }
            rowsKnown &= f.recordCount() >= 0;
            addedRows += Math.max(0, f.recordCount());
            addedBytes += a.size();
            tx.add(a);
        }
        if (rowsKnown && addedRows != removedRows) {
            throw new IllegalArgumentException(
                    "the new files hold "
                            + addedRows
                            + " rows but the replaced ones "
                            + removedRows
                            + "; a rewrite must keep exactly the same rows");
        }
        tx.metric("numRemovedFiles", removes.size())
                .metric("numAddedFiles", adds.size())
                .metric("numRemovedBytes", removedBytes)
                .metric("numAddedBytes", addedBytes);
        return Planned.of(tx);
    }
}
