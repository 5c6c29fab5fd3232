package dev.tarn.lake.format.internal.convert;

import dev.tarn.lake.format.internal.infer.Temporal;
import dev.tarn.lake.format.internal.read.Csv;
import dev.tarn.lake.format.internal.read.NumText;
import dev.tarn.lake.types.DataType;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Conversions of text values (CSV fields, partition values) to row values, shared by the readers.
 */
public final class Values {
    private Values() {}

    public static BigDecimal decimal(BigDecimal v, DataType t) {
        BigDecimal s;
        try {
            s = v.setScale(t.asDecimal().scale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw BadRecord.misfit(
                    v.toPlainString()
                            + " has more than "
                            + t.asDecimal().scale()
                            + " decimal places for "
                            + t);
        }
        if (s.precision() - s.scale() > t.asDecimal().precision() - t.asDecimal().scale()) {
            throw BadRecord.misfit(v.toPlainString() + " has too many digits for " + t);
        }
        return s;
    }

    public static final long NO_LONG = Long.MIN_VALUE;

    /**
     * Whether {@code v} fits a BYTE (8-bit) or SHORT (16-bit) column; such values are kept as
     * Integer.
     */
    public static boolean fitsSmall(long v, DataType.Kind kind) {
        return kind == DataType.Kind.BYTE
                ? v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE
                : v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
    }

    /**
     * A number's text as a FLOAT value (rounded to the nearest float, as a FLOAT column holds it),
     * or null when it is not a number or beyond the float range.
     */
    public static Float toFloat(String s) {
        int n = s.length();
        if (n == 0 || !(s.charAt(0) == '-' || (s.charAt(0) >= '0' && s.charAt(0) <= '9'))) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            // what Float.parseFloat takes besides decimal numbers (hex, a type suffix, Infinity) is
            // not a number here
            if (!((c >= '0' && c <= '9')
                    || c == '.'
                    || c == 'e'
                    || c == 'E'
                    || c == '+'
                    || c == '-')) {
                return null;
            }
        }
        float f;
        try {
            f = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            return null;
        }
        return Float.isInfinite(f) ? null : f;
    }

    /**
     * The value of a canonical integer ({@code -?(0|[1-9][0-9]*)}) of at most 18 digits, or {@link
     * #NO_LONG}.
     */
    public static long canonicalLong(String s) {
        int n = s.length();
        int i = 0;
        boolean neg = false;
        if (n > 0 && s.charAt(0) == '-') {
            neg = true;
            i = 1;
        }
        int digits = n - i;
        if (digits < 1 || digits > 18) {
            return NO_LONG;
        }
        char c0 = s.charAt(i);
        if (c0 == '0' && (digits > 1 || neg)) {
            return NO_LONG;
        }
        long v = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return NO_LONG;
            }
            v = v * 10 + (c - '0');
        }
        return neg ? -v : v;
    }

    /** {@link #canonicalLong(String)} over bytes. */
    public static long canonicalLong(byte[] b, int from, int n) {
        int i = 0;
        boolean neg = false;
        if (n > 0 && b[from] == '-') {
            neg = true;
            i = 1;
        }
        int digits = n - i;
        if (digits < 1 || digits > 18) {
            return NO_LONG;
        }
        byte c0 = b[from + i];
        if (c0 == '0' && (digits > 1 || neg)) {
            return NO_LONG;
        }
        long v = 0;
        for (; i < n; i++) {
            byte c = b[from + i];
            if (c < '0' || c > '9') {
                return NO_LONG;
            }
            v = v * 10 + (c - '0');
        }
        return neg ? -v : v;
    }

    /**
     * Converts a CSV field to a value of {@code plan}'s type, or throws a misfit. {@code exact} as
     * in {@link JsonRecords}. Structs and lists never come from CSV.
     */
    public static Object fromText(String s, Plan plan, NumText num, boolean exact) {
        switch (plan.kind) {
            case STRING:
                return s;
            case BOOLEAN:
                {
                    Boolean b = Csv.parseBool(s);
                    if (b != null) {
                        return b;
                    }
                    break;
                }
            case INT:
                {
                    long v = canonicalLong(s);
                    if (v != NO_LONG && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                        return (int) v;
                    }
                    break;
                }
            case BYTE:
            case SHORT:
                {
                    long v = canonicalLong(s);
                    if (v != NO_LONG && fitsSmall(v, plan.kind)) {
                        return (int) v;
                    }
                    break;
                }
            case FLOAT:
                {
                    Float f = toFloat(s);
                    if (f != null) {
                        return f;
                    }
                    break;
                }
            case LONG:
                {
                    long v = canonicalLong(s);
                    if (v != NO_LONG) {
                        return v;
                    }
                    if (num.analyze(s) == NumText.INTEGER && num.fits64) {
                        return Long.parseLong(s); // Long.MIN_VALUE
                    }
                    break;
                }
            case DOUBLE:
                {
                    // canonical plain decimals of up to 15 digits: exact, no need to analyse
                    double quick = NumText.simpleDouble(s);
                    if (!Double.isNaN(quick)) {
                        return quick;
                    }
                    int k = num.analyze(s);
                    if (k == NumText.FRACTION && (num.roundTrip || !exact)) {
                        return Double.parseDouble(s);
                    }
                    if (k == NumText.INTEGER && (num.exactDouble || !exact)) {
                        return Double.parseDouble(s);
                    }
                    if (!exact && k == NumText.NOT_A_NUMBER) {
                        try {
                            return Double.parseDouble(s);
                        } catch (NumberFormatException e) {
                            break;
                        }
                    }
                    break;
                }
            case DECIMAL:
                if (num.analyze(s) != NumText.NOT_A_NUMBER) {
                    return decimal(new BigDecimal(s), plan.type);
                }
                break;
            case DATE:
                {
                    long d = Temporal.parseDate(s);
                    if (d != Temporal.FAIL) {
                        return (int) d;
                    }
                    break;
                }
            case TIMESTAMP:
                {
                    long v = Temporal.parseTimestampTz(s);
                    if (v != Temporal.FAIL) {
                        return v;
                    }
                    break;
                }
            case TIMESTAMP_NTZ:
                {
                    long v = Temporal.parseTimestampLocal(s);
                    if (v != Temporal.FAIL) {
                        return v;
                    }
                    break;
                }
            case BINARY:
                return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            default:
                break;
        }
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        throw BadRecord.misfit(plan.describe() + ": \"" + shown + "\" does not fit " + plan.type);
    }
}
