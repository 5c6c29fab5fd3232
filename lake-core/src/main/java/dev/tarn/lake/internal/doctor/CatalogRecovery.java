package dev.tarn.lake.internal.doctor;

import dev.tarn.lake.Tarn;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.catalog.Zone;
import dev.tarn.lake.doctor.Finding;
import dev.tarn.lake.exceptions.ObjectExistsException;
import dev.tarn.lake.exceptions.ObjectNotFoundException;
import dev.tarn.lake.internal.catalog.CatalogAction;
import dev.tarn.lake.internal.catalog.CatalogCodec;
import dev.tarn.lake.internal.catalog.CatalogLog;
import dev.tarn.lake.internal.catalog.CatalogState;
import dev.tarn.lake.internal.catalog.DatasetEntry;
import dev.tarn.lake.internal.ingest.FormatSniffer;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * {@code lake doctor --repair} for the catalog's own files. For every missing or damaged entry N it
 * writes a recovery entry N (commitInfo operation {@code RECOVER}) rebuilt from what the lake still
 * holds, in this order of trust:
 *
 * <ol>
 *   <li>the oldest readable checkpoint at or after N: its objects added by version N are exact
 *       records, and the difference between the state before N and the checkpoint, minus what the
 *       readable entries between them did, is what N did (exact when those entries are all
 *       readable);
 *   <li>the lines of a damaged entry that still parse on their own (a truncated entry's first
 *       lines);
 *   <li>what the later entries rely on: a zone or dataset they use, an object they remove;
 *   <li>for the newest damaged entry without a checkpoint after it: the objects in dataset folders
 *       that no line of any entry or checkpoint references, with size and SHA-256 recomputed from
 *       their bytes.
 * </ol>
 *
 * A damaged entry's bytes are moved to {@code _tarn/catalog/damaged/}, never deleted. What could
 * not be recovered (who committed, original names, sources, metadata, property changes) is reported
 * as {@code UNRECOVERABLE}. Everything is planned and replayed in memory first; if the planned log
 * would not replay, nothing is written.
 *
 * <p>Longer than most classes because planning one recovery entry is one algorithm with four
 * sources of evidence, which read best side by side.
 */
final class CatalogRecovery {
    static final String DAMAGED_DIR = CatalogLog.ROOT + "damaged/";
    static final String RECOVER = "RECOVER";
    static final String RECOVERED_SOURCE =
            "unknown (recovered by 'lake doctor --repair' from the stored bytes)";

    private final ObjectStore store;
    private final CatalogScan scan;
    private final List<ObjectStat> listing;
    private final Map<String, ObjectStat> listed = new HashMap<>();
    private final Set<String> tableFolders = new HashSet<>();
    private final Instant now;
    private final String principal;

    CatalogRecovery(
            ObjectStore store,
            CatalogScan scan,
            List<ObjectStat> listing,
            Instant now,
            String principal) {
        this.store = store;
        this.scan = scan;
        this.listing = listing;
        for (ObjectStat s : listing) {
            listed.put(s.key(), s);
            // A table's folder: its Delta log, or the quarantine a failed convert leaves before the
            // first commit.
            for (String marker : new String[] {"/_delta_log/", "/_quarantine/"}) {
                int at = s.key().indexOf(marker);
                if (at > 0) {
                    tableFolders.add(s.key().substring(0, at + 1));
                }
            }
        }
        this.now = now;
        this.principal = principal;
    }

    /** One planned recovery entry. */
    private record Planned(
            long version, byte[] bytes, int objects, List<String> lost, String reason) {}

    /** Repairs the catalog's files; returns the findings, repaired or not. */
    List<Finding> run() {
        TreeSet<Long> damaged = scan.damagedVersions();
        Map<Long, Planned> planned = new TreeMap<>();
        Map<Long, CatalogState> statesAt = new HashMap<>();
        CatalogState s = CatalogState.empty();
        try {
            for (long v = 0; v <= scan.top; v++) {
                CatalogScan.Entry e = scan.entries.get(v);
                if (!damaged.contains(v)) {
                    try {
                        s = s.apply(v, e.timestamp(), e.actions);
                    } catch (RuntimeException bad) {
                        throw new IllegalStateException(
                                "entry "
                                        + e.key
                                        + " does not apply after the recovered"
                                        + " entries before it: "
                                        + CatalogScan.message(bad));
                    }
                } else {
                    Planned p = plan(v, s, e, damaged);
                    List<CatalogAction> actions =
                            CatalogCodec.decode(p.bytes(), "recovery entry " + v);
                    s =
                            s.apply(
                                    v,
                                    Instant.parse(
                                            ((CatalogAction.CommitInfo) actions.get(0))
                                                    .timestamp()),
                                    actions);
                    planned.put(v, p);
                }
                if (scan.checkpoints.containsKey(v)
                        || Long.valueOf(v).equals(scan.missingNamedCheckpoint)) {
                    statesAt.put(v, s);
                }
            }
        } catch (RuntimeException cannot) {
            List<Finding> out = new ArrayList<>(scan.findings());
            out.add(
                    new Finding(
                            Finding.Kind.UNRECOVERABLE,
                            CatalogLog.LOG_DIR,
                            "the repair found no consistent"
                                    + " way to rebuild the catalog log, so it changed nothing: "
                                    + CatalogScan.message(cannot)
                                    + "; the damaged files are as they were",
                            false));
            return out;
        }
        List<Finding> out = new ArrayList<>();
        String stamp =
                DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                        .withZone(ZoneOffset.UTC)
                        .format(now);
        for (Planned p : planned.values()) {
            out.addAll(write(p, stamp));
        }
        Long firstDamage = damaged.isEmpty() ? null : damaged.first();
        for (CatalogScan.Checkpoint c : scan.checkpoints.values()) {
            boolean unreadable = c.state == null;
            boolean disagrees = scan.disagreeing.containsKey(c.version);
            if (!unreadable && !disagrees) {
                continue;
            }
            CatalogState at = statesAt.get(c.version);
            if (disagrees && firstDamage != null && firstDamage < c.version) {
                out.add(
                        new Finding(
                                Finding.Kind.BAD_CHECKPOINT,
                                c.key,
                                "checkpoint disagrees with the entries"
                                        + " before it ("
                                        + scan.disagreeing.get(c.version)
                                        + "), but entries below it were damaged,"
                                        + " so it may be the better record; kept as it is",
                                false));
                continue;
            }
            out.add(rewriteCheckpoint(c, at, stamp));
        }
        if (scan.lastCommitProblem != null || !planned.isEmpty() && scan.lastCommit >= 0) {
            store.put(
                    CatalogLog.LAST_COMMIT,
                    ("{\"version\":" + scan.top + "}\n").getBytes(StandardCharsets.UTF_8),
                    WriteMode.OVERWRITE);
            if (scan.lastCommitProblem != null) {
                out.add(
                        new Finding(
                                Finding.Kind.BAD_CHECKPOINT,
                                CatalogLog.LAST_COMMIT,
                                "the hint naming the newest"
                                        + " version "
                                        + scan.lastCommitProblem
                                        + "; rewritten to name version "
                                        + scan.top,
                                true));
            }
        }
        Long named = scan.missingNamedCheckpoint;
        if (named != null && statesAt.get(named) != null) {
            String key = CatalogLog.checkpointKey(named);
            store.put(
                    key,
                    CatalogCodec.encodeSealed(statesAt.get(named).toCheckpoint()),
                    WriteMode.OVERWRITE);
            out.add(
                    new Finding(
                            Finding.Kind.BAD_CHECKPOINT,
                            key,
                            "checkpoint was missing, though "
                                    + CatalogLog.LAST_CHECKPOINT
                                    + " names it; rewritten from the entries",
                            true));
        } else if (named != null) {
            out.add(
                    new Finding(
                            Finding.Kind.BAD_CHECKPOINT,
                            CatalogLog.checkpointKey(named),
                            "checkpoint is"
                                    + " missing and the entries do not replay to it; not rewritten",
                            false));
        }
        if (scan.hintProblem != null
                || !planned.isEmpty()
                || scan.checkpoints.values().stream().anyMatch(c -> c.state == null)) {
            Long newest = null;
            for (CatalogScan.Checkpoint c : scan.checkpoints.descendingMap().values()) {
                if (c.state != null || statesAt.get(c.version) != null) {
                    newest = c.version;
                    break;
                }
            }
            if (named != null
                    && statesAt.get(named) != null
                    && (newest == null || named > newest)) {
                newest = named;
            }
            if (newest != null && (scan.hintProblem != null || scan.hintVersion != newest)) {
                store.put(
                        CatalogLog.LAST_CHECKPOINT,
                        ("{\"version\":" + newest + "}\n").getBytes(StandardCharsets.UTF_8),
                        WriteMode.OVERWRITE);
                out.add(
                        new Finding(
                                Finding.Kind.BAD_CHECKPOINT,
                                CatalogLog.LAST_CHECKPOINT,
                                "the hint naming the"
                                        + " newest checkpoint was "
                                        + (scan.hintProblem != null
                                                ? scan.hintProblem
                                                : "out of date")
                                        + "; rewritten to name checkpoint "
                                        + newest,
                                true));
            } else if (newest == null && scan.hintPresent && scan.hintProblem != null) {
                out.add(
                        new Finding(
                                Finding.Kind.BAD_CHECKPOINT,
                                CatalogLog.LAST_CHECKPOINT,
                                "the hint is "
                                        + scan.hintProblem
                                        + ", and no checkpoint exists to name; readers ignore it",
                                false));
            }
        }
        return out;
    }

    private Finding rewriteCheckpoint(CatalogScan.Checkpoint c, CatalogState at, String stamp) {
        if (at == null) {
            return new Finding(
                    Finding.Kind.BAD_CHECKPOINT,
                    c.key,
                    "checkpoint cannot be rebuilt: the entries up" + " to it do not replay",
                    false);
        }
        String aside = moveAside(c.key, stamp);
        store.put(c.key, CatalogCodec.encodeSealed(at.toCheckpoint()), WriteMode.OVERWRITE);
        return new Finding(
                Finding.Kind.BAD_CHECKPOINT,
                c.key,
                (c.state == null
                                ? "checkpoint could not be read (" + c.problem + ")"
                                : "checkpoint disagreed with the entries ("
                                        + scan.disagreeing.get(c.version)
                                        + ")")
                        + "; rewritten from the entries"
                        + (aside != null ? ", the old one kept as " + aside : ""),
                true);
    }

    private List<Finding> write(Planned p, String stamp) {
        List<Finding> out = new ArrayList<>();
        String key = scan.log.keyOf(p.version());
        CatalogScan.Entry e = scan.entries.get(p.version());
        String aside = e != null ? moveAside(key, stamp) : null;
        if (!scan.log.tryWrite(p.version(), p.bytes())) {
            out.add(
                    new Finding(
                            Finding.Kind.UNRECOVERABLE,
                            key,
                            "another writer created entry "
                                    + p.version()
                                    + " while the repair ran; nothing was written there. Run 'lake doctor' again",
                            false));
            return out;
        }
        Finding.Kind kind = e == null ? Finding.Kind.LOG_GAP : Finding.Kind.CORRUPT_LOG_ENTRY;
        out.add(
                new Finding(
                        kind,
                        key,
                        p.reason()
                                + "; replaced by a recovery entry (commitInfo operation RECOVER)"
                                + " recording "
                                + p.objects()
                                + (p.objects() == 1 ? " object" : " objects")
                                + (aside != null
                                        ? "; the damaged bytes were moved to " + aside
                                        : ""),
                        true));
        if (!p.lost().isEmpty()) {
            out.add(
                    new Finding(
                            Finding.Kind.UNRECOVERABLE,
                            key,
                            "not recoverable from what the lake holds: "
                                    + String.join("; ", p.lost()),
                            false));
        }
        return out;
    }

    /**
     * Copies a damaged file to {@code _tarn/catalog/damaged/} and only then removes it; returns the
     * copy's key.
     */
    private String moveAside(String key, String stamp) {
        byte[] bytes;
        try {
            bytes = store.getBytes(key);
        } catch (ObjectNotFoundException gone) {
            return null;
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        String aside = DAMAGED_DIR + stamp + "-" + name;
        for (int i = 2; ; i++) {
            try {
                store.put(aside, bytes, WriteMode.CREATE);
                break;
            } catch (ObjectExistsException taken) {
                aside = DAMAGED_DIR + stamp + "-" + i + "-" + name;
            }
        }
        store.delete(key);
        return aside;
    }

    // ---- planning one recovery entry

    /** What the state after the recovery entry will hold, and what the entry adds to get there. */
    private final class Plan {
        final long version;
        final CatalogState before;
        final Instant ts;
        CatalogAction.LakeInfo lake;
        final List<CatalogAction> zones = new ArrayList<>();
        final List<CatalogAction> datasets = new ArrayList<>();
        final List<CatalogAction> removes = new ArrayList<>();
        final Map<String, CatalogAction.AddObject> adds = new LinkedHashMap<>();
        final Set<String> zoneNames;
        final Map<DatasetId, String> kinds = new HashMap<>();
        final Set<String> keys;
        final Set<String> shas = new HashSet<>();
        final List<String> lost = new ArrayList<>();

        Plan(long version, CatalogState before, Instant ts) {
            this.version = version;
            this.before = before;
            this.ts = ts;
            this.zoneNames = new HashSet<>(before.zones().keySet());
            for (DatasetEntry d : before.datasets().values()) {
                kinds.put(d.id(), d.info().kind());
            }
            this.keys = new HashSet<>(CatalogScan.objectsByKey(before).keySet());
        }

        void zone(String name, Zone from) {
            if (zoneNames.add(name)) {
                if (from != null) {
                    zones.add(
                            new CatalogAction.ZoneInfo(
                                    name, from.description(), from.createdAt().toString()));
                } else {
                    zones.add(new CatalogAction.ZoneInfo(name, null, ts.toString()));
                    lost.add(
                            "zone '"
                                    + name
                                    + "' is used by later entries; its description and creation time");
                }
            }
        }

        void dataset(DatasetId id, CatalogAction.DatasetInfo from) {
            if (kinds.containsKey(id)) {
                return;
            }
            zone(id.zone(), findZone(id.zone()));
            CatalogAction.DatasetInfo info = from;
            if (info == null) {
                info = findDataset(id);
            }
            if (info == null) {
                String kind = isTableFolder(id) ? DatasetKind.TABLE.id() : DatasetKind.OBJECTS.id();
                info =
                        new CatalogAction.DatasetInfo(
                                id.zone(),
                                id.name(),
                                kind,
                                ts.toString(),
                                null,
                                null,
                                Map.of(),
                                null,
                                null);
                lost.add(
                        "dataset "
                                + id
                                + ": its properties (owner, description, tags) and creation time");
            }
            datasets.add(propertiesOnly(info));
            kinds.put(id, info.kind());
        }

        void add(CatalogAction.AddObject o) {
            String key = o.zone() + "/" + o.dataset() + "/" + o.path();
            if (keys.contains(key)) {
                return;
            }
            dataset(DatasetId.of(o.zone(), o.dataset()), null);
            adds.put(
                    key,
                    new CatalogAction.AddObject(
                            o.zone(),
                            o.dataset(),
                            o.path(),
                            o.size(),
                            o.sha256(),
                            o.contentType(),
                            o.format(),
                            o.originalName(),
                            o.ingestedAt(),
                            o.source(),
                            o.partition(),
                            o.metadata(),
                            null));
            keys.add(key);
            shas.add(o.zone() + "/" + o.dataset() + "/" + o.sha256());
        }

        void remove(String zone, String dataset, String path) {
            String key = zone + "/" + dataset + "/" + path;
            if (adds.remove(key) == null) {
                removes.add(new CatalogAction.RemoveObject(zone, dataset, path, ts.toString()));
            }
            keys.remove(key);
        }

        List<CatalogAction> actions() {
            List<CatalogAction> out = new ArrayList<>();
            if (lake != null) {
                out.add(lake);
            }
            out.addAll(zones);
            out.addAll(datasets);
            out.addAll(removes);
            out.addAll(adds.values());
            return out;
        }
    }

    private Planned plan(long v, CatalogState s, CatalogScan.Entry e, TreeSet<Long> damaged) {
        List<CatalogAction> salvaged =
                e == null ? List.of() : e.readable() ? e.actions : e.salvaged;
        CatalogAction.CommitInfo original =
                salvaged.isEmpty()
                        ? null
                        : salvaged.get(0) instanceof CatalogAction.CommitInfo ci ? ci : null;
        Long nextDamaged = damaged.higher(v);
        long laterEnd = nextDamaged == null ? scan.top : nextDamaged - 1;
        Instant nextTs = null;
        for (long w = v + 1; w <= laterEnd && nextTs == null; w++) {
            nextTs = scan.entries.get(w).timestamp();
        }
        Instant ts = timestamp(s, original, nextTs);
        Plan p = new Plan(v, s, ts);
        CatalogScan.Checkpoint cp = scan.oldestReadableCheckpoint(v);
        String reason =
                e == null
                        ? "catalog entry was missing"
                        : e.readable()
                                ? "catalog entry did not apply to the state before it ("
                                        + scan.applyProblems.getOrDefault(v, "invariant broken")
                                        + ")"
                                : "catalog entry could not be read (" + e.problem + ")";

        if (s.lake() == null) {
            CatalogAction.LakeInfo lake = cp != null ? cp.state.lake() : null;
            for (CatalogAction a : salvaged) {
                if (lake == null && a instanceof CatalogAction.LakeInfo l) {
                    lake = l;
                }
            }
            if (lake == null) {
                lake =
                        new CatalogAction.LakeInfo(
                                UUID.randomUUID().toString(),
                                CatalogState.FORMAT_VERSION,
                                ts.toString());
                p.lost.add("the lake's id and creation time (a new id was given)");
            }
            p.lake = lake;
        }
        // 1. The lines of the damaged entry that still parse.
        for (CatalogAction a : salvaged) {
            if (a instanceof CatalogAction.ZoneInfo z
                    && z.name() != null
                    && z.createdAt() != null) {
                p.zone(z.name(), new Zone(z.name(), z.description(), Instant.parse(z.createdAt())));
            } else if (a instanceof CatalogAction.DatasetInfo d
                    && d.zone() != null
                    && d.name() != null
                    && d.kind() != null
                    && d.createdAt() != null) {
                DatasetId id = DatasetId.of(d.zone(), d.name());
                if (p.kinds.containsKey(id)) {
                    p.datasets.add(d); // a property change: the whole set, as written
                } else {
                    p.dataset(id, d);
                }
            } else if (a instanceof CatalogAction.AddObject o && validAdd(o)) {
                p.add(o);
            } else if (a instanceof CatalogAction.RemoveObject r
                    && r.zone() != null
                    && r.dataset() != null
                    && r.path() != null
                    && p.keys.contains(r.zone() + "/" + r.dataset() + "/" + r.path())) {
                p.remove(r.zone(), r.dataset(), r.path());
            }
        }
        // 2. A checkpoint at or after this version: what version v added, and what it removed or
        // created.
        if (cp != null) {
            fromCheckpoint(p, cp, v);
        }
        // 3. What the later entries (up to the next damaged one) rely on.
        laterNeeds(p, v, laterEnd);
        p.lost.addAll(lostPlaceholders);
        lostPlaceholders.clear();
        // 4. Objects no line references, for the newest damage only, and only where no checkpoint
        // after it says
        //    what the lake held: with one, such objects are leftovers of writers that died, not
        // lost commits.
        int fromStore = 0;
        if (nextDamaged == null && cp == null) {
            fromStore = unreferenced(p);
        }
        if (original == null) {
            p.lost.add("who committed entry " + v + ", when, and with which operation");
        }
        if (cp == null) {
            if (fromStore > 0) {
                p.lost.add(
                        fromStore
                                + (fromStore == 1 ? " object was" : " objects were")
                                + " recovered from"
                                + " their bytes alone: their original names, sources, metadata and ingest times are lost"
                                + " (the object's file name, source '"
                                + RECOVERED_SOURCE
                                + "' and its file time stand in)");
            }
            p.lost.add(
                    "any dataset property changes and object removals entry "
                            + v
                            + " made (objects it removed"
                            + " whose bytes are gone show as MISSING_OBJECT)");
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("version", Long.toString(v));
        params.put("reason", e == null ? "missing" : "damaged");
        if (original != null) {
            params.put("originalOperation", String.valueOf(original.operation()));
            params.put("originalPrincipal", String.valueOf(original.principal()));
        }
        params.put("objects", Integer.toString(p.adds.size()));
        List<CatalogAction> body = p.actions();
        List<CatalogAction> all = new ArrayList<>(body.size() + 1);
        all.add(
                new CatalogAction.CommitInfo(
                        ts.toString(),
                        RECOVER,
                        principal,
                        Tarn.ENGINE,
                        UUID.randomUUID().toString(),
                        params,
                        null,
                        null));
        all.addAll(body);
        return new Planned(v, CatalogCodec.encodeSealed(all), p.adds.size(), p.lost, reason);
    }

    private static boolean validAdd(CatalogAction.AddObject o) {
        try {
            if (o.zone() == null
                    || o.dataset() == null
                    || o.path() == null
                    || o.sha256() == null
                    || o.ingestedAt() == null
                    || o.format() == null) {
                return false;
            }
            Instant.parse(o.ingestedAt());
            dev.tarn.lake.catalog.Format.fromId(o.format());
            return o.size() >= 0;
        } catch (RuntimeException bad) {
            return false;
        }
    }

    /**
     * Between the state before and the next readable entry's time: commit times never go backwards.
     */
    private Instant timestamp(CatalogState s, CatalogAction.CommitInfo original, Instant nextTs) {
        Instant prev = s.timestamp();
        if (original != null && original.timestamp() != null) {
            try {
                Instant t = Instant.parse(original.timestamp());
                if (!t.isBefore(prev) && (nextTs == null || !t.isAfter(nextTs))) {
                    return t;
                }
            } catch (RuntimeException bad) {
                // garbled: choose one
            }
        }
        Instant t = s.version() < 0 ? (nextTs != null ? nextTs : now) : prev.plusMillis(1);
        return nextTs != null && t.isAfter(nextTs) ? prev : t;
    }

    private void fromCheckpoint(Plan p, CatalogScan.Checkpoint cp, long v) {
        // What the readable entries between v and the checkpoint did themselves.
        Set<String> laterZones = new HashSet<>();
        Set<DatasetId> laterInfo = new HashSet<>();
        Set<String> laterRemoved = new HashSet<>();
        Set<String> laterAdded = new HashSet<>();
        boolean complete = true;
        for (long w = v + 1; w <= cp.version; w++) {
            CatalogScan.Entry e = scan.entries.get(w);
            if (e == null || !e.readable()) {
                complete = false;
                continue;
            }
            for (CatalogAction a : e.actions) {
                if (a instanceof CatalogAction.ZoneInfo z) {
                    laterZones.add(z.name());
                } else if (a instanceof CatalogAction.DatasetInfo d) {
                    laterInfo.add(DatasetId.of(d.zone(), d.name()));
                } else if (a instanceof CatalogAction.RemoveObject r) {
                    laterRemoved.add(r.zone() + "/" + r.dataset() + "/" + r.path());
                } else if (a instanceof CatalogAction.AddObject o) {
                    laterAdded.add(o.zone() + "/" + o.dataset() + "/" + o.path());
                }
            }
        }
        CatalogState c = cp.state;
        for (Zone z : c.zones().values()) {
            if (!laterZones.contains(z.name())) {
                p.zone(z.name(), z);
            }
        }
        for (DatasetEntry d : c.datasets().values()) {
            CatalogAction.DatasetInfo info = d.info();
            if (!p.kinds.containsKey(d.id())) {
                if (!laterInfo.contains(d.id())) {
                    p.dataset(d.id(), info);
                }
            } else if (!laterInfo.contains(d.id())
                    && p.before
                            .dataset(d.id())
                            .map(b -> !sameProperties(b.info(), info))
                            .orElse(false)) {
                p.datasets.add(propertiesOnly(info));
            }
            for (LakeObject o : d.objects().values()) {
                if (o.version() == v) {
                    p.add(CatalogState.toAction(o, null));
                }
            }
        }
        if (complete) {
            Map<String, LakeObject> inCheckpoint = CatalogScan.objectsByKey(c);
            for (Map.Entry<String, LakeObject> o : CatalogScan.objectsByKey(p.before).entrySet()) {
                LakeObject there = inCheckpoint.get(o.getKey());
                boolean gone = there == null || there.version() != o.getValue().version();
                if (gone
                        && !laterRemoved.contains(o.getKey())
                        && !laterAdded.contains(o.getKey())) {
                    LakeObject x = o.getValue();
                    p.remove(x.dataset().zone(), x.dataset().name(), x.path());
                }
            }
        } else {
            p.lost.add(
                    "object removals of entry "
                            + v
                            + " (entries between it and checkpoint "
                            + cp.version
                            + " are damaged too)");
        }
    }

    /**
     * {@code info} as a log entry carries it: without lastModified and lastVersion, which only
     * checkpoints hold.
     */
    private static CatalogAction.DatasetInfo propertiesOnly(CatalogAction.DatasetInfo info) {
        return new CatalogAction.DatasetInfo(
                info.zone(),
                info.name(),
                info.kind(),
                info.createdAt(),
                info.owner(),
                info.description(),
                info.tags(),
                null,
                null);
    }

    private static boolean sameProperties(
            CatalogAction.DatasetInfo a, CatalogAction.DatasetInfo b) {
        return Objects.equals(a.kind(), b.kind())
                && Objects.equals(a.owner(), b.owner())
                && Objects.equals(a.description(), b.description())
                && Objects.equals(
                        a.tags() == null ? Map.of() : a.tags(),
                        b.tags() == null ? Map.of() : b.tags());
    }

    private void laterNeeds(Plan p, long v, long laterEnd) {
        Set<String> zones = new HashSet<>(p.zoneNames);
        Set<DatasetId> datasets = new HashSet<>(p.kinds.keySet());
        Set<String> keys = new HashSet<>(p.keys);
        for (long w = v + 1; w <= laterEnd; w++) {
            CatalogScan.Entry e = scan.entries.get(w);
            for (CatalogAction a : e.actions) {
                if (a instanceof CatalogAction.ZoneInfo z) {
                    zones.add(z.name());
                } else if (a instanceof CatalogAction.DatasetInfo d) {
                    if (!zones.contains(d.zone())) {
                        p.zone(d.zone(), findZone(d.zone()));
                        zones.add(d.zone());
                    }
                    datasets.add(DatasetId.of(d.zone(), d.name()));
                } else if (a instanceof CatalogAction.AddObject o) {
                    DatasetId id = DatasetId.of(o.zone(), o.dataset());
                    if (!datasets.contains(id)) {
                        p.dataset(id, null);
                        datasets.add(id);
                        zones.add(id.zone());
                    }
                    String key = o.zone() + "/" + o.dataset() + "/" + o.path();
                    if (keys.contains(key)) {
                        // Valid when written, so the lost entry had removed it (or never added it).
                        p.remove(o.zone(), o.dataset(), o.path());
                    }
                    keys.add(key);
                } else if (a instanceof CatalogAction.RemoveObject r) {
                    DatasetId id = DatasetId.of(r.zone(), r.dataset());
                    if (!datasets.contains(id)) {
                        p.dataset(id, null);
                        datasets.add(id);
                        zones.add(id.zone());
                    }
                    String key = r.zone() + "/" + r.dataset() + "/" + r.path();
                    if (!keys.contains(key)) {
                        p.add(removedLater(id, r.path(), w));
                    }
                    keys.remove(key);
                }
            }
        }
    }

    /**
     * The record of an object that a later entry removes: from a checkpoint, the bytes, or a
     * placeholder.
     */
    private CatalogAction.AddObject removedLater(DatasetId id, String path, long removedBy) {
        String key = id.keyPrefix() + path;
        for (CatalogScan.Checkpoint c : scan.checkpoints.values()) {
            if (c.state != null) {
                LakeObject o = CatalogScan.objectsByKey(c.state).get(key);
                if (o != null) {
                    return CatalogState.toAction(o, null);
                }
            }
        }
        ObjectStat st = listed.get(key);
        if (st != null) {
            return recovered(id, path, st);
        }
        lostPlaceholders.add(
                "object "
                        + key
                        + " was added by the lost entry and removed by entry "
                        + removedBy
                        + ": only its removal is known (a placeholder record stands in for it)");
        return new CatalogAction.AddObject(
                id.zone(),
                id.name(),
                path,
                0,
                HexFormat.of().formatHex(sha256Of(new byte[0])),
                "application/octet-stream",
                "binary",
                path.substring(path.lastIndexOf('/') + 1),
                Instant.EPOCH.toString(),
                RECOVERED_SOURCE,
                Map.of(),
                Map.of("tarn.recovered", "placeholder"),
                null);
    }

    private final List<String> lostPlaceholders = new ArrayList<>();

    private int unreferenced(Plan p) {
        int n = 0;
        for (ObjectStat st : listing) {
            String key = st.key();
            if (key.startsWith(Names.RESERVED_PREFIX + "/")
                    || scan.referenced.contains(key)
                    || p.keys.contains(key)) {
                continue;
            }
            String[] parts = key.split("/", 3);
            if (parts.length < 3 || !p.zoneNames.contains(parts[0]) || !Names.isValid(parts[1])) {
                continue;
            }
            DatasetId id = DatasetId.of(parts[0], parts[1]);
            String kind = p.kinds.get(id);
            if (DatasetKind.TABLE.id().equals(kind) || isTableFolder(id)) {
                if (kind == null) {
                    p.dataset(
                            id,
                            null); // a table whose dataset record was lost; its files are its own
                    // log's
                }
                continue;
            }
            if (parts[2].startsWith("_") || parts[2].contains("/_")) {
                continue; // ingest never writes such paths (it drops leading '_'): some other
                // layer's file
            }
            CatalogAction.AddObject o = recovered(id, parts[2], st);
            String shaKey = id + "/" + o.sha256();
            DatasetEntry existing = p.before.dataset(id).orElse(null);
            if (p.shas.contains(shaKey)
                    || existing != null && existing.pathOfSha(o.sha256()).isPresent()) {
                continue; // same bytes as an object the dataset holds: a leftover, which ingest
                // would not commit
            }
            p.add(o);
            n++;
        }
        return n;
    }

    /** Whether a dataset's folder holds a Delta log, i.e. it is a table. */
    private boolean isTableFolder(DatasetId id) {
        return tableFolders.contains(id.keyPrefix());
    }

    private Zone findZone(String name) {
        for (CatalogScan.Checkpoint c : scan.checkpoints.values()) {
            if (c.state != null && c.state.zones().containsKey(name)) {
                return c.state.zones().get(name);
            }
        }
        return null;
    }

    private CatalogAction.DatasetInfo findDataset(DatasetId id) {
        for (CatalogScan.Checkpoint c : scan.checkpoints.values()) {
            if (c.state != null && c.state.dataset(id).isPresent()) {
                return c.state.dataset(id).get().info();
            }
        }
        return null;
    }

    /**
     * An object's record rebuilt from its bytes: size and SHA-256 recomputed, format sniffed,
     * partition parsed.
     */
    private CatalogAction.AddObject recovered(DatasetId id, String path, ObjectStat st) {
        MessageDigest md = sha256();
        byte[] head = new byte[FormatSniffer.HEAD];
        int headLen = 0;
        long size = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = store.get(st.key())) {
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
                if (headLen < head.length) {
                    int c = Math.min(r, head.length - headLen);
                    System.arraycopy(buf, 0, head, headLen, c);
                    headLen += c;
                }
                size += r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + st.key(), e);
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        FormatSniffer.Detected d = FormatSniffer.detect(name, head, headLen);
        Map<String, String> partition = new LinkedHashMap<>();
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            int eq = segments[i].indexOf('=');
            if (eq <= 0) {
                break;
            }
            partition.put(segments[i].substring(0, eq), segments[i].substring(eq + 1));
        }
        return new CatalogAction.AddObject(
                id.zone(),
                id.name(),
                path,
                size,
                HexFormat.of().formatHex(md.digest()),
                d.contentType(),
                d.format().id(),
                name,
                st.lastModified().toString(),
                RECOVERED_SOURCE,
                partition,
                Map.of(),
                null);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256Of(byte[] bytes) {
        return sha256().digest(bytes);
    }
}
