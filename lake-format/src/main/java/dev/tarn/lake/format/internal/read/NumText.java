package dev.tarn.lake.format.internal.read;

import java.math.BigDecimal;

/**
 * Analysis of a number written as text, reused (not thread-safe; one per worker).
 *
 * <p>Integers must be canonical ({@code -?(0|[1-9][0-9]*)}): {@code 00501}, {@code +5}, {@code -0}
 * and {@code 1_000} are not numbers, so a column of zip codes stays text. Fractions must look like
 * JSON numbers ({@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}).
 */
public final class NumText {
    public static final int NOT_A_NUMBER = 0, INTEGER = 1, FRACTION = 2;

    public int kind;

    /** Integers: digit count without sign. */
    int digits;

    public boolean fits32;
    public boolean fits64;

    /** Integers: |v| <= 2^53, so a double holds it exactly. */
    public boolean exactDouble;

    /** Fractions: the double nearest to the text has exactly the text's value. */
    public boolean roundTrip;

    /** Decimal shape: digits before the point (0 for 0.x) and after it; valid for both kinds. */
    public int intDigits;

    public int scale;

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };

    /**
     * The double of a plain decimal {@code -?digits[.digits]} with at most 15 digits, or NaN when
     * the text is not of that shape. Exact and correctly rounded: the digits form an integer below
     * 2^53 and the power of ten is exact, so one IEEE division gives the nearest double (the same
     * value as {@link Double#parseDouble}).
     */
    public static double simpleDouble(byte[] b, int from, int to) {
        int i = from;
        boolean neg = false;
        if (i < to && b[i] == '-') {
            neg = true;
            i++;
        }
        // canonical only: a digit first, and a leading 0 only before the point
        if (i >= to || b[i] < '0' || b[i] > '9' || (b[i] == '0' && i + 1 < to && b[i + 1] != '.')) {
            return Double.NaN;
        }
        long m = 0;
        int digits = 0;
        int scale = -1;
        for (; i < to; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                m = m * 10 + (c - '0');
                digits++;
                if (scale >= 0) {
                    scale++;
                }
            } else if (c == '.' && scale < 0) {
                scale = 0;
            } else {
                return Double.NaN;
            }
        }
        if (digits == 0 || digits > 15 || scale == 0 || (neg && m == 0 && scale < 0)) {
            return Double.NaN; // "-0" is text for inference, so not taken here either
        }
        double v = scale > 0 ? m / POW10[scale] : (double) m;
        return neg ? -v : v;
    }

    /**
     * {@link #simpleDouble(byte[], int, int)} over text: the few characters such a number may have
     * are copied to bytes, so that both forms follow the one set of rules (anything but ASCII is
     * not such a number).
     */
    public static double simpleDouble(CharSequence s) {
        int n = s.length();
        if (n > 17) {
            return Double.NaN;
        }
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c > 0x7f) {
                return Double.NaN;
            }
            b[i] = (byte) c;
        }
        return simpleDouble(b, 0, n);
    }

    /** Analyses {@code s}; returns {@link #kind}. */
    public int analyze(CharSequence s) {
        kind = NOT_A_NUMBER;
        int n = s.length();
        if (n == 0) {
            return kind;
        }
        int i = 0;
        boolean neg = false;
        if (s.charAt(0) == '-') {
            neg = true;
            i = 1;
            if (n == 1) {
                return kind;
            }
        }
        int intStart = i;
        char c = s.charAt(i);
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
        } else {
            return kind;
        }
        int intLen = i - intStart;
        if (i == n) {
            if (neg && intLen == 1 && s.charAt(intStart) == '0') {
                return kind; // "-0" would not survive as an integer
            }
            kind = INTEGER;
            digits = intLen;
            intDigits = s.charAt(intStart) == '0' ? 0 : intLen;
            scale = 0;
            fits32 = intLen < 10 || (intLen == 10 && fitsLong(s, 2147483647L, 2147483648L, neg));
            fits64 = intLen < 19 || (intLen == 19 && fits19(s, intStart, neg));
            exactDouble =
                    intLen < 16
                            || (intLen == 16
                                    && fitsLong(s, 9007199254740992L, 9007199254740992L, neg));
            return kind;
        }
        int fracLen = 0;
        if (s.charAt(i) == '.') {
            i++;
            int f0 = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            fracLen = i - f0;
            if (fracLen == 0) {
                return kind;
            }
        }
        boolean exp = false;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            exp = true;
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int e0 = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == e0 || i - e0 > 6) {
                return kind;
            }
        }
        if (i != n) {
            return kind;
        }
        kind = FRACTION;
        if (!exp) {
            intDigits = s.charAt(intStart) == '0' ? 0 : intLen;
            scale = fracLen;
            roundTrip = intLen + fracLen <= 15 || exactRoundTrip(s);
        } else {
            BigDecimal bd = new BigDecimal(s.toString());
            scale = Math.max(0, bd.scale());
            intDigits = Math.max(0, bd.precision() - bd.scale());
            roundTrip = exactRoundTrip(s);
        }
        return kind;
    }

    private static boolean exactRoundTrip(CharSequence s) {
        String t = s.toString();
        double d = Double.parseDouble(t);
        if (Double.isInfinite(d) || Double.isNaN(d)) {
            return false;
        }
        if (d == 0) {
            return new BigDecimal(t).signum() == 0;
        }
        return new BigDecimal(t).compareTo(new BigDecimal(Double.toString(d))) == 0;
    }

    private static boolean fits19(CharSequence s, int start, boolean neg) {
        String lim = neg ? "9223372036854775808" : "9223372036854775807";
        for (int k = 0; k < 19; k++) {
            char a = s.charAt(start + k), b = lim.charAt(k);
            if (a != b) {
                return a < b;
            }
        }
        return true;
    }

    private static boolean fitsLong(CharSequence s, long posMax, long negMax, boolean neg) {
        long v = 0;
        for (int k = neg ? 1 : 0; k < s.length(); k++) {
            v = v * 10 + (s.charAt(k) - '0');
        }
        return v <= (neg ? negMax : posMax);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
