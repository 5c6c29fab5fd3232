package dev.tarn.lake.types;

import java.util.List;

/**
 * A column type of Tarn's one tabular model: what inference over JSON, CSV and Avro produces, what
 * Parquet files are written with, what a Delta table's schema holds and what SQL shows. Immutable
 * values.
 *
 * <p>Each outside type system has exactly one mapping to and from this model: {@link DuckDbTypes}
 * for SQL, the Delta schema JSON in lake-table, Avro and Parquet in lake-format (Parquet footers in
 * lake-table). Evolution rules (which change is allowed under which {@link SchemaPolicy}) live in
 * {@link SchemaEvolution} and {@link TypeWidening}.
 *
 * <p>{@link #toString()} is the DuckDB SQL spelling ({@code BIGINT}, {@code DECIMAL(10,2)}, {@code
 * VARCHAR[]}, {@code STRUCT("geo city" VARCHAR)}); {@link #kind()} allows a fast {@code switch} in
 * hot loops.
 */
public sealed interface DataType permits PrimitiveType, ParameterizedType {

    /** What a type is, for switching. */
    enum Kind {
        BOOLEAN,
        BYTE,
        SHORT,
        INT,
        LONG,
        FLOAT,
        DOUBLE,
        DECIMAL,
        STRING,
        BINARY,
        DATE,
        /** An instant: microseconds since the epoch, UTC. Text with an offset or {@code Z}. */
        TIMESTAMP,
        /** A wall-clock date-time without offset, microseconds; time zones never shift it. */
        TIMESTAMP_NTZ,
        STRUCT,
        LIST,
        MAP
    }

    DataType BOOLEAN = PrimitiveType.BOOLEAN;

    /** 8-bit signed integer. */
    DataType BYTE = PrimitiveType.BYTE;

    /** 16-bit signed integer. */
    DataType SHORT = PrimitiveType.SHORT;

    /** 32-bit signed integer. */
    DataType INT = PrimitiveType.INT;

    /** 64-bit signed integer. */
    DataType LONG = PrimitiveType.LONG;

    DataType FLOAT = PrimitiveType.FLOAT;
    DataType DOUBLE = PrimitiveType.DOUBLE;

    /** UTF-8 text. */
    DataType STRING = PrimitiveType.STRING;

    DataType BINARY = PrimitiveType.BINARY;
    DataType DATE = PrimitiveType.DATE;
    DataType TIMESTAMP = PrimitiveType.TIMESTAMP;
    DataType TIMESTAMP_NTZ = PrimitiveType.TIMESTAMP_NTZ;

    /** Largest decimal precision (Delta, Parquet and DuckDB all stop at 38). */
    int MAX_DECIMAL_PRECISION = 38;

    Kind kind();

    /** The DuckDB SQL spelling of this type. */
    String sql();

    // The methods below are abstract, each type implementing them, rather than default methods: an
    // interface with a
    // default method is initialized before any class implementing it, so the first use of
    // PrimitiveType would
    // initialize this interface while PrimitiveType's constants do not exist yet, leaving BOOLEAN,
    // LONG... null.
    // PrimitiveType implements them in the enum; the types with parameters share theirs as default
    // methods of
    // ParameterizedType, an interface without fields, whose initialization therefore cannot bring
    // that back.

    /** Whether this is a primitive (not a decimal, struct, list or map). */
    boolean isPrimitive();

    boolean isStruct();

    /** Whether this is one of the integer types (byte, short, int, long). */
    boolean isInteger();

    /** This type as a struct; {@link IllegalStateException} if it is not one. */
    StructType asStruct();

    /** This type as a list; {@link IllegalStateException} if it is not one. */
    ListType asList();

    /** This type as a map; {@link IllegalStateException} if it is not one. */
    MapType asMap();

    /** This type as a decimal; {@link IllegalStateException} if it is not one. */
    DecimalType asDecimal();

    /** A decimal with {@code precision} digits in all, {@code scale} of them after the point. */
    static DecimalType decimal(int precision, int scale) {
        return new DecimalType(precision, scale);
    }

    /** A list whose elements may be null. */
    static ListType list(DataType element) {
        return new ListType(element, true);
    }

    static ListType list(DataType element, boolean elementNullable) {
        return new ListType(element, elementNullable);
    }

    /** A map whose values may be null. Keys are never null. */
    static MapType map(DataType key, DataType value) {
        return new MapType(key, value, true);
    }

    static MapType map(DataType key, DataType value, boolean valueNullable) {
        return new MapType(key, value, valueNullable);
    }

    static StructType struct(List<Field> fields) {
        return new StructType(fields);
    }

    static StructType struct(Field... fields) {
        return new StructType(List.of(fields));
    }

    /**
     * Quotes an identifier for SQL when it is not a plain lower-case name ({@code "zip code"},
     * {@code "ID"}).
     */
    static String quoteIdentifier(String name) {
        boolean plain =
                !name.isEmpty()
                        && ((name.charAt(0) >= 'a' && name.charAt(0) <= 'z')
                                || name.charAt(0) == '_');
        for (int i = 0; plain && i < name.length(); i++) {
            char c = name.charAt(i);
            plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        }
        return plain ? name : '"' + name.replace("\"", "\"\"") + '"';
    }
}
