package dev.tarn.lake.table.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.lake.Tarn;
import dev.tarn.lake.exceptions.CommitConflictException;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TableAlreadyExistsException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.table.CommitResult;
import dev.tarn.lake.table.PartitionFilter;
import dev.tarn.lake.table.internal.Actions.Action;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.table.internal.Actions.CommitInfo;
import dev.tarn.lake.table.internal.Actions.Metadata;
import dev.tarn.lake.table.internal.Actions.Protocol;
import dev.tarn.lake.table.internal.Actions.RemoveFile;
import dev.tarn.lake.table.internal.Actions.SetTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One optimistic commit. The operation planned its actions against {@link #readState}; the
 * transaction tries to create the next log entry with put-if-absent. When another writer got that
 * version first, it reads the winners' commits and checks them against what this transaction read
 * and changed, by Delta's rules (isolation level WriteSerializable unless the table says {@code
 * delta.isolationLevel=Serializable}):
 *
 * <ul>
 *   <li>a winner that changed the protocol or the metadata conflicts with every transaction;
 *   <li>a winner that removed a file this transaction read (or removes) conflicts;
 *   <li>a winner that added files with new data in partitions this transaction read conflicts,
 *       unless the winner was a blind append and the isolation level is WriteSerializable;
 *   <li>a winner that added a file this transaction adds conflicts;
 *   <li>blind appends read nothing, so only the first rule applies to them.
 * </ul>
 *
 * No conflict: it tries the next version, after a short random backoff when it lost several times,
 * up to a limit. A conflict: {@link CommitConflictException}, and nothing was written.
 */
public final class Transaction {
    public static final int DEFAULT_MAX_ATTEMPTS = 1000;

    /**
     * Runs on the committing thread after the operation has planned against its read version and
     * before the first attempt to write: lets tests (and fault injection) stage a race
     * deterministically. Not for production use.
     */
    public static final ThreadLocal<Runnable> BEFORE_FIRST_ATTEMPT = new ThreadLocal<>();

    private final DefaultTables.Runtime rt;
    private final DeltaLog log;
    private final String table;
    private final TableState readState;
    private final String operation;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, String> metrics = new LinkedHashMap<>();
    private final List<Action> actions = new ArrayList<>();
    private boolean blindAppend;
    private boolean readWholeTable;
    private boolean readAllData;
    private PartitionFilter readPredicate;
    private final Set<String> readFiles = new HashSet<>();
    private boolean create;

    public Transaction(
            DefaultTables.Runtime rt,
            DeltaLog log,
            String table,
            TableState readState,
            String operation) {
        this.rt = rt;
        this.log = log;
        this.table = table;
        this.readState = readState;
        this.operation = operation;
    }

    public TableState readState() {
        return readState;
    }

    public Transaction create() {
        this.create = true;
        return this;
    }

    public Transaction blindAppend() {
        this.blindAppend = true;
        return this;
    }

    public Transaction readWholeTable() {
        this.readWholeTable = true;
        return this;
    }

    /**
     * Every row of the table was read and judged (a constraint being added checked them): any
     * winner that added data conflicts, blind appends included.
     */
    public Transaction readAllData() {
        this.readWholeTable = true;
        this.readAllData = true;
        return this;
    }

    public Transaction readPredicate(PartitionFilter f) {
        this.readPredicate = f;
        return this;
    }

    public Transaction readFile(String logPath) {
        readFiles.add(logPath);
        return this;
    }

    public Transaction parameter(String k, String v) {
        parameters.put(k, v);
        return this;
    }

    boolean hasParameter(String k) {
        return parameters.containsKey(k);
    }

    public Transaction metric(String k, long v) {
        metrics.put(k, Long.toString(v));
        return this;
    }

    public Transaction add(Action a) {
        actions.add(a);
        return this;
    }

    public List<Action> actions() {
        return actions;
    }

    /**
     * What {@link #commit()} would report if nobody raced it: the next version, the files added and
     * removed, {@code attempts} 0. Checks what the commit checks first; writes nothing.
     */
    public CommitResult preview() {
        check();
        long ts = Math.max(rt.clock().millis(), readState.timestamp() + 1);
        return new CommitResult(
                readState.version() + 1,
                Instant.ofEpochMilli(ts),
                operation,
                count(AddFile.class),
                count(RemoveFile.class),
                0);
    }

    private int count(Class<? extends Action> kind) {
        return (int) actions.stream().filter(kind::isInstance).count();
    }

    private void check() {
        if (!create) {
            Protocols.checkWritable(readState, table);
            if ("true"
                    .equalsIgnoreCase(
                            readState.metadata().configuration().get("delta.appendOnly"))) {
                for (Action a : actions) {
                    if (a instanceof RemoveFile r && r.dataChange()) {
                        throw new TarnException(
                                ErrorCode.INVALID_OPERATION,
                                "table "
                                        + table
                                        + " is append-only (delta.appendOnly=true): "
                                        + operation
                                        + " would remove data");
                    }
                }
            }
        }
    }

    public CommitResult commit() {
        check();
        // before the first attempt: a retry after a lost race commits the same files under the same
        // constraints (a winner that changed them is a conflict)
        ConstraintEnforcer.enforce(rt, table, readState, actions);
        int added = count(AddFile.class);
        int removed = count(RemoveFile.class);
        String isolation = isolationLevel();
        Runnable hook = BEFORE_FIRST_ATTEMPT.get();
        if (hook != null) {
            hook.run();
        }
        TableState before = readState;
        long version = readState.version() + 1;
        String txnId = UUID.randomUUID().toString();
        for (int attempt = 1; ; attempt++) {
            long ts = Math.max(rt.clock().millis(), before.timestamp() + 1);
            List<Action> entry = new ArrayList<>(actions.size() + 1);
            entry.add(new CommitInfo(commitInfo(ts, isolation, txnId)));
            entry.addAll(actions);
            // Never fill a gap: if this version is missing while later ones exist, writing it would
            // splice this
            // commit into a history it did not read. (One listing; the usual answer is that nothing
            // is newer.)
            log.requireNoGapAt(version);
            if (tryWrite(version, entry)) {
                TableState after = before.toBuilder().apply(version, entry, ts).build();
                log.offer(after);
                writeChecksum(after);
                maybeCheckpoint(after);
                rt.internals()
                        .publish(
                                new dev.tarn.lake.event.LakeEvent(
                                        dev.tarn.lake.event.LakeEvent.Kind.TABLE,
                                        version,
                                        Instant.ofEpochMilli(ts),
                                        rt.principal(),
                                        operation,
                                        List.of(dev.tarn.lake.catalog.DatasetId.parse(table)),
                                        added,
                                        removed));
                return new CommitResult(
                        version, Instant.ofEpochMilli(ts), operation, added, removed, attempt);
            }
            if (create) {
                throw new TableAlreadyExistsException("table " + table + " already exists");
            }
            // Lost the race: read every winner, check it, move on to the version after the newest.
            TableState.Builder b = before.toBuilder();
            long v = version;
            Optional<List<Action>> winner;
            while ((winner = log.readCommit(v)).isPresent()) {
                checkConflict(v, winner.get(), isolation);
                b.apply(v, winner.get(), 0);
                v++;
            }
            before = b.build();
            version = v;
            if (attempt >= rt.maxAttempts()) {
                throw new CommitConflictException(
                        "commit to table "
                                + table
                                + " ("
                                + operation
                                + ") gave up after "
                                + attempt
                                + " attempts: other writers kept taking the next version (newest is "
                                + (version - 1)
                                + "); nothing was written");
            }
            if (attempt > 2) {
                long cap = Math.min(100, 1L << Math.min(attempt - 2, 7));
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CommitConflictException(
                            "commit to table "
                                    + table
                                    + " interrupted while retrying;"
                                    + " nothing was written");
                }
            }
        }
    }

    /**
     * Put-if-absent of the entry. An error whose outcome is unknown (a timeout on an object store:
     * the entry may or may not have been written) is resolved by the commit log, which reads the
     * entry back: ours if it holds these bytes (they carry our txnId), and
     * CommitStateUnknownException if it cannot be read.
     */
    private boolean tryWrite(long version, List<Action> entry) {
        return log.commitLog().tryWrite(version, Actions.encode(entry));
    }

    private String isolationLevel() {
        Metadata m = readState.metadata();
        String level = m == null ? null : m.configuration().get("delta.isolationLevel");
        return "Serializable".equalsIgnoreCase(level) ? "Serializable" : "WriteSerializable";
    }

    private ObjectNode commitInfo(long ts, String isolation, String txnId) {
        ObjectNode o = Json.object();
        o.put("timestamp", ts);
        o.put("userName", rt.principal());
        o.put("operation", operation);
        o.set("operationParameters", Json.mapNode(parameters));
        if (!create) {
            o.put("readVersion", readState.version());
        }
        o.put("isolationLevel", isolation);
        o.put("isBlindAppend", blindAppend);
        o.set("operationMetrics", Json.mapNode(metrics));
        o.put("engineInfo", Tarn.ENGINE);
        o.put("txnId", txnId);
        return o;
    }

    private void checkConflict(long v, List<Action> winner, String isolation) {
        boolean winnerBlind = false;
        String winnerOp = "a commit";
        for (Action a : winner) {
            if (a instanceof CommitInfo c) {
                winnerBlind = c.isBlindAppend();
                if (c.operation() != null) {
                    winnerOp = c.operation();
                }
            }
        }
        String who = "version " + v + " (" + winnerOp + ")";
        Set<String> myAdds = new HashSet<>();
        Set<String> myRemoves = new HashSet<>();
        Set<String> myApps = new HashSet<>();
        for (Action a : actions) {
            if (a instanceof AddFile f) {
                myAdds.add(f.path());
            } else if (a instanceof RemoveFile r) {
                myRemoves.add(r.path());
            } else if (a instanceof SetTransaction t) {
                myApps.add(t.appId());
            }
        }
        for (Action a : winner) {
            if (a instanceof Protocol) {
                throw conflict(who + " changed the table's protocol");
            }
            if (a instanceof Metadata) {
                throw conflict(
                        who + " changed the table's metadata (schema, partitioning or properties)");
            }
            if (a instanceof RemoveFile r) {
                if (myRemoves.contains(r.path())) {
                    throw conflict(
                            who
                                    + " removed file "
                                    + PathCodec.decode(r.path())
                                    + ", which this "
                                    + operation
                                    + " removes too");
                }
                if (readFiles.contains(r.path()) || readWholeTable) {
                    throw conflict(
                            who
                                    + " removed file "
                                    + PathCodec.decode(r.path())
                                    + ", which this "
                                    + operation
                                    + " read");
                }
            }
            if (a instanceof AddFile f) {
                if (myAdds.contains(f.path())) {
                    throw conflict(
                            who
                                    + " added file "
                                    + PathCodec.decode(f.path())
                                    + ", which this "
                                    + operation
                                    + " adds too");
                }
                boolean counts =
                        f.dataChange()
                                && (readAllData
                                        || !(winnerBlind && isolation.equals("WriteSerializable")));
                if (counts
                        && (readWholeTable
                                || (readPredicate != null
                                        && readPredicate.test(f.partitionValues())))) {
                    throw conflict(
                            who
                                    + " added data ("
                                    + PathCodec.decode(f.path())
                                    + ") to partitions this "
                                    + operation
                                    + " read");
                }
            }
            if (a instanceof SetTransaction t && myApps.contains(t.appId())) {
                throw conflict(who + " committed for the same application id " + t.appId());
            }
        }
    }

    private CommitConflictException conflict(String what) {
        return new CommitConflictException(
                "commit conflict on table "
                        + table
                        + ": "
                        + what
                        + " after this "
                        + operation
                        + " read version "
                        + readState.version()
                        + "; nothing was written. Read the table again"
                        + " and retry the operation if it still applies.");
    }

    /**
     * The version's checksum file, after its entry as the protocol requires: besides what it
     * records, its presence is what lets a reader tell a lost newest entry from one never written
     * (docs/tables.md, "Log gaps").
     */
    private void writeChecksum(TableState after) {
        try {
            Checksums.write(log.store(), log.logDir(), after);
        } catch (RuntimeException e) {
            warnAfterCommit("checksum file", after, "not written; the commit stands", e);
        }
    }

    private void maybeCheckpoint(TableState after) {
        long interval = rt.checkpointInterval(after);
        if (after.version() > 0 && interval > 0 && after.version() % interval == 0) {
            try {
                long retention = TableProperties.deletedFileRetentionMillis(after);
                log.writeCheckpoint(after, rt.clock().millis() - retention);
            } catch (RuntimeException e) {
                warnAfterCommit(
                        "checkpoint",
                        after,
                        "failed; the commit stands and readers replay the log instead",
                        e);
            }
        }
    }

    /** Logs a failure of the bookkeeping after a commit, which does not undo the commit. */
    private void warnAfterCommit(
            String what, TableState after, String outcome, RuntimeException e) {
        System.getLogger(Transaction.class.getName())
                .log(
                        System.Logger.Level.WARNING,
                        what + " of " + table + " at version " + after.version() + " " + outcome,
                        e);
    }
}
