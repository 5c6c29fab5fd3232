package dev.tarn.lake.table.internal;

import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.DataType;
import dev.tarn.lake.table.Field;
import dev.tarn.lake.table.Schema;
import dev.tarn.lake.table.SchemaMismatchException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Schema enforcement on write. A file's columns must be columns of the table with the same type (partition columns
 * are not stored in files); columns the file lacks read as null, so they must be nullable. With evolution, columns
 * the table lacks are added as nullable columns. Type changes, even widenings, are refused: in the Delta protocol
 * they need the {@code typeWidening} table feature (reader 3 / writer 7), which protocol 1/2 tables cannot have.
 */
public final class SchemaCheck {
    private SchemaCheck() {
    }

    /** The table schema after these files: the same one, or with added columns if {@code evolve}. */
    public static Schema check(Schema table, List<String> partitionColumns, List<DataFile> files, boolean evolve) {
        Schema result = table;
        for (DataFile f : files) {
            if (f.schema() == null) {
                continue;
            }
            List<Field> added = new ArrayList<>();
            for (Field fc : f.schema().fields()) {
                if (partitionColumns.contains(fc.name())) {
                    throw new SchemaMismatchException("file " + f.path() + " stores partition column '" + fc.name()
                            + "'; partition values belong in the log, not in the data files");
                }
                var tc = result.field(fc.name());
                if (tc.isEmpty()) {
                    if (result.fields().stream().anyMatch(x -> x.name().equalsIgnoreCase(fc.name()))) {
                        throw new SchemaMismatchException("file " + f.path() + " has column '" + fc.name()
                                + "', which differs only in case from a table column");
                    }
                    if (!evolve) {
                        throw new SchemaMismatchException("file " + f.path() + " has column '" + fc.name() + "' ("
                                + fc.type().typeName() + "), which table schema " + result
                                + " does not have; use evolveSchema() to add it as a nullable column");
                    }
                    added.add(new Field(fc.name(), nullableDeep(fc.type()), true, Map.of()));
                    continue;
                }
                if (!sameType(tc.get().type(), fc.type())) {
                    throw new SchemaMismatchException("file " + f.path() + " has column '" + fc.name() + "' of type "
                            + describe(fc.type()) + " but the table's is " + describe(tc.get().type())
                            + "; changing a column's type needs the Delta typeWidening feature (protocol reader 3 /"
                            + " writer 7), which Tarn's protocol 1/2 tables do not have");
                }
                if (!tc.get().nullable() && f.stats() != null) {
                    Object nulls = f.stats().nullCount().get(fc.name());
                    if (nulls instanceof Number n && n.longValue() > 0) {
                        throw new SchemaMismatchException("file " + f.path() + " has " + n + " nulls in column '"
                                + fc.name() + "', which the table declares not null");
                    }
                }
            }
            for (Field tc : result.fields()) {
                if (!tc.nullable() && !partitionColumns.contains(tc.name()) && f.schema().field(tc.name()).isEmpty()) {
                    throw new SchemaMismatchException("file " + f.path() + " lacks column '" + tc.name()
                            + "', which the table declares not null");
                }
            }
            if (!added.isEmpty()) {
                result = result.plus(added);
            }
        }
        return result;
    }

    private static DataType nullableDeep(DataType t) {
        return t;
    }

    /** Same type, ignoring nullability and column metadata. */
    static boolean sameType(DataType a, DataType b) {
        if (a instanceof DataType.Struct sa && b instanceof DataType.Struct sb) {
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
        if (a instanceof DataType.Array xa && b instanceof DataType.Array xb) {
            return sameType(xa.elementType(), xb.elementType());
        }
        if (a instanceof DataType.MapType ma && b instanceof DataType.MapType mb) {
            return sameType(ma.keyType(), mb.keyType()) && sameType(ma.valueType(), mb.valueType());
        }
        return a.equals(b);
    }

    private static String describe(DataType t) {
        if (t instanceof DataType.Struct s) {
            return "struct<" + String.join(",", s.fields().stream().map(f -> f.name() + ":" + describe(f.type()))
                    .toList()) + ">";
        }
        if (t instanceof DataType.Array a) {
            return "array<" + describe(a.elementType()) + ">";
        }
        if (t instanceof DataType.MapType m) {
            return "map<" + describe(m.keyType()) + "," + describe(m.valueType()) + ">";
        }
        return t.typeName();
    }
}
