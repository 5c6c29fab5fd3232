package dev.tarn.lake.internal.catalog;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.Format;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Zone;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.exceptions.UnsupportedLayoutException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The catalog as of one version: what replaying the log up to that version yields. Immutable;
 * {@link #apply} builds the next state, copying only the datasets an entry touches.
 */
public final class CatalogState {
    /** The layout version this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    private final long version;
    private final Instant timestamp;
    private final CatalogAction.LakeInfo lake;
    private final Map<String, Zone> zones;
    private final Map<DatasetId, DatasetEntry> datasets;

    /**
     * Datasets dropped and not created again, with the entry that dropped them (their bytes may
     * remain).
     */
    private final Map<DatasetId, CatalogAction.DropDataset> dropped;

    private CatalogState(
            long version,
            Instant timestamp,
            CatalogAction.LakeInfo lake,
            Map<String, Zone> zones,
            Map<DatasetId, DatasetEntry> datasets,
            Map<DatasetId, CatalogAction.DropDataset> dropped) {
        this.version = version;
        this.timestamp = timestamp;
        this.lake = lake;
        this.zones = zones;
        this.datasets = datasets;
        this.dropped = dropped;
    }

    /** The state before entry 0: no lake yet. */
    public static CatalogState empty() {
        return new CatalogState(
                -1, Instant.EPOCH, null, new LinkedHashMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    public long version() {
        return version;
    }

    public Instant timestamp() {
        return timestamp;
    }

    public CatalogAction.LakeInfo lake() {
        return lake;
    }

    public Map<String, Zone> zones() {
        return Collections.unmodifiableMap(zones);
    }

    public Map<DatasetId, DatasetEntry> datasets() {
        return Collections.unmodifiableMap(datasets);
    }

    public Optional<DatasetEntry> dataset(DatasetId id) {
        return Optional.ofNullable(datasets.get(id));
    }

    /**
     * Datasets dropped and not created again; {@code version} of each is the entry that dropped it.
     */
    public Map<DatasetId, CatalogAction.DropDataset> dropped() {
        return Collections.unmodifiableMap(dropped);
    }

    /**
     * The state after one more entry. Throws {@link TarnException} if the actions break an
     * invariant (an object in a dataset that does not exist, a path added twice...): a writer
     * learns so before committing, a reader of a damaged log learns where.
     */
    public CatalogState apply(long newVersion, Instant newTimestamp, List<CatalogAction> actions) {
        if (newVersion != version + 1) {
            throw new IllegalArgumentException(
                    "entry " + newVersion + " cannot follow version " + version);
        }
        Builder b = new Builder(this, newVersion, newTimestamp);
        for (CatalogAction a : actions) {
            b.apply(a);
        }
        if (b.lake == null) {
            throw new TarnException(
                    ErrorCode.CATALOG_DAMAGED,
                    "catalog entry " + newVersion + " comes before the lake was created");
        }
        return new CatalogState(newVersion, newTimestamp, b.lake, b.zones, b.datasets, b.dropped);
    }

    /** Restores the state a checkpoint holds. */
    public static CatalogState fromCheckpoint(List<CatalogAction> actions, String where) {
        if (actions.isEmpty() || !(actions.get(0) instanceof CatalogAction.Checkpoint cp)) {
            throw new TarnException(
                    ErrorCode.CATALOG_DAMAGED, where + " does not start with a checkpoint line");
        }
        Instant ts = Instant.parse(cp.timestamp());
        Builder b = new Builder(empty(), cp.version(), ts);
        for (CatalogAction a : actions.subList(1, actions.size())) {
            b.apply(a);
        }
        if (b.lake == null) {
            throw new TarnException(ErrorCode.CATALOG_DAMAGED, where + " holds no lake line");
        }
        return new CatalogState(cp.version(), ts, b.lake, b.zones, b.datasets, b.dropped);
    }

    /** The actions that rebuild this state: the body of a checkpoint. */
    public List<CatalogAction> toCheckpoint() {
        List<CatalogAction> out = new ArrayList<>();
        // the line count and hash are added when the checkpoint is encoded
        // (CatalogCodec.encodeSealed)
        out.add(new CatalogAction.Checkpoint(version, timestamp.toString(), null, null));
        out.add(lake);
        for (Zone z : zones.values()) {
            out.add(
                    new CatalogAction.ZoneInfo(
                            z.name(), z.description(), z.createdAt().toString()));
        }
        for (DatasetEntry d : datasets.values()) {
            CatalogAction.DatasetInfo i = d.info;
            out.add(
                    new CatalogAction.DatasetInfo(
                            i.zone(),
                            i.name(),
                            i.kind(),
                            i.createdAt(),
                            i.owner(),
                            i.description(),
                            i.tags(),
                            d.lastModified.toString(),
                            d.lastVersion));
        }
        for (DatasetEntry d : datasets.values()) {
            for (LakeObject o : d.objects.values()) {
                out.add(toAction(o, o.version()));
            }
        }
        out.addAll(dropped.values());
        return out;
    }

    public static CatalogAction.AddObject toAction(LakeObject o, Long version) {
        return new CatalogAction.AddObject(
                o.dataset().zone(),
                o.dataset().name(),
                o.path(),
                o.size(),
                o.sha256(),
                o.contentType(),
                o.format().id(),
                o.originalName(),
                o.ingestedAt().toString(),
                o.source(),
                o.partition(),
                o.metadata(),
                version);
    }

    private static final class Builder {
        private final long version;
        private final Instant timestamp;
        private CatalogAction.LakeInfo lake;
        private final Map<String, Zone> zones;
        private final Map<DatasetId, DatasetEntry> datasets;
        private final Map<DatasetId, CatalogAction.DropDataset> dropped;
        private final Map<DatasetId, DatasetEntry> copied = new HashMap<>();

        Builder(CatalogState base, long version, Instant timestamp) {
            this.version = version;
            this.timestamp = timestamp;
            this.lake = base.lake;
            this.zones = new LinkedHashMap<>(base.zones);
            this.datasets = new TreeMap<>(base.datasets);
            this.dropped = new TreeMap<>(base.dropped);
        }

        private DatasetEntry writable(DatasetId id, String what) {
            DatasetEntry e = copied.get(id);
            if (e != null) {
                return e;
            }
            DatasetEntry base = datasets.get(id);
            if (base == null) {
                throw new TarnException(
                        ErrorCode.CATALOG_DAMAGED,
                        "catalog entry "
                                + version
                                + ": "
                                + what
                                + " in dataset "
                                + id
                                + ", which does not exist");
            }
            e = new DatasetEntry(base);
            datasets.put(id, e);
            copied.put(id, e);
            return e;
        }

        void apply(CatalogAction a) {
            if (a instanceof CatalogAction.LakeInfo l) {
                lake(l);
            } else if (a instanceof CatalogAction.ZoneInfo z) {
                zones.put(
                        z.name(),
                        new Zone(z.name(), z.description(), Instant.parse(z.createdAt())));
            } else if (a instanceof CatalogAction.DatasetInfo d) {
                dataset(d);
            } else if (a instanceof CatalogAction.AddObject o) {
                add(o);
            } else if (a instanceof CatalogAction.RemoveObject r) {
                remove(r);
            } else if (a instanceof CatalogAction.DropDataset d) {
                drop(d);
            }
            // commitInfo, checkpoint and purged lines describe the entry; they change no state
        }

        private void lake(CatalogAction.LakeInfo l) {
            if (l.formatVersion() > FORMAT_VERSION) {
                throw new UnsupportedLayoutException(
                        "this lake uses layout version "
                                + l.formatVersion()
                                + "; this Tarn reads up to "
                                + FORMAT_VERSION
                                + ": upgrade Tarn to open it");
            }
            lake = l;
        }

        private void dataset(CatalogAction.DatasetInfo d) {
            DatasetId id = DatasetId.of(d.zone(), d.name());
            if (!zones.containsKey(d.zone())) {
                throw new TarnException(
                        ErrorCode.CATALOG_DAMAGED,
                        "catalog entry "
                                + version
                                + ": dataset "
                                + id
                                + " is in zone '"
                                + d.zone()
                                + "', which does not exist");
            }
            CatalogAction.DatasetInfo clean =
                    new CatalogAction.DatasetInfo(
                            d.zone(),
                            d.name(),
                            d.kind(),
                            d.createdAt(),
                            d.owner(),
                            d.description(),
                            d.tags(),
                            null,
                            null);
            // In a log entry the change happens now; a checkpoint carries when it happened.
            Instant modified =
                    d.lastModified() != null ? Instant.parse(d.lastModified()) : timestamp;
            long v = d.lastVersion() != null ? d.lastVersion() : version;
            DatasetEntry e;
            if (datasets.containsKey(id)) {
                e = writable(id, "properties");
                e.info = clean;
            } else {
                e = new DatasetEntry(id, clean, modified, v);
                datasets.put(id, e);
                copied.put(id, e);
                dropped.remove(id); // created again under a dropped dataset's name
            }
            e.lastModified = modified;
            e.lastVersion = v;
        }

        private void add(CatalogAction.AddObject o) {
            DatasetId id = DatasetId.of(o.zone(), o.dataset());
            DatasetEntry e = writable(id, "object " + o.path());
            if (e.objects.containsKey(o.path())) {
                throw new TarnException(
                        ErrorCode.CATALOG_DAMAGED,
                        "catalog entry "
                                + version
                                + ": object "
                                + id
                                + "/"
                                + o.path()
                                + " added twice");
            }
            try {
                dev.tarn.lake.spi.Keys.check(id.keyPrefix() + o.path());
            } catch (IllegalArgumentException bad) {
                throw new TarnException(
                        ErrorCode.CATALOG_DAMAGED,
                        "catalog entry "
                                + version
                                + ": object "
                                + id
                                + "/"
                                + o.path()
                                + " has an invalid key: "
                                + bad.getMessage());
            }
            long v = o.version() != null ? o.version() : version;
            e.add(
                    new LakeObject(
                            id,
                            o.path(),
                            o.size(),
                            o.sha256(),
                            o.contentType(),
                            Format.fromId(o.format()),
                            o.originalName(),
                            Instant.parse(o.ingestedAt()),
                            o.source(),
                            o.partition() == null ? Map.of() : o.partition(),
                            o.metadata() == null ? Map.of() : o.metadata(),
                            v));
            if (o.version() == null) {
                e.lastModified = timestamp;
                e.lastVersion = version;
            }
        }

        /**
         * In a log entry the dataset goes (it must exist); in a checkpoint ({@code version} set)
         * the line only restores the record of an earlier drop.
         */
        private void drop(CatalogAction.DropDataset d) {
            DatasetId id = DatasetId.of(d.zone(), d.name());
            if (d.version() != null) {
                dropped.put(id, d);
                return;
            }
            DatasetEntry e = datasets.remove(id);
            if (e == null) {
                throw new TarnException(
                        ErrorCode.CATALOG_DAMAGED,
                        "catalog entry "
                                + version
                                + ": drops dataset "
                                + id
                                + ", which does not exist");
            }
            copied.remove(id);
            dropped.put(
                    id,
                    new CatalogAction.DropDataset(
                            d.zone(),
                            d.name(),
                            e.info.kind(),
                            d.droppedAt() != null ? d.droppedAt() : timestamp.toString(),
                            version));
        }

        private void remove(CatalogAction.RemoveObject r) {
            DatasetId id = DatasetId.of(r.zone(), r.dataset());
            DatasetEntry e = writable(id, "removal of " + r.path());
            LakeObject o = e.objects.get(r.path());
            if (o == null) {
                throw new TarnException(
                        ErrorCode.CATALOG_DAMAGED,
                        "catalog entry "
                                + version
                                + ": removes "
                                + id
                                + "/"
                                + r.path()
                                + ", which is not in the dataset");
            }
            e.remove(o);
            e.lastModified = timestamp;
            e.lastVersion = version;
        }
    }
}
