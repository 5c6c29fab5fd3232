package dev.tarn.lake.table;

/**
 * Removes whole data files: every file of the partitions matching a filter, and files named by
 * path. (Deleting rows inside files, by rewriting them, comes with the Parquet writer of the format
 * module.)
 */
public interface DeleteFiles extends TableChange<DeleteFiles, CommitResult> {
    DeleteFiles deleteWhere(PartitionFilter filter);

    /**
     * A live file, by its path relative to the table root; a path that is not live fails the
     * commit.
     */
    DeleteFiles deleteFile(String path);
}
