package dev.tarn.lake.types;

/**
 * How a schema may change when data arrives that does not match it (a later input file, a later
 * batch, a convert into an existing table). One rule set for conversions and tables: see {@link
 * SchemaEvolution}.
 */
public enum SchemaPolicy {
    /**
     * The schema is fixed: new columns and values that need a wider type are refused (quarantined
     * per record).
     */
    STRICT,
    /** New columns are added (nullable); values that need a wider type are refused. */
    ADD_COLUMNS,
    /**
     * New columns are added and column types widen as {@link TypeWidening} allows (int → long, int
     * → double, float → double, decimals to more digits, date → timestamp without time zone). For a
     * table this is Delta's {@code typeWidening} feature.
     */
    WIDEN
}
