package dev.tarn.lake.internal.catalog;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.catalog.DatasetModule;
import dev.tarn.lake.catalog.Purge;
import dev.tarn.lake.catalog.PurgeResult;
import dev.tarn.lake.internal.LakeContext;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Deletes bytes that no version within the retention needs. The catalog log is read from entry 0: a
 * key is unneeded when the newest version does not list it and the last entry that took it out of
 * the catalog (a {@code remove}, or the {@code drop} of its dataset) is older than the retention,
 * for then every version still current within the retention lacks it. A dropped table's files
 * (which its own log names, not the catalog) go together once its drop is older than the retention
 * and no dataset of that name exists again. Live tables' unneeded files come from their module
 * ({@link DatasetModule}). The keys are recorded in a catalog commit first, and only then deleted.
 */
public final class PurgeOperation implements Purge {
    private final LakeContext lake;
    private Duration retention = Duration.ofDays(7);
    private String reason;

    public PurgeOperation(LakeContext lake) {
        this.lake = lake;
    }

    @Override
    public Purge olderThan(Duration retention) {
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative");
        }
        this.retention = retention;
        return this;
    }

    @Override
    public Purge reason(String reason) {
        this.reason = Reasons.check(reason);
        return this;
    }

    /** Why a key left the catalog, and when (the last time, if it left more than once). */
    private record Left(Instant at, long version, String dataset, String why) {}

    /** What would be deleted, as a dry run: nothing is deleted, nothing committed. */
    @Override
    public PurgeResult apply() {
        return run(true);
    }

    @Override
    public PurgeResult commit() {
        return run(false);
    }

    private PurgeResult run(boolean dryRun) {
        // Deleting bytes for good is a repair-like act over the whole lake: the strongest right, as
        // doctor --repair.
        lake.authorize(Privilege.ADMIN, "lake");
        Instant now = lake.clock().instant();
        Instant cutoff = now.minus(retention);
        CatalogLog log = lake.catalogLog();
        CatalogState newest = log.refresh();
        Map<String, Left> left = new HashMap<>();
        Map<DatasetId, Left> droppedTables = new HashMap<>();
        // Only what a purge needs of each version: the paths and kind of each dataset. Replaying
        // whole states would
        // copy a dataset's object map at every entry that touches it, quadratic in a long-lived
        // dataset's size.
        Map<DatasetId, java.util.Set<String>> paths = new HashMap<>();
        Map<DatasetId, String> kinds = new HashMap<>();
        for (long v = 0; v <= newest.version(); v++) {
            List<CatalogAction> actions = log.actions(v);
            Instant at = Instant.parse(((CatalogAction.CommitInfo) actions.get(0)).timestamp());
            for (CatalogAction a : actions) {
                if (a instanceof CatalogAction.DatasetInfo d) {
                    DatasetId id = DatasetId.of(d.zone(), d.name());
                    kinds.put(id, d.kind());
                    paths.computeIfAbsent(id, k -> new java.util.HashSet<>());
                } else if (a instanceof CatalogAction.AddObject o) {
                    paths.computeIfAbsent(
                                    DatasetId.of(o.zone(), o.dataset()),
                                    k -> new java.util.HashSet<>())
                            .add(o.path());
                } else if (a instanceof CatalogAction.RemoveObject r) {
                    DatasetId id = DatasetId.of(r.zone(), r.dataset());
                    java.util.Set<String> in = paths.get(id);
                    if (in != null) {
                        in.remove(r.path());
                    }
                    left.put(
                            id.keyPrefix() + r.path(),
                            new Left(
                                    at,
                                    v,
                                    id.toString(),
                                    "object removed in catalog version " + v));
                } else if (a instanceof CatalogAction.DropDataset d) {
                    DatasetId id = DatasetId.of(d.zone(), d.name());
                    if (DatasetKind.TABLE.id().equals(kinds.remove(id))) {
                        droppedTables.put(
                                id,
                                new Left(
                                        at,
                                        v,
                                        id.toString(),
                                        "table dropped in catalog version " + v));
                    }
                    for (String path : paths.getOrDefault(id, java.util.Set.of())) {
                        left.put(
                                id.keyPrefix() + path,
                                new Left(
                                        at,
                                        v,
                                        id.toString(),
                                        "dataset dropped in catalog version " + v));
                    }
                    paths.remove(id);
                }
            }
        }
        CatalogState state = newest;
        ObjectStore store = lake.store();
        TreeMap<String, PurgeResult.Item> items = new TreeMap<>();
        for (Map.Entry<String, Left> e : left.entrySet()) {
            String key = e.getKey();
            Left l = e.getValue();
            if (l.at().isAfter(cutoff) || listed(state, key)) {
                continue;
            }
            store.stat(key)
                    .ifPresent(
                            st ->
                                    items.put(
                                            key,
                                            new PurgeResult.Item(
                                                    key, st.size(), l.dataset(), l.why())));
        }
        for (Map.Entry<DatasetId, Left> e : droppedTables.entrySet()) {
            Left l = e.getValue();
            if (l.at().isAfter(cutoff) || state.dataset(e.getKey()).isPresent()) {
                continue; // within the retention, or the name belongs to a dataset again: its files
                // are its own
            }
            for (ObjectStat st : store.list(e.getKey().keyPrefix())) {
                items.put(
                        st.key(), new PurgeResult.Item(st.key(), st.size(), l.dataset(), l.why()));
            }
        }
        for (DatasetModule m :
                ServiceLoader.load(DatasetModule.class, PurgeOperation.class.getClassLoader())) {
            for (PurgeResult.Item i : m.unneeded(lake.trusted(), retention)) {
                if (!listed(state, i.key())) {
                    items.putIfAbsent(i.key(), i);
                }
            }
        }
        List<PurgeResult.Item> deleted = new ArrayList<>(items.values());
        long bytes = deleted.stream().mapToLong(PurgeResult.Item::size).sum();
        if (dryRun || deleted.isEmpty()) {
            return new PurgeResult(deleted, bytes, dryRun, retention, -1);
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("olderThan", retention.toString());
        params.put("objects", Integer.toString(deleted.size()));
        params.put("bytes", Long.toString(bytes));
        if (reason != null) {
            params.put("reason", reason);
        }
        List<String> keys = deleted.stream().map(PurgeResult.Item::key).toList();
        var c =
                lake.commit(
                        "purge",
                        params,
                        base -> {
                            for (String k : keys) {
                                if (listed(base, k)) {
                                    // Never the case for bytes the lake wrote (ingest picks keys no
                                    // stored object has), but if a
                                    // commit made one live again meanwhile, nothing is deleted.
                                    throw new dev.tarn.lake.exceptions.CommitConflictException(
                                            k
                                                    + " is listed by catalog version "
                                                    + base.version()
                                                    + " again; nothing was purged, run the purge again");
                                }
                            }
                            return List.of(
                                    new CatalogAction.Purged(keys, bytes, retention.toString()));
                        });
        // Data first, a table's log last (newest entry first), so that an interrupted purge never
        // leaves a table
        // log that starts in the middle.
        List<String> order = new ArrayList<>(keys);
        order.sort(
                Comparator.comparing((String k) -> k.contains("/_delta_log/"))
                        .thenComparing(Comparator.reverseOrder()));
        for (String k : order) {
            store.delete(k);
        }
        return new PurgeResult(deleted, bytes, false, retention, c.orElseThrow().version());
    }

    private static boolean listed(CatalogState state, String key) {
        String[] parts = key.split("/", 3);
        if (parts.length < 3
                || !dev.tarn.lake.catalog.Names.isValid(parts[0])
                || !dev.tarn.lake.catalog.Names.isValid(parts[1])) {
            return false;
        }
        return state.dataset(DatasetId.of(parts[0], parts[1]))
                .map(d -> d.objects().containsKey(parts[2]))
                .orElse(false);
    }
}
