package dev.tarn.lake.table;

import dev.tarn.lake.catalog.DatasetId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Delta Lake table. Reads are snapshots (immutable views of one version); changes are operations
 * you configure and {@code commit()}, each one atomic: it becomes the next version or, on a real
 * conflict with a concurrent commit, fails with {@link
 * dev.tarn.lake.exceptions.CommitConflictException} having changed nothing.
 */
public interface Table {
    DatasetId id();

    /** The key prefix of the table's files in the lake's store ({@code zone/name/}). */
    String keyPrefix();

    /** The newest version. */
    Snapshot snapshot();

    /** Time travel to a version. */
    Snapshot snapshot(long version);

    /** Time travel: the newest version committed at or before {@code time}. */
    Snapshot snapshotAsOf(Instant time);

    /**
     * The data files that the commits after {@code afterVersion}, up to and including {@code
     * toVersion}, appended, in commit order: what an incremental reader that has seen {@code
     * afterVersion} has not seen yet. Only commits that removed no data count: a compaction's files
     * ({@code dataChange} false) hold rows the table already had, and a delete's or an overwrite's
     * files were written in place of rows it had, so an append-only reader cannot take them as new.
     * A file counts even if a later commit removed it again. {@code afterVersion} -1 means from the
     * first version.
     *
     * @throws dev.tarn.lake.exceptions.NotFoundException if {@code toVersion} does not exist yet,
     *     or a commit in the range is no longer in the log (cleaned up after a checkpoint)
     */
    List<DataFile> appendedFiles(long afterVersion, long toVersion);

    /** Every version still in the log, newest first. */
    default List<HistoryEntry> history() {
        return history(Integer.MAX_VALUE);
    }

    /** The newest {@code limit} versions, newest first. */
    List<HistoryEntry> history(int limit);

    /** Adds files (blind append: never conflicts with other writers). */
    AppendFiles newAppend();

    /** Replaces the whole table, or the partitions matching a filter, with new files. */
    OverwriteFiles newOverwrite();

    /** Removes whole files: those of the partitions matching a filter, or named ones. */
    DeleteFiles newDelete();

    /** Deletes rows matching a predicate, rewriting the files that hold them. */
    DeleteRows newRowDelete();

    /** Compaction: replaces files by others holding the same rows ({@code dataChange=false}). */
    RewriteFiles newRewrite();

    /** Merges small files of each partition (byte-level row-group copy) and commits the result. */
    Compaction newCompaction();

    /**
     * Adds or drops CHECK constraints ({@code delta.constraints.<name>}); a constraint added is
     * checked against the rows the table holds.
     */
    UpdateConstraints updateConstraints();

    /** Makes the table's files those of an older version again, as a new version. */
    CommitResult restore(long version);

    /** Deletes files no version inside the retention needs. */
    Vacuum newVacuum();

    default VacuumResult vacuum(Duration retention) {
        return newVacuum().retention(retention).commit();
    }

    /**
     * Describes a Parquet file already written under the table's prefix: size and time from the
     * store, record count, column statistics and schema from its footer.
     *
     * @param path relative to the table root
     * @param partitionValues the file's partition values (exactly the table's partition columns)
     */
    DataFile dataFile(String path, Map<String, String> partitionValues);
}
