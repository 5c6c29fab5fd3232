package dev.tarn.lake.table.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The actions of the Delta transaction log that a protocol 1/2 table uses, and their NDJSON form.
 * Readers ignore actions they do not know (the protocol says unknown actions are never needed to
 * read a table); the table's {@code protocol} decides whether Tarn may read or write it at all.
 */
public final class Actions {
    private Actions() {}

    public sealed interface Action
            permits Protocol, Metadata, AddFile, RemoveFile, SetTransaction, CommitInfo {}

    public record Protocol(
            int minReaderVersion,
            int minWriterVersion,
            List<String> readerFeatures,
            List<String> writerFeatures)
            implements Action {}

    public record Metadata(
            String id,
            String name,
            String description,
            String provider,
            Map<String, String> formatOptions,
            String schemaString,
            List<String> partitionColumns,
            Long createdTime,
            Map<String, String> configuration)
            implements Action {
        public Metadata {
            formatOptions = unmodifiable(formatOptions);
            partitionColumns = List.copyOf(partitionColumns);
            configuration = unmodifiable(configuration);
        }

        public Metadata withSchema(String schema) {
            return new Metadata(
                    id,
                    name,
                    description,
                    provider,
                    formatOptions,
                    schema,
                    partitionColumns,
                    createdTime,
                    configuration);
        }

        /** This metadata with one table property set. */
        public Metadata withConfiguration(String key, String value) {
            Map<String, String> c = new java.util.LinkedHashMap<>(configuration);
            c.put(key, value);
            return new Metadata(
                    id,
                    name,
                    description,
                    provider,
                    formatOptions,
                    schemaString,
                    partitionColumns,
                    createdTime,
                    c);
        }
    }

    /** {@code path} as written in the log: a relative URI, percent-encoded. */
    public record AddFile(
            String path,
            Map<String, String> partitionValues,
            long size,
            long modificationTime,
            boolean dataChange,
            String stats,
            Map<String, String> tags)
            implements Action {
        public AddFile {
            partitionValues = unmodifiable(partitionValues);
            tags = tags == null ? null : unmodifiable(tags);
        }

        public RemoveFile remove(long deletionTimestamp, boolean dataChange) {
            return new RemoveFile(
                    path, deletionTimestamp, dataChange, true, partitionValues, size, stats, tags);
        }

        public AddFile withDataChange(boolean dc) {
            return new AddFile(path, partitionValues, size, modificationTime, dc, stats, tags);
        }
    }

    public record RemoveFile(
            String path,
            Long deletionTimestamp,
            boolean dataChange,
            Boolean extendedFileMetadata,
            Map<String, String> partitionValues,
            Long size,
            String stats,
            Map<String, String> tags)
            implements Action {
        public RemoveFile {
            partitionValues = partitionValues == null ? null : unmodifiable(partitionValues);
            tags = tags == null ? null : unmodifiable(tags);
        }
    }

    public record SetTransaction(String appId, long version, Long lastUpdated) implements Action {}

    /** Provenance: free-form JSON; Tarn writes the fields below and reads what it knows. */
    public record CommitInfo(ObjectNode json) implements Action {
        public Long timestamp() {
            return Json.longOrNull(json, "timestamp");
        }

        public String operation() {
            return Json.text(json, "operation");
        }

        public boolean isBlindAppend() {
            JsonNode n = json.get("isBlindAppend");
            return n != null && n.asBoolean(false);
        }
    }

    private static Map<String, String> unmodifiable(Map<String, String> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    // ---- JSON

    public static byte[] encode(List<Action> actions) {
        StringBuilder b = new StringBuilder();
        for (Action a : actions) {
            b.append(Json.write(toJson(a))).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static ObjectNode toJson(Action a) {
        ObjectNode wrapper = Json.object();
        if (a instanceof Protocol p) {
            ObjectNode o = wrapper.putObject("protocol");
            o.put("minReaderVersion", p.minReaderVersion());
            o.put("minWriterVersion", p.minWriterVersion());
            if (p.readerFeatures() != null) {
                ArrayNode r = o.putArray("readerFeatures");
                p.readerFeatures().forEach(r::add);
            }
            if (p.writerFeatures() != null) {
                ArrayNode w = o.putArray("writerFeatures");
                p.writerFeatures().forEach(w::add);
            }
        } else if (a instanceof Metadata m) {
            ObjectNode o = wrapper.putObject("metaData");
            o.put("id", m.id());
            if (m.name() != null) {
                o.put("name", m.name());
            }
            if (m.description() != null) {
                o.put("description", m.description());
            }
            ObjectNode format = o.putObject("format");
            format.put("provider", m.provider());
            format.set("options", Json.mapNode(m.formatOptions()));
            o.put("schemaString", m.schemaString());
            ArrayNode pc = o.putArray("partitionColumns");
            m.partitionColumns().forEach(pc::add);
            o.set("configuration", Json.mapNode(m.configuration()));
            if (m.createdTime() != null) {
                o.put("createdTime", m.createdTime());
            }
        } else if (a instanceof AddFile f) {
            ObjectNode o = wrapper.putObject("add");
            o.put("path", f.path());
            o.set("partitionValues", Json.mapNode(f.partitionValues()));
            o.put("size", f.size());
            o.put("modificationTime", f.modificationTime());
            o.put("dataChange", f.dataChange());
            if (f.stats() != null) {
                o.put("stats", f.stats());
            }
            if (f.tags() != null) {
                o.set("tags", Json.mapNode(f.tags()));
            }
        } else if (a instanceof RemoveFile r) {
            ObjectNode o = wrapper.putObject("remove");
            o.put("path", r.path());
            if (r.deletionTimestamp() != null) {
                o.put("deletionTimestamp", r.deletionTimestamp());
            }
            o.put("dataChange", r.dataChange());
            if (r.extendedFileMetadata() != null) {
                o.put("extendedFileMetadata", r.extendedFileMetadata());
            }
            if (r.partitionValues() != null) {
                o.set("partitionValues", Json.mapNode(r.partitionValues()));
            }
            if (r.size() != null) {
                o.put("size", r.size());
            }
            if (r.stats() != null) {
                o.put("stats", r.stats());
            }
            if (r.tags() != null) {
                o.set("tags", Json.mapNode(r.tags()));
            }
        } else if (a instanceof SetTransaction t) {
            ObjectNode o = wrapper.putObject("txn");
            o.put("appId", t.appId());
            o.put("version", t.version());
            if (t.lastUpdated() != null) {
                o.put("lastUpdated", t.lastUpdated());
            }
        } else if (a instanceof CommitInfo c) {
            wrapper.set("commitInfo", c.json());
        }
        return wrapper;
    }

    /** Parses one log entry; unknown actions are skipped. */
    public static List<Action> decode(byte[] entry) {
        List<Action> out = new ArrayList<>();
        String text = new String(entry, StandardCharsets.UTF_8);
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = Json.parse(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + lineNo + ": " + e.getMessage(), e);
            }
            Action a = fromJson(n);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    public static Action fromJson(JsonNode wrapper) {
        JsonNode n;
        if ((n = wrapper.get("add")) != null && !n.isNull()) {
            if (n.hasNonNull("deletionVector")) {
                throw new UnsupportedOperationException(
                        "deletion vectors are not supported (protocol reader 3)");
            }
            return new AddFile(
                    Json.text(n, "path"),
                    Json.stringMap(n.get("partitionValues")),
                    n.path("size").asLong(),
                    n.path("modificationTime").asLong(),
                    n.path("dataChange").asBoolean(true),
                    Json.text(n, "stats"),
                    n.hasNonNull("tags") ? Json.stringMap(n.get("tags")) : null);
        }
        if ((n = wrapper.get("remove")) != null && !n.isNull()) {
            return new RemoveFile(
                    Json.text(n, "path"),
                    Json.longOrNull(n, "deletionTimestamp"),
                    n.path("dataChange").asBoolean(true),
                    n.hasNonNull("extendedFileMetadata")
                            ? n.get("extendedFileMetadata").asBoolean()
                            : null,
                    n.hasNonNull("partitionValues")
                            ? Json.stringMap(n.get("partitionValues"))
                            : null,
                    Json.longOrNull(n, "size"),
                    Json.text(n, "stats"),
                    n.hasNonNull("tags") ? Json.stringMap(n.get("tags")) : null);
        }
        if ((n = wrapper.get("metaData")) != null && !n.isNull()) {
            JsonNode format = n.path("format");
            return new Metadata(
                    Json.text(n, "id"),
                    Json.text(n, "name"),
                    Json.text(n, "description"),
                    format.hasNonNull("provider") ? format.get("provider").asText() : "parquet",
                    Json.stringMap(format.get("options")),
                    Json.text(n, "schemaString"),
                    Json.stringList(n.get("partitionColumns")),
                    Json.longOrNull(n, "createdTime"),
                    Json.stringMap(n.get("configuration")));
        }
        if ((n = wrapper.get("protocol")) != null && !n.isNull()) {
            return new Protocol(
                    n.path("minReaderVersion").asInt(),
                    n.path("minWriterVersion").asInt(),
                    n.hasNonNull("readerFeatures")
                            ? Json.stringList(n.get("readerFeatures"))
                            : null,
                    n.hasNonNull("writerFeatures")
                            ? Json.stringList(n.get("writerFeatures"))
                            : null);
        }
        if ((n = wrapper.get("txn")) != null && !n.isNull()) {
            return new SetTransaction(
                    Json.text(n, "appId"),
                    n.path("version").asLong(),
                    Json.longOrNull(n, "lastUpdated"));
        }
        if ((n = wrapper.get("commitInfo")) != null && n.isObject()) {
            return new CommitInfo((ObjectNode) n);
        }
        return null;
    }
}
