package dev.tarn.lake.table;

import java.util.Collection;

/**
 * Replaces data: removes every live file of the table (the default) or of the partitions matching a filter, and adds
 * new files, in one version. Conflicts with a concurrent commit that removed any file it replaces, or that added
 * files to the partitions it replaces (other than blind appends, under the default WriteSerializable isolation).
 */
public interface OverwriteFiles {
    /** Replace only the partitions matching {@code filter}; every added file must match it too. */
    OverwriteFiles overwrite(PartitionFilter filter);

    OverwriteFiles addFile(DataFile file);

    default OverwriteFiles addFiles(Collection<DataFile> files) {
        files.forEach(this::addFile);
        return this;
    }

    /** As {@link AppendFiles#evolveSchema()}. */
    OverwriteFiles evolveSchema();

    /** As {@link AppendFiles#transaction}: records that application {@code appId} wrote its batch {@code version}. */
    OverwriteFiles transaction(String appId, long version);

    /** As {@link AppendFiles#parameter}. */
    OverwriteFiles parameter(String key, String value);

    CommitResult commit();
}
