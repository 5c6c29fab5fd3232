package dev.tarn.lake.format.internal.encode;

import dev.tarn.lake.format.internal.write.Staged;
import dev.tarn.lake.format.parquet.ParquetCodecs;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;

/**
 * Rows ({@code Object[]} per struct, {@code Object[]} per list) to one Parquet file: rows are
 * shredded into definition/repetition levels and values straight into this module's own column
 * encoders; {@link ParquetFile} lays out the finished pages, the page index and the footer.
 */
public final class RowFile {
    /**
     * A schema node: its definition level when present, the leaf columns under it. One subclass per
     * shape, so that the calls between nodes and into columns stay virtual calls, each target
     * compiled once on its own, rather than C2 inlining column encoders into one large recursive
     * method per call path.
     */
    private abstract static class Node {
        final int def;
        Column[] leaves;

        Node(int def) {
            this.def = def;
        }

        /** Writes value {@code v} (null or not) at repetition level {@code r}. */
        abstract void write(Object v, int r);

        final void nulls(int r, int d) {
            for (Column c : leaves) {
                c.addNull(r, d);
            }
        }
    }

    private static final class Leaf extends Node {
        final Column column;

        Leaf(int def, Column column) {
            super(def);
            this.column = column;
        }

        @Override
        void write(Object v, int r) {
            if (v == null) {
                column.addNull(r, def - 1);
            } else {
                column.add(r, def, v);
            }
        }
    }

    private static final class Struct extends Node {
        Node[] children;

        Struct(int def) {
            super(def);
        }

        @Override
        void write(Object v, int r) {
            if (v == null) {
                nulls(r, def - 1);
                return;
            }
            Object[] a = (Object[]) v;
            Node[] ch = children;
            for (int i = 0; i < ch.length; i++) {
                ch[i].write(a[i], r);
            }
        }
    }

    private static final class ListNode extends Node {
        /** Repetition level of the items. */
        final int rep;

        Node element;

        ListNode(int def, int rep) {
            super(def);
            this.rep = rep;
        }

        @Override
        void write(Object v, int r) {
            if (v == null) {
                nulls(r, def - 1);
                return;
            }
            Object[] a = (Object[]) v;
            if (a.length == 0) {
                nulls(r, def);
                return;
            }
            element.write(a[0], r);
            for (int i = 1; i < a.length; i++) {
                element.write(a[i], rep);
            }
        }
    }

    private static final int SIZE_CHECK_EVERY = 1024;

    private final ParquetFile w;
    private final Node[] top;
    private final Column[] columns;
    private final ParquetRows.Settings s;
    private final Map<String, String> meta;
    private long groupRows;
    private int rowGroups;

    public RowFile(
            Staged staged,
            DataType struct,
            ParquetRows.Settings s,
            Map<String, String> meta,
            ParquetCodecs codecs)
            throws IOException {
        this.s = s;
        this.meta = new HashMap<>(meta);
        this.meta.put("writer.model.name", "tarn");
        MessageType schema = ParquetRows.messageType(struct);
        w = new ParquetFile(staged.stream(), schema);
        Column.Shared sh =
                new Column.Shared(
                        codecs.getCompressor(s.codec), s.codec, s.pageBytes, s.dictionaryBytes);
        List<Column> cols = new ArrayList<>();
        List<Field> fields = struct.asStruct().fields();
        top = new Node[fields.size()];
        for (int i = 0; i < top.length; i++) {
            List<String> path = new ArrayList<>();
            path.add(fields.get(i).name());
            top[i] = node(fields.get(i).type(), path, 1, 0, schema, sh, cols);
        }
        columns = cols.toArray(new Column[0]);
    }

    private Node node(
            DataType t,
            List<String> path,
            int def,
            int rep,
            MessageType schema,
            Column.Shared sh,
            List<Column> cols) {
        int first = cols.size();
        Node n;
        switch (t.kind()) {
            case STRUCT:
                {
                    Struct st = new Struct(def);
                    List<Field> fs = t.asStruct().fields();
                    st.children = new Node[fs.size()];
                    for (int i = 0; i < fs.size(); i++) {
                        path.add(fs.get(i).name());
                        st.children[i] =
                                node(fs.get(i).type(), path, def + 1, rep, schema, sh, cols);
                        path.remove(path.size() - 1);
                    }
                    n = st;
                    break;
                }
            case LIST:
                {
                    ListNode l = new ListNode(def, rep + 1);
                    path.add("list");
                    path.add("element");
                    // the optional list, its repeated group, then the optional element
                    l.element =
                            node(t.asList().element(), path, def + 2, rep + 1, schema, sh, cols);
                    path.remove(path.size() - 1);
                    path.remove(path.size() - 1);
                    n = l;
                    break;
                }
            case MAP:
                {
                    // the optional map and its repeated key_value group make the map's entries a
                    // list of key/value
                    // pairs; the key is required, so it is present at the entry's level
                    ListNode l = new ListNode(def, rep + 1);
                    Struct kv = new Struct(def + 1);
                    int kvFirst = cols.size();
                    path.add("key_value");
                    path.add("key");
                    Node key = node(DataType.STRING, path, def + 1, rep + 1, schema, sh, cols);
                    path.set(path.size() - 1, "value");
                    Node value = node(t.asMap().value(), path, def + 2, rep + 1, schema, sh, cols);
                    path.remove(path.size() - 1);
                    path.remove(path.size() - 1);
                    kv.children = new Node[] {key, value};
                    kv.leaves = cols.subList(kvFirst, cols.size()).toArray(new Column[0]);
                    l.element = kv;
                    n = l;
                    break;
                }
            default:
                {
                    String[] p = path.toArray(new String[0]);
                    org.apache.parquet.column.ColumnDescriptor desc =
                            schema.getColumnDescription(p);
                    boolean dict = s.dictionary && !s.noDictionary.contains(String.join(".", p));
                    Column c = column(desc, sh, dict);
                    cols.add(c);
                    n = new Leaf(def, c);
                }
        }
        n.leaves = cols.subList(first, cols.size()).toArray(new Column[0]);
        return n;
    }

    private static Column column(
            org.apache.parquet.column.ColumnDescriptor desc, Column.Shared sh, boolean dict) {
        switch (desc.getPrimitiveType().getPrimitiveTypeName()) {
            case BOOLEAN:
                return FixedColumn.of(desc, sh, dict, FixedColumn.Kind.BOOLEAN);
            case INT32:
                return FixedColumn.of(desc, sh, dict, FixedColumn.Kind.INT32);
            case INT64:
                return FixedColumn.of(desc, sh, dict, FixedColumn.Kind.INT64);
            case DOUBLE:
                return FixedColumn.of(desc, sh, dict, FixedColumn.Kind.DOUBLE);
            case FLOAT:
                return FixedColumn.of(desc, sh, dict, FixedColumn.Kind.FLOAT);
            default:
                return new BinaryColumn(
                        desc,
                        sh,
                        dict,
                        desc.getPrimitiveType().getLogicalTypeAnnotation()
                                instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation);
        }
    }

    public void write(Object[] row) throws IOException {
        Node[] top = this.top;
        for (int i = 0; i < top.length; i++) {
            // every leaf goes through Leaf.write, so its call into the columns sees all column
            // classes
            top[i].write(row[i], 0);
        }
        groupRows++;
        if (groupRows >= s.rowGroupRows
                || (groupRows % SIZE_CHECK_EVERY == 0 && bufferedBytes() >= s.rowGroupBytes)) {
            flushRowGroup();
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
        w.startGroup(groupRows);
        for (Column c : columns) {
            c.writeChunk(w);
        }
        w.endGroup();
        groupRows = 0;
        rowGroups++;
    }

    /**
     * Bytes written so far plus what the open row group holds, for rolling files at a target size.
     */
    public long dataSize() throws IOException {
        return w.pos() + bufferedBytes();
    }

    public int rowGroups() {
        return rowGroups;
    }

    public void close() throws IOException {
        flushRowGroup();
        w.end(meta);
    }

    public void abort() throws IOException {
        w.abort();
    }
}
