package dev.tarn.lake.table.internal;

import dev.tarn.lake.TarnException;

/** Which Delta protocol versions Tarn reads and writes: reader 1, writer 2. */
public final class Protocols {
    public static final int READER_VERSION = 1;
    public static final int WRITER_VERSION = 2;

    private Protocols() {
    }

    public static Actions.Protocol current() {
        return new Actions.Protocol(READER_VERSION, WRITER_VERSION, null, null);
    }

    public static void checkReadable(TableState s, String table) {
        if (s.protocol() == null) {
            throw new TarnException("table " + table + " has no protocol action at version " + s.version()
                    + "; it is not a valid Delta table");
        }
        if (s.metadata() == null) {
            throw new TarnException("table " + table + " has no metaData action at version " + s.version()
                    + "; it is not a valid Delta table");
        }
        if (s.protocol().minReaderVersion() > READER_VERSION) {
            throw new TarnException("table " + table + " needs Delta reader version "
                    + s.protocol().minReaderVersion() + (s.protocol().readerFeatures() == null ? ""
                    : " with features " + s.protocol().readerFeatures()) + "; Tarn reads reader version "
                    + READER_VERSION + " tables");
        }
    }

    public static void checkWritable(TableState s, String table) {
        checkReadable(s, table);
        if (s.protocol().minWriterVersion() > WRITER_VERSION) {
            throw new TarnException("table " + table + " needs Delta writer version "
                    + s.protocol().minWriterVersion() + "; Tarn writes writer version " + WRITER_VERSION
                    + " tables (it can still read this one)");
        }
        String constrained = constrainedColumn(s.schema().fields());
        if (constrained != null) {
            throw new TarnException("table " + table + ": column " + constrained + " has an invariant"
                    + " (delta.invariants), which writer version 2 must enforce and Tarn cannot evaluate; Tarn does not"
                    + " write to this table (it can still read it)");
        }
    }

    private static String constrainedColumn(java.util.List<dev.tarn.lake.table.Field> fields) {
        for (dev.tarn.lake.table.Field f : fields) {
            if (f.metadata().containsKey("delta.invariants")) {
                return f.name();
            }
            if (f.type() instanceof dev.tarn.lake.table.DataType.Struct st) {
                String inner = constrainedColumn(st.fields());
                if (inner != null) {
                    return f.name() + "." + inner;
                }
            }
        }
        return null;
    }
}
