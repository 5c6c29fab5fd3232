package dev.tarn.lake.format.internal;

import dev.tarn.lake.format.DataType;
import dev.tarn.lake.format.DataType.Kind;
import dev.tarn.lake.format.Field;
import dev.tarn.lake.format.SchemaChange;
import dev.tarn.lake.format.SchemaPolicy;

import java.util.ArrayList;
import java.util.List;

/** Type-level schema merging under a {@link SchemaPolicy}, for explicit schemas and across inputs. */
final class Schemas {
    private Schemas() {
    }

    /**
     * Merges {@code inc} (the schema of a later input) into {@code base}. STRICT keeps {@code base}; ADD_COLUMNS
     * appends new fields; WIDEN also widens types. Records of {@code inc} that do not fit the result are quarantined
     * by the conversion.
     */
    static DataType merge(DataType base, DataType inc, SchemaPolicy policy, String path, List<SchemaChange> changes,
                          String source) {
        if (base.equals(inc) || policy == SchemaPolicy.STRICT) {
            return base;
        }
        if (base.kind() == Kind.STRUCT && inc.kind() == Kind.STRUCT) {
            List<Field> out = new ArrayList<>();
            for (Field f : base.fields()) {
                java.util.Optional<Field> g = inc.field(f.name());
                if (g.isPresent()) {
                    DataType t = merge(f.type(), g.get().type(), policy, join(path, f.name()), changes, source);
                    out.add(new Field(f.name(), t, f.nullable() || g.get().nullable()));
                } else {
                    out.add(new Field(f.name(), f.type(), true));
                }
            }
            for (Field g : inc.fields()) {
                if (base.field(g.name()).isEmpty()) {
                    out.add(new Field(g.name(), g.type(), true));
                    changes.add(new SchemaChange(join(path, g.name()), null, g.type(), "new column in " + source));
                }
            }
            return DataType.struct(out);
        }
        if (base.kind() == Kind.LIST && inc.kind() == Kind.LIST) {
            DataType e = merge(base.element(), inc.element(), policy, path + "[]", changes, source);
            return e.equals(base.element()) ? base : DataType.list(e);
        }
        if (base.kind() == Kind.MAP && inc.kind() == Kind.MAP) {
            DataType v = merge(base.valueType(), inc.valueType(), policy, path + "{}", changes, source);
            return v.equals(base.valueType()) && base.valueNullable() == (base.valueNullable() || inc.valueNullable())
                    ? base : DataType.map(base.keyType(), v, base.valueNullable() || inc.valueNullable());
        }
        if (policy != SchemaPolicy.WIDEN) {
            return base;
        }
        DataType w = widen(base, inc);
        if (!w.equals(base)) {
            changes.add(new SchemaChange(path, base, w, source + " has " + inc));
        }
        return w;
    }

    /** The narrowest type holding values of both scalar types; VARCHAR as the last resort. */
    static DataType widen(DataType a, DataType b) {
        if (a.equals(b)) {
            return a;
        }
        Kind x = a.kind(), y = b.kind();
        if (isInt(x) && isInt(y)) {
            return DataType.LONG;
        }
        if ((isInt(x) && y == Kind.DOUBLE) || (x == Kind.DOUBLE && isInt(y))) {
            return DataType.DOUBLE;
        }
        if (x == Kind.DECIMAL || y == Kind.DECIMAL) {
            if (x == Kind.DOUBLE || y == Kind.DOUBLE) {
                return DataType.DOUBLE;
            }
            int[] pa = decimalShape(a), pb = decimalShape(b);
            if (pa != null && pb != null) {
                int scale = Math.max(pa[1], pb[1]);
                int whole = Math.max(pa[0] - pa[1], pb[0] - pb[1]);
                if (whole + scale <= DataType.MAX_DECIMAL_PRECISION) {
                    return DataType.decimal(Math.max(1, whole + scale), scale);
                }
            }
            return DataType.STRING;
        }
        if ((x == Kind.DATE && y == Kind.TIMESTAMP_LOCAL) || (x == Kind.TIMESTAMP_LOCAL && y == Kind.DATE)) {
            return DataType.TIMESTAMP_LOCAL;
        }
        return DataType.STRING;
    }

    private static int[] decimalShape(DataType t) {
        switch (t.kind()) {
            case INT: return new int[]{10, 0};
            case LONG: return new int[]{19, 0};
            case DECIMAL: return new int[]{t.precision(), t.scale()};
            default: return null;
        }
    }

    private static boolean isInt(Kind k) {
        return k == Kind.INT || k == Kind.LONG;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
