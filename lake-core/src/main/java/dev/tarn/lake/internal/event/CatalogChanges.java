package dev.tarn.lake.internal.event;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.event.ChangeEvent;
import dev.tarn.lake.event.LakeEvent;
import dev.tarn.lake.internal.catalog.CatalogAction;
import dev.tarn.lake.internal.catalog.CatalogLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalog's log read as change events: each version one event, its datasets, the keys of the
 * objects it added and removed, its time, principal and operation from the commitInfo line.
 */
final class CatalogChanges {
    /**
     * One catalog event, and the datasets its entry dropped (id to kind), which the feed needs to
     * restart a dataset's own log: a dataset dropped and created again under its name starts a new
     * log at version 0.
     */
    record Entry(ChangeEvent event, Map<DatasetId, String> dropped) {}

    private final CatalogLog log;

    CatalogChanges(CatalogLog log) {
        this.log = log;
    }

    /** The newest committed version (reading what was committed since the last look). */
    long newest() {
        return log.refresh().version();
    }

    /** Versions {@code after+1 .. min(newest, after+max)}. */
    List<Entry> after(long after, long newest, int max) {
        List<Entry> out = new ArrayList<>();
        for (long v = after + 1; v <= newest && out.size() < max; v++) {
            out.add(entry(v));
        }
        return out;
    }

    Instant timestampOf(long version) {
        return Instant.parse(log.commitInfo(version).timestamp());
    }

    /** The newest version committed before {@code time}, or -1: a binary search over the log. */
    long versionBefore(Instant time, long newest) {
        long lo = -1;
        long hi = newest;
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (timestampOf(mid).isBefore(time)) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private Entry entry(long version) {
        List<CatalogAction> actions = log.actions(version);
        CatalogAction.CommitInfo info = (CatalogAction.CommitInfo) actions.get(0);
        Set<DatasetId> datasets = new LinkedHashSet<>();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Map<DatasetId, String> dropped = new LinkedHashMap<>();
        long bytes = 0;
        for (CatalogAction a : actions) {
            if (a instanceof CatalogAction.AddObject o) {
                DatasetId id = DatasetId.of(o.zone(), o.dataset());
                datasets.add(id);
                added.add(id.keyPrefix() + o.path());
                bytes += o.size();
            } else if (a instanceof CatalogAction.RemoveObject r) {
                DatasetId id = DatasetId.of(r.zone(), r.dataset());
                datasets.add(id);
                removed.add(id.keyPrefix() + r.path());
            } else if (a instanceof CatalogAction.DatasetInfo d) {
                datasets.add(DatasetId.of(d.zone(), d.name()));
            } else if (a instanceof CatalogAction.DropDataset d) {
                DatasetId id = DatasetId.of(d.zone(), d.name());
                datasets.add(id);
                dropped.put(id, d.kind());
            }
        }
        Map<String, Long> metrics = new LinkedHashMap<>();
        if (!added.isEmpty()) {
            metrics.put("objectsAdded", (long) added.size());
            metrics.put("bytesAdded", bytes);
        }
        if (!removed.isEmpty()) {
            metrics.put("objectsRemoved", (long) removed.size());
        }
        ChangeEvent e =
                new ChangeEvent(
                        ChangeEvent.CATALOG,
                        LakeEvent.Kind.CATALOG,
                        version,
                        Instant.parse(info.timestamp()),
                        info.principal(),
                        info.operation() == null ? "" : info.operation(),
                        new ArrayList<>(datasets),
                        added,
                        removed,
                        metrics);
        return new Entry(e, dropped);
    }
}
