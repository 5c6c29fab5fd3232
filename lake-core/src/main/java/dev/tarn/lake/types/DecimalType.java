package dev.tarn.lake.types;

/**
 * An exact decimal: {@code precision} digits in all (1 to 38), {@code scale} of them after the
 * point.
 */
public record DecimalType(int precision, int scale) implements ParameterizedType {
    public DecimalType {
        if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale < 0 || scale > precision) {
            throw new IllegalArgumentException(
                    "DECIMAL("
                            + precision
                            + ","
                            + scale
                            + ") is not allowed: precision must"
                            + " be 1 to "
                            + MAX_DECIMAL_PRECISION
                            + " and scale 0 to precision");
        }
    }

    /** Digits before the point. */
    public int integerDigits() {
        return precision - scale;
    }

    @Override
    public Kind kind() {
        return Kind.DECIMAL;
    }

    @Override
    public String sql() {
        return "DECIMAL(" + precision + "," + scale + ")";
    }

    @Override
    public DecimalType asDecimal() {
        return this;
    }

    @Override
    public String toString() {
        return sql();
    }
}
