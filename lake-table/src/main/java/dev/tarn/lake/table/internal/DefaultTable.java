package dev.tarn.lake.table.internal;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.table.AppendFiles;
import dev.tarn.lake.table.CommitResult;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.DeleteFiles;
import dev.tarn.lake.table.HistoryEntry;
import dev.tarn.lake.table.OverwriteFiles;
import dev.tarn.lake.table.RewriteFiles;
import dev.tarn.lake.table.Snapshot;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Vacuum;
import dev.tarn.lake.table.internal.Actions.Action;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.table.internal.Actions.CommitInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A table of a lake. */
final class DefaultTable implements Table {
    private final DefaultTables.Runtime rt;
    private final DatasetId id;
    private final DeltaLog log;

    DefaultTable(DefaultTables.Runtime rt, DatasetId id, DeltaLog log) {
        this.rt = rt;
        this.id = id;
        this.log = log;
    }

    DeltaLog log() {
        return log;
    }

    DefaultTables.Runtime runtime() {
        return rt;
    }

    @Override
    public DatasetId id() {
        return id;
    }

    @Override
    public String keyPrefix() {
        return id.keyPrefix();
    }

    @Override
    public Snapshot snapshot() {
        rt.authorize(Privilege.READ, id);
        return new SnapshotImpl(log.latest());
    }

    @Override
    public Snapshot snapshot(long version) {
        rt.authorize(Privilege.READ, id);
        return new SnapshotImpl(log.at(version));
    }

    @Override
    public Snapshot snapshotAsOf(Instant time) {
        rt.authorize(Privilege.READ, id);
        return new SnapshotImpl(log.at(log.versionAsOf(time)));
    }

    @Override
    public List<DataFile> appendedFiles(long afterVersion, long toVersion) {
        rt.authorize(Privilege.READ, id);
        if (afterVersion < -1 || toVersion < afterVersion) {
            throw new IllegalArgumentException(
                    "versions after " + afterVersion + " up to " + toVersion + " are not a range");
        }
        long latest = log.latest().version();
        if (toVersion > latest) {
            throw new NotFoundException(
                    id + " has no version " + toVersion + " (its newest is " + latest + ")");
        }
        List<DataFile> out = new ArrayList<>();
        for (long v = afterVersion + 1; v <= toVersion; v++) {
            List<Action> actions =
                    log.readCommit(v)
                            .orElseThrow(
                                    () ->
                                            new NotFoundException(
                                                    "the commits of "
                                                            + id
                                                            + " after version "
                                                            + afterVersion
                                                            + " are no longer all in its log"
                                                            + " (cleaned up after a checkpoint):"
                                                            + " read the table whole instead"));
            // a commit that removed data (a delete, an overwrite) wrote its files in place of rows
            // the table had: they are not appended rows, and an incremental reader skips them
            if (actions.stream()
                    .anyMatch(a -> a instanceof Actions.RemoveFile r && r.dataChange())) {
                continue;
            }
            for (Action a : actions) {
                if (a instanceof AddFile add && add.dataChange()) {
                    out.add(FileCodec.toDataFile(add));
                }
            }
        }
        return out;
    }

    @Override
    public List<HistoryEntry> history(int limit) {
        rt.authorize(Privilege.READ, id);
        long latest = log.latest().version();
        List<HistoryEntry> out = new ArrayList<>();
        for (long v = latest; v >= 0 && out.size() < limit; v--) {
            Optional<List<Action>> actions = log.readCommit(v);
            if (actions.isEmpty()) {
                break;
            }
            CommitInfo ci = null;
            for (Action a : actions.get()) {
                if (a instanceof CommitInfo c) {
                    ci = c;
                }
            }
            long ts =
                    ci != null && ci.timestamp() != null
                            ? ci.timestamp()
                            : log.commitTimestamp(v).orElse(0L);
            if (ci == null) {
                out.add(
                        new HistoryEntry(
                                v,
                                Instant.ofEpochMilli(ts),
                                null,
                                Map.of(),
                                Map.of(),
                                null,
                                null,
                                null,
                                false));
            } else {
                var j = ci.json();
                out.add(
                        new HistoryEntry(
                                v,
                                Instant.ofEpochMilli(ts),
                                ci.operation(),
                                nonNull(Json.stringMap(j.get("operationParameters"))),
                                nonNull(Json.stringMap(j.get("operationMetrics"))),
                                Json.text(j, "engineInfo"),
                                Json.text(j, "userName"),
                                Json.longOrNull(j, "readVersion"),
                                ci.isBlindAppend()));
            }
        }
        return out;
    }

    private static Map<String, String> nonNull(Map<String, String> m) {
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }

    @Override
    public dev.tarn.lake.table.UpdateConstraints updateConstraints() {
        rt.authorize(Privilege.WRITE, id);
        return new UpdateConstraintsOperation(this);
    }

    @Override
    public AppendFiles newAppend() {
        rt.authorize(Privilege.WRITE, id);
        return new WriteOperation.Append(this);
    }

    @Override
    public OverwriteFiles newOverwrite() {
        rt.authorize(Privilege.WRITE, id);
        return new WriteOperation.Overwrite(this);
    }

    @Override
    public DeleteFiles newDelete() {
        rt.authorize(Privilege.WRITE, id);
        return new DeleteOperation(this);
    }

    @Override
    public RewriteFiles newRewrite() {
        rt.authorize(Privilege.WRITE, id);
        return new RewriteOperation(this);
    }

    @Override
    public dev.tarn.lake.table.DeleteRows newRowDelete() {
        rt.authorize(Privilege.WRITE, id);
        return new RowDeleteOperation(this);
    }

    @Override
    public dev.tarn.lake.table.Compaction newCompaction() {
        rt.authorize(Privilege.WRITE, id);
        return new CompactionOperation(this);
    }

    @Override
    public CommitResult restore(long version) {
        rt.authorize(Privilege.WRITE, id);
        TableState base = log.latest();
        TableState target = log.at(version);
        Transaction tx =
                new Transaction(rt, log, id.toString(), base, "RESTORE")
                        .readWholeTable()
                        .parameter("version", Long.toString(version));
        long now = rt.clock().millis();
        int removed = 0;
        int restored = 0;
        long removedBytes = 0;
        long restoredBytes = 0;
        for (AddFile f : base.files().values()) {
            tx.readFile(f.path());
            if (!target.files().containsKey(f.path())) {
                tx.add(f.remove(now, true));
                removed++;
                removedBytes += f.size();
            }
        }
        for (AddFile f : target.files().values()) {
            if (!base.files().containsKey(f.path())) {
                if (log.store().stat(keyOf(f.path())).isEmpty()) {
                    throw new NotFoundException(
                            "cannot restore "
                                    + id
                                    + " to version "
                                    + version
                                    + ": its file "
                                    + PathCodec.decode(f.path())
                                    + " no longer exists (vacuumed?)");
                }
                tx.add(f.withDataChange(true));
                restored++;
                restoredBytes += f.size();
            }
        }
        if (!target.metadata().equals(base.metadata())) {
            tx.add(target.metadata());
        }
        tx.metric("numRemovedFiles", removed)
                .metric("numRestoredFiles", restored)
                .metric("removedFilesSize", removedBytes)
                .metric("restoredFilesSize", restoredBytes)
                .metric(
                        "tableSizeAfterRestore",
                        target.files().values().stream().mapToLong(AddFile::size).sum())
                .metric("numOfFilesAfterRestore", target.files().size());
        return tx.commit();
    }

    @Override
    public Vacuum newVacuum() {
        rt.authorize(Privilege.WRITE, id);
        return new VacuumOperation(this);
    }

    @Override
    public DataFile dataFile(String path, Map<String, String> partitionValues) {
        rt.authorize(Privilege.READ, id);
        String key = id.keyPrefix() + path;
        ObjectStat stat =
                log.store()
                        .stat(key)
                        .orElseThrow(
                                () ->
                                        new NotFoundException(
                                                "no file "
                                                        + path
                                                        + " in table "
                                                        + id
                                                        + " (key "
                                                        + key
                                                        + ")"));
        return ParquetFooter.describe(log.store(), stat, path, partitionValues);
    }

    /** The store key of a log path. */
    String keyOf(String logPath) {
        return id.keyPrefix() + PathCodec.decode(logPath);
    }

    /**
     * Checks a data file about to be added and makes its {@code add}: the path must be a visible
     * file under the table's prefix, partition values exactly the partition columns; size and time
     * come from the store when not given.
     */
    AddFile toAdd(DataFile f, TableState state, boolean dataChange) {
        for (String seg : f.path().split("/")) {
            if (seg.isEmpty() || seg.startsWith("_") || seg.startsWith(".") || seg.equals("..")) {
                throw new IllegalArgumentException(
                        "data file path "
                                + f.path()
                                + " has a hidden or empty segment '"
                                + seg
                                + "'; readers skip names starting with '_' or '.'");
            }
        }
        Map<String, String> pv =
                PartitionValues.canonical(
                        state.schema(),
                        state.metadata().partitionColumns(),
                        f.partitionValues(),
                        f.path());
        String key = id.keyPrefix() + f.path();
        long size = f.size();
        long mtime = f.modificationTime() == null ? -1 : f.modificationTime().toEpochMilli();
        ObjectStat stat =
                log.store()
                        .stat(key)
                        .orElseThrow(
                                () ->
                                        new NotFoundException(
                                                "data file "
                                                        + f.path()
                                                        + " does not exist under table "
                                                        + id
                                                        + " (key "
                                                        + key
                                                        + "); write it before committing it"));
        if (size >= 0 && size != stat.size()) {
            throw new IllegalArgumentException(
                    "data file "
                            + f.path()
                            + " is "
                            + stat.size()
                            + " bytes, not "
                            + size
                            + " as given");
        }
        size = stat.size();
        if (mtime < 0) {
            mtime = stat.lastModified().toEpochMilli();
        }
        DataFile canonical = f.toBuilder().build();
        canonical =
                new DataFile(
                        canonical.path(),
                        pv,
                        size,
                        Instant.ofEpochMilli(mtime),
                        f.stats(),
                        f.schema());
        return FileCodec.toAdd(canonical, size, mtime, dataChange);
    }
}
