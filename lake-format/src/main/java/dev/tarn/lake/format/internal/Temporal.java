package dev.tarn.lake.format.internal;

/**
 * ISO-8601 dates and date-times, parsed by hand (no allocation) so inference and conversion agree exactly.
 *
 * <p>Accepted: {@code YYYY-MM-DD}; {@code YYYY-MM-DD(T| )HH:MM[:SS[.f{1,9}]]} optionally followed by {@code Z},
 * {@code ±HH:MM}, {@code ±HHMM} or {@code ±HH}. A fraction finer than microseconds that is not zero is not accepted
 * (the value stays a string rather than lose digits). Leap seconds are not accepted.
 */
final class Temporal {
    static final int NONE = 0, DATE = 1, TS_LOCAL = 2, TS_TZ = 3;

    private Temporal() {
    }

    static final long FAIL = Long.MIN_VALUE;
    private static final ThreadLocal<int[]> KIND = ThreadLocal.withInitial(() -> new int[1]);

    /** Epoch day of a {@code YYYY-MM-DD} string, or FAIL. */
    static long parseDate(CharSequence s) {
        if (s.length() != 10) {
            return FAIL;
        }
        return dateAt(s);
    }

    /** Microseconds since the epoch in UTC for a date-time with offset, or FAIL. */
    static long parseTimestampTz(CharSequence s) {
        int[] k = KIND.get();
        long v = parseInto(s, k);
        return v != FAIL && k[0] == TS_TZ ? v : FAIL;
    }

    /** Microseconds since the epoch, wall clock, for a date-time without offset or a date (midnight), or FAIL. */
    static long parseTimestampLocal(CharSequence s) {
        int[] k = KIND.get();
        long v = parseInto(s, k);
        if (v == FAIL) {
            return FAIL;
        }
        if (k[0] == TS_LOCAL) {
            return v;
        }
        if (k[0] == DATE) {
            return v * 86_400_000_000L;
        }
        return FAIL;
    }

    /** Which temporal kind {@code s} is, or NONE. */
    static int classify(CharSequence s) {
        int n = s.length();
        if (n < 10 || n > 40 || !isDigit(s.charAt(0)) || s.charAt(4) != '-') {
            return NONE;
        }
        int[] k = KIND.get();
        return parseInto(s, k) == FAIL ? NONE : k[0];
    }

    /** DATE: returns epoch day. TS_*: returns micros. kind[0] receives the kind. */
    private static long parseInto(CharSequence s, int[] kind) {
        int n = s.length();
        if (n < 10) {
            return FAIL;
        }
        long day = dateAt(s);
        if (day == FAIL) {
            return FAIL;
        }
        if (n == 10) {
            kind[0] = DATE;
            return day;
        }
        char sep = s.charAt(10);
        if ((sep != 'T' && sep != ' ' && sep != 't') || n < 16) {
            return FAIL;
        }
        int hh = two(s, 11), mm = two(s, 14);
        if (hh < 0 || hh > 23 || s.charAt(13) != ':' || mm < 0 || mm > 59) {
            return FAIL;
        }
        int i = 16;
        int ss = 0;
        long micros = 0;
        if (i < n && s.charAt(i) == ':') {
            if (i + 3 > n) {
                return FAIL;
            }
            ss = two(s, i + 1);
            if (ss < 0 || ss > 59) {
                return FAIL;
            }
            i += 3;
            if (i < n && s.charAt(i) == '.') {
                i++;
                int digits = 0;
                long frac = 0;
                while (i < n && isDigit(s.charAt(i))) {
                    int d = s.charAt(i) - '0';
                    if (digits < 6) {
                        frac = frac * 10 + d;
                    } else if (d != 0) {
                        return FAIL; // sub-microsecond digits would be lost
                    }
                    digits++;
                    i++;
                }
                if (digits == 0 || digits > 9) {
                    return FAIL;
                }
                for (int d = Math.min(digits, 6); d < 6; d++) {
                    frac *= 10;
                }
                micros = frac;
            }
        }
        long local = day * 86_400_000_000L + ((hh * 60L + mm) * 60L + ss) * 1_000_000L + micros;
        if (i == n) {
            kind[0] = TS_LOCAL;
            return local;
        }
        char z = s.charAt(i);
        if ((z == 'Z' || z == 'z') && i + 1 == n) {
            kind[0] = TS_TZ;
            return local;
        }
        if (z != '+' && z != '-') {
            return FAIL;
        }
        int rest = n - i - 1;
        int oh, om = 0;
        if (rest == 2) {
            oh = two(s, i + 1);
        } else if (rest == 4) {
            oh = two(s, i + 1);
            om = two(s, i + 3);
        } else if (rest == 5 && s.charAt(i + 3) == ':') {
            oh = two(s, i + 1);
            om = two(s, i + 4);
        } else {
            return FAIL;
        }
        if (oh < 0 || oh > 18 || om < 0 || om > 59) {
            return FAIL;
        }
        long off = (oh * 60L + om) * 60_000_000L;
        kind[0] = TS_TZ;
        return z == '+' ? local - off : local + off;
    }

    private static long dateAt(CharSequence s) {
        if (s.charAt(4) != '-' || s.charAt(7) != '-') {
            return FAIL;
        }
        int y = 0;
        for (int i = 0; i < 4; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return FAIL;
            }
            y = y * 10 + (c - '0');
        }
        int m = two(s, 5), d = two(s, 8);
        if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
            return FAIL;
        }
        return epochDay(y, m, d);
    }

    private static int daysInMonth(int y, int m) {
        switch (m) {
            case 2:
                return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
            case 4: case 6: case 9: case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (same algorithm as java.time.LocalDate#toEpochDay). */
    static long epochDay(long y, int m, int d) {
        long total = 365 * y;
        if (y >= 0) {
            total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        } else {
            total -= y / -4 - y / -100 + y / -400;
        }
        total += (367 * m - 362) / 12;
        total += d - 1;
        if (m > 2) {
            total--;
            if (!(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) {
                total--;
            }
        }
        return total - 719528;
    }

    private static int two(CharSequence s, int i) {
        if (i + 2 > s.length()) {
            return -1;
        }
        char a = s.charAt(i), b = s.charAt(i + 1);
        if (!isDigit(a) || !isDigit(b)) {
            return -1;
        }
        return (a - '0') * 10 + (b - '0');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
