package dev.tarn.lake.internal.catalog;

import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.catalog.LakeObject;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One dataset's state inside a {@link CatalogState}. Never changed once the state holding it is
 * built.
 */
public final class DatasetEntry {
    final DatasetId id;
    CatalogAction.DatasetInfo info;
    final TreeMap<String, LakeObject> objects;
    final Map<String, String> pathBySha;
    final Map<String, Integer> formatCounts;
    long bytes;
    Instant lastModified;
    long lastVersion;

    DatasetEntry(
            DatasetId id, CatalogAction.DatasetInfo info, Instant lastModified, long lastVersion) {
        this.id = id;
        this.info = info;
        this.objects = new TreeMap<>();
        this.pathBySha = new HashMap<>();
        this.formatCounts = new TreeMap<>();
        this.lastModified = lastModified;
        this.lastVersion = lastVersion;
    }

    /** A copy that may be changed while a new state is built. */
    DatasetEntry(DatasetEntry o) {
        this.id = o.id;
        this.info = o.info;
        this.objects = new TreeMap<>(o.objects);
        this.pathBySha = new HashMap<>(o.pathBySha);
        this.formatCounts = new TreeMap<>(o.formatCounts);
        this.bytes = o.bytes;
        this.lastModified = o.lastModified;
        this.lastVersion = o.lastVersion;
    }

    public DatasetId id() {
        return id;
    }

    public CatalogAction.DatasetInfo info() {
        return info;
    }

    public Map<String, LakeObject> objects() {
        return Collections.unmodifiableMap(objects);
    }

    /** The path of an object of this dataset with these bytes, if there is one. */
    public Optional<String> pathOfSha(String sha256) {
        return Optional.ofNullable(pathBySha.get(sha256));
    }

    void add(LakeObject o) {
        objects.put(o.path(), o);
        pathBySha.putIfAbsent(o.sha256(), o.path());
        formatCounts.merge(o.format().id(), 1, Integer::sum);
        bytes += o.size();
    }

    void remove(LakeObject o) {
        objects.remove(o.path());
        if (o.path().equals(pathBySha.get(o.sha256()))) {
            pathBySha.remove(o.sha256());
            // Another object may hold the same bytes (a forced re-ingest): keep it findable.
            for (LakeObject other : objects.values()) {
                if (other.sha256().equals(o.sha256())) {
                    pathBySha.put(o.sha256(), other.path());
                    break;
                }
            }
        }
        formatCounts.computeIfPresent(o.format().id(), (k, n) -> n == 1 ? null : n - 1);
        bytes -= o.size();
    }

    public Dataset toDataset() {
        String format =
                formatCounts.isEmpty()
                        ? null
                        : formatCounts.size() == 1
                                ? formatCounts.keySet().iterator().next()
                                : "mixed";
        Map<String, String> tags = info.tags() == null ? Map.of() : info.tags();
        return new Dataset(
                id,
                DatasetKind.fromId(info.kind()),
                format,
                objects.size(),
                bytes,
                Instant.parse(info.createdAt()),
                lastModified,
                lastVersion,
                info.owner(),
                info.description(),
                tags);
    }
}
