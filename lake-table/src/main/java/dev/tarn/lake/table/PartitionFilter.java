package dev.tarn.lake.table;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A condition on a file's partition values (as serialized in the log: {@code "2026-11-21"}, {@code
 * "42"}, null for the null partition). Overwrites and deletes say which partitions they touch with
 * one; the conflict check uses the same filter to decide whether a concurrent commit touched them
 * too.
 */
@FunctionalInterface
public interface PartitionFilter {
    boolean test(Map<String, String> partitionValues);

    static PartitionFilter all() {
        return p -> true;
    }

    static PartitionFilter eq(String column, String value) {
        return p -> Objects.equals(p.get(column), value);
    }

    static PartitionFilter in(String column, String... values) {
        Set<String> set = new HashSet<>(Arrays.asList(values));
        return p -> set.contains(p.get(column));
    }

    default PartitionFilter and(PartitionFilter other) {
        return p -> test(p) && other.test(p);
    }

    default PartitionFilter or(PartitionFilter other) {
        return p -> test(p) || other.test(p);
    }

    default PartitionFilter negate() {
        return p -> !test(p);
    }
}
