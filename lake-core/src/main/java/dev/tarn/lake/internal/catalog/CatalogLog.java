package dev.tarn.lake.internal.catalog;

import dev.tarn.lake.Tarn;
import dev.tarn.lake.exceptions.CatalogDamagedException;
import dev.tarn.lake.exceptions.CommitConflictException;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.ObjectNotFoundException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.exceptions.UnsupportedLayoutException;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.spi.CommitLog;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.WriteMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The catalog's log: {@code _tarn/catalog/log/NNNNNNNNNNNNNNNNNNNN.json}, checkpoints under {@code
 * _tarn/catalog/checkpoints/}, and the hint {@code _tarn/catalog/_last_checkpoint}.
 *
 * <p>Readers start from the newest checkpoint and replay the entries after it. Writers commit
 * optimistically: plan the actions against the newest state, try to write the next entry, and on
 * losing the race re-plan against the winner's state. Planning is a function of the state, so a
 * retry sees what the winner did (a duplicate it stored, a dataset it created) and adapts instead
 * of overwriting it.
 */
public final class CatalogLog {
    public static final String ROOT = "_tarn/catalog/";
    public static final String LOG_DIR = ROOT + "log/";
    public static final String CHECKPOINT_DIR = ROOT + "checkpoints/";
    public static final String LAST_CHECKPOINT = ROOT + "_last_checkpoint";

    /**
     * {@code {"version":N}}, overwritten after each commit: a lower bound of the newest version, so
     * that a reader that opens the lake can tell a newest entry that was removed from one that was
     * never written (no later entry would show the first). Best effort, like the checkpoint hint: a
     * crash before it is written leaves it behind, which is still a lower bound.
     */
    public static final String LAST_COMMIT = ROOT + "_last_commit";

    private static final Duration MAX_RETRY_TIME = Duration.ofMinutes(2);

    private final ObjectStore store;
    private final CommitLog log;
    private final Clock clock;
    private final int checkpointInterval;
    private final Object lock = new Object();
    private volatile CatalogState current = CatalogState.empty();

    public CatalogLog(ObjectStore store, Clock clock, int checkpointInterval) {
        if (checkpointInterval < 1) {
            throw new IllegalArgumentException("checkpoint interval must be at least 1");
        }
        this.store = store;
        this.log = new CommitLog(store, LOG_DIR);
        this.clock = clock;
        this.checkpointInterval = checkpointInterval;
    }

    public CommitLog log() {
        return log;
    }

    /** The state as last read, without asking the store. */
    public CatalogState cached() {
        return current;
    }

    /**
     * Reads whatever has been committed since the last read, and returns the newest state.
     *
     * @throws CatalogDamagedException if the log cannot be read to its end (see {@link
     *     #replayFrom})
     */
    public CatalogState refresh() {
        synchronized (lock) {
            CatalogState s = current;
            Start start = new Start(s, s.version(), "an earlier read of this catalog");
            boolean opening = s.version() < 0;
            if (opening) {
                start = loadCheckpoint();
            }
            s = replayFrom(start, opening);
            current = s;
            return s;
        }
    }

    /**
     * The state at {@code version}: from the newest readable checkpoint at or below it, replaying
     * the entries after that checkpoint up to it.
     *
     * @throws dev.tarn.lake.exceptions.NotFoundException if the lake has no such version
     */
    public CatalogState stateAt(long version) {
        CatalogState newest = refresh();
        if (version < 0 || version > newest.version()) {
            throw new dev.tarn.lake.exceptions.NotFoundException(
                    "no catalog version "
                            + version
                            + "; this lake's versions are"
                            + " 0 to "
                            + newest.version());
        }
        if (version == newest.version()) {
            return newest;
        }
        CatalogState s = CatalogState.empty();
        List<ObjectStat> checkpoints = store.list(CHECKPOINT_DIR);
        for (int i = checkpoints.size() - 1; i >= 0; i--) {
            long v = checkpointVersion(checkpoints.get(i).key());
            if (v >= 0 && v <= version) {
                Optional<CatalogState> c = readCheckpoint(store, checkpoints.get(i).key());
                if (c.isPresent()) {
                    s = c.get();
                    break;
                }
            }
        }
        for (long v = s.version() + 1; v <= version; v++) {
            s = applyEntry(s, v, entry(v));
        }
        return s;
    }

    /** Entry {@code version}'s bytes; a missing one below the newest version is damage. */
    public byte[] entry(long version) {
        return log.read(version)
                .orElseThrow(
                        () ->
                                new CatalogDamagedException(
                                        "the catalog log is damaged: entry "
                                                + log.keyOf(version)
                                                + " is missing; run 'lake doctor'"));
    }

    /** Entry {@code version}'s actions, its commitInfo line first. */
    public List<CatalogAction> actions(long version) {
        String where = "catalog entry " + log.keyOf(version);
        try {
            List<CatalogAction> actions = CatalogCodec.decodeWhole(entry(version), where);
            if (actions.get(0) instanceof CatalogAction.CommitInfo info) {
                Instant.parse(info.timestamp());
                return actions;
            }
            throw new TarnException(
                    ErrorCode.CATALOG_DAMAGED, where + " does not start with a commitInfo line");
        } catch (CatalogDamagedException | UnsupportedLayoutException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CatalogDamagedException(
                    "the catalog log is damaged: " + e.getMessage() + "; run 'lake doctor'", e);
        }
    }

    /** The first line of entry {@code version}: who committed what, when. */
    public CatalogAction.CommitInfo commitInfo(long version) {
        return (CatalogAction.CommitInfo) actions(version).get(0);
    }

    /**
     * Applies entry {@code version} to the state before it; throws {@link CatalogDamagedException}
     * on damage.
     */
    public CatalogState applyEntry(CatalogState s, long version) {
        return applyEntry(s, version, entry(version));
    }

    /**
     * Where a read starts, and the newest version that something (a checkpoint, the hint) proves
     * was committed.
     */
    private record Start(CatalogState state, long claimed, String claimedBy) {}

    /**
     * Applies the entries after {@code start}'s state, reading entry N+1, N+2, ... until one does
     * not exist, and then refuses, naming the damage:
     *
     * <ul>
     *   <li>an entry missing while a later one exists: {@code _last_commit} (re-read on every
     *       refresh, one small GET) shows a version the log does not reach; on opening, entry N+2
     *       is also looked for (one HEAD), and when {@code _last_commit} is absent or unreadable
     *       one LIST after the missing entry finds any later entry;
     *   <li>the newest entry older than a version the checkpoint, a hint, or an earlier read proves
     *       committed;
     *   <li>an entry that is truncated or cannot be parsed or applied.
     * </ul>
     *
     * Listing on every refresh would cost a LIST per refresh on S3, and on a local disk a read of
     * the whole log directory (0.36 s for 200,000 entries, 1.5 s before names were filtered ahead
     * of their attributes), so the hint does that work and only a lake without one lists. Entries
     * below a readable checkpoint are not looked at: the checkpoint holds their state (the doctor
     * checks the whole log).
     */
    private CatalogState replayFrom(Start start, boolean opening) {
        CatalogState s = start.state();
        long base = s.version();
        // Read before the entries: whatever version it names was committed before this read began,
        // so the entries
        // must reach it. (Read after, a commit landing in between would pass for damage.)
        long claimed = start.claimed();
        String claimedBy = start.claimedBy();
        long committed = readVersionHint(store, LAST_COMMIT);
        if (committed > claimed) {
            claimed = committed;
            claimedBy = LAST_COMMIT;
        }
        while (true) {
            while (true) {
                long next = s.version() + 1;
                Optional<byte[]> entry = log.read(next);
                if (entry.isEmpty()) {
                    break;
                }
                s = applyEntry(s, next, entry.get());
            }
            long later = opening ? laterEntry(s.version() + 1, committed < 0) : -1;
            if (later < 0) {
                break;
            }
            // A later entry exists. Writers create N before N+1, so if entry N exists now, it was
            // committed while
            // we looked: read on. If it still does not, it is a gap.
            if (store.stat(log.keyOf(s.version() + 1)).isEmpty()) {
                throw gap(s.version() + 1, later);
            }
        }
        if (opening && base >= 0 && s.version() == base && store.stat(log.keyOf(base)).isEmpty()) {
            throw new CatalogDamagedException(
                    "the catalog log is damaged: "
                            + start.claimedBy()
                            + " shows that"
                            + " version "
                            + base
                            + " was committed, but its entry "
                            + log.keyOf(base)
                            + " is missing and no"
                            + " later entry exists; readers refuse rather than answer without it. Run 'lake doctor'");
        }
        if (claimed > s.version()) {
            // What is certain: the entry after the newest one read is missing, and a later version
            // was committed.
            throw new CatalogDamagedException(
                    "the catalog log is damaged: entry "
                            + log.keyOf(s.version() + 1)
                            + " is missing, while "
                            + claimedBy
                            + " shows that version "
                            + claimed
                            + " was committed (the"
                            + " newest entry read is "
                            + (s.version() < 0 ? "none" : log.keyOf(s.version()))
                            + "); readers"
                            + " refuse rather than answer without it, and writers refuse to write into it. Run 'lake doctor'"
                            + " (and 'lake doctor --repair')");
        }
        return s;
    }

    /**
     * A version after {@code missing} whose entry exists, or -1: entry missing+1 (one HEAD), and
     * when {@code list} is true any later entry (one LIST, for lakes without a usable {@code
     * _last_commit}).
     */
    private long laterEntry(long missing, boolean list) {
        if (store.stat(log.keyOf(missing + 1)).isPresent()) {
            return missing + 1;
        }
        if (list) {
            for (ObjectStat st : store.list(LOG_DIR, log.keyOf(missing), 16)) {
                long v = log.versionOf(st.key());
                if (v > missing) {
                    return v;
                }
            }
        }
        return -1;
    }

    private CatalogDamagedException gap(long missing, long next) {
        String missingText =
                next == missing + 1
                        ? "entry " + log.keyOf(missing) + " is missing"
                        : "entries "
                                + log.keyOf(missing)
                                + " to "
                                + log.keyOf(next - 1)
                                + " are missing";
        return new CatalogDamagedException(
                "the catalog log has a gap: "
                        + missingText
                        + ", while entry "
                        + log.keyOf(next)
                        + " exists after it; readers refuse rather than answer from the state before the"
                        + " gap, and writers refuse to write into it. Run 'lake doctor' (and 'lake doctor --repair')");
    }

    private CatalogState applyEntry(CatalogState s, long version, byte[] entry) {
        String where = "catalog entry " + log.keyOf(version);
        try {
            return apply(s, version, entry, where);
        } catch (UnsupportedLayoutException e) {
            throw e;
        } catch (RuntimeException e) {
            // Whatever the damage made of the entry (a parse error, a bad timestamp, a broken
            // invariant), it is
            // damage: name the entry and the way out, and do not let it pass for a usage error.
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new CatalogDamagedException(
                    "the catalog log is damaged: "
                            + (m.startsWith(where) ? m : where + " cannot be applied: " + m)
                            + (m.contains("lake doctor") ? "" : "; run 'lake doctor'"),
                    e);
        }
    }

    /**
     * Decodes and applies one entry; throws on any damage. Shared with the doctor's independent
     * read.
     */
    public static CatalogState apply(CatalogState s, long version, byte[] entry, String where) {
        List<CatalogAction> actions = CatalogCodec.decodeWhole(entry, where);
        if (!(actions.get(0) instanceof CatalogAction.CommitInfo info)) {
            throw new TarnException(
                    ErrorCode.CATALOG_DAMAGED,
                    where + " does not start with a commitInfo line; run 'lake doctor'");
        }
        return s.apply(version, Instant.parse(info.timestamp()), actions);
    }

    /**
     * The newest readable checkpoint, found through the hint or, failing that, by listing; with the
     * newest version the hint or a checkpoint's name proves committed (a damaged checkpoint is
     * skipped, but what it proves stands).
     */
    private Start loadCheckpoint() {
        long claimed = -1;
        String claimedBy = null;
        long committed = readVersionHint(store, LAST_COMMIT);
        if (committed >= 0) {
            claimed = committed;
            claimedBy = LAST_COMMIT;
        }
        try {
            String hint =
                    new String(store.getBytes(LAST_CHECKPOINT), StandardCharsets.UTF_8).trim();
            long v = Long.parseLong(CatalogCodec.JSON.readTree(hint).path("version").asText("-1"));
            if (v > claimed) {
                claimed = v;
                claimedBy = LAST_CHECKPOINT;
            }
            if (v >= 0) {
                Optional<CatalogState> s = readCheckpoint(store, checkpointKey(v));
                if (s.isPresent()) {
                    return new Start(
                            s.get(),
                            claimed,
                            v == claimed ? "checkpoint " + checkpointKey(v) : claimedBy);
                }
            }
        } catch (ObjectNotFoundException | NumberFormatException | java.io.IOException e) {
            // no usable hint: list instead
        }
        List<ObjectStat> all = store.list(CHECKPOINT_DIR);
        for (int i = all.size() - 1; i >= 0; i--) {
            String key = all.get(i).key();
            long v = checkpointVersion(key);
            if (v < 0) {
                continue;
            }
            if (v > claimed) {
                claimed = v;
                claimedBy = "checkpoint " + key;
            }
            Optional<CatalogState> s = readCheckpoint(store, key);
            if (s.isPresent()) {
                return new Start(s.get(), claimed, claimedBy);
            }
        }
        return new Start(CatalogState.empty(), claimed, claimedBy);
    }

    /** The version a {@code {"version":N}} hint holds, or -1 if it is absent or unreadable. */
    static long readVersionHint(ObjectStore store, String key) {
        try {
            String hint = new String(store.getBytes(key), StandardCharsets.UTF_8).trim();
            return Long.parseLong(CatalogCodec.JSON.readTree(hint).path("version").asText("-1"));
        } catch (ObjectNotFoundException | NumberFormatException | java.io.IOException e) {
            return -1;
        }
    }

    /** The version a checkpoint key names, or -1 if the key is not a checkpoint's. */
    public static long checkpointVersion(String key) {
        if (!key.startsWith(CHECKPOINT_DIR) || !key.endsWith(".ndjson")) {
            return -1;
        }
        String digits = key.substring(CHECKPOINT_DIR.length(), key.length() - ".ndjson".length());
        return digits.length() == 20 && digits.chars().allMatch(Character::isDigit)
                ? Long.parseLong(digits)
                : -1;
    }

    /**
     * A checkpoint's state, or empty if it cannot be read. A damaged checkpoint costs time, not
     * correctness: the log still holds everything it summarises, and a reader that then finds
     * entries missing below it refuses.
     */
    static Optional<CatalogState> readCheckpoint(ObjectStore store, String key) {
        try {
            return Optional.of(parseCheckpoint(store.getBytes(key), key));
        } catch (UnsupportedLayoutException e) {
            throw e;
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses a whole checkpoint; throws on any damage, including a version that differs from its
     * key's.
     */
    public static CatalogState parseCheckpoint(byte[] bytes, String key) {
        CatalogState s = CatalogState.fromCheckpoint(CatalogCodec.decodeWhole(bytes, key), key);
        long named = checkpointVersion(key);
        if (named >= 0 && named != s.version()) {
            throw new TarnException(
                    ErrorCode.CATALOG_DAMAGED,
                    key + " holds the state of version " + s.version() + ", not " + named);
        }
        return s;
    }

    public static String checkpointKey(long version) {
        return CHECKPOINT_DIR + String.format("%020d.ndjson", version);
    }

    /** What a successful commit produced. */
    public record Committed(
            long version,
            Instant timestamp,
            CatalogState state,
            List<CatalogAction> actions,
            String commitId) {}

    /**
     * Commits the actions that {@code plan} derives from the newest state, retrying on lost races.
     * Returns empty if the plan, given the newest state, has nothing to do (it returned no
     * actions).
     */
    public Optional<Committed> commit(
            String operation,
            Principal principal,
            Map<String, String> parameters,
            Function<CatalogState, List<CatalogAction>> plan) {
        Instant deadline = clock.instant().plus(MAX_RETRY_TIME);
        CatalogState base = refresh();
        for (int attempt = 1; ; attempt++) {
            List<CatalogAction> planned = plan.apply(base);
            if (planned.isEmpty()) {
                return Optional.empty();
            }
            long version = base.version() + 1;
            // Commit timestamps never go backwards, so that "as of time T" has one answer.
            Instant now = clock.instant();
            Instant ts = now.isAfter(base.timestamp()) ? now : base.timestamp().plusMillis(1);
            String commitId = UUID.randomUUID().toString();
            List<CatalogAction> actions = new ArrayList<>(planned.size() + 1);
            actions.add(
                    new CatalogAction.CommitInfo(
                            ts.toString(),
                            operation,
                            principal.name(),
                            Tarn.ENGINE,
                            commitId,
                            parameters.isEmpty() ? null : parameters,
                            null,
                            null));
            actions.addAll(planned);
            CatalogState next =
                    base.apply(version, ts, actions); // refuses a plan that breaks an invariant
            if (store.stat(log.keyOf(version + 1)).isPresent()
                    && store.stat(log.keyOf(version)).isEmpty()) {
                // Entry version+1 exists and entry 'version' does not (checked in that order: a
                // racing writer writes
                // them in the other): a gap, never to be filled.
                throw gap(version, version + 1);
            }
            if (log.tryWrite(version, CatalogCodec.encodeSealed(actions))) {
                publish(next);
                writeLastCommit(version);
                if (version > 0 && version % checkpointInterval == 0) {
                    writeCheckpoint(next);
                }
                return Optional.of(new Committed(version, ts, next, actions, commitId));
            }
            if (attempt > 3) {
                if (clock.instant().isAfter(deadline)) {
                    throw new CommitConflictException(
                            "could not commit "
                                    + operation
                                    + " after "
                                    + attempt
                                    + " attempts in "
                                    + MAX_RETRY_TIME.toSeconds()
                                    + " s: other writers kept committing"
                                    + " first; try again");
                }
                backoff(attempt);
            }
            base = refresh();
        }
    }

    private void publish(CatalogState s) {
        synchronized (lock) {
            if (s.version() > current.version()) {
                current = s;
            }
        }
    }

    private static void backoff(int attempt) {
        long maxMillis = Math.min(100, 1L << Math.min(attempt - 3, 7));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, maxMillis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommitConflictException(
                    "interrupted while retrying a commit; nothing was committed");
        }
    }

    /**
     * Best effort: a missing or late hint only lets a removed newest entry go unseen until the next
     * commit.
     */
    private void writeLastCommit(long version) {
        try {
            store.put(
                    LAST_COMMIT,
                    ("{\"version\":" + version + "}\n").getBytes(StandardCharsets.UTF_8),
                    WriteMode.OVERWRITE);
        } catch (RuntimeException e) {
            // the log is the truth; the commit stands
        }
    }

    /** Best effort: a missing or failed checkpoint only makes the next open slower. */
    void writeCheckpoint(CatalogState s) {
        try {
            store.put(
                    checkpointKey(s.version()),
                    CatalogCodec.encodeSealed(s.toCheckpoint()),
                    WriteMode.OVERWRITE);
            store.put(
                    LAST_CHECKPOINT,
                    ("{\"version\":" + s.version() + "}\n").getBytes(StandardCharsets.UTF_8),
                    WriteMode.OVERWRITE);
        } catch (RuntimeException e) {
            // the log is the truth; see above
        }
    }
}
