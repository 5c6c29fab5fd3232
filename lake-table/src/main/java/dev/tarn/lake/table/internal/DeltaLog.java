package dev.tarn.lake.table.internal;

import dev.tarn.lake.NotFoundException;
import dev.tarn.lake.TarnException;
import dev.tarn.lake.internal.log.CommitLog;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.table.internal.Actions.Action;
import dev.tarn.lake.table.internal.Actions.CommitInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code _delta_log/} of one table: reading states (from the newest usable checkpoint, then commit by commit),
 * time travel, and writing the next entry with put-if-absent through {@link CommitLog}.
 */
public final class DeltaLog {
    private static final System.Logger LOG = System.getLogger(DeltaLog.class.getName());
    public static final String LOG_DIR = "_delta_log/";

    private final ObjectStore store;
    private final String tablePrefix;
    private final String logDir;
    private final CommitLog commits;
    private final Object lock = new Object();
    private volatile TableState cached = TableState.empty();

    /** @param tablePrefix the table's key prefix, ending with '/' */
    public DeltaLog(ObjectStore store, String tablePrefix) {
        this.store = store;
        this.tablePrefix = tablePrefix;
        this.logDir = tablePrefix + LOG_DIR;
        this.commits = new CommitLog(store, logDir);
    }

    public ObjectStore store() {
        return store;
    }

    public String tablePrefix() {
        return tablePrefix;
    }

    public String logDir() {
        return logDir;
    }

    public CommitLog commitLog() {
        return commits;
    }

    /** Version 0 (or a checkpoint) exists: the table has been created. */
    public boolean exists() {
        return latest().version() >= 0;
    }

    /** The newest state: the cached one brought up to date with the commits written since. */
    public TableState latest() {
        TableState base = cached;
        if (base.version() < 0) {
            base = startingPoint(Long.MAX_VALUE);
        }
        TableState s = readForward(base, Long.MAX_VALUE);
        offer(s);
        return s;
    }

    /** Remembers a state if it is newer than the cached one. */
    public void offer(TableState s) {
        synchronized (lock) {
            if (s.version() > cached.version()) {
                cached = s;
            }
        }
    }

    /** The state at exactly {@code version}. */
    public TableState at(long version) {
        if (version < 0) {
            throw new NotFoundException("table versions start at 0; there is no version " + version);
        }
        TableState c = cached;
        if (c.version() == version) {
            return c;
        }
        TableState base = c.version() >= 0 && c.version() < version ? c : startingPoint(version);
        TableState s = readForward(base, version);
        if (s.version() != version) {
            throw new NotFoundException("table " + tablePrefix + " has no version " + version + " (newest is "
                    + s.version() + ")");
        }
        return s;
    }

    /**
     * A state to replay from for a version no newer than {@code maxVersion}: the newest readable checkpoint at or
     * before it, or the empty state.
     */
    private TableState startingPoint(long maxVersion) {
        Optional<Checkpoints.LastCheckpoint> last = Checkpoints.readLast(store, logDir);
        if (last.isPresent() && last.get().version() <= maxVersion && last.get().parts() == null) {
            Optional<TableState> s = loadCheckpoint(last.get().version());
            if (s.isPresent()) {
                return s.get();
            }
        }
        List<Long> listed = listCheckpoints();
        for (int i = listed.size() - 1; i >= 0; i--) {
            long v = listed.get(i);
            if (v <= maxVersion && (last.isEmpty() || v != last.get().version())) {
                Optional<TableState> s = loadCheckpoint(v);
                if (s.isPresent()) {
                    return s.get();
                }
            }
        }
        return TableState.empty();
    }

    private Optional<TableState> loadCheckpoint(long v) {
        try {
            String key = Checkpoints.checkpointKey(logDir, v);
            List<Action> actions = Checkpoints.read(store, key);
            long ts = commitTimestamp(v).orElseGet(() -> store.stat(key)
                    .map(st -> st.lastModified().toEpochMilli()).orElse(0L));
            TableState s = TableState.empty().toBuilder().load(v, ts, actions).build();
            if (s.protocol() != null && s.metadata() != null) {
                return Optional.of(s);
            }
            LOG.log(System.Logger.Level.WARNING, "checkpoint " + v + " of " + tablePrefix
                    + " has no protocol or metadata; ignoring it");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "checkpoint " + v + " of " + tablePrefix
                    + " is not usable; falling back to an older one or the commits: " + e);
        }
        return Optional.empty();
    }

    /** Versions of the classic checkpoints in the log, ascending. */
    private List<Long> listCheckpoints() {
        List<Long> out = new ArrayList<>();
        for (ObjectStat s : store.list(logDir)) {
            String name = s.key().substring(logDir.length());
            if (name.length() == 20 + ".checkpoint.parquet".length() && name.endsWith(".checkpoint.parquet")) {
                try {
                    out.add(Long.parseLong(name.substring(0, 20)));
                } catch (NumberFormatException ignored) {
                    // not a checkpoint of ours
                }
            }
        }
        return out;
    }

    /** Applies the commits after {@code base} up to {@code maxVersion} (or until one does not exist). */
    private TableState readForward(TableState base, long maxVersion) {
        TableState.Builder b = null;
        long v = base.version() + 1;
        while (v <= maxVersion) {
            Optional<byte[]> entry = commits.read(v);
            if (entry.isEmpty()) {
                if (v == 0) {
                    long first = earliestCommit();
                    if (first > 0) {
                        throw new NotFoundException("table " + tablePrefix + ": the log starts at version " + first
                                + " (older commits were cleaned up) and no usable checkpoint covers the versions"
                                + " before it");
                    }
                }
                break;
            }
            if (b == null) {
                b = base.toBuilder();
            }
            List<Action> actions = parse(v, entry.get());
            long fallback = hasTimestamp(actions) ? 0 : mtime(v);
            b.apply(v, actions, Math.max(fallback, 0));
            v++;
        }
        TableState s = b == null ? base : b.build();
        if (s.version() >= 0) {
            Protocols.checkReadable(s, tablePrefix);
        }
        return s;
    }

    private static boolean hasTimestamp(List<Action> actions) {
        for (Action a : actions) {
            if (a instanceof CommitInfo c && c.timestamp() != null) {
                return true;
            }
        }
        return false;
    }

    private long mtime(long v) {
        return store.stat(commits.keyOf(v)).map(s -> s.lastModified().toEpochMilli()).orElse(0L);
    }

    public List<Action> parse(long version, byte[] entry) {
        try {
            return Actions.decode(entry);
        } catch (RuntimeException e) {
            throw new TarnException("cannot read " + commits.keyOf(version) + ": " + e.getMessage(), e);
        }
    }

    /** The actions of one commit, or empty if that version has not been written (or was cleaned up). */
    public Optional<List<Action>> readCommit(long version) {
        return commits.read(version).map(b -> parse(version, b));
    }

    /** A commit's timestamp: its {@code commitInfo.timestamp}, else the entry's modification time. */
    public Optional<Long> commitTimestamp(long version) {
        Optional<List<Action>> actions = readCommit(version);
        if (actions.isEmpty()) {
            return Optional.empty();
        }
        for (Action a : actions.get()) {
            if (a instanceof CommitInfo c && c.timestamp() != null) {
                return Optional.of(c.timestamp());
            }
        }
        return Optional.of(mtime(version));
    }

    /** The oldest version whose commit file is still in the log. */
    public long earliestCommit() {
        for (ObjectStat s : store.list(logDir, null)) {
            long v = commits.versionOf(s.key());
            if (v >= 0) {
                return v;
            }
        }
        return -1;
    }

    /**
     * The newest version committed at or before {@code time} (commit timestamps never go backwards in a Tarn table,
     * so this is a binary search over the commits).
     */
    public long versionAsOf(Instant time) {
        long t = time.toEpochMilli();
        long hi = latest().version();
        long lo = earliestCommit();
        if (hi < 0 || lo < 0) {
            throw new NotFoundException("table " + tablePrefix + " has no commits");
        }
        long first = commitTimestamp(lo).orElseThrow();
        if (t < first) {
            throw new NotFoundException("table " + tablePrefix + " did not exist yet at " + time
                    + " (its oldest available version " + lo + " is from " + Instant.ofEpochMilli(first) + ")");
        }
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            long ts = commitTimestamp(mid).orElseThrow();
            if (ts <= t) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    public void writeCheckpoint(TableState state, long tombstoneCutoffMillis) {
        Checkpoints.write(store, logDir, state, tombstoneCutoffMillis);
    }
}
