package dev.tarn.lake.table;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.TableAlreadyExistsException;
import dev.tarn.lake.table.internal.DefaultTables;
import dev.tarn.lake.types.Schema;
import java.util.List;

/**
 * The tables of a lake: datasets of kind {@code table}, stored in the open Delta Lake format
 * (protocol reader 1, writer 2) so that Spark, Trino, Databricks or Athena read the same files.
 *
 * <pre>{@code
 * Tables tables = Tables.of(lake);
 * Table orders = tables.create("processed/orders", schema, "order_date");
 * orders.newAppend().addFile(orders.dataFile("order_date=2026-11-21/part-1.parquet",
 *         Map.of("order_date", "2026-11-21"))).commit();
 * Snapshot now = orders.snapshot();
 * }</pre>
 *
 * A table {@code zone/name} lives under the key prefix {@code zone/name/}, its log under {@code
 * zone/name/_delta_log/}.
 */
public interface Tables {

    static Tables of(Lake lake) {
        return new DefaultTables(lake);
    }

    /** Creates an empty table; fails with {@link TableAlreadyExistsException} if it exists. */
    default Table create(DatasetId id, Schema schema, List<String> partitionColumns) {
        return newCreate(id).schema(schema).partitionBy(partitionColumns).commit();
    }

    default Table create(String id, Schema schema, String... partitionColumns) {
        return create(DatasetId.parse(id), schema, List.of(partitionColumns));
    }

    /**
     * A table creation to configure: schema (or taken from the first files), partitioning,
     * properties, files.
     */
    CreateTable newCreate(DatasetId id);

    default CreateTable newCreate(String id) {
        return newCreate(DatasetId.parse(id));
    }

    /** An existing table; {@link dev.tarn.lake.exceptions.NotFoundException} if there is none. */
    Table load(DatasetId id);

    default Table load(String id) {
        return load(DatasetId.parse(id));
    }

    boolean exists(DatasetId id);

    default boolean exists(String id) {
        return exists(DatasetId.parse(id));
    }

    /**
     * Converts a raw dataset's objects into a table (created on first run), incrementally and
     * exactly once.
     */
    Convert newConvert(DatasetId source, DatasetId table);

    default Convert newConvert(String source, String table) {
        return newConvert(DatasetId.parse(source), DatasetId.parse(table));
    }
}
