package dev.tarn.lake.format;

import java.util.Objects;

/**
 * A named, typed column of a struct. Names are kept exactly as they appear in the input (spaces, {@code $},
 * unicode); use {@link #sqlName()} where SQL needs quoting.
 *
 * @param name     the column name, as in the input
 * @param type     its type
 * @param nullable whether nulls (or absent values) were seen or are allowed
 */
public record Field(String name, DataType type, boolean nullable) {
    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public static Field of(String name, DataType type) {
        return new Field(name, type, true);
    }

    /** The name quoted for SQL when needed ({@code "zip code"}), otherwise as is. */
    public String sqlName() {
        return DataType.quoteIdentifier(name);
    }

    @Override
    public String toString() {
        return sqlName() + " " + type + (nullable ? "" : " NOT NULL");
    }
}
