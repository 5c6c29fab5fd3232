package dev.tarn.lake.types;

/** The types without parameters, with their DuckDB and Delta names. */
public enum PrimitiveType implements DataType {
    BOOLEAN(Kind.BOOLEAN, "BOOLEAN", "boolean"),
    BYTE(Kind.BYTE, "TINYINT", "byte"),
    SHORT(Kind.SHORT, "SMALLINT", "short"),
    INT(Kind.INT, "INTEGER", "integer"),
    LONG(Kind.LONG, "BIGINT", "long"),
    FLOAT(Kind.FLOAT, "FLOAT", "float"),
    DOUBLE(Kind.DOUBLE, "DOUBLE", "double"),
    STRING(Kind.STRING, "VARCHAR", "string"),
    BINARY(Kind.BINARY, "BLOB", "binary"),
    DATE(Kind.DATE, "DATE", "date"),
    TIMESTAMP(Kind.TIMESTAMP, "TIMESTAMP WITH TIME ZONE", "timestamp"),
    TIMESTAMP_NTZ(Kind.TIMESTAMP_NTZ, "TIMESTAMP", "timestamp_ntz");

    private final Kind kind;
    private final String sql;
    private final String deltaName;

    PrimitiveType(Kind kind, String sql, String deltaName) {
        this.kind = kind;
        this.sql = sql;
        this.deltaName = deltaName;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String sql() {
        return sql;
    }

    /** The name in a Delta schema ({@code long}, {@code timestamp_ntz}). */
    public String deltaName() {
        return deltaName;
    }

    /** The primitive with this Delta name, or null. */
    public static PrimitiveType byDeltaName(String name) {
        for (PrimitiveType p : values()) {
            if (p.deltaName.equals(name)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return sql;
    }

    @Override
    public boolean isPrimitive() {
        return true;
    }

    @Override
    public boolean isStruct() {
        return false;
    }

    @Override
    public boolean isInteger() {
        return kind == Kind.BYTE || kind == Kind.SHORT || kind == Kind.INT || kind == Kind.LONG;
    }

    // These four repeat ParameterizedType's default methods on purpose. They cannot be defaults in
    // DataType (that left DataType's constants null: see DataType and TypeInitOrderTest), a
    // primitive is not a type with parameters, and an interface of their own for four refusals
    // would add a level to the sealed hierarchy that users see.
    @Override
    public StructType asStruct() {
        throw new IllegalStateException("not a struct: " + this);
    }

    @Override
    public ListType asList() {
        throw new IllegalStateException("not a list: " + this);
    }

    @Override
    public MapType asMap() {
        throw new IllegalStateException("not a map: " + this);
    }

    @Override
    public DecimalType asDecimal() {
        throw new IllegalStateException("not a decimal: " + this);
    }
}
