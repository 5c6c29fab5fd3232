package dev.tarn.lake.exceptions;

/**
 * A write broke a table's constraint (a NOT NULL column, a CHECK constraint, a column invariant):
 * the commit was refused and nothing became visible. The message names the constraint, its
 * expression, how many rows broke it and one of them.
 */
public class ConstraintViolationException extends TarnException {
    private final String constraint;
    private final String expression;
    private final long rows;

    public ConstraintViolationException(
            String message, String constraint, String expression, long rows) {
        super(ErrorCode.CONSTRAINT_VIOLATED, message);
        this.constraint = constraint;
        this.expression = expression;
        this.rows = rows;
    }

    /** The name of the (first) constraint broken: a CHECK constraint's, or a column's. */
    public String constraint() {
        return constraint;
    }

    /** Its SQL expression. */
    public String expression() {
        return expression;
    }

    /** How many of the written rows broke it (-1 when unknown). */
    public long rows() {
        return rows;
    }
}
