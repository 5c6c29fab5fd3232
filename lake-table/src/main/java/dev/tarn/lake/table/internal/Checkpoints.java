package dev.tarn.lake.table.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.lake.storage.ObjectExistsException;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.ObjectWriter;
import dev.tarn.lake.storage.WriteMode;
import dev.tarn.lake.table.internal.Actions.Action;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.table.internal.Actions.Metadata;
import dev.tarn.lake.table.internal.Actions.Protocol;
import dev.tarn.lake.table.internal.Actions.RemoveFile;
import dev.tarn.lake.table.internal.Actions.SetTransaction;
import dev.tarn.lake.table.internal.parquet.Codecs;
import dev.tarn.lake.table.internal.parquet.StoreInputFile;
import dev.tarn.lake.table.internal.parquet.StoreOutputFile;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Classic V1 checkpoints: {@code _delta_log/<version>.checkpoint.parquet}, one action per row in the columns
 * {@code txn}, {@code add}, {@code remove}, {@code metaData}, {@code protocol} (the checkpoint schema of the protocol's
 * appendix; stats as a JSON string, no {@code stats_parsed}), and {@code _delta_log/_last_checkpoint}.
 * Written and read with parquet-avro and no Hadoop at run time.
 */
public final class Checkpoints {
    private static final Schema STRING = nullable(Schema.create(Schema.Type.STRING));
    private static final Schema LONG = nullable(Schema.create(Schema.Type.LONG));
    private static final Schema INT = nullable(Schema.create(Schema.Type.INT));
    private static final Schema BOOLEAN = nullable(Schema.create(Schema.Type.BOOLEAN));
    private static final Schema STRING_MAP = nullable(Schema.createMap(STRING));
    private static final Schema STRING_ARRAY = nullable(Schema.createArray(Schema.create(Schema.Type.STRING)));

    static final Schema TXN = record("txn", "appId", STRING, "version", LONG, "lastUpdated", LONG);
    static final Schema ADD = record("add", "path", STRING, "partitionValues", STRING_MAP, "size", LONG,
            "modificationTime", LONG, "dataChange", BOOLEAN, "stats", STRING, "tags", STRING_MAP);
    static final Schema REMOVE = record("remove", "path", STRING, "deletionTimestamp", LONG, "dataChange", BOOLEAN,
            "extendedFileMetadata", BOOLEAN, "partitionValues", STRING_MAP, "size", LONG);
    static final Schema FORMAT = record("format", "provider", STRING, "options", STRING_MAP);
    static final Schema METADATA = record("metaData", "id", STRING, "name", STRING, "description", STRING,
            "format", nullable(FORMAT), "schemaString", STRING, "partitionColumns", STRING_ARRAY,
            "configuration", STRING_MAP, "createdTime", LONG);
    static final Schema PROTOCOL = record("protocol", "minReaderVersion", INT, "minWriterVersion", INT);
    static final Schema ROW = record("checkpoint", "txn", nullable(TXN), "add", nullable(ADD),
            "remove", nullable(REMOVE), "metaData", nullable(METADATA), "protocol", nullable(PROTOCOL));

    private Checkpoints() {
    }

    private static Schema nullable(Schema s) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), s);
    }

    private static Schema record(String name, Object... fieldsAndTypes) {
        SchemaBuilder.FieldAssembler<Schema> f = SchemaBuilder.record(name).namespace("dev.tarn.delta").fields();
        for (int i = 0; i < fieldsAndTypes.length; i += 2) {
            f = f.name((String) fieldsAndTypes[i]).type((Schema) fieldsAndTypes[i + 1]).withDefault(null);
        }
        return f.endRecord();
    }

    public static String checkpointKey(String logDir, long version) {
        return logDir + String.format("%020d.checkpoint.parquet", version);
    }

    /** What {@code _last_checkpoint} says. */
    public record LastCheckpoint(long version, long size, Long parts) {
    }

    public static PlainParquetConfiguration conf() {
        PlainParquetConfiguration c = new PlainParquetConfiguration();
        c.set("parquet.avro.write-old-list-structure", "false");
        c.set("parquet.avro.add-list-element-records", "false");
        c.set("parquet.avro.readInt96AsFixed", "true");
        return c;
    }

    /**
     * Writes the checkpoint of {@code state} (put-if-absent: a checkpoint another writer already made for this
     * version is as good) and then {@code _last_checkpoint}, unless that already names a newer one.
     */
    public static void write(ObjectStore store, String logDir, TableState state, long tombstoneCutoffMillis) {
        String key = checkpointKey(logDir, state.version());
        List<GenericRecord> rows = rows(state, tombstoneCutoffMillis);
        long adds = state.files().size();
        ObjectStat stat;
        try (ObjectWriter w = store.newWriter(key, WriteMode.CREATE)) {
            try (ParquetWriter<GenericRecord> pw = AvroParquetWriter.<GenericRecord>builder(new StoreOutputFile(w))
                    .withSchema(ROW)
                    .withDataModel(GenericData.get())
                    .withConf(conf())
                    .withCodecFactory(Codecs.INSTANCE)
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .build()) {
                for (GenericRecord r : rows) {
                    pw.write(r);
                }
            }
            stat = w.commit();
        } catch (ObjectExistsException e) {
            stat = store.stat(key).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + key, e);
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
        store.put(logDir + "_last_checkpoint", Json.write(o).getBytes(StandardCharsets.UTF_8), WriteMode.OVERWRITE);
    }

    public static Optional<LastCheckpoint> readLast(ObjectStore store, String logDir) {
        byte[] bytes;
        try {
            bytes = store.getBytes(logDir + "_last_checkpoint");
        } catch (dev.tarn.lake.storage.ObjectNotFoundException e) {
            return Optional.empty();
        }
        try {
            JsonNode n = Json.parse(new String(bytes, StandardCharsets.UTF_8));
            if (!n.hasNonNull("version")) {
                return Optional.empty();
            }
            return Optional.of(new LastCheckpoint(n.get("version").asLong(), n.path("size").asLong(-1),
                    Json.longOrNull(n, "parts")));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static List<GenericRecord> rows(TableState s, long tombstoneCutoffMillis) {
        List<GenericRecord> rows = new ArrayList<>();
        Protocol p = s.protocol();
        GenericRecord pr = new GenericData.Record(PROTOCOL);
        pr.put("minReaderVersion", p.minReaderVersion());
        pr.put("minWriterVersion", p.minWriterVersion());
        rows.add(row("protocol", pr));
        Metadata m = s.metadata();
        GenericRecord mr = new GenericData.Record(METADATA);
        mr.put("id", m.id());
        mr.put("name", m.name());
        mr.put("description", m.description());
        GenericRecord fr = new GenericData.Record(FORMAT);
        fr.put("provider", m.provider());
        fr.put("options", new LinkedHashMap<>(m.formatOptions()));
        mr.put("format", fr);
        mr.put("schemaString", m.schemaString());
        mr.put("partitionColumns", new ArrayList<>(m.partitionColumns()));
        mr.put("configuration", new LinkedHashMap<>(m.configuration()));
        mr.put("createdTime", m.createdTime());
        rows.add(row("metaData", mr));
        for (SetTransaction t : s.txns().values()) {
            GenericRecord tr = new GenericData.Record(TXN);
            tr.put("appId", t.appId());
            tr.put("version", t.version());
            tr.put("lastUpdated", t.lastUpdated());
            rows.add(row("txn", tr));
        }
        for (AddFile f : s.files().values()) {
            GenericRecord ar = new GenericData.Record(ADD);
            ar.put("path", f.path());
            ar.put("partitionValues", new LinkedHashMap<>(f.partitionValues()));
            ar.put("size", f.size());
            ar.put("modificationTime", f.modificationTime());
            ar.put("dataChange", false);
            ar.put("stats", f.stats());
            ar.put("tags", f.tags() == null ? null : new LinkedHashMap<>(f.tags()));
            rows.add(row("add", ar));
        }
        for (RemoveFile r : s.tombstones().values()) {
            if (r.deletionTimestamp() != null && r.deletionTimestamp() < tombstoneCutoffMillis) {
                continue;
            }
            GenericRecord rr = new GenericData.Record(REMOVE);
            rr.put("path", r.path());
            rr.put("deletionTimestamp", r.deletionTimestamp());
            rr.put("dataChange", false);
            rr.put("extendedFileMetadata", r.extendedFileMetadata());
            rr.put("partitionValues", r.partitionValues() == null ? null : new LinkedHashMap<>(r.partitionValues()));
            rr.put("size", r.size());
            rows.add(row("remove", rr));
        }
        return rows;
    }

    private static GenericRecord row(String column, GenericRecord value) {
        GenericRecord r = new GenericData.Record(ROW);
        r.put(column, value);
        return r;
    }

    /** Reads a checkpoint's actions (this writer's or another's: unknown columns are ignored). */
    public static List<Action> read(ObjectStore store, String key) {
        ObjectStat stat = store.stat(key).orElseThrow(() -> new dev.tarn.lake.storage.ObjectNotFoundException(key));
        List<Action> out = new ArrayList<>();
        try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(
                        new StoreInputFile(store, key, stat.size()), conf())
                .withDataModel(GenericData.get())
                .withCodecFactory(Codecs.INSTANCE)
                .build()) {
            GenericRecord row;
            while ((row = r.read()) != null) {
                Action a = toAction(row);
                if (a != null) {
                    out.add(a);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + key, e);
        }
        return out;
    }

    private static Action toAction(GenericRecord row) {
        GenericRecord g;
        if ((g = field(row, "add")) != null) {
            if (field(g, "deletionVector") != null) {
                throw new UnsupportedOperationException("deletion vectors are not supported (protocol reader 3)");
            }
            return new AddFile(str(g, "path"), map(g.get("partitionValues")), num(g, "size"),
                    num(g, "modificationTime"), bool(g, "dataChange", false), str(g, "stats"),
                    has(g, "tags") && g.get("tags") != null ? map(g.get("tags")) : null);
        }
        if ((g = field(row, "remove")) != null) {
            return new RemoveFile(str(g, "path"), has(g, "deletionTimestamp") && g.get("deletionTimestamp") != null
                    ? num(g, "deletionTimestamp") : null, bool(g, "dataChange", false),
                    has(g, "extendedFileMetadata") && g.get("extendedFileMetadata") != null
                            ? bool(g, "extendedFileMetadata", false) : null,
                    has(g, "partitionValues") && g.get("partitionValues") != null ? map(g.get("partitionValues")) : null,
                    has(g, "size") && g.get("size") != null ? num(g, "size") : null, null, null);
        }
        if ((g = field(row, "metaData")) != null) {
            GenericRecord format = field(g, "format");
            List<String> pcs = new ArrayList<>();
            Object arr = g.get("partitionColumns");
            if (arr instanceof Collection<?> c) {
                c.forEach(e -> pcs.add(String.valueOf(e)));
            }
            return new Metadata(str(g, "id"), str(g, "name"), str(g, "description"),
                    format == null || str(format, "provider") == null ? "parquet" : str(format, "provider"),
                    format == null ? Map.of() : map(format.get("options")), str(g, "schemaString"), pcs,
                    has(g, "createdTime") && g.get("createdTime") != null ? num(g, "createdTime") : null,
                    map(g.get("configuration")));
        }
        if ((g = field(row, "protocol")) != null) {
            return new Protocol((int) num(g, "minReaderVersion"), (int) num(g, "minWriterVersion"),
                    strList(g, "readerFeatures"), strList(g, "writerFeatures"));
        }
        if ((g = field(row, "txn")) != null) {
            return new SetTransaction(str(g, "appId"), num(g, "version"),
                    has(g, "lastUpdated") && g.get("lastUpdated") != null ? num(g, "lastUpdated") : null);
        }
        return null;
    }

    private static boolean has(GenericRecord r, String name) {
        return r.getSchema().getField(name) != null;
    }

    private static GenericRecord field(GenericRecord r, String name) {
        return has(r, name) && r.get(name) instanceof GenericRecord g ? g : null;
    }

    private static String str(GenericRecord r, String name) {
        Object v = has(r, name) ? r.get(name) : null;
        return v == null ? null : v.toString();
    }

    private static long num(GenericRecord r, String name) {
        Object v = has(r, name) ? r.get(name) : null;
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static boolean bool(GenericRecord r, String name, boolean dflt) {
        Object v = has(r, name) ? r.get(name) : null;
        return v == null ? dflt : (Boolean) v;
    }

    private static List<String> strList(GenericRecord r, String name) {
        Object v = has(r, name) ? r.get(name) : null;
        if (!(v instanceof Collection<?> c)) {
            return null;
        }
        List<String> l = new ArrayList<>();
        c.forEach(e -> l.add(String.valueOf(e)));
        return l;
    }

    private static Map<String, String> map(Object v) {
        Map<String, String> m = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> raw) {
            raw.forEach((k, x) -> m.put(String.valueOf(k), x == null ? null : x.toString()));
        }
        return m;
    }
}
