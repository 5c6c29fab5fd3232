package dev.tarn.lake.format.internal.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.lake.format.internal.convert.Values;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The byte-level shortcuts for CSV fields agree with the text path they bypass. */
class QuickFieldTest {
    private static final String[] TEXTS = {
        "0",
        "-0",
        "00",
        "7",
        "-7",
        "12",
        "012",
        "-012",
        "123456789012345678",
        "1234567890123456789",
        "-123456789012345678",
        "2147483647",
        "2147483648",
        "-2147483648",
        "-2147483649",
        "1.5",
        "+1",
        " 1",
        "1 ",
        "",
        "-",
        "1e3",
        "\u0661",
        "9\u00e9"
    };

    @Test
    void canonicalLongOverBytesMatchesText() {
        for (String t : TEXTS) {
            byte[] b = ("xx" + t + "yy").getBytes(StandardCharsets.UTF_8);
            int len = t.getBytes(StandardCharsets.UTF_8).length;
            assertEquals(Values.canonicalLong(t), Values.canonicalLong(b, 2, len), t);
        }
    }

    @Test
    void simpleDoubleOverBytesMatchesText() {
        String[] more = {
            "1.5",
            "-1.5",
            "0.1",
            "-0.0",
            "0.",
            ".5",
            "1.25e2",
            "123456789012345",
            "1234567890123456",
            "12345678901234.5",
            "99.99",
            "-0.001",
            "1..2",
            "1.2.3"
        };
        for (String[] set : new String[][] {TEXTS, more}) {
            for (String t : set) {
                byte[] b = ("xx" + t + "yy").getBytes(StandardCharsets.UTF_8);
                int len = t.getBytes(StandardCharsets.UTF_8).length;
                double viaText = NumText.simpleDouble(t);
                double viaBytes = len > 17 ? Double.NaN : NumText.simpleDouble(b, 2, 2 + len);
                assertEquals(
                        Double.doubleToRawLongBits(viaText),
                        Double.doubleToRawLongBits(viaBytes),
                        t);
            }
        }
    }
}
