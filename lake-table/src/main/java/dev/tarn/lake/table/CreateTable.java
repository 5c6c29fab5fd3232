package dev.tarn.lake.table;

import dev.tarn.lake.exceptions.TableAlreadyExistsException;
import dev.tarn.lake.types.Schema;
import java.util.List;

/**
 * Creates a table: version 0 of its log, holding {@code protocol}, {@code metaData} and the first
 * files if any. Two processes creating the same table at once: exactly one creates it, the other
 * gets {@link TableAlreadyExistsException} (or, with {@link #ifNotExists()}, the table the winner
 * created, if its schema and partitioning are the same).
 */
public interface CreateTable
        extends dev.tarn.lake.LakeOperation<Snapshot, Table>, AddsFiles<CreateTable> {
    /**
     * The table's schema. Without one, the schema of the first file (plus partition columns as
     * strings).
     */
    CreateTable schema(Schema schema);

    CreateTable partitionBy(List<String> columns);

    default CreateTable partitionBy(String... columns) {
        return partitionBy(List.of(columns));
    }

    /** A table property (the metaData configuration), e.g. {@code delta.checkpointInterval}. */
    CreateTable property(String key, String value);

    CreateTable description(String description);

    /**
     * A CHECK constraint on the new table (see {@link UpdateConstraints#add}): the table's first
     * files are checked against it, and the protocol takes writer version 3. NOT NULL columns are
     * declared in the schema ({@link dev.tarn.lake.types.Field#required}).
     */
    default CreateTable constraint(String name, String expression) {
        return property(
                Constraint.PROPERTY_PREFIX + Constraint.checkName(name),
                Constraint.checkExpression(expression));
    }

    /**
     * Returns the existing table instead of failing when it exists with the same schema and
     * partitioning.
     */
    CreateTable ifNotExists();

    /**
     * Version 0 as it would be committed (schema, partitioning, properties, files, protocol),
     * checked as the commit checks it; writes nothing. For an existing table with {@link
     * #ifNotExists()}, that table's current snapshot.
     */
    @Override
    Snapshot apply();
}
