package dev.tarn.lake.table.internal;

import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.table.DeleteFiles;
import dev.tarn.lake.table.PartitionFilter;
import dev.tarn.lake.table.internal.Actions.AddFile;
import java.util.LinkedHashSet;
import java.util.Set;

/** Delta's {@code DELETE}, at file granularity. */
final class DeleteOperation extends TableOperation<DeleteFiles> implements DeleteFiles {
    private PartitionFilter filter;
    private final Set<String> paths = new LinkedHashSet<>();

    DeleteOperation(DefaultTable table) {
        super(table, "DELETE", Set.of("predicate"));
    }

    @Override
    public DeleteFiles deleteWhere(PartitionFilter f) {
        this.filter = filter == null ? f : filter.or(f);
        return this;
    }

    @Override
    public DeleteFiles deleteFile(String path) {
        paths.add(PathCodec.encode(path));
        return this;
    }

    @Override
    Planned plan(TableState base, boolean preview) {
        Transaction tx =
                begin(base).parameter("predicate", filter == null ? "[]" : "[partition filter]");
        if (filter != null) {
            tx.readPredicate(filter);
        }
        for (String p : paths) {
            if (!base.files().containsKey(p)) {
                throw new NotFoundException(
                        "file "
                                + PathCodec.decode(p)
                                + " is not in table "
                                + table.id()
                                + " at version "
                                + base.version());
            }
        }
        long now = table.runtime().clock().millis();
        int removed = 0;
        long rows = 0;
        long bytes = 0;
        for (AddFile a : base.files().values()) {
            if (paths.contains(a.path()) || (filter != null && filter.test(a.partitionValues()))) {
                tx.readFile(a.path());
                tx.add(a.remove(now, true));
                removed++;
                rows += Math.max(0, FileCodec.toDataFile(a).recordCount());
                bytes += a.size();
            }
        }
        tx.metric("numRemovedFiles", removed)
                .metric("numDeletedRows", rows)
                .metric("numRemovedBytes", bytes)
                .metric("numAddedFiles", 0);
        return Planned.of(tx);
    }
}
