package dev.tarn.lake.internal.catalog;

import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetUpdate;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.internal.LakeContext;
import dev.tarn.lake.security.Privilege;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Changes a dataset's settable properties. Applied to the newest properties at commit time, so no
 * change is lost.
 */
public final class DatasetUpdateOperation implements DatasetUpdate {
    private final LakeContext lake;
    private final DatasetId id;
    private String owner;
    private String description;
    private final Map<String, String> tags = new LinkedHashMap<>();

    public DatasetUpdateOperation(LakeContext lake, DatasetId id) {
        this.lake = lake;
        this.id = id;
    }

    @Override
    public DatasetUpdate owner(String owner) {
        this.owner = owner;
        return this;
    }

    @Override
    public DatasetUpdate description(String description) {
        this.description = description;
        return this;
    }

    @Override
    public DatasetUpdate tag(String key, String value) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("tag key is blank");
        }
        tags.put(key, value);
        return this;
    }

    @Override
    public DatasetUpdate tags(Map<String, String> tags) {
        tags.forEach(this::tag);
        return this;
    }

    /** The dataset as the commit would leave it; nothing is committed. */
    @Override
    public Dataset apply() {
        lake.authorize(Privilege.ADMIN, id.toString());
        return CatalogPreview.of(lake, this::plan).dataset(id).orElseThrow().toDataset();
    }

    @Override
    public Dataset commit() {
        lake.authorize(Privilege.ADMIN, id.toString());
        var c = lake.commit("update-dataset", Map.of("dataset", id.toString()), this::plan);
        return c.orElseThrow().state().dataset(id).orElseThrow().toDataset();
    }

    /** Applied to the newest properties, so that no concurrent change is lost. */
    private List<CatalogAction> plan(CatalogState base) {
        LakeContext.requireZone(base, id.zone());
        DatasetEntry e =
                base.dataset(id).orElseThrow(() -> new NotFoundException("no dataset " + id));
        CatalogAction.DatasetInfo i = e.info();
        Map<String, String> newTags = new TreeMap<>(i.tags() == null ? Map.of() : i.tags());
        tags.forEach(
                (k, v) -> {
                    if (v == null) {
                        newTags.remove(k);
                    } else {
                        newTags.put(k, v);
                    }
                });
        return List.of(
                new CatalogAction.DatasetInfo(
                        i.zone(),
                        i.name(),
                        i.kind(),
                        i.createdAt(),
                        owner != null ? owner : i.owner(),
                        description != null ? description : i.description(),
                        newTags,
                        null,
                        null));
    }
}
