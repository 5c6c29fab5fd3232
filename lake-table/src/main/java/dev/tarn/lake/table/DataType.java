package dev.tarn.lake.table;

import java.util.List;
import java.util.Objects;

/**
 * A column type of a table, as the Delta Lake protocol names it (reader version 1, writer version 2): the primitive
 * types, {@code decimal(p,s)}, structs, arrays and maps. {@code timestamp} is an instant (microseconds, UTC);
 * timestamps without a time zone need a table feature that protocol 1/2 tables do not have, so there is no such type.
 */
public sealed interface DataType permits DataType.Primitive, DataType.Decimal, DataType.Struct, DataType.Array,
        DataType.MapType {

    /** The name in the Delta schema JSON, e.g. {@code long}, {@code decimal(10,2)}, {@code struct}. */
    String typeName();

    /** The primitive types and their names in the Delta schema JSON. */
    enum Primitive implements DataType {
        BOOLEAN("boolean"), BYTE("byte"), SHORT("short"), INTEGER("integer"), LONG("long"), FLOAT("float"),
        DOUBLE("double"), STRING("string"), BINARY("binary"), DATE("date"), TIMESTAMP("timestamp");

        private final String name;

        Primitive(String name) {
            this.name = name;
        }

        @Override
        public String typeName() {
            return name;
        }

        /** The primitive with this Delta name, or null. */
        public static Primitive byName(String name) {
            for (Primitive p : values()) {
                if (p.name.equals(name)) {
                    return p;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A fixed-point decimal: precision 1 to 38, scale 0 to precision. */
    record Decimal(int precision, int scale) implements DataType {
        public Decimal {
            if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
                throw new IllegalArgumentException("decimal(" + precision + "," + scale
                        + ") is not allowed: precision must be 1 to 38 and scale 0 to precision");
            }
        }

        @Override
        public String typeName() {
            return "decimal(" + precision + "," + scale + ")";
        }

        @Override
        public String toString() {
            return typeName();
        }
    }

    /** A struct of named fields. */
    record Struct(List<Field> fields) implements DataType {
        public Struct {
            fields = List.copyOf(fields);
        }

        @Override
        public String typeName() {
            return "struct";
        }
    }

    /** A list of elements. */
    record Array(DataType elementType, boolean containsNull) implements DataType {
        public Array {
            Objects.requireNonNull(elementType, "elementType");
        }

        @Override
        public String typeName() {
            return "array";
        }
    }

    /** A map from keys to values. */
    record MapType(DataType keyType, DataType valueType, boolean valueContainsNull) implements DataType {
        public MapType {
            Objects.requireNonNull(keyType, "keyType");
            Objects.requireNonNull(valueType, "valueType");
        }

        @Override
        public String typeName() {
            return "map";
        }
    }

    DataType BOOLEAN = Primitive.BOOLEAN;
    DataType BYTE = Primitive.BYTE;
    DataType SHORT = Primitive.SHORT;
    DataType INTEGER = Primitive.INTEGER;
    DataType LONG = Primitive.LONG;
    DataType FLOAT = Primitive.FLOAT;
    DataType DOUBLE = Primitive.DOUBLE;
    DataType STRING = Primitive.STRING;
    DataType BINARY = Primitive.BINARY;
    DataType DATE = Primitive.DATE;
    DataType TIMESTAMP = Primitive.TIMESTAMP;

    static DataType decimal(int precision, int scale) {
        return new Decimal(precision, scale);
    }

    static DataType array(DataType element) {
        return new Array(element, true);
    }

    static DataType map(DataType key, DataType value) {
        return new MapType(key, value, true);
    }

    static DataType struct(Field... fields) {
        return new Struct(List.of(fields));
    }
}
