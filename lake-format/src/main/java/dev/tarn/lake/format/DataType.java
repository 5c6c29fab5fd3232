package dev.tarn.lake.format;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A column type of Tarn's tabular model: what inference produces, what an explicit schema declares, and what the
 * Parquet files are written with. Immutable.
 *
 * <p>Names follow DuckDB's SQL spelling in {@link #toString()} ({@code BIGINT}, {@code VARCHAR},
 * {@code STRUCT("geo city" VARCHAR)}, {@code VARCHAR[]}).
 */
public final class DataType {

    /** The kind of a type. */
    public enum Kind {
        BOOLEAN("BOOLEAN"),
        /** 32-bit signed integer. */
        INT("INTEGER"),
        /** 64-bit signed integer. */
        LONG("BIGINT"),
        DOUBLE("DOUBLE"),
        /** Exact decimal with a precision of at most 38 digits. */
        DECIMAL("DECIMAL"),
        /** UTF-8 text. */
        STRING("VARCHAR"),
        /** Raw bytes (from Avro {@code bytes}/{@code fixed}). */
        BINARY("BLOB"),
        /** Calendar date. */
        DATE("DATE"),
        /** An instant, microsecond precision, stored in UTC (ISO-8601 text with an offset or {@code Z}). */
        TIMESTAMP("TIMESTAMP WITH TIME ZONE"),
        /** A wall-clock date-time without offset, microsecond precision. */
        TIMESTAMP_LOCAL("TIMESTAMP"),
        STRUCT("STRUCT"),
        LIST("LIST"),
        /** Text keys to values: a Parquet MAP (from Avro maps). */
        MAP("MAP");

        private final String sql;

        Kind(String sql) {
            this.sql = sql;
        }

        /** The DuckDB SQL spelling of this kind. */
        public String sql() {
            return sql;
        }
    }

    public static final DataType BOOLEAN = new DataType(Kind.BOOLEAN, 0, 0, null, null);
    public static final DataType INT = new DataType(Kind.INT, 0, 0, null, null);
    public static final DataType LONG = new DataType(Kind.LONG, 0, 0, null, null);
    public static final DataType DOUBLE = new DataType(Kind.DOUBLE, 0, 0, null, null);
    public static final DataType STRING = new DataType(Kind.STRING, 0, 0, null, null);
    public static final DataType BINARY = new DataType(Kind.BINARY, 0, 0, null, null);
    public static final DataType DATE = new DataType(Kind.DATE, 0, 0, null, null);
    public static final DataType TIMESTAMP = new DataType(Kind.TIMESTAMP, 0, 0, null, null);
    public static final DataType TIMESTAMP_LOCAL = new DataType(Kind.TIMESTAMP_LOCAL, 0, 0, null, null);

    /** Largest decimal precision Tarn writes. */
    public static final int MAX_DECIMAL_PRECISION = 38;

    private final Kind kind;
    private final int precision;
    private final int scale;
    private final List<Field> fields;
    private final DataType element;
    private final boolean elementNullable;
    private final DataType key;

    private DataType(Kind kind, int precision, int scale, List<Field> fields, DataType element) {
        this(kind, precision, scale, fields, element, true);
    }

    private DataType(Kind kind, int precision, int scale, List<Field> fields, DataType element,
                     boolean elementNullable) {
        this(kind, precision, scale, fields, element, elementNullable, null);
    }

    private DataType(Kind kind, int precision, int scale, List<Field> fields, DataType element,
                     boolean elementNullable, DataType key) {
        this.key = key;
        this.kind = kind;
        this.precision = precision;
        this.scale = scale;
        this.fields = fields;
        this.element = element;
        this.elementNullable = elementNullable;
    }

    /** A decimal with {@code precision} digits in all, {@code scale} of them after the point. */
    public static DataType decimal(int precision, int scale) {
        if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale < 0 || scale > precision) {
            throw new IllegalArgumentException("invalid DECIMAL(" + precision + "," + scale + "): precision must be 1.."
                    + MAX_DECIMAL_PRECISION + " and scale 0..precision");
        }
        return new DataType(Kind.DECIMAL, precision, scale, null, null);
    }

    /** A list whose elements have type {@code element} (elements may be null). */
    public static DataType list(DataType element) {
        return list(element, true);
    }

    /**
     * A list whose elements have type {@code element}; with {@code elementNullable == false} an explicit schema
     * quarantines records with a null element (as an Avro {@code array} of a non-union type declares).
     */
    public static DataType list(DataType element, boolean elementNullable) {
        return new DataType(Kind.LIST, 0, 0, null, Objects.requireNonNull(element, "element"), elementNullable);
    }

    /** A map from text keys to values of type {@code value} (values may be null). */
    public static DataType map(DataType key, DataType value) {
        return map(key, value, true);
    }

    /**
     * A map from keys of type {@code key} to values of type {@code value}. Keys are never null and must be
     * {@link #STRING} (what Avro maps have); with {@code valueNullable == false} an explicit schema quarantines
     * records with a null value.
     */
    public static DataType map(DataType key, DataType value, boolean valueNullable) {
        if (!STRING.equals(key)) {
            throw new IllegalArgumentException("map keys must be VARCHAR, got " + key);
        }
        return new DataType(Kind.MAP, 0, 0, null, Objects.requireNonNull(value, "value"), valueNullable, key);
    }

    /** A struct with the given fields, in order. Field names must be unique. */
    public static DataType struct(List<Field> fields) {
        List<Field> copy = List.copyOf(fields);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Field f : copy) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException("duplicate field name in struct: \"" + f.name() + "\"");
            }
        }
        return new DataType(Kind.STRUCT, 0, 0, copy, null);
    }

    public static DataType struct(Field... fields) {
        return struct(List.of(fields));
    }

    public Kind kind() {
        return kind;
    }

    /** Decimal precision (0 for other kinds). */
    public int precision() {
        return precision;
    }

    /** Decimal scale (0 for other kinds). */
    public int scale() {
        return scale;
    }

    /** The fields of a struct; empty for other kinds. */
    public List<Field> fields() {
        return fields == null ? Collections.emptyList() : fields;
    }

    /** The field called {@code name} of a struct, if any. */
    public Optional<Field> field(String name) {
        for (Field f : fields()) {
            if (f.name().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Index of the field called {@code name}, or -1. */
    public int fieldIndex(String name) {
        List<Field> fs = fields();
        for (int i = 0; i < fs.size(); i++) {
            if (fs.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The element type of a list (the value type of a map); null for other kinds. */
    public DataType element() {
        return element;
    }

    /** The key type of a map; null for other kinds. */
    public DataType keyType() {
        return key;
    }

    /** The value type of a map; null for other kinds. */
    public DataType valueType() {
        return kind == Kind.MAP ? element : null;
    }

    /** Whether the values of a map may be null (true for other kinds). */
    public boolean valueNullable() {
        return kind != Kind.MAP || elementNullable;
    }

    /** Whether the elements of a list may be null (true for other kinds). */
    public boolean elementNullable() {
        return elementNullable;
    }

    public boolean isStruct() {
        return kind == Kind.STRUCT;
    }

    /** A copy of this struct with one more field at the end. */
    public DataType withField(Field f) {
        if (kind != Kind.STRUCT) {
            throw new IllegalStateException("not a struct: " + this);
        }
        List<Field> fs = new ArrayList<>(fields);
        fs.add(f);
        return struct(fs);
    }

    /** Quotes an identifier for SQL (DuckDB, Spark with backticks aside) when it is not a plain lower-case name. */
    public static String quoteIdentifier(String name) {
        boolean plain = !name.isEmpty() && (Character.isLetter(name.charAt(0)) || name.charAt(0) == '_');
        for (int i = 0; plain && i < name.length(); i++) {
            char c = name.charAt(i);
            plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        }
        return plain ? name : '"' + name.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        switch (kind) {
            case DECIMAL:
                return "DECIMAL(" + precision + "," + scale + ")";
            case LIST:
                return element + "[]";
            case MAP:
                return "MAP(" + key + ", " + element + ")";
            case STRUCT: {
                StringBuilder sb = new StringBuilder("STRUCT(");
                for (int i = 0; i < fields.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    Field f = fields.get(i);
                    sb.append(quoteIdentifier(f.name())).append(' ').append(f.type());
                    if (!f.nullable()) {
                        sb.append(" NOT NULL");
                    }
                }
                return sb.append(')').toString();
            }
            default:
                return kind.sql();
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DataType)) {
            return false;
        }
        DataType t = (DataType) o;
        return kind == t.kind && precision == t.precision && scale == t.scale && Objects.equals(fields, t.fields)
                && Objects.equals(element, t.element) && elementNullable == t.elementNullable && Objects.equals(key, t.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, precision, scale, fields, element, elementNullable, key);
    }
}
