package dev.tarn.lake.cli;

import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Zone;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.doctor.Finding;
import dev.tarn.lake.ingest.IngestResult;
import dev.tarn.lake.ingest.IngestedObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The records the CLI prints, as ordered maps: the single source of the JSON shapes documented in docs/cli.md. CSV
 * and table output are derived from the same maps.
 */
final class Views {
    static final List<String> ZONE_KEYS = List.of("zone", "description", "datasets", "createdAt");
    static final List<String> DATASET_KEYS = List.of("dataset", "zone", "name", "kind", "format", "objects", "bytes",
            "createdAt", "lastModified", "lastVersion", "owner", "description", "tags");
    static final List<String> OBJECT_KEYS = List.of("dataset", "path", "key", "size", "sha256", "contentType",
            "format", "originalName", "ingestedAt", "source", "partition", "metadata", "version");

    private Views() {
    }

    static Map<String, Object> zone(Zone z, long datasets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zone", z.name());
        m.put("description", z.description());
        m.put("datasets", datasets);
        m.put("createdAt", z.createdAt());
        return m;
    }

    static Map<String, Object> dataset(Dataset d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", d.id().toString());
        m.put("zone", d.id().zone());
        m.put("name", d.id().name());
        m.put("kind", d.kind() == null ? null : d.kind().id());
        m.put("format", d.format());
        m.put("objects", d.objects());
        m.put("bytes", d.bytes());
        m.put("createdAt", d.createdAt());
        m.put("lastModified", d.lastModified());
        m.put("lastVersion", d.lastVersion());
        m.put("owner", d.owner());
        m.put("description", d.description());
        m.put("tags", new TreeMap<>(d.tags()));
        return m;
    }

    static Map<String, Object> object(LakeObject o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", o.dataset().toString());
        m.put("path", o.path());
        m.put("key", o.key());
        m.put("size", o.size());
        m.put("sha256", o.sha256());
        m.put("contentType", o.contentType());
        m.put("format", o.format() == null ? null : o.format().id());
        m.put("originalName", o.originalName());
        m.put("ingestedAt", o.ingestedAt());
        m.put("source", o.source());
        m.put("partition", new LinkedHashMap<>(o.partition()));
        m.put("metadata", new LinkedHashMap<>(o.metadata()));
        m.put("version", o.version());
        return m;
    }

    /** {@code describe}: the dataset record plus what its objects show. */
    static Map<String, Object> describe(Dataset d, List<LakeObject> objects) {
        Map<String, Object> m = dataset(d);
        Map<String, TreeSet<String>> partitions = new TreeMap<>();
        Map<String, Long> formats = new TreeMap<>();
        for (LakeObject o : objects) {
            o.partition().forEach((k, v) -> partitions.computeIfAbsent(k, x -> new TreeSet<>()).add(v));
            formats.merge(o.format() == null ? "unknown" : o.format().id(), 1L, Long::sum);
        }
        Map<String, Object> parts = new LinkedHashMap<>();
        partitions.forEach((k, v) -> parts.put(k, new ArrayList<>(v)));
        m.put("formats", formats);
        m.put("partitions", parts);
        return m;
    }

    static final List<String> INGEST_OBJECT_KEYS;

    static {
        List<String> k = new ArrayList<>(List.of("status"));
        k.addAll(OBJECT_KEYS);
        k.add("duplicateOf");
        INGEST_OBJECT_KEYS = List.copyOf(k);
    }

    /**
     * One ingested object: {@code status}, the object's fields and, for a duplicate, {@code duplicateOf}. For a
     * duplicate the object fields describe the object already stored with the same bytes, except
     * {@code originalName} and {@code source}, which say what this ingest was given.
     */
    static Map<String, Object> ingested(IngestedObject io) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean dup = io.status() == IngestedObject.Status.DUPLICATE;
        m.put("status", dup ? "duplicate" : "stored");
        m.putAll(object(io.object()));
        m.put("originalName", io.originalName());
        m.put("source", io.source());
        if (dup) {
            m.put("duplicateOf", io.object().path());
        }
        return m;
    }

    static Map<String, Object> ingest(IngestResult r) {
        List<Map<String, Object>> objects = r.objects().stream().map(Views::ingested).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", r.dataset().toString());
        m.put("version", r.version() < 0 ? null : r.version());
        m.put("stored", (long) r.stored().size());
        m.put("duplicates", (long) r.duplicates().size());
        m.put("objects", objects);
        return m;
    }

    /** A malformed object of a raw dataset: {@code dataset}, {@code object} (its key) and {@code reason}. */
    static Map<String, Object> badObject(dev.tarn.lake.query.BadObject b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", b.dataset().toString());
        m.put("object", b.key());
        m.put("reason", b.reason());
        return m;
    }

    static String kind(Finding.Kind k) {
        return k.name().toLowerCase(Locale.ROOT);
    }

    static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind(f.kind()));
        m.put("key", f.key());
        m.put("detail", f.detail());
        m.put("repaired", f.repaired());
        return m;
    }

    static Map<String, Object> doctor(DoctorReport r, boolean repair) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clean", r.isClean());
        m.put("repair", repair);
        m.put("catalogVersion", r.catalogVersion());
        m.put("objectsChecked", r.objectsChecked());
        m.put("findings", r.findings().stream().map(Views::finding).toList());
        return m;
    }
}
