package dev.tarn.lake.table.internal;

import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.table.CommitResult;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.DeleteRows;
import dev.tarn.lake.table.PartitionFilter;
import dev.tarn.lake.table.Row;
import dev.tarn.lake.table.RowPredicate;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.format.Compression;
import dev.tarn.lake.format.parquet.ParquetFiles;
import dev.tarn.lake.format.parquet.RowWriter;
import dev.tarn.lake.format.parquet.Rows;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.DecimalType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import dev.tarn.lake.types.StructType;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

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
import java.util.UUID;
import java.util.function.Consumer;

/** Delta's {@code DELETE} with a row predicate: copy-on-write of the files holding matching rows. */
final class RowDeleteOperation implements DeleteRows {
    private final DefaultTable table;
    private PartitionFilter filter = PartitionFilter.all();
    private RowPredicate predicate;
    /** What the history records as the predicate; null when only the code is known. */
    private String description;

    RowDeleteOperation(DefaultTable table) {
        this.table = table;
    }

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
    public CommitResult commit() {
        if (predicate == null) {
            throw new IllegalArgumentException("a row delete needs rows(predicate)");
        }
        DeltaLog log = table.log();
        ObjectStore store = log.store();
        TableState base = log.latest();
        Protocols.checkWritable(base, table.id().toString());
        Schema tableSchema = base.schema();
        Transaction tx = new Transaction(table.runtime(), log, table.id().toString(), base, "DELETE")
                .readPredicate(filter).parameter("predicate",
                        description == null ? "[row predicate]" : description);
        long now = table.runtime().clock().millis();
        List<String> written = new ArrayList<>();
        long deleted = 0;
        long copied = 0;
        int removedFiles = 0;
        int addedFiles = 0;
        try {
            for (AddFile a : base.files().values()) {
                if (!filter.test(a.partitionValues())) {
                    continue;
                }
                tx.readFile(a.path());
                String path = PathCodec.decode(a.path());
                ObjectStat stat = store.stat(table.keyPrefix() + path).orElseThrow(() ->
                        new dev.tarn.lake.NotFoundException("data file " + path + " of table " + table.id()
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
                DataFile copy = rewrite(store, stat, footer, partition, path, a.partitionValues());
                written.add(copy.path());
                tx.add(table.toAdd(copy, base, true));
                addedFiles++;
                copied += counts[1];
            }
            if (deleted == 0) {
                // No row matches: nothing changes, so nothing is committed (a version that changes nothing would
                // only lengthen the history and conflict with concurrent writers). attempts 0 says so.
                return new CommitResult(base.version(), java.time.Instant.ofEpochMilli(base.timestamp()), "DELETE",
                        0, 0, 0);
            }
            tx.metric("numRemovedFiles", removedFiles).metric("numAddedFiles", addedFiles)
                    .metric("numDeletedRows", deleted).metric("numCopiedRows", copied);
            return tx.commit();
        } catch (RuntimeException e) {
            for (String w : written) {
                store.delete(table.keyPrefix() + w);
            }
            throw e;
        }
    }

    /** Reads every row of a file; matching rows go to {@code matching}, the others to {@code kept}. */
    private void scan(ObjectStore store, ObjectStat stat, ParquetMetadata footer, Map<String, Object> partition,
                      Consumer<Group> matching, Consumer<Group> kept) {
        MessageType schema = footer.getFileMetaData().getSchema();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < schema.getFieldCount(); i++) {
            index.put(schema.getType(i).getName(), i);
        }
        ParquetFiles.forEachRow(store, stat, footer, g -> {
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
        });
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
        StructType struct;
        try {
            struct = ParquetFooter.schemaOf(schema).asStruct();
        } catch (IllegalArgumentException e) {
            throw new dev.tarn.lake.table.SchemaMismatchException("cannot rewrite " + path + ": " + e.getMessage());
        }
        ObjectStat out;
        // the rows kept are written again with the file's schema and compression, by the one Parquet writer
        try (RowWriter w = RowWriter.create(store, table.keyPrefix() + rel, struct,
                RowWriter.compression(ParquetFiles.codec(footer), Compression.SNAPPY),
                carriedOver(footer.getFileMetaData().getKeyValueMetaData()))) {
            scan(store, stat, footer, partition, g -> { }, g -> w.write(Rows.of(g, struct)));
            out = w.commit();
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
