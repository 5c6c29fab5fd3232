package dev.tarn.lake.format.internal;

import dev.tarn.lake.format.DataType;
import dev.tarn.lake.format.Field;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows ({@code Object[]} per struct, {@code Object[]} per list) to one Parquet file: rows are shredded into
 * definition/repetition levels and values straight into this module's own column encoders, and parquet-java's
 * {@link ParquetFileWriter} only lays out the finished pages, page index and footer.
 */
final class RowFile {
    /** A schema node: its definition level when present, its repetition depth, the leaf columns under it. */
    private static final class Node {
        final DataType.Kind kind;
        final int def;
        /** Repetition level of the items of a list node. */
        final int rep;
        Column column;
        Node[] children;
        Node element;
        Column[] leaves;

        Node(DataType.Kind kind, int def, int rep) {
            this.kind = kind;
            this.def = def;
            this.rep = rep;
        }
    }

    private static final int SIZE_CHECK_EVERY = 1024;

    private final ParquetFileWriter w;
    private final Node[] top;
    private final Column[] columns;
    private final ParquetRows.Settings s;
    private final Map<String, String> meta;
    private long groupRows;
    private int rowGroups;

    RowFile(Staged staged, DataType struct, ParquetRows.Settings s, Map<String, String> meta, Codecs codecs)
            throws IOException {
        this.s = s;
        this.meta = new HashMap<>(meta);
        this.meta.put("writer.model.name", "tarn");
        MessageType schema = ParquetRows.messageType(struct);
        ParquetProperties props = ParquetProperties.builder().withSizeStatisticsEnabled(false)
                .withPageWriteChecksumEnabled(false).build();
        w = new ParquetFileWriter(new ParquetRows.StagedOutputFile(staged), schema, ParquetFileWriter.Mode.CREATE,
                s.rowGroupBytes, 0, null, props);
        Column.Shared sh = new Column.Shared(codecs.getCompressor(s.codec), s.codec, s.pageBytes, s.dictionaryBytes);
        List<Column> cols = new ArrayList<>();
        List<Field> fields = struct.fields();
        top = new Node[fields.size()];
        for (int i = 0; i < top.length; i++) {
            List<String> path = new ArrayList<>();
            path.add(fields.get(i).name());
            top[i] = node(fields.get(i).type(), path, 1, 0, schema, sh, cols);
        }
        columns = cols.toArray(new Column[0]);
        w.start();
    }

    private Node node(DataType t, List<String> path, int def, int rep, MessageType schema, Column.Shared sh,
                      List<Column> cols) {
        Node n = new Node(t.kind(), def, rep + 1);
        int first = cols.size();
        switch (t.kind()) {
            case STRUCT: {
                List<Field> fs = t.fields();
                n.children = new Node[fs.size()];
                for (int i = 0; i < fs.size(); i++) {
                    path.add(fs.get(i).name());
                    n.children[i] = node(fs.get(i).type(), path, def + 1, rep, schema, sh, cols);
                    path.remove(path.size() - 1);
                }
                break;
            }
            case LIST:
                path.add("list");
                path.add("element");
                // the optional list, its repeated group, then the optional element
                n.element = node(t.element(), path, def + 2, rep + 1, schema, sh, cols);
                path.remove(path.size() - 1);
                path.remove(path.size() - 1);
                break;
            default: {
                String[] p = path.toArray(new String[0]);
                org.apache.parquet.column.ColumnDescriptor desc = schema.getColumnDescription(p);
                boolean dict = s.dictionary && !s.noDictionary.contains(String.join(".", p));
                n.column = column(t, desc, sh, dict);
                cols.add(n.column);
            }
        }
        n.leaves = cols.subList(first, cols.size()).toArray(new Column[0]);
        return n;
    }

    private static Column column(DataType t, org.apache.parquet.column.ColumnDescriptor desc, Column.Shared sh,
                                 boolean dict) {
        switch (desc.getPrimitiveType().getPrimitiveTypeName()) {
            case BOOLEAN:
                return FixedColumn.of(desc, sh, dict, FixedColumn.Kind.BOOLEAN);
            case INT32:
                return FixedColumn.of(desc, sh, dict, FixedColumn.Kind.INT32);
            case INT64:
                return FixedColumn.of(desc, sh, dict, FixedColumn.Kind.INT64);
            case DOUBLE:
                return FixedColumn.of(desc, sh, dict, FixedColumn.Kind.DOUBLE);
            default:
                return new BinaryColumn(desc, sh, dict,
                        desc.getPrimitiveType().getLogicalTypeAnnotation()
                                instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation);
        }
    }

    void write(Object[] row) throws IOException {
        Node[] top = this.top;
        for (int i = 0; i < top.length; i++) {
            Column c = top[i].column;
            Object v = row[i];
            if (c == null) {
                write(top[i], v, 0);
            } else if (v == null) {
                c.addNull(0, 0);
            } else {
                c.add(0, 1, v);
            }
        }
        groupRows++;
        if (groupRows >= s.rowGroupRows
                || (groupRows % SIZE_CHECK_EVERY == 0 && bufferedBytes() >= s.rowGroupBytes)) {
            flushRowGroup();
        }
    }

    private static void write(Node n, Object v, int r) {
        if (v == null) {
            for (Column c : n.leaves) {
                c.addNull(r, n.def - 1);
            }
            return;
        }
        switch (n.kind) {
            case STRUCT: {
                Object[] a = (Object[]) v;
                Node[] ch = n.children;
                for (int i = 0; i < ch.length; i++) {
                    write(ch[i], a[i], r);
                }
                break;
            }
            case LIST: {
                Object[] a = (Object[]) v;
                if (a.length == 0) {
                    for (Column c : n.leaves) {
                        c.addNull(r, n.def);
                    }
                } else {
                    write(n.element, a[0], r);
                    for (int i = 1; i < a.length; i++) {
                        write(n.element, a[i], n.rep);
                    }
                }
                break;
            }
            default:
                n.column.add(r, n.def, v);
        }
    }

    private long bufferedBytes() {
        long b = 0;
        for (Column c : columns) {
            b += c.bufferedBytes();
        }
        return b;
    }

    private void flushRowGroup() throws IOException {
        if (groupRows == 0) {
            return;
        }
        w.startBlock(groupRows);
        for (Column c : columns) {
            c.writeChunk(w);
        }
        w.endBlock();
        groupRows = 0;
        rowGroups++;
    }

    /** Bytes written so far plus what the open row group holds, for rolling files at a target size. */
    long dataSize() throws IOException {
        return w.getPos() + bufferedBytes();
    }

    int rowGroups() {
        return rowGroups;
    }

    void close() throws IOException {
        flushRowGroup();
        w.end(meta);
    }

    void abort() throws IOException {
        w.close();
    }
}
