package dev.tarn.lake.types;

import java.util.Objects;

/** A list of elements of one type; {@code elementNullable} says whether an element may be null. */
public record ListType(DataType element, boolean elementNullable) implements DataType {
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
    public MapType asMap() {
        throw new IllegalStateException("not a map: " + this);
    }

    @Override
    public DecimalType asDecimal() {
        throw new IllegalStateException("not a decimal: " + this);
    }
}
