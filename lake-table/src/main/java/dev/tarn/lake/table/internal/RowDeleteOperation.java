package dev.tarn.lake.table.internal;

import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.ObjectWriter;
import dev.tarn.lake.storage.WriteMode;
import dev.tarn.lake.table.CommitResult;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.DeleteRows;
import dev.tarn.lake.table.PartitionFilter;
import dev.tarn.lake.table.Row;
import dev.tarn.lake.table.RowPredicate;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.table.internal.parquet.Codecs;
import dev.tarn.lake.table.internal.parquet.StoreInputFile;
import dev.tarn.lake.table.internal.parquet.StoreOutputFile;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.DecimalType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/** Delta's {@code DELETE} with a row predicate: copy-on-write of the files holding matching rows. */
final class RowDeleteOperation extends TableOperation<DeleteRows> implements DeleteRows {
    private PartitionFilter filter = PartitionFilter.all();
    private RowPredicate predicate;
    /** What the history records as the predicate; null when only the code is known. */
    private String description;

    RowDeleteOperation(DefaultTable table) {
        super(table, "DELETE", Set.of("predicate"));
    }

    /** The copies a failed commit wrote, removed again. */
    private final List<String> written = new ArrayList<>();

    @Override
    public DeleteRows where(PartitionFilter f) {
        this.filter = f;
        return this;
    }

    @Override
    public DeleteRows rows(RowPredicate p) {
        this.predicate = p;
        this.description = null;
        return this;
    }

    @Override
    public DeleteRows rows(RowPredicate p, String text) {
        this.predicate = p;
        this.description = text == null || text.isBlank() ? null : text.strip();
        return this;
    }

    @Override
    void discard() {
        ObjectStore store = table.log().store();
        for (String w : written) {
            store.delete(table.keyPrefix() + w);
        }
        written.clear();
    }

    @Override
    Planned plan(TableState base, boolean preview) {
        if (predicate == null) {
            throw new IllegalArgumentException("a row delete needs rows(predicate)");
        }
        written.clear();
        ObjectStore store = table.log().store();
        Protocols.checkWritable(base, table.id().toString());
        Schema tableSchema = base.schema();
        Transaction tx = begin(base)
                .readPredicate(filter).parameter("predicate",
                        description == null ? "[row predicate]" : description);
        long now = table.runtime().clock().millis();
        long deleted = 0;
        long copied = 0;
        int removedFiles = 0;
        int addedFiles = 0;
        for (AddFile a : base.files().values()) {
            if (!filter.test(a.partitionValues())) {
                continue;
            }
            tx.readFile(a.path());
            String path = PathCodec.decode(a.path());
            ObjectStat stat = store.stat(table.keyPrefix() + path).orElseThrow(() ->
                    new dev.tarn.lake.exceptions.NotFoundException("data file " + path + " of table " + table.id()
                            + " is missing from the store"));
            ParquetMetadata footer = ParquetFooter.read(store, stat);
            Map<String, Object> partition = typedPartition(tableSchema, a.partitionValues());
            long[] counts = new long[2]; // matching, kept
            scan(store, stat, footer, partition, g -> counts[0]++, g -> counts[1]++);
            if (counts[0] == 0) {
                continue;
            }
            deleted += counts[0];
            tx.add(a.remove(now, true));
            removedFiles++;
            if (counts[1] == 0) {
                continue;
            }
            addedFiles++;
            copied += counts[1];
            if (preview) {
                continue; // the copy is counted, not written
            }
            DataFile copy = rewrite(store, stat, footer, partition, path, a.partitionValues());
            written.add(copy.path());
            tx.add(table.toAdd(copy, base, true));
        }
        if (deleted == 0) {
            // No row matches: nothing changes, so nothing is committed (a version that changes nothing would
            // only lengthen the history and conflict with concurrent writers). attempts 0 says so.
            return new Planned(null, new CommitResult(base.version(),
                    java.time.Instant.ofEpochMilli(base.timestamp()), "DELETE", 0, 0, 0), -1);
        }
        tx.metric("numRemovedFiles", removedFiles).metric("numAddedFiles", addedFiles)
                .metric("numDeletedRows", deleted).metric("numCopiedRows", copied);
        return new Planned(tx, null, preview ? addedFiles : -1);
    }

    /** Reads every row of a file; matching rows go to {@code matching}, the others to {@code kept}. */
    private void scan(ObjectStore store, ObjectStat stat, ParquetMetadata footer, Map<String, Object> partition,
                      Consumer<Group> matching, Consumer<Group> kept) {
        MessageType schema = footer.getFileMetaData().getSchema();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < schema.getFieldCount(); i++) {
            index.put(schema.getType(i).getName(), i);
        }
        try (ParquetFileReader r = ParquetFileReader.open(new StoreInputFile(store, stat.key(), stat.size()),
                Codecs.readOptions())) {
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
            PageReadStore pages;
            while ((pages = r.readNextRowGroup()) != null) {
                RecordReader<Group> rows = io.getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    Group g = rows.read();
                    Row row = column -> {
                        if (partition.containsKey(column)) {
                            return partition.get(column);
                        }
                        Integer idx = index.get(column);
                        return idx == null ? null : value(g, idx, schema.getType(idx));
                    };
                    if (predicate.test(row)) {
                        matching.accept(g);
                    } else {
                        kept.accept(g);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stat.key(), e);
        }
    }

    /**
     * The source file's key/value metadata, less what the writer sets itself: files from writers with an object
     * model (parquet-avro's {@code writer.model.name}) would otherwise make the rewrite fail.
     */
    static Map<String, String> carriedOver(Map<String, String> kv) {
        Map<String, String> out = new java.util.LinkedHashMap<>(kv);
        out.remove("writer.model.name");
        return out;
    }

    private DataFile rewrite(ObjectStore store, ObjectStat stat, ParquetMetadata footer, Map<String, Object> partition,
                             String path, Map<String, String> partitionValues) {
        int slash = path.lastIndexOf('/');
        String rel = (slash < 0 ? "" : path.substring(0, slash + 1)) + "part-" + UUID.randomUUID() + ".parquet";
        MessageType schema = footer.getFileMetaData().getSchema();
        ObjectStat out;
        try (ObjectWriter w = store.newWriter(table.keyPrefix() + rel, WriteMode.CREATE)) {
            try (ParquetWriter<Group> pw = ExampleParquetWriter.builder(new StoreOutputFile(w))
                    .withType(schema)
                    .withConf(new org.apache.parquet.conf.PlainParquetConfiguration())
                    .withCodecFactory(Codecs.INSTANCE)
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withExtraMetaData(carriedOver(footer.getFileMetaData().getKeyValueMetaData()))
                    .build()) {
                UncheckedIOException[] failure = new UncheckedIOException[1];
                scan(store, stat, footer, partition, g -> { }, g -> {
                    try {
                        pw.write(g);
                    } catch (IOException e) {
                        failure[0] = new UncheckedIOException(e);
                    }
                });
                if (failure[0] != null) {
                    throw failure[0];
                }
            }
            out = w.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + rel, e);
        }
        return ParquetFooter.describe(store, out, rel, partitionValues);
    }

    private static Map<String, Object> typedPartition(Schema schema, Map<String, String> values) {
        Map<String, Object> out = new HashMap<>();
        values.forEach((k, v) -> {
            Field f = schema.field(k).orElse(null);
            out.put(k, v == null || f == null ? v : typed(f.type(), v));
        });
        return out;
    }

    private static Object typed(DataType t, String v) {
        if (t instanceof DecimalType) {
            return new BigDecimal(v);
        }
        switch (t.kind()) {
            case BYTE:
                return Byte.parseByte(v);
            case SHORT:
                return Short.parseShort(v);
            case INT:
                return Integer.parseInt(v);
            case LONG:
                return Long.parseLong(v);
            case FLOAT:
                return Float.parseFloat(v);
            case DOUBLE:
                return Double.parseDouble(v);
            case BOOLEAN:
                return Boolean.parseBoolean(v);
            case DATE:
                return LocalDate.parse(v);
            case TIMESTAMP:
                return v.endsWith("Z") ? Instant.parse(v) : Instant.parse(v.replace(' ', 'T') + "Z");
            case TIMESTAMP_NTZ:
                return java.time.LocalDateTime.parse(v.replace(' ', 'T'));
            default:
                return v;
        }
    }

    /** A top-level column's value as {@link Row} promises it. */
    private static Object value(Group g, int i, Type type) {
        if (g.getFieldRepetitionCount(i) == 0) {
            return null;
        }
        if (!type.isPrimitive()) {
            throw new UnsupportedOperationException("row predicates on struct, array or map columns ('"
                    + type.getName() + "') are not supported yet");
        }
        PrimitiveType p = type.asPrimitiveType();
        var la = p.getLogicalTypeAnnotation();
        if (la instanceof org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
            switch (p.getPrimitiveTypeName()) {
                case INT32:
                    return BigDecimal.valueOf(g.getInteger(i, 0), d.getScale());
                case INT64:
                    return BigDecimal.valueOf(g.getLong(i, 0), d.getScale());
                default:
                    return new BigDecimal(new BigInteger(g.getBinary(i, 0).getBytes()), d.getScale());
            }
        }
        switch (p.getPrimitiveTypeName()) {
            case BOOLEAN:
                return g.getBoolean(i, 0);
            case INT32: {
                int v = g.getInteger(i, 0);
                if (la instanceof org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return LocalDate.ofEpochDay(v);
                }
                if (la instanceof org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation in) {
                    return in.getBitWidth() == 8 ? (Object) (byte) v : in.getBitWidth() == 16 ? (Object) (short) v : v;
                }
                return v;
            }
            case INT64: {
                long v = g.getLong(i, 0);
                if (la instanceof org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
                    if (!ts.isAdjustedToUTC()) {
                        // timestamp_ntz: a wall-clock value, never shifted by a zone
                        long unit = ts.getUnit() == org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit.MILLIS
                                ? 1_000L : ts.getUnit() == org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit.MICROS
                                ? 1_000_000L : 1_000_000_000L;
                        return java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(v, unit),
                                (int) (Math.floorMod(v, unit) * (1_000_000_000L / unit)), java.time.ZoneOffset.UTC);
                    }
                    switch (ts.getUnit()) {
                        case MILLIS:
                            return Instant.ofEpochMilli(v);
                        case MICROS:
                            return Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000), Math.floorMod(v, 1_000_000) * 1000L);
                        default:
                            return Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000), Math.floorMod(v, 1_000_000_000));
                    }
                }
                return v;
            }
            case INT96: {
                ByteBuffer b = ByteBuffer.wrap(g.getInt96(i, 0).getBytes()).order(ByteOrder.LITTLE_ENDIAN);
                long nanosOfDay = b.getLong();
                int julianDay = b.getInt();
                return Instant.ofEpochSecond((julianDay - 2_440_588L) * 86_400L).plusNanos(nanosOfDay);
            }
            case FLOAT:
                return g.getFloat(i, 0);
            case DOUBLE:
                return g.getDouble(i, 0);
            case BINARY:
            case FIXED_LEN_BYTE_ARRAY: {
                Binary b = g.getBinary(i, 0);
                return la == null ? b.getBytes() : b.toStringUsingUTF8();
            }
            default:
                return null;
        }
    }
}
