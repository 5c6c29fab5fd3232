package dev.tarn.lake.table;

import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.DecimalType;
import dev.tarn.lake.types.ListType;
import dev.tarn.lake.types.MapType;
import dev.tarn.lake.types.PrimitiveType;
import dev.tarn.lake.types.StructType;

/**
 * How the Delta protocol names Tarn's column types ({@code long}, {@code timestamp_ntz}, {@code
 * decimal(10,2)}, {@code struct}), for messages and listings that speak of a table's columns. The
 * schema JSON itself is written and read in one place, the table's log.
 */
public final class DeltaTypes {
    private DeltaTypes() {}

    /**
     * The Delta name of {@code t}: a primitive's name, {@code decimal(p,s)}, or struct / array /
     * map.
     */
    public static String name(DataType t) {
        if (t instanceof PrimitiveType p) {
            return p.deltaName();
        }
        if (t instanceof DecimalType d) {
            return "decimal(" + d.precision() + "," + d.scale() + ")";
        }
        if (t instanceof StructType) {
            return "struct";
        }
        if (t instanceof ListType) {
            return "array";
        }
        if (t instanceof MapType) {
            return "map";
        }
        throw new IllegalArgumentException("unknown type " + t);
    }

    /**
     * The full Delta spelling of {@code t}, nested types included: {@code
     * struct<a:long,b:array<string>>}.
     */
    public static String describe(DataType t) {
        if (t instanceof StructType s) {
            return "struct<"
                    + String.join(
                            ",",
                            s.fields().stream()
                                    .map(f -> f.name() + ":" + describe(f.type()))
                                    .toList())
                    + ">";
        }
        if (t instanceof ListType a) {
            return "array<" + describe(a.element()) + ">";
        }
        if (t instanceof MapType m) {
            return "map<" + describe(m.key()) + "," + describe(m.value()) + ">";
        }
        return name(t);
    }
}
