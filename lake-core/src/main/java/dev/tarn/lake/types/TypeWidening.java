package dev.tarn.lake.types;

import java.util.Optional;

/**
 * Which type changes keep every value exactly: the set Delta's {@code typeWidening} table feature
 * allows, so that a table widened by Tarn reads the same in Spark, Delta Kernel and DuckDB.
 *
 * <ul>
 *   <li>byte → short → int → long;
 *   <li>byte, short, int → double; float → double;
 *   <li>byte, short, int, long → decimal with at least 3, 5, 10, 20 integer digits;
 *   <li>decimal(p, s) → decimal(p + k1, s + k2) with k1 ≥ k2 ≥ 0;
 *   <li>date → timestamp without time zone.
 * </ul>
 *
 * long → double is not in the set (a double cannot hold every long), nor is any change to or from
 * text.
 */
public final class TypeWidening {
    private TypeWidening() {}

    /**
     * Whether every value of {@code from} is a value of {@code to} under the rules above (true when
     * equal).
     */
    public static boolean isWidening(DataType from, DataType to) {
        if (from.equals(to)) {
            return true;
        }
        DataType.Kind f = from.kind();
        switch (to.kind()) {
            case SHORT:
                return f == DataType.Kind.BYTE;
            case INT:
                return f == DataType.Kind.BYTE || f == DataType.Kind.SHORT;
            case LONG:
                return f == DataType.Kind.BYTE
                        || f == DataType.Kind.SHORT
                        || f == DataType.Kind.INT;
            case DOUBLE:
                return f == DataType.Kind.BYTE
                        || f == DataType.Kind.SHORT
                        || f == DataType.Kind.INT
                        || f == DataType.Kind.FLOAT;
            case DECIMAL:
                {
                    DecimalType d = to.asDecimal();
                    if (f == DataType.Kind.DECIMAL) {
                        DecimalType s = from.asDecimal();
                        return d.scale() >= s.scale() && d.integerDigits() >= s.integerDigits();
                    }
                    int digits = integerDigits(f);
                    return digits > 0 && d.integerDigits() >= digits;
                }
            case TIMESTAMP_NTZ:
                return f == DataType.Kind.DATE;
            default:
                return false;
        }
    }

    /**
     * The narrowest type that both {@code a} and {@code b} widen to under the rules above, if there
     * is one: int and long give long, int and double give double, a long and a decimal give a
     * decimal with room for both.
     */
    public static Optional<DataType> common(DataType a, DataType b) {
        if (isWidening(a, b)) {
            return Optional.of(b);
        }
        if (isWidening(b, a)) {
            return Optional.of(a);
        }
        DataType.Kind x = a.kind(), y = b.kind();
        if ((x == DataType.Kind.FLOAT && isSmallInteger(y))
                || (y == DataType.Kind.FLOAT && isSmallInteger(x))) {
            return Optional.of(DataType.DOUBLE);
        }
        int ia = x == DataType.Kind.DECIMAL ? a.asDecimal().integerDigits() : integerDigits(x);
        int ib = y == DataType.Kind.DECIMAL ? b.asDecimal().integerDigits() : integerDigits(y);
        if (ia > 0 && ib > 0 && (x == DataType.Kind.DECIMAL || y == DataType.Kind.DECIMAL)) {
            int scale =
                    Math.max(
                            x == DataType.Kind.DECIMAL ? a.asDecimal().scale() : 0,
                            y == DataType.Kind.DECIMAL ? b.asDecimal().scale() : 0);
            int whole = Math.max(ia, ib);
            if (whole + scale <= DataType.MAX_DECIMAL_PRECISION) {
                return Optional.of(DataType.decimal(whole + scale, scale));
            }
        }
        return Optional.empty();
    }

    private static boolean isSmallInteger(DataType.Kind k) {
        return k == DataType.Kind.BYTE || k == DataType.Kind.SHORT || k == DataType.Kind.INT;
    }

    /** Decimal integer digits that hold every value of an integer kind, or 0 for other kinds. */
    private static int integerDigits(DataType.Kind k) {
        switch (k) {
            case BYTE:
                return 3;
            case SHORT:
                return 5;
            case INT:
                return 10;
            case LONG:
                return 20;
            default:
                return 0;
        }
    }
}
