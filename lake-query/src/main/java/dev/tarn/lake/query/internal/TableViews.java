package dev.tarn.lake.query.internal;

import static dev.tarn.lake.query.internal.DuckEngine.ident;
import static dev.tarn.lake.query.internal.DuckEngine.quote;

import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.Snapshot;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.DecimalType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The SQL of a table snapshot: its live Parquet files, with partition columns filled from the log's
 * partition values (the Delta protocol's source of truth, not directory names), and every schema
 * column present with its type even when no file holds it yet.
 */
final class TableViews {
    private TableViews() {}

    /**
     * The snapshot's SQL. With {@code complete} false, the typed empty relation that guarantees
     * every schema column is left out: cheaper to run, and right whenever each column is in some
     * file (binding the view fails otherwise, and the caller asks again with {@code complete}
     * true).
     */
    static String select(
            Snapshot snap,
            LocalFiles store,
            String keyPrefix,
            boolean complete,
            java.util.Set<java.nio.file.Path> used) {
        return select(
                snap.schema(),
                snap.partitionColumns(),
                snap.files(),
                store,
                keyPrefix,
                complete,
                used);
    }

    /**
     * The same over any data files of a table (files not committed yet, for a constraint check).
     */
    static String select(
            Schema schema,
            List<String> partitionColumns,
            List<DataFile> dataFiles,
            LocalFiles store,
            String keyPrefix,
            boolean complete,
            java.util.Set<java.nio.file.Path> used) {
        // One read per distinct partition tuple: partition values become typed constants.
        Map<List<String>, List<DataFile>> groups = new LinkedHashMap<>();
        for (DataFile f : dataFiles) {
            List<String> tuple = new ArrayList<>();
            for (String c : partitionColumns) {
                tuple.add(f.partitionValues().get(c));
            }
            groups.computeIfAbsent(tuple, k -> new ArrayList<>()).add(f);
        }
        List<String> parts = new ArrayList<>();
        for (var g : groups.entrySet()) {
            String files =
                    g.getValue().stream()
                            .map(
                                    f -> {
                                        java.nio.file.Path local =
                                                store.fileOf(keyPrefix + f.path());
                                        used.add(local);
                                        return quote(local.toString());
                                    })
                            .collect(Collectors.joining(", ", "[", "]"));
            StringBuilder b = new StringBuilder("SELECT *");
            for (int i = 0; i < partitionColumns.size(); i++) {
                String col = partitionColumns.get(i);
                String value = g.getKey().get(i);
                String type = duckType(schema.field(col).map(Field::type).orElse(DataType.STRING));
                b.append(", CAST(")
                        .append(value == null ? "NULL" : quote(value))
                        .append(" AS ")
                        .append(type)
                        .append(") AS ")
                        .append(ident(col));
            }
            // hive_partitioning off: directory names would add a second, untyped copy of each
            // partition column
            b.append(" FROM read_parquet(")
                    .append(files)
                    .append(", union_by_name = true, hive_partitioning = false)");
            parts.add(b.toString());
        }
        if (complete || parts.isEmpty()) {
            // A typed, empty relation with every column: union by name then always yields the whole
            // schema.
            parts.add(
                    "SELECT "
                            + schema.fields().stream()
                                    .map(
                                            f ->
                                                    "CAST(NULL AS "
                                                            + duckType(f.type())
                                                            + ") AS "
                                                            + ident(f.name()))
                                    .collect(Collectors.joining(", "))
                            + " WHERE false");
        }
        // Files written before a column widened hold its older, narrower type: each scalar column
        // is read as the
        // table's type, so SQL shows the table's schema whatever files a snapshot holds.
        String cols =
                schema.fields().stream()
                        .map(
                                f ->
                                        f.type().isPrimitive() || f.type() instanceof DecimalType
                                                ? "CAST("
                                                        + ident(f.name())
                                                        + " AS "
                                                        + duckType(f.type())
                                                        + ") AS "
                                                        + ident(f.name())
                                                : ident(f.name()))
                        .collect(Collectors.joining(", "));
        String from = parts.size() == 1 ? parts.get(0) : String.join(" UNION ALL BY NAME ", parts);
        return "SELECT " + cols + " FROM (" + from + ")";
    }

    /**
     * A table column's type as DuckDB spells it ({@link DataType#sql()}): a timestamp is an
     * instant, TIMESTAMPTZ (the engine runs in UTC), and a timestamp_ntz a TIMESTAMP, which no time
     * zone shifts.
     */
    static String duckType(DataType t) {
        return t.sql();
    }
}
