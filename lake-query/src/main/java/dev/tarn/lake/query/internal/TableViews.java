package dev.tarn.lake.query.internal;

import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.DataType;
import dev.tarn.lake.table.Field;
import dev.tarn.lake.table.Schema;
import dev.tarn.lake.table.Snapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.tarn.lake.query.internal.DuckEngine.ident;
import static dev.tarn.lake.query.internal.DuckEngine.quote;

/**
 * The SQL of a table snapshot: its live Parquet files, with partition columns filled from the log's partition values
 * (the Delta protocol's source of truth, not directory names), and every schema column present with its type even
 * when no file holds it yet.
 */
final class TableViews {
    private TableViews() {
    }

    /**
     * The snapshot's SQL. With {@code complete} false, the typed empty relation that guarantees every schema column
     * is left out: cheaper to run, and right whenever each column is in some file (binding the view fails otherwise,
     * and the caller asks again with {@code complete} true).
     */
    static String select(Snapshot snap, LocalFiles store, String keyPrefix, boolean complete,
                         java.util.Set<java.nio.file.Path> used) {
        Schema schema = snap.schema();
        List<String> partitionColumns = snap.partitionColumns();
        // One read per distinct partition tuple: partition values become typed constants.
        Map<List<String>, List<DataFile>> groups = new LinkedHashMap<>();
        for (DataFile f : snap.files()) {
            List<String> tuple = new ArrayList<>();
            for (String c : partitionColumns) {
                tuple.add(f.partitionValues().get(c));
            }
            groups.computeIfAbsent(tuple, k -> new ArrayList<>()).add(f);
        }
        List<String> parts = new ArrayList<>();
        for (var g : groups.entrySet()) {
            String files = g.getValue().stream()
                    .map(f -> {
                        java.nio.file.Path local = store.fileOf(keyPrefix + f.path());
                        used.add(local);
                        return quote(local.toString());
                    })
                    .collect(Collectors.joining(", ", "[", "]"));
            StringBuilder b = new StringBuilder("SELECT *");
            for (int i = 0; i < partitionColumns.size(); i++) {
                String col = partitionColumns.get(i);
                String value = g.getKey().get(i);
                String type = duckType(schema.field(col).map(Field::type).orElse(DataType.Primitive.STRING));
                b.append(", CAST(").append(value == null ? "NULL" : quote(value)).append(" AS ").append(type)
                        .append(") AS ").append(ident(col));
            }
            // hive_partitioning off: directory names would add a second, untyped copy of each partition column
            b.append(" FROM read_parquet(").append(files).append(", union_by_name = true, hive_partitioning = false)");
            parts.add(b.toString());
        }
        if (complete || parts.isEmpty()) {
            // A typed, empty relation with every column: union by name then always yields the whole schema.
            parts.add("SELECT " + schema.fields().stream()
                    .map(f -> "CAST(NULL AS " + duckType(f.type()) + ") AS " + ident(f.name()))
                    .collect(Collectors.joining(", ")) + " WHERE false");
        }
        String cols = schema.fields().stream().map(f -> ident(f.name())).collect(Collectors.joining(", "));
        String from = parts.size() == 1 ? parts.get(0) : String.join(" UNION ALL BY NAME ", parts);
        return "SELECT " + cols + " FROM (" + from + ")";
    }

    /** Delta types as DuckDB names them. A Delta timestamp is an instant, so TIMESTAMPTZ (the engine runs in UTC). */
    static String duckType(DataType t) {
        if (t instanceof DataType.Primitive p) {
            return switch (p) {
                case BOOLEAN -> "BOOLEAN";
                case BYTE -> "TINYINT";
                case SHORT -> "SMALLINT";
                case INTEGER -> "INTEGER";
                case LONG -> "BIGINT";
                case FLOAT -> "FLOAT";
                case DOUBLE -> "DOUBLE";
                case STRING -> "VARCHAR";
                case BINARY -> "BLOB";
                case DATE -> "DATE";
                case TIMESTAMP -> "TIMESTAMPTZ";
            };
        }
        if (t instanceof DataType.Decimal d) {
            return "DECIMAL(" + d.precision() + ", " + d.scale() + ")";
        }
        if (t instanceof DataType.Struct s) {
            return "STRUCT(" + s.fields().stream().map(f -> ident(f.name()) + " " + duckType(f.type()))
                    .collect(Collectors.joining(", ")) + ")";
        }
        if (t instanceof DataType.Array a) {
            return duckType(a.elementType()) + "[]";
        }
        if (t instanceof DataType.MapType m) {
            return "MAP(" + duckType(m.keyType()) + ", " + duckType(m.valueType()) + ")";
        }
        throw new IllegalArgumentException("no SQL type for " + t);
    }
}
