package dev.tarn.lake.internal.catalog;

import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.catalog.DroppedDataset;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Zone;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.internal.LakeContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link Catalog} over one {@link CatalogState}. */
public final class CatalogView implements Catalog {
    private final CatalogState state;

    public CatalogView(CatalogState state) {
        this.state = state;
    }

    public CatalogState state() {
        return state;
    }

    @Override
    public long version() {
        return state.version();
    }

    @Override
    public Instant timestamp() {
        return state.timestamp();
    }

    @Override
    public String lakeId() {
        return state.lake().id();
    }

    @Override
    public List<Zone> zones() {
        return List.copyOf(state.zones().values());
    }

    @Override
    public Optional<Zone> zone(String name) {
        return Optional.ofNullable(state.zones().get(name));
    }

    @Override
    public List<Dataset> datasets() {
        return state.datasets().values().stream().map(DatasetEntry::toDataset).toList();
    }

    @Override
    public List<Dataset> datasets(String zone) {
        LakeContext.requireZone(state, zone);
        return state.datasets().values().stream()
                .filter(d -> d.id().zone().equals(zone))
                .map(DatasetEntry::toDataset)
                .toList();
    }

    @Override
    public Optional<Dataset> dataset(DatasetId id) {
        return state.dataset(id).map(DatasetEntry::toDataset);
    }

    @Override
    public List<LakeObject> objects(DatasetId id) {
        return List.copyOf(entry(id).objects().values());
    }

    private DatasetEntry entry(DatasetId id) {
        LakeContext.requireZone(state, id.zone());
        return state.dataset(id).orElseThrow(() -> noDataset(state, id));
    }

    /** "no dataset X", saying when it was dropped if it was. */
    public static NotFoundException noDataset(CatalogState state, DatasetId id) {
        CatalogAction.DropDataset d = state.dropped().get(id);
        if (d != null) {
            return new NotFoundException(
                    "no dataset "
                            + id
                            + " in catalog version "
                            + state.version()
                            + ": it was dropped in catalog version "
                            + d.version()
                            + " (earlier versions still list it)");
        }
        return new NotFoundException(
                "no dataset "
                        + id
                        + " in this lake (datasets are created by their first"
                        + " ingest)");
    }

    @Override
    public List<DroppedDataset> dropped() {
        List<DroppedDataset> out = new ArrayList<>();
        for (CatalogAction.DropDataset d : state.dropped().values()) {
            out.add(
                    new DroppedDataset(
                            DatasetId.of(d.zone(), d.name()),
                            DatasetKind.fromId(d.kind()),
                            Instant.parse(d.droppedAt()),
                            d.version()));
        }
        return out;
    }

    @Override
    public LakeObject object(DatasetId id, String ref) {
        DatasetEntry e = entry(id);
        LakeObject exact = e.objects().get(ref);
        if (exact != null) {
            return exact;
        }
        List<LakeObject> byName = new ArrayList<>();
        for (LakeObject o : e.objects().values()) {
            String name = o.path().substring(o.path().lastIndexOf('/') + 1);
            if (name.equals(ref)) {
                byName.add(o);
            }
        }
        if (byName.size() == 1) {
            return byName.get(0);
        }
        if (byName.size() > 1) {
            throw new NotFoundException(
                    byName.size()
                            + " objects of "
                            + id
                            + " are named '"
                            + ref
                            + "'; give the full path, e.g. "
                            + byName.get(0).path());
        }
        if (ref.length() >= 8 && ref.matches("[0-9a-f]+")) {
            List<LakeObject> bySha =
                    e.objects().values().stream().filter(o -> o.sha256().startsWith(ref)).toList();
            if (bySha.size() == 1) {
                return bySha.get(0);
            }
        }
        throw new NotFoundException(
                "no object '"
                        + ref
                        + "' in "
                        + id
                        + " (give its path as 'lake ls "
                        + id
                        + "' shows it, its file name, or a sha256 prefix)");
    }
}
