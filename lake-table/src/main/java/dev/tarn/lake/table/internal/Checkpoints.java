package dev.tarn.lake.table.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.lake.exceptions.ObjectExistsException;
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
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    static final Schema PROTOCOL = record("protocol", "minReaderVersion", INT, "minWriterVersion", INT,
            "readerFeatures", STRING_ARRAY, "writerFeatures", STRING_ARRAY);
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
        } catch (dev.tarn.lake.exceptions.ObjectNotFoundException e) {
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
        pr.put("readerFeatures", p.readerFeatures() == null ? null : new ArrayList<>(p.readerFeatures()));
        pr.put("writerFeatures", p.writerFeatures() == null ? null : new ArrayList<>(p.writerFeatures()));
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

    /**
     * Reads a checkpoint's actions (this writer's or another's: unknown columns are ignored). parquet-java's
     * {@code ParquetReader} needs Hadoop, so this reads row groups with {@link ParquetFileReader} and materializes
     * rows with parquet-column's {@link GroupRecordConverter}.
     */
    public static List<Action> read(ObjectStore store, String key) {
        ObjectStat stat = store.stat(key).orElseThrow(() -> new dev.tarn.lake.exceptions.ObjectNotFoundException(key));
        List<Action> out = new ArrayList<>();
        try (ParquetFileReader r = ParquetFileReader.open(new StoreInputFile(store, key, stat.size()),
                Codecs.readOptions())) {
            MessageType schema = r.getFooter().getFileMetaData().getSchema();
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
            PageReadStore pages;
            while ((pages = r.readNextRowGroup()) != null) {
                RecordReader<Group> rows = io.getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    Action a = toAction(rows.read());
                    if (a != null) {
                        out.add(a);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + key, e);
        }
        return out;
    }

    private static Action toAction(Group row) {
        Group g;
        if ((g = group(row, "add")) != null) {
            if (group(g, "deletionVector") != null) {
                throw new UnsupportedOperationException("deletion vectors are not supported (protocol reader 3)");
            }
            Map<String, String> tags = map(g, "tags");
            return new AddFile(str(g, "path"), orEmpty(map(g, "partitionValues")), num(g, "size", 0L),
                    num(g, "modificationTime", 0L), bool(g, "dataChange", false), str(g, "stats"), tags);
        }
        if ((g = group(row, "remove")) != null) {
            return new RemoveFile(str(g, "path"), num(g, "deletionTimestamp", null), bool(g, "dataChange", false),
                    has(g, "extendedFileMetadata") ? bool(g, "extendedFileMetadata", false) : null,
                    map(g, "partitionValues"), num(g, "size", null), null, null);
        }
        if ((g = group(row, "metaData")) != null) {
            Group format = group(g, "format");
            return new Metadata(str(g, "id"), str(g, "name"), str(g, "description"),
                    format == null || str(format, "provider") == null ? "parquet" : str(format, "provider"),
                    format == null ? Map.of() : orEmpty(map(format, "options")), str(g, "schemaString"),
                    orEmptyList(list(g, "partitionColumns")), num(g, "createdTime", null),
                    orEmpty(map(g, "configuration")));
        }
        if ((g = group(row, "protocol")) != null) {
            return new Protocol((int) (long) num(g, "minReaderVersion", 0L), (int) (long) num(g, "minWriterVersion", 0L),
                    list(g, "readerFeatures"), list(g, "writerFeatures"));
        }
        if ((g = group(row, "txn")) != null) {
            return new SetTransaction(str(g, "appId"), num(g, "version", 0L), num(g, "lastUpdated", null));
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
                ? (long) g.getInteger(field, 0) : g.getLong(field, 0);
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
