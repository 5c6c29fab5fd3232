package dev.tarn.lake.table.internal;

import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.doctor.DoctorCheck;
import dev.tarn.lake.doctor.DoctorContext;
import dev.tarn.lake.doctor.Finding;
import dev.tarn.lake.doctor.Finding.Kind;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.WriteMode;
import dev.tarn.lake.table.internal.Actions.Action;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.table.internal.Actions.CommitInfo;
import dev.tarn.lake.table.internal.Actions.RemoveFile;
import dev.tarn.lake.table.internal.Actions.SetTransaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The doctor's look at every table of the lake (registered as a {@link DoctorCheck} service): the
 * Delta log is contiguous and parseable from the checkpoint readers start at, checkpoints agree
 * with the entries and {@code _last_checkpoint} names a real one, the current version's data files
 * exist with their recorded size and readable footers, and no data file is left unreferenced past
 * the grace period.
 *
 * <p>Repair never deletes bytes any entry or checkpoint references, before or after a gap. It
 * rebuilds what can be rebuilt soundly: a checkpoint from the entries (when all of them up to it
 * are present), the hint, and a lost entry whose version has a readable checkpoint and whose
 * previous version can be read (the entry is then the difference between the two states). A damaged
 * entry that cannot be rebuilt is left where it is, so readers keep refusing instead of answering
 * silently from the version before it; what it lost is reported as {@link Kind#UNRECOVERABLE}.
 * Orphaned data files of a table whose log is damaged are kept: they may hold the rows of the lost
 * version.
 *
 * <p>Over 500 lines because one table's examination is one pass over its log whose steps share what
 * they read (the parsed entries and checkpoints, the replayed states, the referenced paths); split,
 * they would re-read the log.
 */
public final class TableDoctor implements DoctorCheck {
    /**
     * Where repair moves bytes it replaces: a hidden folder of the table, which readers and vacuum
     * skip.
     */
    static final String DAMAGED_DIR = "_damaged/";

    static final String QUARANTINE_DIR = "_quarantine/";

    @Override
    public String name() {
        return "tables";
    }

    @Override
    public List<Finding> run(DoctorContext context) {
        List<Finding> out = new ArrayList<>();
        for (Dataset d : context.lake().catalog().datasets()) {
            if (d.kind() == DatasetKind.TABLE) {
                out.addAll(new Exam(context, context.lake().store(), d.id()).run());
            }
        }
        return out;
    }

    /** One table's examination. */
    private static final class Exam {
        private final DoctorContext ctx;
        private final ObjectStore store;
        private final DatasetId id;
        private final String prefix;
        private final DeltaLog log;
        private final Commits commits;
        private final List<Finding> findings = new ArrayList<>();
        private final TreeMap<Long, List<Action>> entries = new TreeMap<>();
        private final TreeMap<Long, String> corrupt = new TreeMap<>();
        private final TreeMap<Long, List<Action>> checkpoints = new TreeMap<>();
        private final TreeMap<Long, String> badCheckpoints = new TreeMap<>();
        private final Set<String> referenced = new HashSet<>();

        /**
         * Versions with a checksum file ({@code N.crc}): written only after entry N, so evidence
         * that it existed.
         */
        private final TreeMap<Long, Checksums.Checksum> checksums = new TreeMap<>();

        private final Set<Long> checksumVersions = new HashSet<>();

        /**
         * Versions missing between entries below the checkpoint readers start at: history lost,
         * reads unaffected.
         */
        private final java.util.TreeSet<Long> holes = new java.util.TreeSet<>();

        private long startCheckpoint = -1;

        /** Versions whose entry is gone (or unreadable) that readers of the newest version need. */
        private final TreeMap<Long, String> lost = new TreeMap<>();

        Exam(DoctorContext ctx, ObjectStore store, DatasetId id) {
            this.ctx = ctx;
            this.store = store;
            this.id = id;
            this.prefix = id.keyPrefix();
            this.log =
                    new DeltaLog(
                            store, prefix); // a fresh one: no state cached from before the damage
            this.commits = new Commits(log);
        }

        List<Finding> run() {
            readLog();
            long newestEntry =
                    Math.max(
                            entries.isEmpty() ? -1 : entries.lastKey(),
                            corrupt.isEmpty() ? -1 : corrupt.lastKey());
            Optional<Checkpoints.LastCheckpoint> hint = Checkpoints.readLast(store, log.logDir());
            long top =
                    Math.max(
                            newestEntry,
                            Math.max(
                                    checkpoints.isEmpty() ? -1 : checkpoints.lastKey(),
                                    badCheckpoints.isEmpty() ? -1 : badCheckpoints.lastKey()));
            for (long c : checksumVersions) {
                top = Math.max(top, c);
            }
            if (hint.isPresent()) {
                top = Math.max(top, hint.get().version());
                long c = hint.get().version();
                if (c <= newestEntry
                        && !checkpoints.containsKey(c)
                        && !badCheckpoints.containsKey(c)) {
                    badCheckpoints.put(c, "it is missing, though _last_checkpoint names it");
                }
            }
            if (top < 0) {
                checkFiles(
                        null,
                        true); // never created (a first convert that failed): only leftovers to
                // look at
                return findings;
            }
            findGaps(top);
            if (ctx.repair()) {
                rebuildLostEntries();
            }
            for (long v : holes) {
                findings.add(
                        new Finding(
                                Kind.LOG_GAP,
                                commits.keyOf(v),
                                "version "
                                        + v
                                        + " of table "
                                        + id
                                        + " is missing between entries that are present; readers start at the checkpoint of version "
                                        + startCheckpoint
                                        + " and are not affected, but its history is gone",
                                false));
            }
            TableState current = replay(top);
            checkHint(hint, newestEntry);
            boolean healthy = lost.isEmpty() && corrupt.isEmpty();
            for (Map.Entry<Long, String> c : corrupt.entrySet()) {
                findings.add(
                        new Finding(
                                Kind.CORRUPT_LOG_ENTRY,
                                commits.keyOf(c.getKey()),
                                "version "
                                        + c.getKey()
                                        + " of table "
                                        + id
                                        + " cannot be read ("
                                        + c.getValue()
                                        + "); readers and"
                                        + " writers of the table refuse until it is repaired",
                                false));
                if (ctx.repair()) {
                    findings.add(
                            unrecoverable(
                                    c.getKey(),
                                    "its bytes are damaged and neither a checkpoint nor a"
                                            + " checksum file listing every file of that version holds its state; the entry is left"
                                            + " in place so readers keep refusing instead of silently answering from version "
                                            + (c.getKey() - 1)));
                }
            }
            checkFiles(healthy ? current : null, healthy);
            return findings;
        }

        /** The entry keys and put-if-absent of the table's log. */
        private record Commits(DeltaLog log) {
            String keyOf(long v) {
                return log.entryKey(v);
            }

            long versionOf(String key) {
                return log.entryVersion(key);
            }

            boolean tryWrite(long v, byte[] bytes) {
                return log.tryWriteEntry(v, bytes);
            }
        }

        /** Reads every entry and classic checkpoint of the log; remembers what they reference. */
        private void readLog() {
            for (ObjectStat s : store.list(log.logDir())) {
                String name = s.key().substring(log.logDir().length());
                long v = commits.versionOf(s.key());
                if (v >= 0) {
                    try {
                        List<Action> actions = log.parse(v, store.getBytes(s.key()));
                        entries.put(v, actions);
                        reference(actions);
                    } catch (RuntimeException e) {
                        corrupt.put(v, why(e));
                    }
                } else if (name.length() == 20 + ".crc".length()
                        && name.endsWith(".crc")
                        && name.substring(0, 20).chars().allMatch(Character::isDigit)) {
                    long c = Long.parseLong(name.substring(0, 20));
                    checksumVersions.add(c);
                    try {
                        Checksums.read(store, log.logDir(), c)
                                .ifPresent(
                                        k -> {
                                            checksums.put(c, k);
                                            if (k.allFiles() != null) {
                                                reference(new ArrayList<>(k.allFiles()));
                                            }
                                        });
                    } catch (RuntimeException e) {
                        // an unreadable checksum still says its entry existed; it just cannot
                        // rebuild it
                    }
                } else if (name.length() == 20 + ".checkpoint.parquet".length()
                        && name.endsWith(".checkpoint.parquet")
                        && name.substring(0, 20).chars().allMatch(Character::isDigit)) {
                    long c = Long.parseLong(name.substring(0, 20));
                    try {
                        List<Action> actions = Checkpoints.read(store, s.key());
                        if (actions.stream().noneMatch(a -> a instanceof Actions.Protocol)
                                || actions.stream().noneMatch(a -> a instanceof Actions.Metadata)) {
                            badCheckpoints.put(c, "it has no protocol or metadata");
                        } else {
                            checkpoints.put(c, actions);
                        }
                        reference(actions);
                    } catch (RuntimeException e) {
                        badCheckpoints.put(c, why(e));
                    }
                }
            }
        }

        private static String why(RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int cut = m.indexOf("; run 'lake doctor'");
            return cut > 0 ? m.substring(0, cut) : m;
        }

        private void reference(List<Action> actions) {
            for (Action a : actions) {
                if (a instanceof AddFile f) {
                    referenced.add(PathCodec.decode(f.path()));
                } else if (a instanceof RemoveFile r) {
                    referenced.add(PathCodec.decode(r.path()));
                }
            }
        }

        /**
         * The entries readers of the newest version need: those after the newest readable
         * checkpoint (and that checkpoint's own), or all from version 0 without one. Holes below
         * that point, between entries that are still there, are reported too: log cleanup removes
         * the oldest entries first and never makes a hole.
         */
        private void findGaps(long top) {
            long start = checkpoints.isEmpty() ? -1 : checkpoints.lastKey();
            long from = Math.max(0, start);
            for (long v = from; v <= top; v++) {
                if (!entries.containsKey(v) && !corrupt.containsKey(v)) {
                    lost.put(
                            v,
                            v == start
                                    ? "the checkpoint of that version exists"
                                    : checksumVersions.contains(v)
                                            ? "its checksum file exists, written after it"
                                            : "");
                }
            }
            if (!entries.isEmpty()) {
                for (long v = entries.firstKey(); v < from; v++) {
                    if (!entries.containsKey(v) && !corrupt.containsKey(v)) {
                        holes.add(v);
                    }
                }
            }
            startCheckpoint = start;
            for (long v : corrupt.keySet()) {
                if (v >= from) {
                    lost.remove(v); // reported as corrupt
                }
            }
        }

        /**
         * The newest state the entries and checkpoints give, checking each checkpoint against the
         * entries on the way (and rebuilding a bad one when repairing and the entries up to it are
         * all present). Null when a version the newest state needs is lost.
         */
        private TableState replay(long top) {
            TableState state = TableState.empty();
            boolean contiguous = true;
            long retentionCutoff = -1;
            for (long v = 0; v <= top; v++) {
                List<Action> entry = entries.get(v);
                if (entry != null && contiguous && state.version() == v - 1) {
                    state = state.toBuilder().apply(v, entry, mtime(commits.keyOf(v))).build();
                } else {
                    contiguous = false;
                }
                List<Action> cp = checkpoints.get(v);
                if (cp != null) {
                    if (contiguous && state.version() == v) {
                        String diff = disagreement(state, cp);
                        if (diff != null) {
                            badCheckpoints.put(v, "it disagrees with the entries: " + diff);
                        }
                    } else {
                        state =
                                TableState.empty().toBuilder()
                                        .load(
                                                v,
                                                mtime(Checkpoints.checkpointKey(log.logDir(), v)),
                                                cp)
                                        .build();
                        contiguous = true;
                    }
                }
                String bad = badCheckpoints.get(v);
                if (bad != null && !reportedCheckpoints.contains(v)) {
                    reportedCheckpoints.add(v);
                    boolean rebuildable = contiguous && state.version() == v;
                    boolean rebuilt = false;
                    String key = Checkpoints.checkpointKey(log.logDir(), v);
                    if (ctx.repair() && rebuildable) {
                        if (retentionCutoff < 0) {
                            retentionCutoff =
                                    ctx.now().toEpochMilli()
                                            - TableProperties.deletedFileRetentionMillis(state);
                        }
                        moveAside(key);
                        Checkpoints.write(store, log.logDir(), state, retentionCutoff);
                        rebuilt = true;
                        checkpoints.put(v, Checkpoints.read(store, key));
                        badCheckpoints.remove(v);
                    }
                    findings.add(
                            new Finding(
                                    Kind.BAD_CHECKPOINT,
                                    key,
                                    "checkpoint "
                                            + v
                                            + " of table "
                                            + id
                                            + " is not usable ("
                                            + bad
                                            + ")"
                                            + (rebuilt
                                                    ? "; rebuilt from the log's entries (the old"
                                                            + " bytes are in "
                                                            + DAMAGED_DIR
                                                            + ")"
                                                    : rebuildable
                                                            ? "; readers replay the entries"
                                                                    + " instead, and 'lake doctor --repair' rebuilds it from them"
                                                            : "; the entries before it are not all present, so it cannot be rebuilt"),
                                    rebuilt));
                }
            }
            return lost.isEmpty() && corrupt.isEmpty() && contiguous && state.version() == top
                    ? state
                    : null;
        }

        private final Set<Long> reportedCheckpoints = new HashSet<>();

        /** What differs between a replayed state and a checkpoint of the same version, or null. */
        private static String disagreement(TableState s, List<Action> checkpoint) {
            TableState c =
                    TableState.empty().toBuilder()
                            .load(s.version(), s.timestamp(), checkpoint)
                            .build();
            Map<String, Long> a = sizes(s);
            Map<String, Long> b = sizes(c);
            if (!a.equals(b)) {
                Set<String> onlyLog = new HashSet<>(a.keySet());
                onlyLog.removeAll(b.keySet());
                Set<String> onlyCp = new HashSet<>(b.keySet());
                onlyCp.removeAll(a.keySet());
                return "data files differ ("
                        + onlyLog.size()
                        + " only in the entries, "
                        + onlyCp.size()
                        + " only in the checkpoint)";
            }
            if (!Objects.equals(s.metadata(), c.metadata())) {
                return "the table's metadata differs";
            }
            if (!Objects.equals(s.protocol(), c.protocol())) {
                return "the protocol differs";
            }
            Map<String, Long> ta = new HashMap<>();
            s.txns().forEach((k, t) -> ta.put(k, t.version()));
            Map<String, Long> tb = new HashMap<>();
            c.txns().forEach((k, t) -> tb.put(k, t.version()));
            return ta.equals(tb) ? null : "the recorded application transactions differ";
        }

        private static Map<String, Long> sizes(TableState s) {
            Map<String, Long> m = new HashMap<>();
            s.files().forEach((p, f) -> m.put(p, f.size()));
            return m;
        }

        /**
         * A lost version {@code v} is rebuilt when a readable checkpoint of {@code v} exists and
         * the state of {@code v - 1} can be read: the entry is then their difference, which is what
         * readers of any version need. Only its commit information (operation, user, time) is gone;
         * the rebuilt entry says so.
         */
        private void rebuildLostEntries() {
            java.util.TreeSet<Long> candidates = new java.util.TreeSet<>(lost.keySet());
            candidates.addAll(corrupt.keySet());
            candidates.addAll(holes);
            for (Long v : candidates) {
                List<Action> cp = checkpoints.get(v);
                String from = "the checkpoint of that version";
                if (cp == null) {
                    cp = fromChecksum(v);
                    from = "the checksum file of that version";
                }
                TableState before = v == 0 ? TableState.empty() : stateAt(v - 1);
                if (cp == null || before == null) {
                    continue;
                }
                boolean damaged = corrupt.containsKey(v);
                if (damaged) {
                    moveAside(commits.keyOf(v));
                }
                TableState after =
                        TableState.empty().toBuilder()
                                .load(
                                        v,
                                        Math.max(
                                                mtime(Checkpoints.checkpointKey(log.logDir(), v)),
                                                mtime(Checksums.key(log.logDir(), v))),
                                        cp)
                                .build();
                List<Action> actions = difference(before, after, v);
                if (commits.tryWrite(v, Actions.encode(actions))) {
                    entries.put(v, actions);
                    lost.remove(v);
                    corrupt.remove(v);
                    holes.remove(v);
                    findings.add(
                            new Finding(
                                    damaged ? Kind.CORRUPT_LOG_ENTRY : Kind.LOG_GAP,
                                    commits.keyOf(v),
                                    "version "
                                            + v
                                            + " of table "
                                            + id
                                            + (damaged
                                                    ? " was damaged (the old bytes are in "
                                                            + DAMAGED_DIR
                                                            + ")"
                                                    : " was missing")
                                            + "; rebuilt from "
                                            + from
                                            + " and version "
                                            + (v - 1)
                                            + " (its data changes are exact; who made it, when and with which operation is lost)",
                                    true));
                }
            }
        }

        /**
         * The state a checksum file records, as checkpoint actions, when it lists every live file
         * (and the count agrees); else null.
         */
        private List<Action> fromChecksum(long v) {
            Checksums.Checksum k = checksums.get(v);
            if (k == null || k.allFiles() == null || k.allFiles().size() != k.numFiles()) {
                return null;
            }
            List<Action> out = new ArrayList<>();
            out.add(k.protocol());
            out.add(k.metadata());
            out.addAll(k.txns());
            out.addAll(k.allFiles());
            return out;
        }

        /**
         * The state at {@code v} from the entries (and checkpoints) as they are now, or null if it
         * cannot be read.
         */
        private TableState stateAt(long v) {
            TableState state = TableState.empty();
            Long start = checkpoints.floorKey(v);
            if (start != null) {
                state =
                        TableState.empty().toBuilder()
                                .load(start, 0, checkpoints.get(start))
                                .build();
            }
            for (long u = state.version() + 1; u <= v; u++) {
                List<Action> e = entries.get(u);
                if (e == null) {
                    return null;
                }
                state = state.toBuilder().apply(u, e, 0).build();
            }
            return state;
        }

        private List<Action> difference(TableState before, TableState after, long v) {
            long ts = Math.max(before.timestamp() + 1, after.timestamp());
            var info = Json.object();
            info.put("timestamp", ts);
            info.put("operation", "REPAIR");
            info.set(
                    "operationParameters",
                    Json.mapNode(
                            Map.of(
                                    "reason",
                                    "entry "
                                            + v
                                            + " was lost; rebuilt by 'lake doctor --repair' from the recorded state of version "
                                            + v)));
            info.put("engineInfo", dev.tarn.lake.Tarn.ENGINE);
            List<Action> out = new ArrayList<>();
            out.add(new CommitInfo(info));
            if (!Objects.equals(before.protocol(), after.protocol())) {
                out.add(after.protocol());
            }
            if (!Objects.equals(before.metadata(), after.metadata())) {
                out.add(after.metadata());
            }
            for (SetTransaction t : after.txns().values()) {
                SetTransaction old = before.txns().get(t.appId());
                if (old == null || old.version() != t.version()) {
                    out.add(t);
                }
            }
            for (AddFile f : before.files().values()) {
                if (!after.files().containsKey(f.path())) {
                    out.add(f.remove(ts, true));
                }
            }
            for (AddFile f : after.files().values()) {
                AddFile old = before.files().get(f.path());
                if (old == null || old.size() != f.size()) {
                    out.add(f.withDataChange(true));
                }
            }
            return out;
        }

        private void checkHint(Optional<Checkpoints.LastCheckpoint> hint, long newestEntry) {
            String key = log.logDir() + "_last_checkpoint";
            boolean present = store.stat(key).isPresent();
            long newestGood = -1;
            for (long c : checkpoints.descendingKeySet()) {
                if (!badCheckpoints.containsKey(c) && c <= newestEntry) {
                    newestGood = c;
                    break;
                }
            }
            String problem = null;
            if (present && hint.isEmpty()) {
                problem = "it cannot be read";
            } else if (!present && newestGood >= 0) {
                problem = "it is missing although checkpoints exist";
            } else if (hint.isPresent() && hint.get().version() > newestEntry) {
                for (long v = newestEntry + 1; v <= hint.get().version(); v++) {
                    lost.putIfAbsent(v, "");
                }
                problem =
                        "it names version "
                                + hint.get().version()
                                + ", newer than the newest entry "
                                + newestEntry
                                + " (the entries after it were lost); it is kept as the evidence of that loss";
            } else if (hint.isPresent()
                    && (!checkpoints.containsKey(hint.get().version())
                            || badCheckpoints.containsKey(hint.get().version()))) {
                problem =
                        "it names checkpoint "
                                + hint.get().version()
                                + ", which is missing or not usable";
            }
            if (problem == null) {
                return;
            }
            boolean fixable = hint.isEmpty() || hint.get().version() <= newestEntry;
            boolean repaired = false;
            if (ctx.repair() && fixable) {
                if (present) {
                    moveAside(key);
                }
                if (newestGood >= 0) {
                    writeHint(newestGood);
                }
                repaired = true;
            }
            findings.add(
                    new Finding(
                            Kind.BAD_CHECKPOINT,
                            key,
                            "the checkpoint hint of table "
                                    + id
                                    + ": "
                                    + problem
                                    + (repaired
                                            ? newestGood >= 0
                                                    ? "; rewritten to name checkpoint " + newestGood
                                                    : "; moved aside (no usable checkpoint to name; readers list the log)"
                                            : fixable
                                                    ? "; readers list the log instead, and 'lake doctor --repair' rewrites it"
                                                    : ""),
                            repaired));
        }

        private void writeHint(long version) {
            var o = Json.object();
            o.put("version", version);
            List<Action> cp = checkpoints.get(version);
            o.put("size", cp.size());
            store.stat(Checkpoints.checkpointKey(log.logDir(), version))
                    .ifPresent(s -> o.put("sizeInBytes", s.size()));
            o.put("numOfAddFiles", cp.stream().filter(a -> a instanceof AddFile).count());
            store.put(
                    log.logDir() + "_last_checkpoint",
                    Json.write(o).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    WriteMode.OVERWRITE);
        }

        /**
         * Keeps a copy of the bytes under the table's {@code _damaged/} folder, then removes the
         * original.
         */
        private void moveAside(String key) {
            Optional<ObjectStat> s = store.stat(key);
            if (s.isEmpty()) {
                return;
            }
            String rel = key.substring(prefix.length());
            String target = prefix + DAMAGED_DIR + ctx.now().toEpochMilli() + "/" + rel;
            store.put(target, store.getBytes(key), WriteMode.OVERWRITE);
            store.delete(key);
        }

        private Finding unrecoverable(long v, String why) {
            return unrecoverable(v, v, why);
        }

        private Finding unrecoverable(long v, long last, String why) {
            StringBuilder b =
                    new StringBuilder(
                            (v == last
                                            ? "version " + v + " of table " + id + " is"
                                            : "versions "
                                                    + v
                                                    + ".."
                                                    + last
                                                    + " of table "
                                                    + id
                                                    + " are")
                                    + " lost: "
                                    + why);
            List<Long> after = new ArrayList<>(entries.tailMap(last, false).keySet());
            if (!after.isEmpty()) {
                b.append("; versions ")
                        .append(after.get(0))
                        .append("..")
                        .append(after.get(after.size() - 1))
                        .append(" after it are intact");
            }
            List<String> unreferenced = unreferencedFiles();
            if (!unreferenced.isEmpty()) {
                b.append("; data files no entry references, which may hold its rows, are kept: ")
                        .append(
                                String.join(
                                        ", ",
                                        unreferenced.subList(0, Math.min(10, unreferenced.size()))))
                        .append(unreferenced.size() > 10 ? ", ..." : "");
            }
            b.append(
                    ". Put back the entry from a copy of the table if there is one; see docs/tables.md");
            return new Finding(Kind.UNRECOVERABLE, commits.keyOf(v), b.toString(), false);
        }

        private List<String> unreferencedFiles() {
            List<String> out = new ArrayList<>();
            for (ObjectStat s : ctx.listing()) {
                if (s.key().startsWith(prefix)) {
                    String rel = s.key().substring(prefix.length());
                    if (!hidden(rel) && !referenced.contains(rel)) {
                        out.add(rel);
                    }
                }
            }
            return out;
        }

        /**
         * The current version's files (when the log is readable) and the files of the table's
         * folder that nothing references. Quarantines (records a convert could not convert) and
         * moved-aside bytes are accounted for.
         */
        private void checkFiles(TableState current, boolean healthy) {
            if (!healthy) {
                // One finding per run of consecutive lost versions (a damaged checkpoint over a
                // cleaned-up log can
                // leave thousands), keyed by the first one's entry.
                List<Long> versions = new ArrayList<>(lost.keySet());
                for (int i = 0; i < versions.size(); ) {
                    int j = i;
                    while (j + 1 < versions.size() && versions.get(j + 1) == versions.get(j) + 1) {
                        j++;
                    }
                    long v = versions.get(i);
                    long last = versions.get(j);
                    String which = v == last ? "version " + v : "versions " + v + ".." + last;
                    findings.add(
                            new Finding(
                                    Kind.LOG_GAP,
                                    commits.keyOf(v),
                                    which
                                            + " of table "
                                            + id
                                            + (v == last ? " is" : " are")
                                            + " missing"
                                            + (lost.get(v).isEmpty()
                                                    ? ""
                                                    : " (" + lost.get(v) + ")")
                                            + (entries.higherKey(last) != null
                                                    ? " while later versions up to "
                                                            + entries.lastKey()
                                                            + " exist"
                                                    : "")
                                            + "; readers and writers of the table refuse until it is repaired",
                                    false));
                    if (ctx.repair()) {
                        findings.add(
                                unrecoverable(
                                        v,
                                        last,
                                        (v == last ? "its entry is" : "their entries are")
                                                + " gone and neither a checkpoint nor a checksum file listing every file of "
                                                + (v == last ? "that version" : "those versions")
                                                + " holds the state"));
                    }
                    i = j + 1;
                }
            }
            Map<String, ObjectStat> byRel = new HashMap<>();
            for (ObjectStat s : ctx.listing()) {
                if (s.key().startsWith(prefix)) {
                    byRel.put(s.key().substring(prefix.length()), s);
                }
            }
            if (current != null) {
                for (AddFile f : current.files().values()) {
                    String rel = PathCodec.decode(f.path());
                    String key = prefix + rel;
                    ObjectStat s = byRel.get(rel);
                    if (s == null) {
                        s = store.stat(key).orElse(null);
                    }
                    if (s == null) {
                        findings.add(
                                new Finding(
                                        Kind.MISSING_DATA_FILE,
                                        key,
                                        "data file of version "
                                                + current.version()
                                                + " of table "
                                                + id
                                                + " is gone; "
                                                + lostRows(f),
                                        false));
                    } else if (s.size() != f.size()) {
                        findings.add(
                                new Finding(
                                        Kind.DATA_FILE_SIZE_MISMATCH,
                                        key,
                                        "data file of table "
                                                + id
                                                + " is "
                                                + s.size()
                                                + " bytes, its log records "
                                                + f.size()
                                                + "; "
                                                + lostRows(f),
                                        false));
                    } else if (ctx.verify()) {
                        try {
                            ParquetFooter.read(store, s);
                        } catch (RuntimeException e) {
                            findings.add(
                                    new Finding(
                                            Kind.CORRUPT_DATA_FILE,
                                            key,
                                            "data file of table "
                                                    + id
                                                    + " has its recorded size but is not a readable Parquet file ("
                                                    + why(e)
                                                    + "); "
                                                    + lostRows(f),
                                            false));
                        }
                    }
                }
            }
            for (Map.Entry<String, ObjectStat> e : byRel.entrySet()) {
                String rel = e.getKey();
                if (hidden(rel) || referenced.contains(rel)) {
                    continue;
                }
                ObjectStat s = e.getValue();
                boolean old = ctx.pastGrace(s.lastModified());
                boolean removed = ctx.repair() && old && healthy && store.delete(s.key());
                String cause = "a writer stopped before committing it";
                if (!entries.isEmpty()
                        && s.lastModified().toEpochMilli()
                                > mtime(commits.keyOf(entries.lastKey()))) {
                    // The one trace a lost newest entry leaves: its files, newer than every entry
                    // left.
                    long next = entries.lastKey() + 1;
                    cause =
                            "it is newer than the newest entry, version "
                                    + entries.lastKey()
                                    + ": a writer stopped"
                                    + " before committing it, or entry "
                                    + commits.keyOf(next).substring(prefix.length())
                                    + " was lost (then the table reads as version "
                                    + entries.lastKey()
                                    + ", as if that"
                                    + " commit had never happened, and 'lake convert' converts its objects again)";
                }
                findings.add(
                        new Finding(
                                Kind.ORPHANED_DATA_FILE,
                                s.key(),
                                "a file in table "
                                        + id
                                        + "'s folder that"
                                        + " no log entry, checkpoint or checksum file references ("
                                        + cause
                                        + ")"
                                        + (removed
                                                ? "; removed"
                                                : !healthy
                                                        ? "; kept, because the table's log is damaged and it may"
                                                                + " hold the rows of the lost version"
                                                        : old
                                                                ? "; 'lake doctor --repair' removes it"
                                                                : "; younger than the grace period, so a writer may still be committing it"),
                                removed));
            }
        }

        /**
         * What a data file held, as far as the log says: its rows and the version that added it.
         */
        private String lostRows(AddFile f) {
            StringBuilder b = new StringBuilder("its rows cannot be recovered by the doctor");
            if (f.stats() != null) {
                try {
                    var n = Json.parse(f.stats()).get("numRecords");
                    if (n != null) {
                        b.append(" (").append(n.asLong()).append(" rows");
                        Long v = addedBy(f.path());
                        if (v != null) {
                            b.append(", added by version ").append(v).append(source(v));
                        }
                        b.append(")");
                    }
                } catch (RuntimeException ignored) {
                    // stats are optional
                }
            }
            return b.append("; SQL over the table fails naming it until the file is put back")
                    .toString();
        }

        private Long addedBy(String path) {
            for (Long v : entries.descendingKeySet()) {
                for (Action a : entries.get(v)) {
                    if (a instanceof AddFile f && f.path().equals(path)) {
                        return v;
                    }
                }
            }
            return null;
        }

        private String source(long v) {
            for (Action a : entries.get(v)) {
                if (a instanceof CommitInfo c) {
                    var p = c.json().get("operationParameters");
                    String src = p == null ? null : Json.text(p, "sourceObjects");
                    if (src != null) {
                        return ", converted from " + Json.text(p, "source") + " objects " + src;
                    }
                }
            }
            return "";
        }

        private long mtime(String key) {
            return store.stat(key).map(s -> s.lastModified().toEpochMilli()).orElse(0L);
        }

        /**
         * The log, quarantines, moved-aside bytes: anything under a segment starting with '_' or
         * '.' is not data.
         */
        private static boolean hidden(String rel) {
            for (String seg : rel.split("/")) {
                if (seg.startsWith("_") || seg.startsWith(".")) {
                    return true;
                }
            }
            return false;
        }
    }
}
