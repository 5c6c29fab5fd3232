package dev.tarn.lake.table.internal;

import dev.tarn.lake.exceptions.BrokenLogException;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.spi.CommitLog;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.table.internal.Actions.Action;
import dev.tarn.lake.table.internal.Actions.CommitInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code _delta_log/} of one table: reading states (from the newest usable checkpoint, then
 * commit by commit), time travel, and writing the next entry with put-if-absent through {@link
 * CommitLog}.
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

    /**
     * @param tablePrefix the table's key prefix, ending with '/'
     */
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

    /** The key of entry {@code version}. */
    public String entryKey(long version) {
        return commits.keyOf(version);
    }

    /** The version of an entry key of this log, or -1. */
    public long entryVersion(String key) {
        return commits.versionOf(key);
    }

    /** Put-if-absent of entry {@code version}; false if it exists. */
    public boolean tryWriteEntry(long version, byte[] entry) {
        return commits.tryWrite(version, entry);
    }

    /** Version 0 (or a checkpoint) exists: the table has been created. */
    public boolean exists() {
        return latest().version() >= 0;
    }

    /**
     * The newest state: the cached one brought up to date with the commits written since. A state
     * read afresh is checked against the checkpoints and the hint: one newer than the entries means
     * entries were lost.
     */
    public TableState latest() {
        TableState base = cached;
        boolean fresh = base.version() < 0;
        if (fresh) {
            base = startingPoint(Long.MAX_VALUE);
        }
        TableState s = readForward(base, Long.MAX_VALUE, fresh);
        if (fresh) {
            try {
                checkNotBehindCheckpoints(base, s);
            } catch (BrokenLogException e) {
                throw e.withSchema(s.schema());
            }
        }
        offer(s);
        return s;
    }

    /** The table's name for messages: its key prefix without the trailing '/'. */
    public String tableName() {
        return tablePrefix.endsWith("/")
                ? tablePrefix.substring(0, tablePrefix.length() - 1)
                : tablePrefix;
    }

    private static final String DOCTOR =
            "; run 'lake doctor' to see what is damaged and what"
                    + " 'lake doctor --repair' can recover";

    /**
     * A state read from checkpoint {@code base} with no entry after it must still have the
     * checkpoint's own entry (a checkpoint is written after its commit, and log cleanup only
     * removes entries older than a checkpoint), and no checkpoint hint may name a version newer
     * than the state.
     */
    private void checkNotBehindCheckpoints(TableState base, TableState s) {
        if (base.version() >= 0
                && s.version() == base.version()
                && commits.read(s.version()).isEmpty()) {
            throw new BrokenLogException(
                    "table "
                            + tableName()
                            + ": its Delta log has lost version "
                            + s.version()
                            + " ("
                            + relative(commits.keyOf(s.version()))
                            + " is missing, but the checkpoint of that version"
                            + " exists and the newest entry is "
                            + newestEntryBelow(s.version())
                            + ")"
                            + DOCTOR);
        }
        Optional<Checkpoints.LastCheckpoint> last = Checkpoints.readLast(store, logDir);
        if (last.isPresent() && last.get().version() > s.version()) {
            throw new BrokenLogException(
                    "table "
                            + tableName()
                            + ": its Delta log has lost versions "
                            + (s.version() + 1)
                            + ".."
                            + last.get().version()
                            + " (_last_checkpoint names version "
                            + last.get().version()
                            + ", but the newest entry is "
                            + s.version()
                            + ")"
                            + DOCTOR);
        }
    }

    private long newestEntryBelow(long v) {
        long newest = -1;
        for (ObjectStat st : store.list(logDir, null)) {
            long u = commits.versionOf(st.key());
            if (u >= 0 && u < v) {
                newest = Math.max(newest, u);
            }
        }
        return newest;
    }

    private String relative(String key) {
        return key.startsWith(tablePrefix) ? key.substring(tablePrefix.length()) : key;
    }

    /**
     * Versions the log holds after {@code v} (entries newer than it, checkpoints or checksum files
     * of it or newer), looked up when entry {@code v} is absent: any means {@code v} was lost, not
     * that it has not been written yet. One listing from just before {@code v}, so the usual answer
     * (nothing) costs a single request.
     */
    public List<Long> newerThan(long v) {
        List<Long> out = new ArrayList<>();
        String after = v > 0 ? commits.keyOf(v - 1) : null;
        for (ObjectStat st : store.list(logDir, after, 64)) {
            String name = st.key().substring(logDir.length());
            if (name.length() < 21 || !name.substring(0, 20).chars().allMatch(Character::isDigit)) {
                continue;
            }
            long u = Long.parseLong(name.substring(0, 20));
            String rest = name.substring(20);
            // A checkpoint or checksum of a version is written only after its entry: either at v or
            // later means
            // entry v existed.
            if ((rest.equals(".json") && u > v)
                    || ((rest.startsWith(".checkpoint.") || rest.equals(".crc")) && u >= v)) {
                if (!out.contains(u)) {
                    out.add(u);
                }
            }
        }
        return out;
    }

    /**
     * The cheap form of {@link #newerThan}: three lookups of the files that would exist right after
     * a lost entry {@code v} (its checksum, its checkpoint, the next entry) instead of a listing,
     * which on a local store reads the whole log directory. It misses only a loss of several
     * entries together with their checksum files, which the listing on every fresh read of the
     * table (and the doctor) still finds.
     */
    public boolean probeNewer(long v) {
        return store.stat(commits.keyOf(v + 1)).isPresent()
                || store.stat(Checksums.key(logDir, v)).isPresent()
                || store.stat(Checkpoints.checkpointKey(logDir, v)).isPresent();
    }

    /**
     * Throws if entry {@code v} is absent while newer ones exist: a gap that a reader must not read
     * past and a writer must not fill (filling it would make the later entries apply on top of a
     * different history).
     */
    public void requireNoGapAt(long v) {
        if (!probeNewer(v)) {
            return;
        }
        List<Long> later = newerThan(v);
        if (!later.isEmpty() && commits.read(v).isEmpty()) {
            throw gap(v, later);
        }
    }

    private BrokenLogException gap(long v, List<Long> later) {
        StringBuilder present = new StringBuilder();
        for (int i = 0; i < later.size() && i < 5; i++) {
            present.append(i == 0 ? "" : ", ").append(later.get(i));
        }
        if (later.size() > 5) {
            present.append(", ...");
        }
        return new BrokenLogException(
                "table "
                        + tableName()
                        + ": its Delta log has lost version "
                        + v
                        + " ("
                        + relative(commits.keyOf(v))
                        + " is missing, but files of versions "
                        + present
                        + ", written only"
                        + " after it, exist); reading"
                        + " past it would silently leave out that commit"
                        + DOCTOR);
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
            throw new NotFoundException(
                    "table versions start at 0; there is no version " + version);
        }
        TableState c = cached;
        if (c.version() == version) {
            return c;
        }
        TableState base = c.version() >= 0 && c.version() < version ? c : startingPoint(version);
        TableState s = readForward(base, version, true);
        if (s.version() != version) {
            throw new NotFoundException(
                    "table "
                            + tablePrefix
                            + " has no version "
                            + version
                            + " (newest is "
                            + s.version()
                            + ")");
        }
        return s;
    }

    /**
     * A state to replay from for a version no newer than {@code maxVersion}: the newest readable
     * checkpoint at or before it, or the empty state.
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
            long ts =
                    commitTimestamp(v)
                            .orElseGet(
                                    () ->
                                            store.stat(key)
                                                    .map(st -> st.lastModified().toEpochMilli())
                                                    .orElse(0L));
            TableState s = TableState.empty().toBuilder().load(v, ts, actions).build();
            if (s.protocol() != null && s.metadata() != null) {
                return Optional.of(s);
            }
            LOG.log(
                    System.Logger.Level.WARNING,
                    "checkpoint "
                            + v
                            + " of "
                            + tablePrefix
                            + " has no protocol or metadata; ignoring it");
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "checkpoint "
                            + v
                            + " of "
                            + tablePrefix
                            + " is not usable; falling back to an older one or the commits: "
                            + e);
        }
        return Optional.empty();
    }

    /** Versions of the classic checkpoints in the log, ascending. */
    private List<Long> listCheckpoints() {
        List<Long> out = new ArrayList<>();
        for (ObjectStat s : store.list(logDir)) {
            String name = s.key().substring(logDir.length());
            if (name.length() == 20 + ".checkpoint.parquet".length()
                    && name.endsWith(".checkpoint.parquet")) {
                try {
                    out.add(Long.parseLong(name.substring(0, 20)));
                } catch (NumberFormatException ignored) {
                    // not a checkpoint of ours
                }
            }
        }
        return out;
    }

    /**
     * Applies the commits after {@code base} up to {@code maxVersion} (or until one does not
     * exist).
     */
    /**
     * @param thorough whether to list the log where it ends (a fresh read: a state nobody has read
     *     yet), or only probe for the files a lost entry leaves (bringing a state read before up to
     *     date)
     */
    private TableState readForward(TableState base, long maxVersion, boolean thorough) {
        TableState.Builder b = null;
        long v = base.version() + 1;
        try {
            while (v <= maxVersion) {
                Optional<byte[]> entry = commits.read(v);
                if (entry.isEmpty()) {
                    List<Long> later = thorough || probeNewer(v) ? newerThan(v) : List.of();
                    if (later.isEmpty()) {
                        break; // the end of the log
                    }
                    entry = commits.read(v); // written meanwhile by a writer racing this read?
                    if (entry.isEmpty()) {
                        if (maxVersion != Long.MAX_VALUE) {
                            // Time travel to a version whose entries are gone: cleaned up (then it
                            // is simply no
                            // longer available) or lost (then readers of the newest version refuse
                            // as well).
                            throw new NotFoundException(
                                    "table "
                                            + tableName()
                                            + " cannot be read at version "
                                            + maxVersion
                                            + ": entry "
                                            + relative(commits.keyOf(v))
                                            + " is no longer in its"
                                            + " log (cleaned up, or lost: 'lake doctor' tells)");
                        }
                        if (v == 0) {
                            throw new BrokenLogException(
                                    "table "
                                            + tableName()
                                            + ": its Delta log starts at version "
                                            + later.get(0)
                                            + " and no usable checkpoint covers the versions before it (cleaned"
                                            + " up, or a checkpoint was damaged)"
                                            + DOCTOR);
                        }
                        throw gap(v, later);
                    }
                }
                if (b == null) {
                    b = base.toBuilder();
                }
                List<Action> actions = parse(v, entry.get());
                long fallback = hasTimestamp(actions) ? 0 : mtime(v);
                b.apply(v, actions, Math.max(fallback, 0));
                v++;
            }
        } catch (BrokenLogException e) {
            throw e.withSchema((b == null ? base : b.build()).schema());
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

    /**
     * The actions of an entry. An entry that does not parse, or holds no action at all (every
     * writer writes at least one; an empty file is a truncated one), is damage, not the end of the
     * log.
     */
    public List<Action> parse(long version, byte[] entry) {
        List<Action> actions;
        try {
            actions = Actions.decode(entry);
        } catch (UnsupportedOperationException e) {
            throw new TarnException(
                    ErrorCode.IO_ERROR,
                    "cannot read " + commits.keyOf(version) + ": " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            throw corrupt(version, e.getMessage(), e);
        }
        if (actions.isEmpty()) {
            throw corrupt(version, entry.length == 0 ? "it is empty" : "it holds no action", null);
        }
        return actions;
    }

    private BrokenLogException corrupt(long version, String why, Throwable cause) {
        return new BrokenLogException(
                "table "
                        + tableName()
                        + ": entry "
                        + relative(commits.keyOf(version))
                        + " of its Delta log (version "
                        + version
                        + ") is damaged and cannot be read ("
                        + why
                        + ")"
                        + DOCTOR,
                cause);
    }

    /**
     * The actions of one commit, or empty if that version has not been written (or was cleaned up).
     */
    public Optional<List<Action>> readCommit(long version) {
        return commits.read(version).map(b -> parse(version, b));
    }

    /**
     * A commit's timestamp: its {@code commitInfo.timestamp}, else the entry's modification time.
     */
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
     * The newest version committed at or before {@code time} (commit timestamps never go backwards
     * in a Tarn table, so this is a binary search over the commits).
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
            throw new NotFoundException(
                    "table "
                            + tablePrefix
                            + " did not exist yet at "
                            + time
                            + " (its oldest available version "
                            + lo
                            + " is from "
                            + Instant.ofEpochMilli(first)
                            + ")");
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
