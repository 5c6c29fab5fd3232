package dev.tarn.lake.types;

import java.util.Objects;

/** A map from keys (never null) to values; {@code valueNullable} says whether a value may be null. */
public record MapType(DataType key, DataType value, boolean valueNullable) implements DataType {
    public MapType {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(value, "value is null");
    }

    @Override
    public Kind kind() {
        return Kind.MAP;
    }

    @Override
    public String sql() {
        return "MAP(" + key.sql() + ", " + value.sql() + ")";
    }

    @Override
    public MapType asMap() {
        return this;
    }

    @Override
    public String toString() {
        return sql();
    }

    @Override
    public boolean isPrimitive() {
        return false;
    }

    @Override
    public boolean isStruct() {
        return false;
    }

    @Override
    public boolean isInteger() {
        return false;
    }

    @Override
    public StructType asStruct() {
        throw new IllegalStateException("not a struct: " + this);
    }

    @Override
    public ListType asList() {
        throw new IllegalStateException("not a list: " + this);
    }

    @Override
    public DecimalType asDecimal() {
        throw new IllegalStateException("not a decimal: " + this);
    }
}
