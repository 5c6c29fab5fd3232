package dev.tarn.lake.pipeline.expect;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an expectation checks. Row rules ({@link NotNull}, {@link Range}, {@link AllowedValues},
 * {@link Pattern}, {@link Unique}) say which rows break them; a null value breaks only {@code
 * not_null} (a range, a set of values or a pattern says nothing about a missing value). {@link
 * RowCount} and {@link Freshness} judge the whole output.
 */
public sealed interface Rule {
    /** The YAML key of the rule: {@code not_null}, {@code range}... */
    String kind();

    /** Whether the rule says which rows break it (so that they can be quarantined). */
    default boolean rowLevel() {
        return true;
    }

    /** The name results use when the YAML gives none. */
    String defaultName();

    /** The columns the rule reads (none for row_count). */
    List<String> columns();

    /** The column's value must not be null. */
    record NotNull(String column) implements Rule {
        public NotNull {
            Objects.requireNonNull(column, "column");
        }

        public List<String> columns() {
            return List.of(column);
        }

        public String kind() {
            return "not_null";
        }

        public String defaultName() {
            return "not_null_" + column;
        }
    }

    /**
     * The column's value lies between {@code min} and {@code max}, both inclusive, either absent
     * (null): numbers, or strings for dates and timestamps ({@code "2026-01-01"}).
     */
    record Range(String column, Object min, Object max) implements Rule {
        public Range {
            Objects.requireNonNull(column, "column");
            if (min == null && max == null) {
                throw new IllegalArgumentException("a range needs min, max or both");
            }
        }

        public List<String> columns() {
            return List.of(column);
        }

        public String kind() {
            return "range";
        }

        public String defaultName() {
            return "range_" + column;
        }
    }

    /** The column's value is one of these. */
    record AllowedValues(String column, List<Object> values) implements Rule {
        public AllowedValues {
            Objects.requireNonNull(column, "column");
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("'in' needs at least one value");
            }
            values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
        }

        public List<String> columns() {
            return List.of(column);
        }

        public String kind() {
            return "in";
        }

        public String defaultName() {
            return "in_" + column;
        }
    }

    /**
     * The column's value, as text, matches the regular expression whole (DuckDB's {@code
     * regexp_full_match}, RE2 syntax).
     */
    record Pattern(String column, String regex) implements Rule {
        public Pattern {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(regex, "regex");
        }

        public List<String> columns() {
            return List.of(column);
        }

        public String kind() {
            return "pattern";
        }

        public String defaultName() {
            return "pattern_" + column;
        }
    }

    /**
     * No two rows share these columns' values. Every row of a repeated key breaks it (which of them
     * is the "right" one is not the rule's to say); a key with a null in it is not compared.
     */
    record Unique(List<String> columns) implements Rule {
        public Unique {
            if (columns == null || columns.isEmpty()) {
                throw new IllegalArgumentException("'unique' needs at least one column");
            }
            columns = List.copyOf(columns);
        }

        public String kind() {
            return "unique";
        }

        public String defaultName() {
            return "unique_" + String.join("_", columns);
        }
    }

    /** The output has between {@code min} and {@code max} rows (inclusive; either may be null). */
    record RowCount(Long min, Long max) implements Rule {
        public RowCount {
            if (min == null && max == null) {
                throw new IllegalArgumentException("row_count needs min, max or both");
            }
            if (min != null && max != null && min > max) {
                throw new IllegalArgumentException("row_count min " + min + " is above max " + max);
            }
        }

        public List<String> columns() {
            return List.of();
        }

        public String kind() {
            return "row_count";
        }

        public boolean rowLevel() {
            return false;
        }

        public String defaultName() {
            return "row_count";
        }
    }

    /**
     * The newest value of a timestamp (or date) column is at most {@code maxAge} old when checked;
     * an output with no value in it is not fresh.
     */
    record Freshness(String column, Duration maxAge) implements Rule {
        public Freshness {
            Objects.requireNonNull(column, "column");
            if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("freshness needs a positive max_age");
            }
        }

        public List<String> columns() {
            return List.of(column);
        }

        public String kind() {
            return "freshness";
        }

        public boolean rowLevel() {
            return false;
        }

        public String defaultName() {
            return "freshness_" + column;
        }
    }
}
