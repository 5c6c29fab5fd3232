package dev.tarn.lake.types;

/**
 * The types with parameters (a decimal's precision and scale, a struct's fields, a list's element,
 * a map's key and value): what they answer alike lives here once, each type overriding only what is
 * its own.
 *
 * <p>Why these defaults are safe here and not in {@link DataType}: a class's initialization first
 * initializes the interfaces above it that declare default methods (but not, through them, their
 * own superinterfaces). DataType holds the constants ({@code DataType.LONG} is {@code
 * PrimitiveType.LONG}), so a default method there let PrimitiveType's initialization start
 * DataType's while PrimitiveType's constants did not exist yet, leaving them null (see the comment
 * in DataType and TypeInitOrderTest). This interface holds no fields, so initializing it reads
 * nothing and does not start DataType's. Keep it that way: no constants here, and no default
 * methods in DataType.
 */
sealed interface ParameterizedType extends DataType
        permits DecimalType, StructType, ListType, MapType {

    @Override
    default boolean isPrimitive() {
        return false;
    }

    @Override
    default boolean isStruct() {
        return false;
    }

    @Override
    default boolean isInteger() {
        return false;
    }

    // PrimitiveType writes these four out again, on purpose: see the comment there.
    @Override
    default StructType asStruct() {
        throw new IllegalStateException("not a struct: " + this);
    }

    @Override
    default ListType asList() {
        throw new IllegalStateException("not a list: " + this);
    }

    @Override
    default MapType asMap() {
        throw new IllegalStateException("not a map: " + this);
    }

    @Override
    default DecimalType asDecimal() {
        throw new IllegalStateException("not a decimal: " + this);
    }
}
