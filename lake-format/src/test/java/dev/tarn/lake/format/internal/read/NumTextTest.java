package dev.tarn.lake.format.internal.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The plain-decimal fast path gives exactly what Double.parseDouble gives, and refuses what it must
 * not take.
 */
class NumTextTest {
    private static double bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return NumText.simpleDouble(b, 0, b.length);
    }

    @Test
    void agreesWithParseDouble() {
        SplittableRandom r = new SplittableRandom(7);
        for (int k = 0; k < 200_000; k++) {
            long whole = r.nextLong(1_000_000_000L);
            int scale = r.nextInt(0, 7);
            String frac =
                    scale == 0
                            ? ""
                            : "."
                                    + String.format(
                                            "%0" + scale + "d",
                                            r.nextLong((long) Math.pow(10, scale)));
            String s = (r.nextBoolean() ? "-" : "") + whole + frac;
            double expected = Double.parseDouble(s);
            assertEquals(expected, NumText.simpleDouble(s), s);
            assertEquals(expected, bytes(s), s);
        }
        assertEquals(
                Double.doubleToRawLongBits(-0.0),
                Double.doubleToRawLongBits(NumText.simpleDouble("-0.0")));
        assertEquals(0.1, NumText.simpleDouble("0.1"));
        assertEquals(123456789012345.0, NumText.simpleDouble("123456789012345"));
    }

    @Test
    void refusesWhatIsNotPlainAndCanonical() {
        for (String s :
                new String[] {
                    "",
                    "-",
                    ".5",
                    "-.5",
                    "5.",
                    "01.5",
                    "00",
                    "-0",
                    "1e5",
                    "1.5e2",
                    "+1",
                    "1,5",
                    "1234567890123456",
                    "0.1234567890123456",
                    " 1",
                    "1 ",
                    "NaN"
                }) {
            assertTrue(Double.isNaN(NumText.simpleDouble(s)), s);
            assertTrue(Double.isNaN(bytes(s)), s);
        }
    }
}
