package dev.tarn.lake.table.internal;

import dev.tarn.lake.exceptions.CommitConflictException;
import dev.tarn.lake.table.CommitResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What every table change shares, written once: the commit's user parameters, the idempotent-write
 * transaction id, opt-in schema evolution, and the one path from plan to result. An operation plans
 * its actions against the newest state into a {@link Transaction}; {@link #commit()} commits it
 * (retrying and checking conflicts as Delta's rules say), {@link #apply()} returns what it would
 * commit. The configuring methods are public here so that each operation's interface ({@code
 * AppendFiles}, {@code DeleteFiles}, ...) is implemented by them without wrappers.
 *
 * @param <S> the operation's interface, returned by the configuring methods
 */
abstract class TableOperation<S> {
    final DefaultTable table;

    /** Delta's name of the operation, as the commit records it. */
    private final String operation;

    /** Parameters the operation sets itself. */
    private final Set<String> reserved;

    private final Map<String, String> parameters = new LinkedHashMap<>();
    private String appId;
    private long appVersion;
    boolean evolve;

    TableOperation(DefaultTable table, String operation, Set<String> reserved) {
        this.table = table;
        this.operation = operation;
        this.reserved = reserved;
    }

    @SuppressWarnings("unchecked")
    final S self() {
        return (S) this;
    }

    public S parameter(String key, String value) {
        if (reserved.contains(key)) {
            throw new IllegalArgumentException("'" + key + "' is set by the operation itself");
        }
        parameters.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return self();
    }

    public S transaction(String id, long version) {
        this.appId = Objects.requireNonNull(id, "appId");
        this.appVersion = version;
        return self();
    }

    public S evolveSchema() {
        this.evolve = true;
        return self();
    }

    /**
     * The operation's actions against {@code base}, in a transaction begun with {@link #begin}; or,
     * when there is nothing to change, a result without a commit. With {@code preview}, nothing may
     * be written (no data file).
     */
    abstract Planned plan(TableState base, boolean preview);

    /** A plan: a transaction to commit, or a result that needs none. */
    record Planned(Transaction tx, CommitResult nothing, int previewAdds) {
        static Planned of(Transaction tx) {
            return new Planned(tx, null, -1);
        }
    }

    /**
     * Undoes what a failed commit wrote besides the log (data files written for it); nothing by
     * default.
     */
    void discard() {}

    public CommitResult apply() {
        Planned p = plan(table.log().latest(), true);
        if (p.nothing() != null) {
            return p.nothing();
        }
        finish(p.tx());
        CommitResult r = p.tx().preview();
        return p.previewAdds() < 0
                ? r
                : new CommitResult(
                        r.version(),
                        r.timestamp(),
                        r.operation(),
                        p.previewAdds(),
                        r.filesRemoved(),
                        0);
    }

    public CommitResult commit() {
        try {
            Planned p = plan(table.log().latest(), false);
            if (p.nothing() != null) {
                return p.nothing();
            }
            finish(p.tx());
            return p.tx().commit();
        } catch (dev.tarn.lake.exceptions.CommitStateUnknownException e) {
            throw e; // the commit may have landed: the files it would reference stay ('lake doctor'
            // tells)
        } catch (RuntimeException e) {
            discard();
            throw e;
        }
    }

    /**
     * A transaction for this operation on {@code base}; refuses a batch the application committed
     * already.
     */
    Transaction begin(TableState base) {
        if (appId != null) {
            // Delta's idempotent writes: a batch version at or below the recorded one was written
            // already (perhaps
            // by a concurrent writer that committed before this one read the table).
            Actions.SetTransaction done = base.txns().get(appId);
            if (done != null && done.version() >= appVersion) {
                throw new CommitConflictException(
                        "application "
                                + appId
                                + " already committed batch "
                                + done.version()
                                + " to table "
                                + table.id()
                                + "; batch "
                                + appVersion
                                + " is not newer, so nothing was written");
            }
        }
        return new Transaction(
                table.runtime(), table.log(), table.id().toString(), base, operation);
    }

    /** The user's parameters after the operation's own, and the application's batch last. */
    private void finish(Transaction tx) {
        parameters.forEach(
                (k, v) -> {
                    if (!tx.hasParameter(k)) { // the operation's own say what it did
                        tx.parameter(k, v);
                    }
                });
        if (appId != null) {
            tx.add(new Actions.SetTransaction(appId, appVersion, table.runtime().clock().millis()));
        }
    }
}
