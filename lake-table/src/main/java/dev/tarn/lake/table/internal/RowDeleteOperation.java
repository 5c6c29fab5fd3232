package dev.tarn.lake.table.internal;

import dev.tarn.lake.format.Compression;
import dev.tarn.lake.format.parquet.ParquetFiles;
import dev.tarn.lake.format.parquet.RowWriter;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.table.CommitResult;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.DeleteRows;
import dev.tarn.lake.table.PartitionFilter;
import dev.tarn.lake.table.Row;
import dev.tarn.lake.table.RowPredicate;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.DecimalType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import dev.tarn.lake.types.StructType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.Binary;

/**
 * Delta's {@code DELETE} with a row predicate: copy-on-write of the files holding matching rows.
 */
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
        Transaction tx =
                begin(base)
                        .readPredicate(filter)
                        .parameter(
                                "predicate", description == null ? "[row predicate]" : description);
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
            ObjectStat stat =
                    store.stat(table.keyPrefix() + path)
                            .orElseThrow(
                                    () ->
                                            new dev.tarn.lake.exceptions.NotFoundException(
                                                    "data file "
                                                            + path
                                                            + " of table "
                                                            + table.id()
                                                            + " is missing from the store"));
            ParquetMetadata footer = ParquetFooter.read(store, stat);
            StructType struct = fileSchema(footer, path);
            Map<String, Object> partition = typedPartition(tableSchema, a.partitionValues());
            long[] counts = new long[2]; // matching, kept
            scan(store, stat, footer, struct, partition, r -> counts[0]++, r -> counts[1]++);
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
            DataFile copy =
                    rewrite(store, stat, footer, struct, partition, path, a.partitionValues());
            written.add(copy.path());
            tx.add(table.toAdd(copy, base, true));
        }
        if (deleted == 0) {
            // No row matches: nothing changes, so nothing is committed (a version that changes
            // nothing would
            // only lengthen the history and conflict with concurrent writers). attempts 0 says so.
            return new Planned(
                    null,
                    new CommitResult(
                            base.version(),
                            java.time.Instant.ofEpochMilli(base.timestamp()),
                            "DELETE",
                            0,
                            0,
                            0),
                    -1);
        }
        tx.metric("numRemovedFiles", removedFiles)
                .metric("numAddedFiles", addedFiles)
                .metric("numDeletedRows", deleted)
                .metric("numCopiedRows", copied);
        return new Planned(tx, null, preview ? addedFiles : -1);
    }

    /**
     * The Tarn schema of a data file's Parquet schema, which its rows are read and written again
     * with.
     */
    private static StructType fileSchema(ParquetMetadata footer, String path) {
        try {
            return ParquetFooter.schemaOf(footer.getFileMetaData().getSchema()).asStruct();
        } catch (IllegalArgumentException e) {
            throw new dev.tarn.lake.exceptions.SchemaMismatchException(
                    "file " + path + ": " + e.getMessage());
        }
    }

    /**
     * Reads every row of a file; matching rows go to {@code matching}, the others to {@code kept}.
     */
    private void scan(
            ObjectStore store,
            ObjectStat stat,
            ParquetMetadata footer,
            StructType struct,
            Map<String, Object> partition,
            Consumer<Object[]> matching,
            Consumer<Object[]> kept) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < struct.fields().size(); i++) {
            index.put(struct.fields().get(i).name(), i);
        }
        ParquetFiles.forEachRow(
                store,
                stat,
                footer,
                struct,
                r -> {
                    Row row =
                            column -> {
                                if (partition.containsKey(column)) {
                                    return partition.get(column);
                                }
                                Integer idx = index.get(column);
                                return idx == null
                                        ? null
                                        : value(r[idx], struct.fields().get(idx).type(), column);
                            };
                    if (predicate.test(row)) {
                        matching.accept(r);
                    } else {
                        kept.accept(r);
                    }
                });
    }

    /**
     * The source file's key/value metadata, less what the writer sets itself: files from writers
     * with an object model (parquet-avro's {@code writer.model.name}) would otherwise make the
     * rewrite fail.
     */
    static Map<String, String> carriedOver(Map<String, String> kv) {
        Map<String, String> out = new java.util.LinkedHashMap<>(kv);
        out.remove("writer.model.name");
        return out;
    }

    private DataFile rewrite(
            ObjectStore store,
            ObjectStat stat,
            ParquetMetadata footer,
            StructType struct,
            Map<String, Object> partition,
            String path,
            Map<String, String> partitionValues) {
        int slash = path.lastIndexOf('/');
        String rel =
                (slash < 0 ? "" : path.substring(0, slash + 1))
                        + "part-"
                        + UUID.randomUUID()
                        + ".parquet";
        ObjectStat out;
        // the rows kept are written again with the file's schema and compression, by the one
        // Parquet writer
        try (RowWriter w =
                RowWriter.create(
                        store,
                        table.keyPrefix() + rel,
                        struct,
                        RowWriter.compression(ParquetFiles.codec(footer), Compression.SNAPPY),
                        carriedOver(footer.getFileMetaData().getKeyValueMetaData()))) {
            scan(store, stat, footer, struct, partition, r -> {}, w::write);
            out = w.commit();
        }
        return ParquetFooter.describe(store, out, rel, partitionValues);
    }

    private static Map<String, Object> typedPartition(Schema schema, Map<String, String> values) {
        Map<String, Object> out = new HashMap<>();
        values.forEach(
                (k, v) -> {
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
                return v.endsWith("Z")
                        ? Instant.parse(v)
                        : Instant.parse(v.replace(' ', 'T') + "Z");
            case TIMESTAMP_NTZ:
                return java.time.LocalDateTime.parse(v.replace(' ', 'T'));
            default:
                return v;
        }
    }

    /** A top-level column's value (as the row writer holds it) as {@link Row} promises it. */
    private static Object value(Object v, DataType t, String column) {
        if (v == null) {
            return null;
        }
        switch (t.kind()) {
            case STRUCT:
            case LIST:
            case MAP:
                throw new UnsupportedOperationException(
                        "row predicates on struct, array or map columns ('"
                                + column
                                + "') are not supported yet");
            case BYTE:
                return (byte) (int) (Integer) v;
            case SHORT:
                return (short) (int) (Integer) v;
            case DATE:
                return LocalDate.ofEpochDay((Integer) v);
            case TIMESTAMP:
                {
                    long micros = (Long) v;
                    return Instant.ofEpochSecond(
                            Math.floorDiv(micros, 1_000_000L),
                            Math.floorMod(micros, 1_000_000L) * 1000L);
                }
            case TIMESTAMP_NTZ:
                {
                    // a wall-clock value, never shifted by a zone
                    long micros = (Long) v;
                    return java.time.LocalDateTime.ofEpochSecond(
                            Math.floorDiv(micros, 1_000_000L),
                            (int) Math.floorMod(micros, 1_000_000L) * 1000,
                            java.time.ZoneOffset.UTC);
                }
            case DECIMAL:
                // small decimals arrive unscaled (see Rows)
                return v instanceof BigDecimal
                        ? v
                        : BigDecimal.valueOf(((Number) v).longValue(), t.asDecimal().scale());
            case STRING:
                return ((Binary) v).toStringUsingUTF8();
            case BINARY:
                return ((Binary) v).getBytes();
            default:
                // BOOLEAN, INT, LONG, FLOAT, DOUBLE: as read
                return v;
        }
    }
}
