package dev.tarn.lake.types;

/**
 * A column that was added or whose type widened, and why.
 *
 * @param column dotted path of the column ({@code geo.lat}); nested names are kept as they are
 * @param from the type before (null for a new column)
 * @param to the type after
 * @param reason what caused it, with the first value and where it was seen
 */
public record SchemaChange(String column, DataType from, DataType to, String reason) {
    /** Whether this change added a column (rather than widening one). */
    public boolean added() {
        return from == null;
    }

    @Override
    public String toString() {
        return from == null
                ? column + ": added as " + to + " (" + reason + ")"
                : column + ": " + from + " -> " + to + " (" + reason + ")";
    }
}
