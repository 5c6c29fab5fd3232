package dev.tarn.lake.format.internal.encode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnIndex;
import org.apache.parquet.format.ColumnOrder;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.DateType;
import org.apache.parquet.format.DecimalType;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.ListType;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.MicroSeconds;
import org.apache.parquet.format.OffsetIndex;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.StringType;
import org.apache.parquet.format.TimeUnit;
import org.apache.parquet.format.TimestampType;
import org.apache.parquet.format.TypeDefinedOrder;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * The layout of one Parquet file: magic, column chunks as the columns hand them over, then the page
 * index (column and offset indexes) and the footer, all as parquet-format's Thrift structures.
 * parquet-java's file writer would do the same, but builds its footer through {@code
 * ParquetMetadata}, whose first use initialises a JSON object mapper (hundreds of classes, a
 * quarter of a second) at the end of every conversion.
 */
final class ParquetFile {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    /**
     * In the form parquet-java parses ("APP version V (build B)"), so that it trusts the text
     * statistics.
     */
    static final String CREATED_BY =
            "tarn lake-format version " + dev.tarn.lake.Tarn.VERSION + " (build tarn)";

    private final PositionOutputStream out;
    private final List<SchemaElement> schema = new ArrayList<>();
    private final int leaves;
    private final List<RowGroup> groups = new ArrayList<>();
    private final List<ColumnChunk> chunks = new ArrayList<>();
    private final List<ColumnIndex> columnIndexes = new ArrayList<>();
    private final List<OffsetIndex> offsetIndexes = new ArrayList<>();
    private List<ColumnChunk> groupChunks;
    private long groupRows;
    private long groupStart;
    private long rows;

    ParquetFile(PositionOutputStream out, MessageType type) throws IOException {
        this.out = out;
        SchemaElement root = new SchemaElement(type.getName());
        root.setNum_children(type.getFieldCount());
        schema.add(root);
        for (Type t : type.getFields()) {
            element(t);
        }
        leaves = type.getColumns().size();
        out.write(MAGIC);
    }

    private void element(Type t) {
        SchemaElement e = new SchemaElement(t.getName());
        e.setRepetition_type(FieldRepetitionType.valueOf(t.getRepetition().name()));
        LogicalTypeAnnotation la = t.getLogicalTypeAnnotation();
        if (!t.isPrimitive()) {
            GroupType g = t.asGroupType();
            e.setNum_children(g.getFieldCount());
            if (la instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
                e.setConverted_type(ConvertedType.LIST);
                e.setLogicalType(LogicalType.LIST(new ListType()));
            } else if (la instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
                e.setConverted_type(ConvertedType.MAP);
                e.setLogicalType(LogicalType.MAP(new org.apache.parquet.format.MapType()));
            }
            schema.add(e);
            for (Type c : g.getFields()) {
                element(c);
            }
            return;
        }
        PrimitiveType p = t.asPrimitiveType();
        e.setType(type(p.getPrimitiveTypeName()));
        if (p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
            e.setType_length(p.getTypeLength());
        }
        if (la instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
            e.setConverted_type(ConvertedType.UTF8);
            e.setLogicalType(LogicalType.STRING(new StringType()));
        } else if (la instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
            e.setConverted_type(ConvertedType.DATE);
            e.setLogicalType(LogicalType.DATE(new DateType()));
        } else if (la instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) {
            boolean utc =
                    ((LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) la).isAdjustedToUTC();
            if (utc) {
                // the converted type means UTC-adjusted; local timestamps only have the logical
                // type
                e.setConverted_type(ConvertedType.TIMESTAMP_MICROS);
            }
            e.setLogicalType(
                    LogicalType.TIMESTAMP(
                            new TimestampType(utc, TimeUnit.MICROS(new MicroSeconds()))));
        } else if (la instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) {
            LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d =
                    (LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) la;
            e.setConverted_type(ConvertedType.DECIMAL);
            e.setScale(d.getScale());
            e.setPrecision(d.getPrecision());
            e.setLogicalType(LogicalType.DECIMAL(new DecimalType(d.getScale(), d.getPrecision())));
        } else if (la instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation) {
            // BYTE and SHORT columns: INT32 annotated with their width, as Delta and Spark write
            // them
            LogicalTypeAnnotation.IntLogicalTypeAnnotation it =
                    (LogicalTypeAnnotation.IntLogicalTypeAnnotation) la;
            e.setConverted_type(
                    ConvertedType.valueOf((it.isSigned() ? "INT_" : "UINT_") + it.getBitWidth()));
            e.setLogicalType(
                    LogicalType.INTEGER(
                            new org.apache.parquet.format.IntType(
                                    (byte) it.getBitWidth(), it.isSigned())));
        }
        schema.add(e);
    }

    static org.apache.parquet.format.Type type(PrimitiveType.PrimitiveTypeName t) {
        return t == PrimitiveType.PrimitiveTypeName.BINARY
                ? org.apache.parquet.format.Type.BYTE_ARRAY
                : org.apache.parquet.format.Type.valueOf(t.name());
    }

    static CompressionCodec codec(CompressionCodecName c) {
        return CompressionCodec.valueOf(c.name());
    }

    long pos() throws IOException {
        return out.getPos();
    }

    void startGroup(long rowCount) throws IOException {
        groupChunks = new ArrayList<>();
        groupRows = rowCount;
        groupStart = out.getPos();
    }

    void page(PageHeader h, byte[] data) throws IOException {
        Util.writePageHeader(h, out);
        out.write(data);
    }

    /**
     * Adds a written column chunk to the current row group; its page index is written with the
     * footer.
     */
    void chunk(ColumnChunk c, ColumnIndex ci, OffsetIndex oi) {
        groupChunks.add(c);
        chunks.add(c);
        columnIndexes.add(ci);
        offsetIndexes.add(oi);
    }

    void endGroup() throws IOException {
        long uncompressed = 0;
        long compressed = 0;
        for (ColumnChunk c : groupChunks) {
            uncompressed += c.getMeta_data().getTotal_uncompressed_size();
            compressed += c.getMeta_data().getTotal_compressed_size();
        }
        RowGroup g = new RowGroup(groupChunks, uncompressed, groupRows);
        g.setFile_offset(groupStart);
        g.setTotal_compressed_size(compressed);
        g.setOrdinal((short) groups.size());
        groups.add(g);
        rows += groupRows;
        groupChunks = null;
    }

    int rowGroups() {
        return groups.size();
    }

    /** Writes the page index and the footer, and closes the stream. */
    void end(Map<String, String> meta) throws IOException {
        for (int i = 0; i < chunks.size(); i++) {
            if (columnIndexes.get(i) != null) {
                long at = out.getPos();
                Util.writeColumnIndex(columnIndexes.get(i), out);
                chunks.get(i).setColumn_index_offset(at);
                chunks.get(i).setColumn_index_length((int) (out.getPos() - at));
            }
        }
        for (int i = 0; i < chunks.size(); i++) {
            long at = out.getPos();
            Util.writeOffsetIndex(offsetIndexes.get(i), out);
            chunks.get(i).setOffset_index_offset(at);
            chunks.get(i).setOffset_index_length((int) (out.getPos() - at));
        }
        FileMetaData md = new FileMetaData(1, schema, rows, groups);
        List<KeyValue> kv = new ArrayList<>();
        for (Map.Entry<String, String> e : meta.entrySet()) {
            KeyValue k = new KeyValue(e.getKey());
            k.setValue(e.getValue());
            kv.add(k);
        }
        md.setKey_value_metadata(kv);
        md.setCreated_by(CREATED_BY);
        // statistics follow each type's own order (unsigned bytes for text), which readers only
        // trust when told
        List<ColumnOrder> orders = new ArrayList<>();
        for (int i = 0; i < leaves; i++) {
            orders.add(ColumnOrder.TYPE_ORDER(new TypeDefinedOrder()));
        }
        md.setColumn_orders(orders);
        long at = out.getPos();
        Util.writeFileMetaData(md, out);
        int len = (int) (out.getPos() - at);
        out.write(
                new byte[] {
                    (byte) len, (byte) (len >>> 8), (byte) (len >>> 16), (byte) (len >>> 24)
                });
        out.write(MAGIC);
        out.close();
    }

    void abort() throws IOException {
        out.close();
    }
}
