package dev.tarn.lake.table;

/**
 * Compacts small files: within each partition, live Parquet files smaller than a threshold and with
 * the same Parquet schema are merged into files of up to a target size, and the result is committed
 * as Delta's {@code OPTIMIZE} ({@code dataChange=false}). The merge copies the files' row groups
 * byte for byte (no decoding, no re-encoding, so values and types are exactly preserved); the
 * merged file has as many row groups as its inputs had. Conflicts like {@link RewriteFiles}; on a
 * conflict the merged files are deleted again.
 */
public interface Compaction extends TableChange<Compaction, CompactionResult> {
    /** Only partitions matching the filter (default: all). */
    Compaction where(PartitionFilter filter);

    /** Upper bound for a merged file (default 128 MiB). */
    Compaction targetFileSize(long bytes);

    /** Files at least this large are left alone (default: 3/4 of the target size). */
    Compaction smallFileSize(long bytes);

    /** Merge only groups of at least this many files (default 2). */
    Compaction minFilesPerGroup(int n);

    /**
     * The plan: the files that would be merged and the files that would replace them ({@link
     * CompactionResult#commit()} null); reads footers, writes nothing. A {@link #commit()} right
     * after it merges exactly these files under these names, unless another writer changed the
     * table in between.
     */
    @Override
    CompactionResult apply();
}
