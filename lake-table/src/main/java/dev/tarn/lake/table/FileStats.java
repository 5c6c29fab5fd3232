package dev.tarn.lake.table;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-file statistics of the Delta protocol: the number of records and, per column, the
 * smallest and largest value and the number of nulls. Column values are as in the Delta stats JSON:
 * numbers, strings (dates as {@code 2026-11-21}, timestamps as {@code 2026-11-21T05:30:00.123Z}),
 * booleans, and nested maps for struct columns. A column may be absent from any of the maps: then
 * nothing is known about it.
 */
public record FileStats(
        long numRecords,
        Map<String, Object> minValues,
        Map<String, Object> maxValues,
        Map<String, Object> nullCount) {
    public FileStats {
        if (numRecords < 0) {
            throw new IllegalArgumentException("numRecords must be >= 0");
        }
        minValues = copy(minValues);
        maxValues = copy(maxValues);
        nullCount = copy(nullCount);
    }

    /** Only the record count. */
    public static FileStats ofRecords(long numRecords) {
        return new FileStats(numRecords, Map.of(), Map.of(), Map.of());
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
