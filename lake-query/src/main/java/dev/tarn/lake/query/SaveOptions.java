package dev.tarn.lake.query;

import static java.util.Objects.requireNonNull;

/**
 * How {@link Sql#save} commits a query's result into a table, and the idempotence marker it
 * carries: Delta's {@code txn} action of application {@code appId} at {@code transactionVersion},
 * written in the same commit as the rows, so a writer that crashed after the commit can tell it
 * happened ({@code Snapshot.transactionVersion(appId)}).
 *
 * @param replace true: the result replaces the table's rows; false: it is appended
 * @param appId the application the commit records (a pipeline's {@code pipeline/step})
 * @param transactionVersion the application's batch number, above any it recorded before
 */
public record SaveOptions(boolean replace, String appId, long transactionVersion) {
    public SaveOptions {
        requireNonNull(appId, "appId is null");
        if (appId.isBlank()) {
            throw new IllegalArgumentException("appId is blank");
        }
        if (transactionVersion < 0) {
            throw new IllegalArgumentException("a transaction version is 0 or more");
        }
    }

    /** The result replaces the table's rows (the table is created if missing). */
    public static SaveOptions replace(String appId, long transactionVersion) {
        return new SaveOptions(true, appId, transactionVersion);
    }

    /** The result is appended to the table (created if missing). */
    public static SaveOptions append(String appId, long transactionVersion) {
        return new SaveOptions(false, appId, transactionVersion);
    }
}
