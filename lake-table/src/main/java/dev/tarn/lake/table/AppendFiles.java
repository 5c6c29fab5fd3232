package dev.tarn.lake.table;

import java.util.Collection;

/**
 * Adds data files to a table. A blind append: it reads nothing, so it never conflicts with a concurrent commit
 * (except one that changes the table's schema or protocol).
 */
public interface AppendFiles {
    AppendFiles addFile(DataFile file);

    default AppendFiles addFiles(Collection<DataFile> files) {
        files.forEach(this::addFile);
        return this;
    }

    /**
     * Opt-in schema evolution: columns of the files that the table does not have are added to the table's schema as
     * nullable columns (recorded in a new metaData action). Without it, such files are refused.
     */
    AppendFiles evolveSchema();

    /**
     * Idempotent write (Delta's {@code txn} action): records that application {@code appId} has written its batch
     * {@code version} in the same commit. Skip a batch whose version is not above
     * {@link Snapshot#transactionVersion(String)}; two concurrent commits for the same application conflict.
     */
    AppendFiles transaction(String appId, long version);

    /**
     * An entry of the commit's {@code commitInfo.operationParameters}, e.g. where the data came from (lineage).
     * {@code mode} and {@code partitionBy} are Delta's own and cannot be set.
     */
    AppendFiles parameter(String key, String value);

    CommitResult commit();
}
