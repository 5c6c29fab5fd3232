package dev.tarn.lake.table;

import java.util.Map;

/**
 * Rows that break a constraint.
 *
 * @param constraint the constraint they break
 * @param rows how many rows break it (-1 when unknown)
 * @param example one of them, column by column (empty when it could not be read)
 */
public record ConstraintViolation(Constraint constraint, long rows, Map<String, Object> example) {
    public ConstraintViolation {
        example =
                example == null
                        ? Map.of()
                        : java.util.Collections.unmodifiableMap(
                                new java.util.LinkedHashMap<>(example));
    }
}
