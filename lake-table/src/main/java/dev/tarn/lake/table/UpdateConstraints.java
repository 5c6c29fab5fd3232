package dev.tarn.lake.table;

/**
 * Adds and drops a table's CHECK constraints ({@code delta.constraints.<name>}), as one commit. A
 * constraint added is checked against every row the table holds, and the commit is refused ({@code
 * CONSTRAINT_VIOLATED}) if any row breaks it, as Spark's {@code ALTER TABLE ... ADD CONSTRAINT}
 * does. The table's protocol gains the {@code checkConstraints} writer feature (writer version 3,
 * or the feature at writer version 7); its readers are not affected.
 *
 * <pre>{@code
 * table.updateConstraints().add("positive_price", "price > 0").commit();
 * }</pre>
 */
public interface UpdateConstraints extends dev.tarn.lake.PendingUpdate<CommitResult> {
    /**
     * Adds a CHECK constraint. The name is a SQL identifier ({@code [A-Za-z_][A-Za-z0-9_]*}, stored
     * in lower case); the expression is SQL over the table's columns that both Spark and DuckDB
     * read (comparisons, {@code IN}, {@code LIKE}, {@code IS [NOT] NULL}, {@code AND}/{@code OR},
     * common functions).
     */
    UpdateConstraints add(String name, String expression);

    /** Drops a CHECK constraint; fails if the table has none of that name. */
    UpdateConstraints drop(String name);
}
