package dev.tarn.lake.table;

/**
 * Delta's {@code WRITE}: an append or an overwrite of data files.
 *
 * @param <S> the operation's own type, returned by the configuring methods
 */
public interface TableWrite<S extends TableWrite<S>>
        extends TableChange<S, CommitResult>, AddsFiles<S> {
    /**
     * Opt-in schema evolution: columns of the files that the table does not have are added to the
     * table's schema as nullable columns (recorded in a new metaData action). Without it, such
     * files are refused.
     */
    S evolveSchema();

    /**
     * Idempotent write (Delta's {@code txn} action): records that application {@code appId} has
     * written its batch {@code version} in the same commit. Skip a batch whose version is not above
     * {@link Snapshot#transactionVersion(String)}; two concurrent commits for the same application
     * conflict.
     */
    S transaction(String appId, long version);
}
