package dev.tarn.lake.table;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * A condition on a row, for row-level deletes. Comparisons treat all numbers by value (1 equals
 * 1L).
 */
@FunctionalInterface
public interface RowPredicate {
    boolean test(Row row);

    static RowPredicate eq(String column, Object value) {
        return r -> compare(r.get(column), value) == 0;
    }

    static RowPredicate in(String column, Object... values) {
        return r -> Arrays.stream(values).anyMatch(v -> compare(r.get(column), v) == 0);
    }

    static RowPredicate isNull(String column) {
        return r -> r.get(column) == null;
    }

    /** column &lt; value (false when the column is null). */
    static RowPredicate lt(String column, Object value) {
        return r -> r.get(column) != null && compare(r.get(column), value) < 0;
    }

    static RowPredicate le(String column, Object value) {
        return r -> r.get(column) != null && compare(r.get(column), value) <= 0;
    }

    static RowPredicate gt(String column, Object value) {
        return r -> r.get(column) != null && compare(r.get(column), value) > 0;
    }

    static RowPredicate ge(String column, Object value) {
        return r -> r.get(column) != null && compare(r.get(column), value) >= 0;
    }

    default RowPredicate and(RowPredicate other) {
        return r -> test(r) && other.test(r);
    }

    default RowPredicate or(RowPredicate other) {
        return r -> test(r) || other.test(r);
    }

    default RowPredicate negate() {
        return r -> !test(r);
    }

    /**
     * Orders two values; numbers by value, nulls first. Values of unrelated types are never equal.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null && b == null ? 0 : a == null ? -1 : 1;
        }
        // a date read from a file written before its column widened to timestamp_ntz is that day's
        // midnight
        if (a instanceof java.time.LocalDate d && b instanceof java.time.LocalDateTime) {
            a = d.atStartOfDay();
        } else if (b instanceof java.time.LocalDate d && a instanceof java.time.LocalDateTime) {
            b = d.atStartOfDay();
        }
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y) ? 0 : Arrays.compare(x, y);
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable c) {
            return c.compareTo(b);
        }
        int byType = a.getClass().getName().compareTo(b.getClass().getName());
        return byType != 0 ? byType : Objects.equals(a, b) ? 0 : 1;
    }
}
