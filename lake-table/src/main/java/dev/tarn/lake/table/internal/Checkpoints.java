package dev.tarn.lake.table.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.lake.exceptions.ObjectExistsException;
import dev.tarn.lake.format.Compression;
import dev.tarn.lake.format.parquet.ParquetFiles;
import dev.tarn.lake.format.parquet.RowWriter;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.WriteMode;
import dev.tarn.lake.table.internal.Actions.Action;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.table.internal.Actions.Metadata;
import dev.tarn.lake.table.internal.Actions.Protocol;
import dev.tarn.lake.table.internal.Actions.RemoveFile;
import dev.tarn.lake.table.internal.Actions.SetTransaction;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.StructType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Classic V1 checkpoints: {@code _delta_log/<version>.checkpoint.parquet}, one action per row in
 * the columns {@code txn}, {@code add}, {@code remove}, {@code metaData}, {@code protocol} (the
 * checkpoint schema of the protocol's appendix; stats as a JSON string, no {@code stats_parsed}),
 * and {@code _delta_log/_last_checkpoint}. Written with lake-format's row writer and read with its
 * store reader: no Hadoop at run time.
 */
public final class Checkpoints {
    private static final DataType STRING_MAP = DataType.map(DataType.STRING, DataType.STRING);
    private static final DataType STRING_LIST = DataType.list(DataType.STRING);

    static final StructType TXN =
            struct(
                    "appId",
                    DataType.STRING,
                    "version",
                    DataType.LONG,
                    "lastUpdated",
                    DataType.LONG);
    static final StructType ADD =
            struct(
                    "path",
                    DataType.STRING,
                    "partitionValues",
                    STRING_MAP,
                    "size",
                    DataType.LONG,
                    "modificationTime",
                    DataType.LONG,
                    "dataChange",
                    DataType.BOOLEAN,
                    "stats",
                    DataType.STRING,
                    "tags",
                    STRING_MAP);
    static final StructType REMOVE =
            struct(
                    "path",
                    DataType.STRING,
                    "deletionTimestamp",
                    DataType.LONG,
                    "dataChange",
                    DataType.BOOLEAN,
                    "extendedFileMetadata",
                    DataType.BOOLEAN,
                    "partitionValues",
                    STRING_MAP,
                    "size",
                    DataType.LONG);
    static final StructType FORMAT = struct("provider", DataType.STRING, "options", STRING_MAP);
    static final StructType METADATA =
            struct(
                    "id",
                    DataType.STRING,
                    "name",
                    DataType.STRING,
                    "description",
                    DataType.STRING,
                    "format",
                    FORMAT,
                    "schemaString",
                    DataType.STRING,
                    "partitionColumns",
                    STRING_LIST,
                    "configuration",
                    STRING_MAP,
                    "createdTime",
                    DataType.LONG);
    static final StructType PROTOCOL =
            struct(
                    "minReaderVersion",
                    DataType.INT,
                    "minWriterVersion",
                    DataType.INT,
                    "readerFeatures",
                    STRING_LIST,
                    "writerFeatures",
                    STRING_LIST);

    /** One action per row: the column of its kind is set, the others are null. */
    static final StructType ROW =
            struct(
                    "txn",
                    TXN,
                    "add",
                    ADD,
                    "remove",
                    REMOVE,
                    "metaData",
                    METADATA,
                    "protocol",
                    PROTOCOL);

    private static final int TXN_COLUMN = 0;
    private static final int ADD_COLUMN = 1;
    private static final int REMOVE_COLUMN = 2;
    private static final int METADATA_COLUMN = 3;
    private static final int PROTOCOL_COLUMN = 4;

    private Checkpoints() {}

    private static StructType struct(Object... fieldsAndTypes) {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < fieldsAndTypes.length; i += 2) {
            fields.add(Field.of((String) fieldsAndTypes[i], (DataType) fieldsAndTypes[i + 1]));
        }
        return DataType.struct(fields);
    }

    public static String checkpointKey(String logDir, long version) {
        return logDir + String.format("%020d.checkpoint.parquet", version);
    }

    /** What {@code _last_checkpoint} says. */
    public record LastCheckpoint(long version, long size, Long parts) {}

    /**
     * Writes the checkpoint of {@code state} (put-if-absent: a checkpoint another writer already
     * made for this version is as good) and then {@code _last_checkpoint}, unless that already
     * names a newer one.
     */
    public static void write(
            ObjectStore store, String logDir, TableState state, long tombstoneCutoffMillis) {
        String key = checkpointKey(logDir, state.version());
        List<Object[]> rows = rows(state, tombstoneCutoffMillis);
        long adds = state.files().size();
        ObjectStat stat;
        try (RowWriter w = RowWriter.create(store, key, ROW, Compression.SNAPPY, Map.of())) {
            for (Object[] r : rows) {
                w.write(r);
            }
            stat = w.commit();
        } catch (ObjectExistsException e) {
            stat = store.stat(key).orElse(null);
        }
        Optional<LastCheckpoint> last = readLast(store, logDir);
        if (last.isPresent() && last.get().version() >= state.version()) {
            return;
        }
        ObjectNode o = Json.object();
        o.put("version", state.version());
        o.put("size", rows.size());
        if (stat != null) {
            o.put("sizeInBytes", stat.size());
        }
        o.put("numOfAddFiles", adds);
        store.put(
                logDir + "_last_checkpoint",
                Json.write(o).getBytes(StandardCharsets.UTF_8),
                WriteMode.OVERWRITE);
    }

    public static Optional<LastCheckpoint> readLast(ObjectStore store, String logDir) {
        byte[] bytes;
        try {
            bytes = store.getBytes(logDir + "_last_checkpoint");
        } catch (dev.tarn.lake.exceptions.ObjectNotFoundException e) {
            return Optional.empty();
        }
        try {
            JsonNode n = Json.parse(new String(bytes, StandardCharsets.UTF_8));
            if (!n.hasNonNull("version")) {
                return Optional.empty();
            }
            return Optional.of(
                    new LastCheckpoint(
                            n.get("version").asLong(),
                            n.path("size").asLong(-1),
                            Json.longOrNull(n, "parts")));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static List<Object[]> rows(TableState s, long tombstoneCutoffMillis) {
        List<Object[]> rows = new ArrayList<>();
        Protocol p = s.protocol();
        rows.add(
                row(
                        PROTOCOL_COLUMN,
                        p.minReaderVersion(),
                        p.minWriterVersion(),
                        list(p.readerFeatures()),
                        list(p.writerFeatures())));
        Metadata m = s.metadata();
        rows.add(
                row(
                        METADATA_COLUMN,
                        m.id(),
                        m.name(),
                        m.description(),
                        new Object[] {m.provider(), map(m.formatOptions())},
                        m.schemaString(),
                        list(m.partitionColumns()),
                        map(m.configuration()),
                        m.createdTime()));
        for (SetTransaction t : s.txns().values()) {
            rows.add(row(TXN_COLUMN, t.appId(), t.version(), t.lastUpdated()));
        }
        for (AddFile f : s.files().values()) {
            rows.add(
                    row(
                            ADD_COLUMN,
                            f.path(),
                            map(f.partitionValues()),
                            f.size(),
                            f.modificationTime(),
                            false,
                            f.stats(),
                            map(f.tags())));
        }
        for (RemoveFile r : s.tombstones().values()) {
            if (r.deletionTimestamp() != null && r.deletionTimestamp() < tombstoneCutoffMillis) {
                continue;
            }
            rows.add(
                    row(
                            REMOVE_COLUMN,
                            r.path(),
                            r.deletionTimestamp(),
                            false,
                            r.extendedFileMetadata(),
                            map(r.partitionValues()),
                            r.size()));
        }
        return rows;
    }

    /** A checkpoint row whose column {@code column} holds the struct {@code fields}. */
    private static Object[] row(int column, Object... fields) {
        Object[] r = new Object[ROW.fields().size()];
        r[column] = fields;
        return r;
    }

    /** A map as the row writer takes it: key/value pairs; null stays null. */
    private static Object[] map(Map<String, String> m) {
        if (m == null) {
            return null;
        }
        Object[] out = new Object[m.size()];
        int i = 0;
        for (Map.Entry<String, String> e : m.entrySet()) {
            out[i++] = new Object[] {e.getKey(), e.getValue()};
        }
        return out;
    }

    private static Object[] list(java.util.Collection<String> l) {
        return l == null ? null : l.toArray();
    }

    /**
     * Reads a checkpoint's actions (this writer's or another's: unknown columns are ignored), as
     * parquet-java {@link Group}s through lake-format's {@link ParquetFiles}.
     */
    public static List<Action> read(ObjectStore store, String key) {
        ObjectStat stat =
                store.stat(key)
                        .orElseThrow(
                                () -> new dev.tarn.lake.exceptions.ObjectNotFoundException(key));
        List<Action> out = new ArrayList<>();
        ParquetFiles.forEachRow(
                store,
                stat,
                ParquetFiles.footer(store, stat),
                row -> {
                    Action a = toAction(row);
                    if (a != null) {
                        out.add(a);
                    }
                });
        return out;
    }

    private static Action toAction(Group row) {
        Group g;
        if ((g = group(row, "add")) != null) {
            if (group(g, "deletionVector") != null) {
                throw new UnsupportedOperationException(
                        "deletion vectors are not supported (protocol reader 3)");
            }
            Map<String, String> tags = map(g, "tags");
            return new AddFile(
                    str(g, "path"),
                    orEmpty(map(g, "partitionValues")),
                    num(g, "size", 0L),
                    num(g, "modificationTime", 0L),
                    bool(g, "dataChange", false),
                    str(g, "stats"),
                    tags);
        }
        if ((g = group(row, "remove")) != null) {
            return new RemoveFile(
                    str(g, "path"),
                    num(g, "deletionTimestamp", null),
                    bool(g, "dataChange", false),
                    has(g, "extendedFileMetadata") ? bool(g, "extendedFileMetadata", false) : null,
                    map(g, "partitionValues"),
                    num(g, "size", null),
                    null,
                    null);
        }
        if ((g = group(row, "metaData")) != null) {
            Group format = group(g, "format");
            return new Metadata(
                    str(g, "id"),
                    str(g, "name"),
                    str(g, "description"),
                    format == null || str(format, "provider") == null
                            ? "parquet"
                            : str(format, "provider"),
                    format == null ? Map.of() : orEmpty(map(format, "options")),
                    str(g, "schemaString"),
                    orEmptyList(list(g, "partitionColumns")),
                    num(g, "createdTime", null),
                    orEmpty(map(g, "configuration")));
        }
        if ((g = group(row, "protocol")) != null) {
            return new Protocol(
                    (int) (long) num(g, "minReaderVersion", 0L),
                    (int) (long) num(g, "minWriterVersion", 0L),
                    list(g, "readerFeatures"),
                    list(g, "writerFeatures"));
        }
        if ((g = group(row, "txn")) != null) {
            return new SetTransaction(
                    str(g, "appId"), num(g, "version", 0L), num(g, "lastUpdated", null));
        }
        return null;
    }

    private static boolean has(Group g, String field) {
        return g.getType().containsField(field) && g.getFieldRepetitionCount(field) > 0;
    }

    private static Group group(Group g, String field) {
        return has(g, field) ? g.getGroup(field, 0) : null;
    }

    private static String str(Group g, String field) {
        return has(g, field) ? g.getString(field, 0) : null;
    }

    private static Long num(Group g, String field, Long dflt) {
        if (!has(g, field)) {
            return dflt;
        }
        Type t = g.getType().getType(field);
        return t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32
                ? (long) g.getInteger(field, 0)
                : g.getLong(field, 0);
    }

    private static boolean bool(Group g, String field, boolean dflt) {
        return has(g, field) ? g.getBoolean(field, 0) : dflt;
    }

    /** A MAP column: a group whose one repeated field holds key and value. Null when absent. */
    private static Map<String, String> map(Group g, String field) {
        Group m = group(g, field);
        if (m == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        String kv = m.getType().getType(0).getName();
        for (int i = 0; i < m.getFieldRepetitionCount(kv); i++) {
            Group e = m.getGroup(kv, i);
            String k = e.getString(0, 0);
            out.put(k, e.getFieldRepetitionCount(1) > 0 ? e.getString(1, 0) : null);
        }
        return out;
    }

    /** A LIST column of strings, three-level or two-level. Null when absent. */
    private static List<String> list(Group g, String field) {
        Group l = group(g, field);
        if (l == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        Type repeated = l.getType().getType(0);
        for (int i = 0; i < l.getFieldRepetitionCount(0); i++) {
            if (repeated.isPrimitive()) {
                out.add(l.getString(0, i));
            } else {
                Group e = l.getGroup(0, i);
                out.add(e.getFieldRepetitionCount(0) > 0 ? e.getString(0, 0) : null);
            }
        }
        return out;
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }

    private static List<String> orEmptyList(List<String> l) {
        return l == null ? List.of() : l;
    }
}
