package dev.tarn.lake.table.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.FileStats;
import dev.tarn.lake.table.internal.Actions.AddFile;
import java.time.Instant;
import java.util.Map;

/** {@link DataFile} to and from the log's {@code add} action (path URI-encoding, stats JSON). */
public final class FileCodec {
    private FileCodec() {}

    public static AddFile toAdd(DataFile f, long size, long modificationTime, boolean dataChange) {
        return new AddFile(
                PathCodec.encode(f.path()),
                f.partitionValues(),
                size,
                modificationTime,
                dataChange,
                f.stats() == null ? null : statsJson(f.stats()),
                null);
    }

    @SuppressWarnings("unchecked")
    public static DataFile toDataFile(AddFile a) {
        FileStats stats = null;
        if (a.stats() != null) {
            try {
                JsonNode n = Json.parse(a.stats());
                if (n.hasNonNull("numRecords")) {
                    Object min = Json.toJava(n.get("minValues"));
                    Object max = Json.toJava(n.get("maxValues"));
                    Object nulls = Json.toJava(n.get("nullCount"));
                    stats =
                            new FileStats(
                                    n.get("numRecords").asLong(),
                                    min instanceof Map ? (Map<String, Object>) min : Map.of(),
                                    max instanceof Map ? (Map<String, Object>) max : Map.of(),
                                    nulls instanceof Map ? (Map<String, Object>) nulls : Map.of());
                }
            } catch (RuntimeException e) {
                stats = null; // unreadable stats carry no information
            }
        }
        return new DataFile(
                PathCodec.decode(a.path()),
                a.partitionValues(),
                a.size(),
                Instant.ofEpochMilli(a.modificationTime()),
                stats,
                null);
    }

    public static String statsJson(FileStats s) {
        ObjectNode o = Json.object();
        o.put("numRecords", s.numRecords());
        o.set("minValues", Json.fromJava(s.minValues()));
        o.set("maxValues", Json.fromJava(s.maxValues()));
        o.set("nullCount", Json.fromJava(s.nullCount()));
        return Json.write(o);
    }
}
