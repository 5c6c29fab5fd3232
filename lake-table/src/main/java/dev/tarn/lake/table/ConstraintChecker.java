package dev.tarn.lake.table;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.types.Schema;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Evaluates SQL constraints (CHECK constraints, column invariants) over the rows of data files.
 * Tables hold no SQL engine: a module that has one registers an implementation with {@link
 * ServiceLoader} ({@code META-INF/services/dev.tarn.lake.table.ConstraintChecker}); lake-query
 * does, with DuckDB. Without one, writing to a table that has CHECK constraints or invariants fails
 * closed, naming lake-query.
 */
public interface ConstraintChecker {

    /**
     * The constraints the rows of {@code files} break, each with its count and one example row;
     * empty when every row keeps every constraint. A row breaks a constraint when the expression is
     * false or null.
     *
     * @param lake the handle writing (its principal's rights)
     * @param table the table the files are written to, under whose key prefix they lie
     * @param schema the table's schema after the write
     * @param partitionColumns the table's partition columns (values come from each file's partition
     *     values)
     * @param files the data files to check, paths relative to the table root
     * @param constraints the constraints to evaluate
     * @throws dev.tarn.lake.exceptions.TarnException if an expression is not one the checker can
     *     evaluate safely (it reads another relation, a file, or is not an expression)
     */
    List<ConstraintViolation> check(
            Lake lake,
            DatasetId table,
            Schema schema,
            List<String> partitionColumns,
            List<DataFile> files,
            List<Constraint> constraints);

    /** The checker on the class path, if any (the first one found). */
    static Optional<ConstraintChecker> find() {
        return Holder.CHECKER;
    }

    /** Looked up once: the class path does not change. */
    final class Holder {
        private static final Optional<ConstraintChecker> CHECKER =
                ServiceLoader.load(
                                ConstraintChecker.class, ConstraintChecker.class.getClassLoader())
                        .findFirst();

        private Holder() {}
    }
}
