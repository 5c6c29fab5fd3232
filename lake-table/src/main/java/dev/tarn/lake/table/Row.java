package dev.tarn.lake.table;

/**
 * One row of a data file, as a row predicate sees it. Values by column type: boolean → Boolean,
 * byte/short/integer → Byte/Short/Integer, long → Long, float/double → Float/Double, decimal →
 * BigDecimal, string → String, binary → byte[], date → LocalDate, timestamp → Instant; null for a
 * null value or a column the file does not have. Partition columns read their value from the file's
 * partition values. Struct, array and map columns are not available to predicates yet.
 */
public interface Row {
    Object get(String column);
}
