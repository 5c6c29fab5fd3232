package dev.tarn.lake.format.internal.infer;

/**
 * ISO-8601 dates and date-times, parsed by hand over ASCII bytes (no allocation on the byte path)
 * so inference and conversion agree exactly.
 *
 * <p>Accepted: {@code YYYY-MM-DD}; {@code YYYY-MM-DD(T| )HH:MM[:SS[.f{1,9}]]} optionally followed
 * by {@code Z}, {@code ±HH:MM}, {@code ±HHMM} or {@code ±HH}. A fraction finer than microseconds
 * that is not zero is not accepted (the value stays a string rather than lose digits). Leap seconds
 * are not accepted.
 */
public final class Temporal {
    public static final int NONE = 0, DATE = 1, TS_LOCAL = 2, TS_TZ = 3;
    public static final long FAIL = Long.MIN_VALUE;

    private Temporal() {}

    // ------------------------------------------------------------------ text API

    public static long parseDate(CharSequence s) {
        byte[] a = bytes(s);
        return a == null ? FAIL : parseDate(a, 0, a.length);
    }

    public static long parseTimestampTz(CharSequence s) {
        byte[] a = bytes(s);
        return a == null ? FAIL : parseTimestampTz(a, 0, a.length);
    }

    public static long parseTimestampLocal(CharSequence s) {
        byte[] a = bytes(s);
        return a == null ? FAIL : parseTimestampLocal(a, 0, a.length);
    }

    /** Which temporal kind {@code s} is, or NONE. */
    public static int classify(CharSequence s) {
        int n = s.length();
        if (n < 10 || n > 40 || !isDigit(s.charAt(0)) || s.charAt(4) != '-') {
            return NONE;
        }
        byte[] a = bytes(s);
        return a == null ? NONE : classify(a, 0, n);
    }

    private static byte[] bytes(CharSequence s) {
        int n = s.length();
        if (n < 10 || n > 40) {
            return null;
        }
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            a[i] = (byte) c;
        }
        return a;
    }

    // ------------------------------------------------------------------ byte API

    /** Epoch day of {@code YYYY-MM-DD}, or FAIL. */
    public static long parseDate(byte[] a, int off, int n) {
        return n == 10 ? dateAt(a, off) : FAIL;
    }

    /** Microseconds since the epoch in UTC for a date-time with offset, or FAIL. */
    public static long parseTimestampTz(byte[] a, int off, int n) {
        if (n <= 16 || n > 40 || kind(a, off, n) != TS_TZ) {
            return FAIL;
        }
        return parse(a, off, n);
    }

    /**
     * Microseconds since the epoch, wall clock, for a date-time without offset or a date
     * (midnight), or FAIL.
     */
    public static long parseTimestampLocal(byte[] a, int off, int n) {
        if (n == 10) {
            long d = dateAt(a, off);
            return d == FAIL ? FAIL : d * 86_400_000_000L;
        }
        if (n < 16 || n > 40 || kind(a, off, n) != TS_LOCAL) {
            return FAIL;
        }
        return parse(a, off, n);
    }

    public static int classify(byte[] a, int off, int n) {
        if (n < 10 || n > 40) {
            return NONE;
        }
        return parse(a, off, n) == FAIL ? NONE : kind(a, off, n);
    }

    /**
     * The kind a string would have if it parses: by its length and whether an offset follows the
     * time.
     */
    private static int kind(byte[] a, int off, int n) {
        if (n == 10) {
            return DATE;
        }
        byte last = a[off + n - 1];
        if (last == 'Z' || last == 'z') {
            return TS_TZ;
        }
        for (int i = 16; i < n; i++) {
            byte c = a[off + i];
            if (c == '+' || c == '-') {
                return TS_TZ;
            }
        }
        return TS_LOCAL;
    }

    /**
     * DATE: epoch day. Date-times: microseconds (UTC when an offset is given). FAIL if malformed.
     */
    private static long parse(byte[] a, int off, int n) {
        if (n < 10) {
            return FAIL;
        }
        long day = dateAt(a, off);
        if (day == FAIL) {
            return FAIL;
        }
        if (n == 10) {
            return day;
        }
        byte sep = a[off + 10];
        if ((sep != 'T' && sep != ' ' && sep != 't') || n < 16) {
            return FAIL;
        }
        int hh = two(a, off + 11), mm = two(a, off + 14);
        if (hh < 0 || hh > 23 || a[off + 13] != ':' || mm < 0 || mm > 59) {
            return FAIL;
        }
        int i = 16;
        int ss = 0;
        long micros = 0;
        if (i < n && a[off + i] == ':') {
            if (i + 3 > n) {
                return FAIL;
            }
            ss = two(a, off + i + 1);
            if (ss < 0 || ss > 59) {
                return FAIL;
            }
            i += 3;
            if (i < n && a[off + i] == '.') {
                i++;
                int digits = 0;
                long frac = 0;
                while (i < n && isDigit(a[off + i])) {
                    int d = a[off + i] - '0';
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
            return local;
        }
        byte z = a[off + i];
        if ((z == 'Z' || z == 'z') && i + 1 == n) {
            return local;
        }
        if (z != '+' && z != '-') {
            return FAIL;
        }
        int rest = n - i - 1;
        int oh, om = 0;
        if (rest == 2) {
            oh = two(a, off + i + 1);
        } else if (rest == 4) {
            oh = two(a, off + i + 1);
            om = two(a, off + i + 3);
        } else if (rest == 5 && a[off + i + 3] == ':') {
            oh = two(a, off + i + 1);
            om = two(a, off + i + 4);
        } else {
            return FAIL;
        }
        if (oh < 0 || oh > 18 || om < 0 || om > 59) {
            return FAIL;
        }
        long offset = (oh * 60L + om) * 60_000_000L;
        return z == '+' ? local - offset : local + offset;
    }

    private static long dateAt(byte[] a, int off) {
        if (a[off + 4] != '-' || a[off + 7] != '-') {
            return FAIL;
        }
        int y = 0;
        for (int i = 0; i < 4; i++) {
            byte c = a[off + i];
            if (!isDigit(c)) {
                return FAIL;
            }
            y = y * 10 + (c - '0');
        }
        int m = two(a, off + 5), d = two(a, off + 8);
        if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
            return FAIL;
        }
        return epochDay(y, m, d);
    }

    private static int daysInMonth(int y, int m) {
        switch (m) {
            case 2:
                return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    private static final int TABLE_FROM = 1900;
    private static final int TABLE_TO = 2200;
    private static final int[] MONTH_START = new int[(TABLE_TO - TABLE_FROM) * 12];

    static {
        for (int y = TABLE_FROM; y < TABLE_TO; y++) {
            for (int m = 1; m <= 12; m++) {
                MONTH_START[(y - TABLE_FROM) * 12 + m - 1] = (int) computeEpochDay(y, m, 1);
            }
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date. */
    static long epochDay(long y, int m, int d) {
        if (y >= TABLE_FROM && y < TABLE_TO) {
            return MONTH_START[(int) (y - TABLE_FROM) * 12 + m - 1] + d - 1;
        }
        return computeEpochDay(y, m, d);
    }

    /** The same algorithm as java.time.LocalDate#toEpochDay. */
    private static long computeEpochDay(long y, int m, int d) {
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

    private static int two(byte[] a, int i) {
        byte x = a[i], y = a[i + 1];
        if (!isDigit(x) || !isDigit(y)) {
            return -1;
        }
        return (x - '0') * 10 + (y - '0');
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
