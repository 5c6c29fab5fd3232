package dev.tarn.lake.types;

import java.util.Objects;

/** A list of elements of one type; {@code elementNullable} says whether an element may be null. */
public record ListType(DataType element, boolean elementNullable) implements ParameterizedType {
    public ListType {
        Objects.requireNonNull(element, "element is null");
    }

    @Override
    public Kind kind() {
        return Kind.LIST;
    }

    @Override
    public String sql() {
        return element.sql() + "[]";
    }

    @Override
    public ListType asList() {
        return this;
    }

    @Override
    public String toString() {
        return sql();
    }
}
