package dev.tarn.lake.format;

/**
 * What happens when the data (a later input, a later batch) does not match the schema established so far (the
 * explicit schema, or the schema of the first input).
 */
public enum SchemaPolicy {
    /** The schema is fixed: records with new columns or values that need a wider type are quarantined. */
    STRICT,
    /** New columns are appended (nullable); values that need a wider type for an existing column are quarantined. */
    ADD_COLUMNS,
    /** New columns are appended and column types widen as needed (int → long → double/decimal → string). */
    WIDEN
}
