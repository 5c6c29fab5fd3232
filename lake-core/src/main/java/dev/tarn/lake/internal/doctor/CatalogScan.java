package dev.tarn.lake.internal.doctor;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.doctor.Finding;
import dev.tarn.lake.exceptions.ObjectNotFoundException;
import dev.tarn.lake.exceptions.UnsupportedLayoutException;
import dev.tarn.lake.internal.catalog.CatalogAction;
import dev.tarn.lake.internal.catalog.CatalogCodec;
import dev.tarn.lake.internal.catalog.CatalogLog;
import dev.tarn.lake.internal.catalog.CatalogState;
import dev.tarn.lake.internal.catalog.DatasetEntry;
import dev.tarn.lake.spi.CommitLog;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The doctor's own read of the catalog log: every entry and checkpoint read on its own, so that one
 * damaged file neither stops the read nor hides what lies after it. Unlike {@link
 * CatalogLog#refresh()}, which refuses at the first damage, this says where all the damage is, and
 * which object keys any readable line (before or after a gap, in a checkpoint, or in what still
 * parses of a damaged entry) references: those bytes are never removed.
 *
 * <p>Holds every entry's actions in memory (about as much as the catalog state itself, plus removed
 * objects): the doctor reads the whole log once, where readers start from a checkpoint.
 */
final class CatalogScan {
    /** One listed log entry. */
    static final class Entry {
        final long version;
        final String key;

        /** The entry's actions, or null if it is damaged. */
        List<CatalogAction> actions;

        /** Why it is damaged (null if it is not). */
        String problem;

        /**
         * The lines of a damaged entry that still parse on their own (a truncated entry's first
         * lines).
         */
        List<CatalogAction> salvaged = List.of();

        byte[] bytes;

        Entry(long version, String key) {
            this.version = version;
            this.key = key;
        }

        boolean readable() {
            return actions != null;
        }

        Instant timestamp() {
            return ((CatalogAction.CommitInfo) actions.get(0)).timestamp() == null
                    ? null
                    : Instant.parse(((CatalogAction.CommitInfo) actions.get(0)).timestamp());
        }
    }

    /** One listed checkpoint. */
    static final class Checkpoint {
        final long version;
        final String key;

        /** Its state, or null if it cannot be read. */
        CatalogState state;

        String problem;

        Checkpoint(long version, String key) {
            this.version = version;
            this.key = key;
        }
    }

    final CommitLog log;
    final TreeMap<Long, Entry> entries = new TreeMap<>();
    final TreeMap<Long, Checkpoint> checkpoints = new TreeMap<>();
    boolean hintPresent;

    /** The version the hint names, or -1 if it is absent or unreadable. */
    long hintVersion = -1;

    /** What is wrong with the hint, or null. */
    String hintProblem;

    /** The version {@code _last_commit} names, or -1. */
    long lastCommit = -1;

    /** What is wrong with {@code _last_commit}, or null. */
    String lastCommitProblem;

    /**
     * The version of the checkpoint the hint names when that checkpoint does not exist, or null.
     */
    Long missingNamedCheckpoint;

    /**
     * The newest version the log's files prove was committed: the newest entry, checkpoint or hint.
     */
    long top = -1;

    String topProof;

    /** Versions in [0, top] whose entry does not exist. */
    final TreeSet<Long> missing = new TreeSet<>();

    /** Every key that an add or remove line of an entry or checkpoint names. */
    final Set<String> referenced = new HashSet<>();

    /** The state replayed from entry 0 (or a readable checkpoint) up to the first damage. */
    CatalogState beforeDamage = CatalogState.empty();

    /** Versions at which a readable entry's actions break an invariant of the state before it. */
    final Map<Long, String> applyProblems = new TreeMap<>();

    /** Readable checkpoints whose state differs from what the entries before them yield. */
    final Map<Long, String> disagreeing = new TreeMap<>();

    private CatalogScan(ObjectStore store) {
        this.log = new CommitLog(store, CatalogLog.LOG_DIR);
    }

    static CatalogScan read(ObjectStore store, List<ObjectStat> listing) {
        CatalogScan scan = new CatalogScan(store);
        for (ObjectStat s : listing) {
            String key = s.key();
            long v = scan.log.versionOf(key);
            if (v >= 0) {
                scan.readEntry(store, v, key);
                continue;
            }
            long c = CatalogLog.checkpointVersion(key);
            if (c >= 0) {
                scan.readCheckpoint(store, c, key);
            } else if (key.equals(CatalogLog.LAST_CHECKPOINT)) {
                scan.readHint(store);
            } else if (key.equals(CatalogLog.LAST_COMMIT)) {
                scan.readLastCommit(store);
            }
        }
        if (!scan.hintPresent && !scan.checkpoints.isEmpty()) {
            scan.hintProblem =
                    "missing, while checkpoints exist; readers then list the checkpoints instead";
        }
        if (!scan.entries.isEmpty()) {
            scan.claim(scan.entries.lastKey(), "entry " + scan.entries.lastEntry().getValue().key);
        }
        for (Checkpoint c : scan.checkpoints.values()) {
            scan.claim(c.version, "checkpoint " + c.key);
        }
        // The hints are read after the listing: if a commit landed in between, they may name a
        // version the listing
        // has not seen. Such a version is not a gap.
        long listedNewest = scan.entries.isEmpty() ? -1 : scan.entries.lastKey();
        boolean movedOn = store.stat(scan.log.keyOf(listedNewest + 1)).isPresent();
        if (scan.lastCommit >= 0 && !movedOn) {
            scan.claim(scan.lastCommit, CatalogLog.LAST_COMMIT);
        }
        if (scan.hintVersion >= 0) {
            if (!movedOn) {
                scan.claim(scan.hintVersion, CatalogLog.LAST_CHECKPOINT);
            }
            Checkpoint named = scan.checkpoints.get(scan.hintVersion);
            if (named == null) {
                if (store.stat(CatalogLog.checkpointKey(scan.hintVersion)).isEmpty()) {
                    scan.missingNamedCheckpoint =
                            scan.hintVersion; // the checkpoint is what is missing
                } // else: written after the listing, with its hint
            } else if (named.state == null) {
                scan.hintProblem =
                        "names checkpoint " + scan.hintVersion + ", which cannot be read";
            }
        }
        if (scan.hintProblem == null && scan.hintPresent) {
            Long newestGood = scan.newestReadableCheckpoint(Long.MAX_VALUE);
            if (newestGood != null && newestGood > scan.hintVersion) {
                scan.hintProblem =
                        "names checkpoint "
                                + scan.hintVersion
                                + ", but checkpoint "
                                + newestGood
                                + " is newer";
            }
        }
        for (long v = 0; v <= scan.top; v++) {
            if (!scan.entries.containsKey(v)) {
                scan.missing.add(v);
            }
        }
        scan.replay();
        return scan;
    }

    private void claim(long version, String proof) {
        if (version > top) {
            top = version;
            topProof = proof;
        }
    }

    private void readEntry(ObjectStore store, long v, String key) {
        Entry e = new Entry(v, key);
        byte[] bytes;
        try {
            bytes = store.getBytes(key);
        } catch (ObjectNotFoundException gone) {
            return; // removed while we looked: missing
        }
        try {
            List<CatalogAction> actions = CatalogCodec.decodeWhole(bytes, key);
            if (!(actions.get(0) instanceof CatalogAction.CommitInfo info)) {
                throw new IllegalStateException("it does not start with a commitInfo line");
            }
            Instant.parse(
                    Objects.requireNonNull(info.timestamp(), "its commitInfo has no timestamp"));
            e.actions = actions;
        } catch (UnsupportedLayoutException newer) {
            throw newer;
        } catch (RuntimeException bad) {
            e.problem = message(bad);
            e.bytes = bytes;
            e.salvaged = salvage(bytes, key);
        }
        reference(e.actions != null ? e.actions : e.salvaged);
        entries.put(v, e);
    }

    private void readCheckpoint(ObjectStore store, long v, String key) {
        Checkpoint c = new Checkpoint(v, key);
        try {
            c.state = CatalogLog.parseCheckpoint(store.getBytes(key), key);
            for (DatasetEntry d : c.state.datasets().values()) {
                for (LakeObject o : d.objects().values()) {
                    referenced.add(o.key());
                }
            }
        } catch (UnsupportedLayoutException newer) {
            throw newer;
        } catch (ObjectNotFoundException gone) {
            return;
        } catch (RuntimeException bad) {
            c.problem = message(bad);
        }
        checkpoints.put(v, c);
    }

    private void readHint(ObjectStore store) {
        try {
            String hint = hintText(store, CatalogLog.LAST_CHECKPOINT);
            hintPresent = true;
            long v = versionIn(hint);
            if (v < 0) {
                hintProblem = "holds no checkpoint version: " + abbreviate(hint);
            } else {
                hintVersion = v;
            }
        } catch (ObjectNotFoundException gone) {
            hintPresent = false;
        } catch (java.io.IOException | RuntimeException bad) {
            hintProblem = "cannot be read: " + message(bad);
        }
    }

    private void readLastCommit(ObjectStore store) {
        try {
            String hint = hintText(store, CatalogLog.LAST_COMMIT);
            long v = versionIn(hint);
            if (v < 0) {
                lastCommitProblem = "holds no version: " + abbreviate(hint);
            } else {
                lastCommit = v;
            }
        } catch (ObjectNotFoundException gone) {
            // absent: lakes written before it existed have none
        } catch (java.io.IOException | RuntimeException bad) {
            lastCommitProblem = "cannot be read: " + message(bad);
        }
    }

    private static String hintText(ObjectStore store, String key) {
        return new String(store.getBytes(key), StandardCharsets.UTF_8).trim();
    }

    /** The {@code version} a hint file names, or -1 where it names none. */
    private static long versionIn(String hint) throws java.io.IOException {
        return Long.parseLong(
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(hint)
                        .path("version")
                        .asText("-1"));
    }

    /** The lines of a damaged entry that parse on their own. */
    static List<CatalogAction> salvage(byte[] bytes, String key) {
        List<CatalogAction> out = new ArrayList<>();
        String text = new String(bytes, StandardCharsets.UTF_8);
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                out.addAll(
                        CatalogCodec.decode(
                                line.getBytes(StandardCharsets.UTF_8), key + " line " + n));
            } catch (RuntimeException unreadable) {
                // lost with the damage
            }
        }
        return out;
    }

    private void reference(List<CatalogAction> actions) {
        for (CatalogAction a : actions) {
            if (a instanceof CatalogAction.AddObject o
                    && o.zone() != null
                    && o.dataset() != null
                    && o.path() != null) {
                referenced.add(o.zone() + "/" + o.dataset() + "/" + o.path());
            } else if (a instanceof CatalogAction.RemoveObject r
                    && r.zone() != null
                    && r.dataset() != null
                    && r.path() != null) {
                referenced.add(r.zone() + "/" + r.dataset() + "/" + r.path());
            }
        }
    }

    /**
     * Replays the log from entry 0 to find entries that parse but do not apply, and checkpoints
     * that disagree with the entries. After damage the state is unknown, so checking resumes at the
     * next readable checkpoint.
     */
    private void replay() {
        CatalogState s = CatalogState.empty();
        boolean known = true;
        boolean damaged = false;
        for (long v = 0; v <= top; v++) {
            Entry e = entries.get(v);
            Checkpoint c = checkpoints.get(v);
            if (e == null || !e.readable()) {
                known = false;
                damaged = true;
            } else if (known) {
                try {
                    s = s.apply(v, e.timestamp(), e.actions);
                } catch (UnsupportedLayoutException newer) {
                    throw newer;
                } catch (RuntimeException bad) {
                    applyProblems.put(v, message(bad));
                    known = false;
                    damaged = true;
                }
            }
            if (c != null && c.state != null) {
                if (known) {
                    String diff = difference(s, c.state);
                    if (diff != null) {
                        disagreeing.put(v, diff);
                    }
                } else {
                    s = c.state;
                    known = true;
                }
            }
            if (!damaged) {
                beforeDamage = s;
            }
        }
    }

    /** The newest readable checkpoint at or below {@code atMost}, or null. */
    Long newestReadableCheckpoint(long atMost) {
        for (Checkpoint c : checkpoints.headMap(atMost, true).descendingMap().values()) {
            if (c.state != null) {
                return c.version;
            }
        }
        return null;
    }

    /** The oldest readable checkpoint at or above {@code atLeast}, or null. */
    Checkpoint oldestReadableCheckpoint(long atLeast) {
        for (Checkpoint c : checkpoints.tailMap(atLeast, true).values()) {
            if (c.state != null) {
                return c;
            }
        }
        return null;
    }

    /** Versions whose entry is missing, unreadable, or does not apply. */
    TreeSet<Long> damagedVersions() {
        TreeSet<Long> out = new TreeSet<>(missing);
        for (Entry e : entries.values()) {
            if (!e.readable()) {
                out.add(e.version);
            }
        }
        out.addAll(applyProblems.keySet());
        return out;
    }

    boolean logDamaged() {
        return !damagedVersions().isEmpty();
    }

    boolean healthy() {
        return !logDamaged()
                && hintProblem == null
                && lastCommitProblem == null
                && missingNamedCheckpoint == null
                && disagreeing.isEmpty()
                && checkpoints.values().stream().allMatch(c -> c.state != null);
    }

    /** What a check (no repair) reports about the catalog's own files. */
    List<Finding> findings() {
        List<Finding> out = new ArrayList<>();
        Long floor = newestReadableCheckpoint(Long.MAX_VALUE);
        for (long v : missing) {
            Map.Entry<Long, Entry> later = entries.higherEntry(v);
            String after =
                    later != null
                            ? "entry " + later.getValue().key + " exists after it"
                            : topProof + " shows that version " + top + " was committed";
            boolean covered =
                    floor != null && (v < floor || v == floor && entries.higherKey(floor) != null);
            out.add(
                    new Finding(
                            Finding.Kind.LOG_GAP,
                            log.keyOf(v),
                            "catalog entry missing, while "
                                    + after
                                    + (covered
                                            ? "; readers start from checkpoint "
                                                    + floor
                                                    + " and do not need it, but the record"
                                                    + " of that commit is lost"
                                            : "; every reader refuses until it is repaired")
                                    + "; 'lake doctor --repair' writes a recovery entry (RECOVER) in its place",
                            false));
        }
        for (Entry e : entries.values()) {
            if (!e.readable()) {
                out.add(
                        corruptEntry(
                                e.key,
                                "catalog entry cannot be read: "
                                        + e.problem
                                        + "; "
                                        + e.salvaged.size()
                                        + " of its lines still parse"));
            }
        }
        for (Map.Entry<Long, String> p : applyProblems.entrySet()) {
            out.add(
                    corruptEntry(
                            log.keyOf(p.getKey()),
                            "catalog entry parses but does not apply to the state before it: "
                                    + p.getValue()));
        }
        for (Checkpoint c : checkpoints.values()) {
            if (c.state == null) {
                out.add(
                        badCheckpoint(
                                c.key,
                                "checkpoint cannot be read: "
                                        + c.problem
                                        + "; readers fall back to an older checkpoint and the entries"));
            }
        }
        for (Map.Entry<Long, String> d : disagreeing.entrySet()) {
            out.add(
                    badCheckpoint(
                            CatalogLog.checkpointKey(d.getKey()),
                            "checkpoint disagrees with the entries before it: " + d.getValue()));
        }
        if (lastCommitProblem != null) {
            out.add(
                    new Finding(
                            Finding.Kind.BAD_CHECKPOINT,
                            CatalogLog.LAST_COMMIT,
                            "the hint naming the newest"
                                    + " version "
                                    + lastCommitProblem
                                    + "; readers cannot tell a removed newest entry while it is"
                                    + " so; 'lake doctor --repair' rewrites it",
                            false));
        }
        if (missingNamedCheckpoint != null) {
            out.add(
                    badCheckpoint(
                            CatalogLog.checkpointKey(missingNamedCheckpoint),
                            "checkpoint missing, though "
                                    + CatalogLog.LAST_CHECKPOINT
                                    + " names it; readers list the checkpoints instead"));
        }
        if (hintProblem != null) {
            out.add(
                    new Finding(
                            Finding.Kind.BAD_CHECKPOINT,
                            CatalogLog.LAST_CHECKPOINT,
                            "the hint naming the"
                                    + " newest checkpoint is "
                                    + hintProblem
                                    + "; 'lake doctor --repair' rewrites it",
                            false));
        }
        return out;
    }

    /** A log entry that repair moves aside; {@code what} says what is wrong with it. */
    private static Finding corruptEntry(String key, String what) {
        return new Finding(
                Finding.Kind.CORRUPT_LOG_ENTRY,
                key,
                what
                        + "; 'lake doctor --repair' moves it to "
                        + CatalogRecovery.DAMAGED_DIR
                        + " and writes a recovery entry in its place",
                false);
    }

    /** A checkpoint that repair rewrites; {@code what} says what is wrong with it. */
    private static Finding badCheckpoint(String key, String what) {
        return new Finding(
                Finding.Kind.BAD_CHECKPOINT,
                key,
                what + "; 'lake doctor --repair' rewrites it from the entries",
                false);
    }

    /** How two states differ (zones, datasets, objects), or null if they hold the same. */
    static String difference(CatalogState a, CatalogState b) {
        if (!a.zones().keySet().equals(b.zones().keySet())) {
            return "zones " + a.zones().keySet() + " against " + b.zones().keySet();
        }
        if (!a.datasets().keySet().equals(b.datasets().keySet())) {
            return "datasets " + a.datasets().keySet() + " against " + b.datasets().keySet();
        }
        for (Map.Entry<DatasetId, DatasetEntry> d : a.datasets().entrySet()) {
            Map<String, LakeObject> x = d.getValue().objects();
            Map<String, LakeObject> y = b.datasets().get(d.getKey()).objects();
            if (!x.keySet().equals(y.keySet())) {
                Set<String> only = new TreeSet<>(x.keySet());
                only.removeAll(y.keySet());
                Set<String> other = new TreeSet<>(y.keySet());
                other.removeAll(x.keySet());
                return "dataset "
                        + d.getKey()
                        + ": objects only in the entries "
                        + abbreviate(only.toString())
                        + ", only in the checkpoint "
                        + abbreviate(other.toString());
            }
            for (LakeObject o : x.values()) {
                LakeObject p = y.get(o.path());
                if (o.size() != p.size() || !o.sha256().equals(p.sha256())) {
                    return "object " + o.key() + " has another size or checksum";
                }
            }
        }
        return null;
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** Keys of every object a state holds, for quick lookup. */
    static Map<String, LakeObject> objectsByKey(CatalogState s) {
        Map<String, LakeObject> out = new HashMap<>();
        for (DatasetEntry d : s.datasets().values()) {
            for (LakeObject o : d.objects().values()) {
                out.put(o.key(), o);
            }
        }
        return out;
    }
}
