package dev.tarn.lake.format.internal.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time scans agree with plain loops on every byte value and position. */
class SwarTest {
    @Test
    void equalFindsADifferenceAtEveryPositionOfEveryLength() {
        for (int len = 0; len <= 40; len++) {
            byte[] a = new byte[len + 5];
            byte[] b = new byte[len + 3];
            for (int i = 0; i < len; i++) {
                a[5 + i] = (byte) (i * 7 + 1);
                b[3 + i] = (byte) (i * 7 + 1);
            }
            assertEquals(true, Swar.equal(a, 5, b, 3, len), "len " + len);
            for (int at = 0; at < len; at++) {
                b[3 + at] ^= (byte) 0x80;
                assertEquals(false, Swar.equal(a, 5, b, 3, len), "len " + len + " at " + at);
                b[3 + at] ^= (byte) 0x80;
            }
        }
    }

    @Test
    void agreesWithByteLoops() {
        SplittableRandom r = new SplittableRandom(3);
        byte[] special = {'\n', '"', '\\', 0x1f, 0x00, (byte) 0x80, (byte) 0xff, 0x20, 0x7f, 'a'};
        for (int round = 0; round < 20_000; round++) {
            int n = r.nextInt(0, 40);
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] =
                        r.nextInt(4) == 0
                                ? special[r.nextInt(special.length)]
                                : (byte) r.nextInt(0x20, 0x7f);
            }
            int from = n == 0 ? 0 : r.nextInt(n);
            int nl = from;
            while (nl < n && b[nl] != '\n') {
                nl++;
            }
            assertEquals(nl, Swar.indexOfNewline(b, from, n));
            long count = 0;
            for (byte x : b) {
                count += x == '\n' ? 1 : 0;
            }
            assertEquals(count, Swar.countNewlines(b, n));
            int stop = Swar.skipPlainString(b, from, n);
            for (int i = from; i < stop; i++) {
                byte x = b[i];
                assertEquals(
                        false,
                        x == '"' || x == '\\' || (x >= 0 && x < 0x20) || x < 0,
                        "byte at " + i);
            }
            if (stop + 8 <= n) {
                byte x = b[stop];
                assertEquals(
                        true,
                        x == '"' || x == '\\' || (x >= 0 && x < 0x20) || x < 0,
                        "stop at " + stop);
            }
        }
    }
}
