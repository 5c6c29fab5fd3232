package dev.tarn.lake.types;

import java.util.Objects;

/**
 * A map from keys (never null) to values; {@code valueNullable} says whether a value may be null.
 */
public record MapType(DataType key, DataType value, boolean valueNullable)
        implements ParameterizedType {
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
}
