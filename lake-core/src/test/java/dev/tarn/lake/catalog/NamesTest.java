package dev.tarn.lake.catalog;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.exceptions.IllegalNameException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"raw", "clicks", "a", "web-events_2025", "0day"})
    void goodNamesPass(String name) {
        assertEquals(name, Names.check("dataset", name));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "..",
                ".",
                "a/b",
                "RAW",
                "Clicks",
                "_tarn",
                "_x",
                ".hidden",
                "a b",
                "a;drop table x",
                "a\"b",
                "é",
                "con",
                "tmp",
                "-x",
                "a\u0000b"
            })
    void hostileNamesAreRefusedWithTheRule(String name) {
        var e = assertThrows(IllegalNameException.class, () -> Names.check("dataset", name));
        assertTrue(
                e.getMessage().contains("allowed") || e.getMessage().contains("reserved"),
                e.getMessage());
        assertFalse(
                e.getMessage().contains("\u0000"), "control characters are escaped in messages");
    }

    @Test
    void emptyAndOverLongNamesAreRefused() {
        assertThrows(IllegalNameException.class, () -> Names.check("dataset", ""));
        assertThrows(IllegalNameException.class, () -> Names.check("dataset", null));
        assertEquals("a".repeat(64), Names.check("dataset", "a".repeat(64)));
        var e =
                assertThrows(
                        IllegalNameException.class, () -> Names.check("dataset", "a".repeat(200)));
        assertTrue(e.getMessage().contains("200 characters"), e.getMessage());
    }

    @Test
    void upperCaseGetsAHint() {
        var e = assertThrows(IllegalNameException.class, () -> Names.check("zone", "Raw"));
        assertTrue(e.getMessage().contains("did you mean 'raw'"), e.getMessage());
    }

    @Test
    void datasetIdsParseAndRefuseMalformedText() {
        assertEquals(new DatasetId("raw", "clicks"), DatasetId.parse("raw/clicks"));
        assertEquals("raw/clicks/", DatasetId.parse("raw/clicks").keyPrefix());
        for (String bad :
                new String[] {
                    "", "raw", "raw/", "/clicks", "raw/a/b", "../etc", "RAW/x", "raw/_tarn"
                }) {
            assertThrows(IllegalNameException.class, () -> DatasetId.parse(bad), bad);
        }
    }
}
