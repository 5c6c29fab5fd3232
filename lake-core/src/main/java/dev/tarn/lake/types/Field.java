package dev.tarn.lake.types;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A named, typed column. Names are kept exactly as they appear in the input (spaces, {@code $},
 * unicode, case); {@link #sqlName()} quotes them for SQL. {@code metadata} is the column metadata
 * of a Delta schema (values are strings, numbers, booleans, lists or maps), e.g. {@code
 * delta.typeChanges}.
 */
public record Field(String name, DataType type, boolean nullable, Map<String, Object> metadata) {
    public Field {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(type, "type is null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a column name must not be empty");
        }
        metadata =
                metadata == null || metadata.isEmpty()
                        ? Map.of()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public Field(String name, DataType type, boolean nullable) {
        this(name, type, nullable, Map.of());
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

    public Field withType(DataType t) {
        return new Field(name, t, nullable, metadata);
    }

    public Field withName(String n) {
        return new Field(n, type, nullable, metadata);
    }

    public Field withMetadata(Map<String, Object> m) {
        return new Field(name, type, nullable, m);
    }

    /** The name quoted for SQL when needed. */
    public String sqlName() {
        return DataType.quoteIdentifier(name);
    }

    @Override
    public String toString() {
        return sqlName() + " " + type.sql() + (nullable ? "" : " NOT NULL");
    }
}
