package dev.tarn.lake.format.internal.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.format.internal.read.NumText;
import dev.tarn.lake.format.internal.read.Site;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.SchemaChange;
import dev.tarn.lake.types.TypeWidening;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The widening rules of docs/format.md, one column of CSV text at a time. */
class InferenceRulesTest {
    private static DataType csv(String... values) {
        TypeAcc a = new TypeAcc("c");
        NumText num = new NumText();
        Site site = new Site("t");
        for (String v : values) {
            site.line++;
            if (v == null) {
                a.observeNull();
            } else {
                a.observeText(v, num, site);
            }
        }
        return a.resolve();
    }

    @Test
    void integers() {
        assertEquals(DataType.INT, csv("1", "-2", "2147483647"));
        assertEquals(DataType.LONG, csv("1", "2147483648"));
        assertEquals(DataType.LONG, csv("-9223372036854775808"));
        assertEquals(DataType.decimal(19, 0), csv("1", "9223372036854775808"));
        assertEquals(DataType.decimal(38, 0), csv("9".repeat(38)));
        assertEquals(DataType.STRING, csv("9".repeat(39)));
    }

    @Test
    void nonCanonicalNumbersAreText() {
        for (String s :
                new String[] {
                    "00501", "+5", "-0", "1,000", ".5", "1.", "1e", "NaN", "Infinity", " 1", "0x10"
                }) {
            assertEquals(DataType.STRING, csv("1", s), s);
        }
    }

    @Test
    void fractions() {
        assertEquals(DataType.DOUBLE, csv("1.5", "2", "-0.25", "1e10", "12.99"));
        assertEquals(DataType.decimal(20, 19), csv("0.1234567890123456789", "1"));
        assertEquals(DataType.decimal(19, 2), csv("12345678901234567.25", "0.1"));
        // an integer beyond 2^53 next to fractions cannot be a double
        assertEquals(DataType.decimal(17, 1), csv("9007199254740993", "0.5"));
        assertEquals(DataType.DOUBLE, csv("9007199254740992", "0.5"));
    }

    @Test
    void booleansDatesTimestamps() {
        assertEquals(DataType.BOOLEAN, csv("true", "FALSE", "True"));
        assertEquals(DataType.STRING, csv("true", "1"));
        assertEquals(DataType.DATE, csv("2024-01-01", "1999-12-31"));
        assertEquals(DataType.TIMESTAMP_NTZ, csv("2024-01-01", "2024-01-01T10:00:00"));
        assertEquals(DataType.TIMESTAMP, csv("2024-01-01T10:00:00Z", "2024-01-01 10:00:00+02:00"));
        assertEquals(DataType.STRING, csv("2024-01-01T10:00:00Z", "2024-01-01T10:00:00"));
        assertEquals(DataType.STRING, csv("2024-01-01", "2024-01-01T10:00:00Z"));
    }

    @Test
    void nullsOnlyAndEmptyStrings() {
        assertNull(csv((String) null, null));
        assertEquals(DataType.INT, csv("1", null));
        assertEquals(DataType.STRING, csv("1", ""));
    }

    @Test
    void changesNameTheFirstValuesAndTheCulprit() {
        TypeAcc root = TypeAcc.root();
        root.beginStruct(null);
        TypeAcc c = root.field("v");
        NumText num = new NumText();
        Site site = new Site("f.csv");
        site.line = 2;
        c.observeText("1", num, site);
        site.line = 3;
        c.observeText("2.5", num, site);
        root.objects = 2;
        DataType t = root.resolve();
        List<SchemaChange> changes = new ArrayList<>();
        root.collectChanges(t, changes);
        assertEquals(1, changes.size());
        SchemaChange ch = changes.get(0);
        assertEquals("v", ch.column());
        assertEquals(DataType.INT, ch.from());
        assertEquals(DataType.DOUBLE, ch.to());
        assertTrue(ch.reason().contains("2.5 at f.csv line 3"), ch.reason());
    }

    /**
     * Across inputs the one rule set of lake-core applies: no text as a last resort, long and
     * double do not meet.
     */
    @Test
    void typeLevelWideningAcrossInputsIsTheCoreRuleSet() {
        assertEquals(
                java.util.Optional.of(DataType.LONG),
                TypeWidening.common(DataType.INT, DataType.LONG));
        assertEquals(
                java.util.Optional.empty(), TypeWidening.common(DataType.LONG, DataType.DOUBLE));
        assertEquals(
                java.util.Optional.of(DataType.decimal(22, 2)),
                TypeWidening.common(DataType.LONG, DataType.decimal(5, 2)));
        assertEquals(
                java.util.Optional.empty(),
                TypeWidening.common(DataType.LONG, DataType.decimal(38, 20)));
        assertEquals(
                java.util.Optional.of(DataType.TIMESTAMP_NTZ),
                TypeWidening.common(DataType.DATE, DataType.TIMESTAMP_NTZ));
        assertEquals(
                java.util.Optional.empty(), TypeWidening.common(DataType.BOOLEAN, DataType.INT));
    }
}
