package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.table.Row;
import dev.tarn.lake.table.RowPredicate;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The --where language of lake delete: hostile shapes end in a usage error, never in a
 * StackOverflowError.
 */
class WherePredicateTest {
    private static final Schema SCHEMA =
            Schema.of(Field.of("user_id", DataType.LONG), Field.of("country", DataType.STRING));

    private static Row row(long user, String country) {
        Map<String, Object> values = Map.of("user_id", user, "country", country);
        return values::get;
    }

    @Test
    void nestedPredicatesWithinTheLimitsWork() {
        RowPredicate p =
                WherePredicate.parse(
                        "NOT (user_id = 1 OR (country = 'se' AND NOT (user_id < 10)))", SCHEMA);
        assertFalse(p.test(row(1, "de")));
        assertFalse(p.test(row(11, "se")));
        assertTrue(p.test(row(5, "se")));
        String fifty = "(".repeat(50) + "user_id = 7" + ")".repeat(50);
        assertTrue(WherePredicate.parse(fifty, SCHEMA).test(row(7, "x")));
    }

    @Test
    void tenThousandParenthesesAreAUsageErrorNotAStackOverflow() {
        String deep = "(".repeat(10_000) + "user_id = 1" + ")".repeat(10_000);
        UsageException e =
                assertThrows(UsageException.class, () -> WherePredicate.parse(deep, SCHEMA));
        assertTrue(
                e.getMessage().contains("nested more than " + WherePredicate.MAX_DEPTH),
                e.getMessage());
        assertTrue(
                e.getMessage().length() < 300,
                "the message shows the predicate cut: " + e.getMessage().length());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void tenThousandNotsAreAUsageError() {
        String nots = "NOT ".repeat(10_000) + "user_id = 1";
        UsageException e =
                assertThrows(UsageException.class, () -> WherePredicate.parse(nots, SCHEMA));
        assertTrue(e.getMessage().contains("nested more than"), e.getMessage());
    }

    @Test
    void aChainOfComparisonsIsBoundedSoThatEvaluationCannotOverflow() {
        String atLimit =
                String.join(
                        " OR ",
                        java.util.Collections.nCopies(
                                WherePredicate.MAX_COMPARISONS, "user_id = 3"));
        assertTrue(WherePredicate.parse(atLimit, SCHEMA).test(row(3, "x")));
        assertFalse(WherePredicate.parse(atLimit, SCHEMA).test(row(4, "x")));
        String over = String.join(" AND ", java.util.Collections.nCopies(20_000, "user_id = 3"));
        UsageException e =
                assertThrows(UsageException.class, () -> WherePredicate.parse(over, SCHEMA));
        assertTrue(e.getMessage().contains("use IN (...)"), e.getMessage());
    }

    @Test
    void manyValuesFitInOneInList() {
        StringBuilder in = new StringBuilder("user_id IN (");
        for (int i = 0; i < 50_000; i++) {
            in.append(i == 0 ? "" : ", ").append(i);
        }
        RowPredicate p = WherePredicate.parse(in.append(')').toString(), SCHEMA);
        assertTrue(p.test(row(49_999, "x")));
        assertFalse(p.test(row(50_000, "x")));
    }

    @Test
    void aMultiLinePredicateIsShownOnOneLineInErrors() {
        UsageException e =
                assertThrows(
                        UsageException.class,
                        () -> WherePredicate.parse("user_id = 1\nAND nope = 2", SCHEMA));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
