package dev.tarn.lake.table;

import java.util.Map;
import java.util.Objects;

/**
 * A column: name, type, nullability and the column metadata of the Delta schema (kept as read, values being strings,
 * numbers, booleans, lists or maps).
 */
public record Field(String name, DataType type, boolean nullable, Map<String, Object> metadata) {
    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a column name must not be empty");
        }
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** A nullable column without metadata. */
    public static Field of(String name, DataType type) {
        return new Field(name, type, true, Map.of());
    }

    /** A column that must not hold nulls. */
    public static Field required(String name, DataType type) {
        return new Field(name, type, false, Map.of());
    }

    public Field withNullable(boolean n) {
        return new Field(name, type, n, metadata);
    }

    @Override
    public String toString() {
        return name + " " + type.typeName() + (nullable ? "" : " not null");
    }
}
