package dev.tarn.lake.table.internal;

import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.ListType;
import dev.tarn.lake.types.MapType;
import dev.tarn.lake.types.Schema;
import dev.tarn.lake.types.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which Delta protocols Tarn reads and writes. A table is created at reader 1 / writer 2 unless its
 * schema needs a table feature: then at reader 3 / writer 7 with exactly the features it needs, of
 * the ones Tarn implements — {@code timestampNtz} (a column of timestamps without time zone) and
 * {@code typeWidening} (a column whose type widened, or a data file whose column type is narrower
 * than the table's). CHECK constraints alone take the legacy writer version 3 ({@code
 * checkConstraints} at writer version 7). Tables with other features, or at reader 2 (column
 * mapping) or writer 4 to 6, are refused naming what they need; nothing is ever downgraded.
 */
public final class Protocols {
    public static final String TIMESTAMP_NTZ = "timestampNtz";
    public static final String TYPE_WIDENING = "typeWidening";

    /**
     * The writer feature of CHECK constraints ({@code delta.constraints.<name>}); writer version 3
     * implies it.
     */
    public static final String CHECK_CONSTRAINTS = "checkConstraints";

    /** The table property that allows type changes on a table with the typeWidening feature. */
    public static final String ENABLE_TYPE_WIDENING = "delta.enableTypeWidening";

    /** Column metadata holding the history of a column's type changes. */
    public static final String TYPE_CHANGES = "delta.typeChanges";

    /**
     * Reader features Tarn implements (typeWidening-preview is the same specification under its
     * earlier name).
     */
    static final Set<String> READER_FEATURES =
            Set.of(TIMESTAMP_NTZ, TYPE_WIDENING, "typeWidening-preview");

    /**
     * Writer features Tarn implements: the two above, and the features writer version 2 implies
     * (append-only tables are enforced by the transaction; columns with invariants are refused by
     * {@link #checkWritable}).
     */
    static final Set<String> WRITER_FEATURES =
            Set.of(
                    TIMESTAMP_NTZ,
                    TYPE_WIDENING,
                    "typeWidening-preview",
                    "appendOnly",
                    "invariants",
                    CHECK_CONSTRAINTS);

    /** The writer features a legacy writer version 2 table has without naming them. */
    private static final List<String> WRITER_2_FEATURES = List.of("appendOnly", "invariants");

    /** The writer features a legacy writer version 3 table has without naming them. */
    private static final List<String> WRITER_3_FEATURES =
            List.of("appendOnly", "invariants", CHECK_CONSTRAINTS);

    /**
     * Features that only writers need (a reader reads the table without knowing them): they go to
     * {@code writerFeatures} alone.
     */
    private static final Set<String> WRITER_ONLY = Set.of(CHECK_CONSTRAINTS);

    private Protocols() {}

    /** The protocol of a table without features. */
    public static Actions.Protocol legacy() {
        return new Actions.Protocol(1, 2, null, null);
    }

    /**
     * The protocol of a new table that needs these features: 1/2 without any, else 3/7 with them.
     */
    public static Actions.Protocol withFeatures(Set<String> features) {
        return features.isEmpty() ? legacy() : upgrade(legacy(), features);
    }

    /** Whether the table has CHECK constraints in these properties. */
    static boolean hasCheckConstraints(Map<String, String> properties) {
        for (String k : properties.keySet()) {
            if (k.toLowerCase(java.util.Locale.ROOT)
                    .startsWith(dev.tarn.lake.table.Constraint.PROPERTY_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    /** The features a table with this schema and properties needs. */
    public static Set<String> needed(Schema schema, Map<String, String> properties) {
        Set<String> out = new TreeSet<>();
        if (hasNtz(schema.fields())) {
            out.add(TIMESTAMP_NTZ);
        }
        if ("true".equalsIgnoreCase(properties.get(ENABLE_TYPE_WIDENING))
                || hasTypeChanges(schema.fields())) {
            out.add(TYPE_WIDENING);
        }
        if (hasCheckConstraints(properties)) {
            out.add(CHECK_CONSTRAINTS);
        }
        return out;
    }

    /** Whether {@code p} has every one of {@code features} (a legacy protocol has none). */
    public static boolean supports(Actions.Protocol p, Set<String> features) {
        if (features.isEmpty()) {
            return true;
        }
        if (features.equals(Set.of(CHECK_CONSTRAINTS))) {
            // writer versions 3 to 6 imply it; 7 names it
            return (p.minWriterVersion() >= 3 && p.minWriterVersion() < 7)
                    || (p.minWriterVersion() == 7
                            && p.writerFeatures() != null
                            && p.writerFeatures().contains(CHECK_CONSTRAINTS));
        }
        if (features.contains(CHECK_CONSTRAINTS) && !supports(p, Set.of(CHECK_CONSTRAINTS))) {
            return false;
        }
        features = new TreeSet<>(features);
        features.removeAll(WRITER_ONLY);
        if (features.isEmpty()) {
            return true;
        }
        if (p.minReaderVersion() < 3
                || p.minWriterVersion() < 7
                || p.readerFeatures() == null
                || p.writerFeatures() == null) {
            return false;
        }
        for (String f : features) {
            boolean r =
                    p.readerFeatures().contains(f)
                            || (f.equals(TYPE_WIDENING)
                                    && p.readerFeatures().contains("typeWidening-preview"));
            boolean w =
                    p.writerFeatures().contains(f)
                            || (f.equals(TYPE_WIDENING)
                                    && p.writerFeatures().contains("typeWidening-preview"));
            if (!r || !w) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code p} with {@code features} added (all of them reader-writer features): a legacy protocol
     * becomes 3/7 and names the features its writer version implied, as the protocol requires of an
     * upgrade to writer version 7.
     */
    public static Actions.Protocol upgrade(Actions.Protocol p, Set<String> features) {
        if (WRITER_ONLY.containsAll(features) && p.minWriterVersion() < 7) {
            // CHECK constraints alone: the legacy writer version 3, which every Delta writer knows
            return new Actions.Protocol(
                    p.minReaderVersion(), Math.max(3, p.minWriterVersion()), null, null);
        }
        Set<String> readers = new TreeSet<>(features);
        readers.removeAll(WRITER_ONLY);
        Set<String> writers = new TreeSet<>(features);
        if (p.minReaderVersion() >= 3 && p.readerFeatures() != null) {
            readers.addAll(p.readerFeatures());
        }
        if (p.minWriterVersion() >= 7 && p.writerFeatures() != null) {
            writers.addAll(p.writerFeatures());
        } else if (p.minWriterVersion() >= 3) {
            writers.addAll(WRITER_3_FEATURES);
        } else if (p.minWriterVersion() >= 2) {
            writers.addAll(WRITER_2_FEATURES);
        }
        return new Actions.Protocol(3, 7, new ArrayList<>(readers), new ArrayList<>(writers));
    }

    public static void checkReadable(TableState s, String table) {
        if (s.protocol() == null) {
            throw new TarnException(
                    ErrorCode.TABLE_LOG_BROKEN,
                    "table "
                            + table
                            + " has no protocol action at version "
                            + s.version()
                            + "; it is not a valid Delta table");
        }
        if (s.metadata() == null) {
            throw new TarnException(
                    ErrorCode.TABLE_LOG_BROKEN,
                    "table "
                            + table
                            + " has no metaData action at version "
                            + s.version()
                            + "; it is not a valid Delta table");
        }
        Actions.Protocol p = s.protocol();
        if (p.minReaderVersion() == 1) {
            return;
        }
        if (p.minReaderVersion() == 3) {
            List<String> unknown = unknown(p.readerFeatures(), READER_FEATURES);
            if (unknown.isEmpty()) {
                return;
            }
            throw new TarnException(
                    ErrorCode.UNSUPPORTED_TABLE_FEATURE,
                    "table "
                            + table
                            + " needs Delta reader version 3 with the features "
                            + unknown
                            + ", which Tarn does not implement (it reads tables with "
                            + new TreeSet<>(List.of(TIMESTAMP_NTZ, TYPE_WIDENING))
                            + ")");
        }
        throw new TarnException(
                ErrorCode.UNSUPPORTED_TABLE_FEATURE,
                "table "
                        + table
                        + " needs Delta reader version "
                        + p.minReaderVersion()
                        + (p.minReaderVersion() == 2 ? " (column mapping)" : "")
                        + "; Tarn reads reader version 1 tables and"
                        + " reader version 3 tables with the features "
                        + new TreeSet<>(List.of(TIMESTAMP_NTZ, TYPE_WIDENING)));
    }

    public static void checkWritable(TableState s, String table) {
        checkReadable(s, table);
        Actions.Protocol p = s.protocol();
        if (p.minWriterVersion() == 7) {
            List<String> unknown = unknown(p.writerFeatures(), WRITER_FEATURES);
            if (!unknown.isEmpty()) {
                throw new TarnException(
                        ErrorCode.UNSUPPORTED_TABLE_FEATURE,
                        "table "
                                + table
                                + " needs Delta writer version 7 with the features "
                                + unknown
                                + ", which Tarn does not implement; Tarn does not write to this table (it can still read it)");
            }
        } else if (p.minWriterVersion() > 3) {
            throw new TarnException(
                    ErrorCode.UNSUPPORTED_TABLE_FEATURE,
                    "table "
                            + table
                            + " needs Delta writer version "
                            + p.minWriterVersion()
                            + "; Tarn writes writer version 2 and 3 tables, and writer version 7 tables with the features "
                            + new TreeSet<>(List.of(TIMESTAMP_NTZ, TYPE_WIDENING))
                            + " (it can still read this one)");
        }
        String constrained = nestedInvariant(s.schema().fields());
        if (constrained != null) {
            throw new TarnException(
                    ErrorCode.UNSUPPORTED_TABLE_FEATURE,
                    "table "
                            + table
                            + ": nested column "
                            + constrained
                            + " has an invariant"
                            + " (delta.invariants), which Tarn evaluates on top-level columns only; Tarn does"
                            + " not write to this table (it can still read it)");
        }
    }

    private static List<String> unknown(List<String> features, Set<String> known) {
        List<String> out = new ArrayList<>();
        if (features != null) {
            for (String f : features) {
                if (!known.contains(f)) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static boolean hasNtz(List<Field> fields) {
        for (Field f : fields) {
            if (hasNtz(f.type())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasNtz(DataType t) {
        if (t == DataType.TIMESTAMP_NTZ) {
            return true;
        }
        if (t instanceof StructType s) {
            return hasNtz(s.fields());
        }
        if (t instanceof ListType l) {
            return hasNtz(l.element());
        }
        if (t instanceof MapType m) {
            return hasNtz(m.key()) || hasNtz(m.value());
        }
        return false;
    }

    private static boolean hasTypeChanges(List<Field> fields) {
        for (Field f : fields) {
            if (f.metadata().containsKey(TYPE_CHANGES)
                    || (f.type() instanceof StructType s && hasTypeChanges(s.fields()))) {
                return true;
            }
        }
        return false;
    }

    /** A column inside a struct that has an invariant (top-level ones are enforced). */
    private static String nestedInvariant(List<Field> fields) {
        for (Field f : fields) {
            if (f.type() instanceof StructType st) {
                String inner = constrainedColumn(st.fields());
                if (inner != null) {
                    return f.name() + "." + inner;
                }
            }
        }
        return null;
    }

    private static String constrainedColumn(List<Field> fields) {
        for (Field f : fields) {
            if (f.metadata().containsKey("delta.invariants")) {
                return f.name();
            }
            if (f.type() instanceof StructType st) {
                String inner = constrainedColumn(st.fields());
                if (inner != null) {
                    return f.name() + "." + inner;
                }
            }
        }
        return null;
    }
}
