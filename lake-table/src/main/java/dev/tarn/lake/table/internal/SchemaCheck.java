package dev.tarn.lake.table.internal;

import dev.tarn.lake.exceptions.SchemaMismatchException;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.DeltaTypes;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.DecimalType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.ListType;
import dev.tarn.lake.types.MapType;
import dev.tarn.lake.types.Schema;
import dev.tarn.lake.types.SchemaEvolution;
import dev.tarn.lake.types.SchemaPolicy;
import dev.tarn.lake.types.StructType;
import dev.tarn.lake.types.TypeWidening;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Schema enforcement on write, by the one rule set ({@link SchemaEvolution}). Columns are matched
 * regardless of case. A file's columns must be columns of the table (partition columns are not
 * stored in files) whose type is the table's or {@linkplain TypeWidening narrower}; columns the
 * file lacks read as null, so they must be nullable. With evolution (policy WIDEN), columns the
 * table lacks are added as nullable columns and a column whose file type is wider widens to the
 * common type, recorded in the column's {@code delta.typeChanges} as the typeWidening feature
 * requires. Anything else is a {@link SchemaMismatchException} naming the file, the column and both
 * types.
 *
 * <p>A narrower file type is read as the table's type by a reader only through the typeWidening
 * feature (readers that implement it convert older, narrower values), unless its Parquet physical
 * type is the table's (byte, short and int are all INT32): such a file makes the table need the
 * feature. {@link Outcome#features} says which features the table needs after the write; the writer
 * adds the ones it lacks to the protocol in the same commit.
 */
public final class SchemaCheck {
    private SchemaCheck() {}

    /** The table schema after the files, and the table features it needs. */
    public record Outcome(Schema schema, Set<String> features, boolean widened) {}

    /**
     * The table schema after these files (see {@link #evolve}), failing on whatever does not fit.
     */
    public static Schema check(
            Schema table, List<String> partitionColumns, List<DataFile> files, boolean evolve) {
        return evolve(table, partitionColumns, files, evolve).schema();
    }

    public static Outcome evolve(
            Schema table, List<String> partitionColumns, List<DataFile> files, boolean evolve) {
        Schema result = table;
        boolean narrower = false;
        boolean widened = false;
        for (DataFile f : files) {
            if (f.schema() == null) {
                continue;
            }
            for (Field fc : f.schema().fields()) {
                if (partitionColumns.stream().anyMatch(p -> p.equalsIgnoreCase(fc.name()))) {
                    throw new SchemaMismatchException(
                            "file "
                                    + f.path()
                                    + " stores partition column '"
                                    + fc.name()
                                    + "'; partition values belong in the log, not in the data files");
                }
            }
            checkSpelling(f, f.schema().fields(), result.fields(), "");
            SchemaEvolution.Result r =
                    SchemaEvolution.evolve(
                            result,
                            f.schema(),
                            evolve ? SchemaPolicy.WIDEN : SchemaPolicy.STRICT,
                            "file " + f.path());
            if (!r.conflicts().isEmpty()) {
                throw new SchemaMismatchException(message(f, r.conflicts().get(0), result, evolve));
            }
            Schema next = withTypeChanges(result, r.schema());
            widened |= r.widened();
            for (Field fc : f.schema().fields()) {
                Field tc = next.field(fc.name()).orElseThrow();
                // nulls in a NOT NULL column: ConstraintEnforcer, at commit, on every write path
                narrower |= needsWideningToRead(fc.type(), tc.type());
            }
            for (Field tc : next.fields()) {
                if (!tc.nullable()
                        && partitionColumns.stream().noneMatch(p -> p.equalsIgnoreCase(tc.name()))
                        && f.schema().field(tc.name()).isEmpty()) {
                    throw new SchemaMismatchException(
                            "file "
                                    + f.path()
                                    + " lacks column '"
                                    + tc.name()
                                    + "', which the table declares not null");
                }
            }
            result = next;
        }
        Set<String> features = new TreeSet<>(Protocols.needed(result, Map.of()));
        if (narrower || widened) {
            features.add(Protocols.TYPE_WIDENING);
        }
        return new Outcome(result, features, widened);
    }

    /**
     * A data file must spell each column as the table does: without column mapping, readers find a
     * column in a file by its name, and not every reader ignores case there, so a file column
     * differing only in case would read as null in some of them. (Conversions write the table's
     * spelling; a file from elsewhere is refused.)
     */
    private static void checkSpelling(
            DataFile f, List<Field> file, List<Field> table, String prefix) {
        for (Field fc : file) {
            for (Field tc : table) {
                if (tc.name().equalsIgnoreCase(fc.name())) {
                    if (!tc.name().equals(fc.name())) {
                        throw new SchemaMismatchException(
                                "file "
                                        + f.path()
                                        + " has column '"
                                        + prefix
                                        + fc.name()
                                        + "', which differs only in case from the table's column '"
                                        + prefix
                                        + tc.name()
                                        + "'; write the file with the table's spelling");
                    }
                    if (fc.type() instanceof StructType fs && tc.type() instanceof StructType ts) {
                        checkSpelling(f, fs.fields(), ts.fields(), prefix + fc.name() + ".");
                    }
                }
            }
        }
    }

    private static String message(
            DataFile f, SchemaEvolution.Conflict c, Schema table, boolean evolve) {
        if (c.current() == null) {
            return "file "
                    + f.path()
                    + " has column '"
                    + c.column()
                    + "' ("
                    + DeltaTypes.describe(c.incoming())
                    + "), which table schema "
                    + table
                    + " does not have; use evolveSchema() to add it as a nullable"
                    + " column";
        }
        String head =
                "file "
                        + f.path()
                        + " has column '"
                        + c.column()
                        + "' of type "
                        + DeltaTypes.describe(c.incoming())
                        + " but the table's is "
                        + DeltaTypes.describe(c.current());
        if (!evolve && TypeWidening.common(c.current(), c.incoming()).isPresent()) {
            return head
                    + "; use evolveSchema() to widen the column (Delta's typeWidening feature: readers need"
                    + " reader version 3)";
        }
        return head
                + ", and no type holds both (Delta's type widening allows byte → short → int → long,"
                + " int → double, float → double, wider decimals and date → timestamp_ntz)";
    }

    /**
     * Whether values of a file column of type {@code file} read as {@code table} only through the
     * typeWidening feature: the types differ somewhere in a way that changes the Parquet physical
     * type or a decimal's scale.
     */
    static boolean needsWideningToRead(DataType file, DataType table) {
        if (file.equals(table)) {
            return false;
        }
        if (file instanceof StructType fs && table instanceof StructType ts) {
            for (Field f : fs.fields()) {
                var t = ts.field(f.name());
                if (t.isPresent() && needsWideningToRead(f.type(), t.get().type())) {
                    return true;
                }
            }
            return false;
        }
        if (file instanceof ListType fl && table instanceof ListType tl) {
            return needsWideningToRead(fl.element(), tl.element());
        }
        if (file instanceof MapType fm && table instanceof MapType tm) {
            return needsWideningToRead(fm.key(), tm.key())
                    || needsWideningToRead(fm.value(), tm.value());
        }
        if (file instanceof DecimalType fd && table instanceof DecimalType td) {
            return fd.scale() != td.scale() || physical(fd) != physical(td);
        }
        return !physical(file).equals(physical(table));
    }

    /** The Parquet physical type Tarn and Delta writers use for a primitive or decimal type. */
    private static String physical(DataType t) {
        if (t instanceof DecimalType d) {
            return d.precision() <= 9 ? "INT32" : d.precision() <= 18 ? "INT64" : "FIXED";
        }
        return switch (t.kind()) {
            case BYTE, SHORT, INT, DATE -> "INT32";
            case LONG, TIMESTAMP, TIMESTAMP_NTZ -> "INT64";
            default -> t.kind().name();
        };
    }

    /**
     * {@code after} with each type change from {@code before} recorded in the metadata of the
     * nearest struct field, as the typeWidening feature specifies ({@code fromType}, {@code
     * toType}, and {@code fieldPath} for list elements and map keys and values), after the changes
     * recorded before.
     */
    static Schema withTypeChanges(Schema before, Schema after) {
        if (before.equals(after)) {
            return after;
        }
        List<Field> out = new ArrayList<>();
        for (Field f : after.fields()) {
            var old = before.field(f.name());
            out.add(old.isPresent() ? recorded(old.get(), f) : f);
        }
        return new Schema(out);
    }

    private static Field recorded(Field before, Field after) {
        List<Map<String, Object>> changes = new ArrayList<>();
        DataType t = changes(before.type(), after.type(), "", changes);
        Field f = after.withType(t);
        if (changes.isEmpty()) {
            return f;
        }
        Map<String, Object> md = new LinkedHashMap<>(f.metadata());
        List<Object> history = new ArrayList<>();
        if (md.get(Protocols.TYPE_CHANGES) instanceof List<?> l) {
            history.addAll(l);
        }
        history.addAll(changes);
        md.put(Protocols.TYPE_CHANGES, history);
        return f.withMetadata(md);
    }

    /**
     * Collects the leaf type changes below one struct field, returning the new type with nested
     * fields recorded.
     */
    private static DataType changes(
            DataType before, DataType after, String path, List<Map<String, Object>> out) {
        if (before.equals(after)) {
            return after;
        }
        if (before instanceof StructType bs && after instanceof StructType as) {
            List<Field> fields = new ArrayList<>();
            for (Field f : as.fields()) {
                var old = bs.field(f.name());
                fields.add(old.isPresent() ? recorded(old.get(), f) : f);
            }
            return new StructType(fields);
        }
        if (before instanceof ListType bl && after instanceof ListType al) {
            return new ListType(
                    changes(bl.element(), al.element(), join(path, "element"), out),
                    al.elementNullable());
        }
        if (before instanceof MapType bm && after instanceof MapType am) {
            return new MapType(
                    changes(bm.key(), am.key(), join(path, "key"), out),
                    changes(bm.value(), am.value(), join(path, "value"), out),
                    am.valueNullable());
        }
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("fromType", DeltaTypes.name(before));
        change.put("toType", DeltaTypes.name(after));
        if (!path.isEmpty()) {
            change.put("fieldPath", path);
        }
        out.add(change);
        return after;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Same type, ignoring nullability and column metadata. */
    static boolean sameType(DataType a, DataType b) {
        if (a instanceof StructType sa && b instanceof StructType sb) {
            if (sa.fields().size() != sb.fields().size()) {
                return false;
            }
            for (int i = 0; i < sa.fields().size(); i++) {
                Field x = sa.fields().get(i);
                Field y = sb.fields().get(i);
                if (!x.name().equals(y.name()) || !sameType(x.type(), y.type())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof ListType xa && b instanceof ListType xb) {
            return sameType(xa.element(), xb.element());
        }
        if (a instanceof MapType ma && b instanceof MapType mb) {
            return sameType(ma.key(), mb.key()) && sameType(ma.value(), mb.value());
        }
        return a.equals(b);
    }
}
