package dev.tarn.lake.table;

/**
 * Deletes the rows matching a predicate: every live file of the scanned partitions is read; a file
 * with no matching row stays, a file whose rows all match is removed, any other file is replaced by
 * a copy without the matching rows (same Parquet schema, values copied exactly). One {@code DELETE}
 * commit. Conflicts with a concurrent commit that removed a scanned file or (other than a blind
 * append, under WriteSerializable) added data to a scanned partition.
 */
public interface DeleteRows extends TableChange<DeleteRows, CommitResult> {
    /** Scan only the partitions matching the filter (default: all). */
    DeleteRows where(PartitionFilter filter);

    /** The rows to delete. */
    DeleteRows rows(RowPredicate predicate);

    /**
     * The rows to delete, and the text the table's history records as the commit's {@code
     * predicate} parameter (for example the condition a user typed, {@code id = 42}). A predicate
     * is code, so without a description the history can only say {@code [row predicate]}.
     */
    DeleteRows rows(RowPredicate predicate, String description);

    /**
     * Reads the scanned files and reports what {@link #commit()} would do: the files it would
     * remove and the copies it would add; writes nothing. With no matching row, the unchanged
     * current version, as {@code commit()}.
     */
    @Override
    CommitResult apply();
}
