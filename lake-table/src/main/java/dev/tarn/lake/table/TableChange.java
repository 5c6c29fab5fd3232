package dev.tarn.lake.table;

import dev.tarn.lake.PendingUpdate;

/**
 * A change to a table's data, committed as one new version of its log: configure it, preview it
 * with {@link #apply()} (the version it would write, the files it would add and remove, {@code
 * attempts} 0; nothing is written), then {@link #commit()}. A conflict with a concurrent writer is
 * retried where Delta's rules allow it and otherwise fails with {@link
 * dev.tarn.lake.exceptions.CommitConflictException}, nothing written.
 *
 * @param <S> the operation's own type, returned by the configuring methods
 * @param <R> what it reports
 */
public interface TableChange<S extends TableChange<S, R>, R> extends PendingUpdate<R> {
    /**
     * An entry of the commit's {@code commitInfo.operationParameters}, e.g. where the data came
     * from (lineage). The parameters Delta defines for the operation (such as {@code mode} and
     * {@code partitionBy} of a write, or {@code predicate} of a delete) are set by the operation
     * itself and cannot be set.
     */
    S parameter(String key, String value);
}
