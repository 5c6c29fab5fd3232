package dev.tarn.lake.table;

/**
 * Replaces data: removes every live file of the table (the default) or of the partitions matching a
 * filter, and adds new files, in one version. Conflicts with a concurrent commit that removed any
 * file it replaces, or that added files to the partitions it replaces (other than blind appends,
 * under the default WriteSerializable isolation).
 */
public interface OverwriteFiles extends TableWrite<OverwriteFiles> {
    /** Replace only the partitions matching {@code filter}; every added file must match it too. */
    OverwriteFiles overwrite(PartitionFilter filter);
}
