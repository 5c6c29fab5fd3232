package dev.tarn.lake.query.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.query.SavedTable;
import dev.tarn.lake.table.CommitResult;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.DecimalType;
import dev.tarn.lake.types.DuckDbTypes;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.PrimitiveType;
import dev.tarn.lake.types.Schema;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Query result → Parquet file under the new table's prefix → a table created over it, with lineage.
 */
final class SaveAsTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SaveAsTable() {}

    /**
     * A result column as a table column: its type, and the SQL expression that gives exactly that
     * type.
     */
    record Column(String name, DataType type, String expression) {}

    /**
     * A vetted query, as {@link SqlSession} hands it over.
     *
     * @param catalog the catalog the statement's views were brought up to
     * @param relations the relations the statement reads (from {@link SqlGuard#vet})
     */
    record Query(
            Connection c,
            String sql,
            Object[] parameters,
            Catalog catalog,
            java.util.Set<SqlGuard.Relation> relations) {}

    /**
     * Saves the result as a new table; with {@code options}, its file is added in a commit that
     * carries their transaction.
     */
    static SavedTable run(
            Lake lake,
            DuckEngine engine,
            Query q,
            DatasetId target,
            dev.tarn.lake.query.SaveOptions options)
            throws SQLException {
        Names.check("zone", target.zone());
        if (lake.catalog().dataset(target).isPresent()) {
            throw new TarnException(
                    ErrorCode.TABLE_EXISTS,
                    target + " already exists; save the result under a new name");
        }
        // the access policy decides before a byte is written: creating the operation asks it (WRITE
        // on the table)
        var create = Tables.of(lake).newCreate(target);
        Map<String, String> lineage = lineage(engine, q.catalog(), q.relations());
        List<Column> columns = columns(q.c(), q.sql(), q.parameters());
        String rel = "part-00000-" + UUID.randomUUID() + ".zstd.parquet";
        long rows = write(lake, engine, q.c(), q.sql(), target, q.parameters(), columns, rel);
        List<Field> fields = columns.stream().map(col -> Field.of(col.name(), col.type())).toList();
        String lineageJson;
        try {
            lineageJson = JSON.writeValueAsString(Map.of("query", q.sql(), "sources", lineage));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Table table =
                create.schema(new Schema(fields))
                        .property("tarn.lineage", lineageJson)
                        .description("saved from SQL")
                        .commit();
        var add = table.newAppend().addFile(table.dataFile(rel, Map.of()));
        if (options != null) {
            add.transaction(options.appId(), options.transactionVersion());
        }
        CommitResult appended = add.commit();
        return new SavedTable(target, appended.version(), rows, lineage);
    }

    /**
     * Appends the result to an existing unpartitioned table: each result column goes to the table
     * column of the same name in any case, cast to the table's type when it widens to it; anything
     * else is refused before a byte is written. Table columns the result lacks are written as nulls
     * (they must be nullable). With {@code options}: an append, or for a replace an overwrite of
     * every file, in a commit that carries their transaction.
     */
    static SavedTable append(
            Lake lake,
            DuckEngine engine,
            Query q,
            DatasetId target,
            dev.tarn.lake.query.SaveOptions options)
            throws SQLException {
        Tables tables = Tables.of(lake);
        if (!tables.exists(target)) {
            throw new TarnException(
                    ErrorCode.TABLE_NOT_FOUND,
                    "no table "
                            + target
                            + " to insert into; save the result as a new table instead");
        }
        Table table = tables.load(target);
        // the access policy decides before a byte is written: creating the append asks it (WRITE on
        // the table)
        dev.tarn.lake.table.TableWrite<?> append =
                options != null && options.replace() ? table.newOverwrite() : table.newAppend();
        if (options != null) {
            append.transaction(options.appId(), options.transactionVersion());
        }
        var snapshot = table.snapshot();
        if (!snapshot.partitionColumns().isEmpty()) {
            throw new TarnException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    target
                            + " is partitioned by "
                            + snapshot.partitionColumns()
                            + "; writing a"
                            + " query's result into a partitioned table is not supported yet (convert raw data into it)");
        }
        Map<String, String> lineage = lineage(engine, q.catalog(), q.relations());
        List<Column> result = columns(q.c(), q.sql(), q.parameters());
        java.util.Set<String> matched = new java.util.HashSet<>();
        List<Column> columns = new ArrayList<>();
        for (Field f : snapshot.schema().fields()) {
            Column col =
                    result.stream()
                            .filter(r -> r.name().equalsIgnoreCase(f.name()))
                            .findFirst()
                            .orElse(null);
            String as = DuckEngine.ident(f.name());
            if (col == null) {
                if (!f.nullable()) {
                    throw new TarnException(
                            ErrorCode.SCHEMA_MISMATCH,
                            "the result has no column "
                                    + f.name()
                                    + ", which "
                                    + target
                                    + " declares not null");
                }
                columns.add(
                        new Column(
                                f.name(),
                                f.type(),
                                "CAST(NULL AS " + f.type().sql() + ") AS " + as));
                continue;
            }
            matched.add(col.name());
            if (!dev.tarn.lake.types.TypeWidening.isWidening(col.type(), f.type())) {
                throw new TarnException(
                        ErrorCode.SCHEMA_MISMATCH,
                        "column "
                                + col.name()
                                + " of the result is "
                                + col.type()
                                + " but "
                                + target
                                + "'s "
                                + f.name()
                                + " is "
                                + f.type()
                                + "; cast it in the query");
            }
            // the column's value without its alias (columns() gives "q" or "CAST(q AS T) AS q")
            String alias = " AS " + DuckEngine.ident(col.name());
            String value =
                    col.expression().endsWith(alias)
                            ? col.expression()
                                    .substring(0, col.expression().length() - alias.length())
                            : col.expression();
            String from = "(" + value + ")";
            columns.add(
                    new Column(
                            f.name(),
                            f.type(),
                            col.type().equals(f.type()) && col.name().equals(f.name())
                                    ? col.expression()
                                    : col.type().equals(f.type())
                                            ? from + " AS " + as
                                            : "CAST("
                                                    + from
                                                    + " AS "
                                                    + f.type().sql()
                                                    + ") AS "
                                                    + as));
        }
        for (Column r : result) {
            if (!matched.contains(r.name())) {
                throw new TarnException(
                        ErrorCode.SCHEMA_MISMATCH,
                        "the result has column "
                                + r.name()
                                + ", which "
                                + target
                                + " does not have;"
                                + " select the table's columns");
            }
        }
        String rel = "part-00000-" + UUID.randomUUID() + ".zstd.parquet";
        long rows = write(lake, engine, q.c(), q.sql(), target, q.parameters(), columns, rel);
        String lineageJson;
        try {
            lineageJson = JSON.writeValueAsString(lineage);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        CommitResult appended;
        try {
            appended =
                    append.addFile(table.dataFile(rel, Map.of()))
                            .parameter("query", q.sql())
                            .parameter("sources", lineageJson)
                            .commit();
        } catch (dev.tarn.lake.exceptions.CommitStateUnknownException e) {
            throw e; // the commit may have landed: the files it would reference stay ('lake doctor'
            // tells)
        } catch (RuntimeException e) {
            lake.store().delete(target.keyPrefix() + rel);
            throw e;
        }
        return new SavedTable(target, appended.version(), rows, lineage);
    }

    /**
     * Writes the result, as {@code columns} select it, to the table file {@code rel}; returns the
     * rows written.
     */
    private static long write(
            Lake lake,
            DuckEngine engine,
            Connection c,
            String sql,
            DatasetId target,
            Object[] parameters,
            List<Column> columns,
            String rel)
            throws SQLException {
        String key = target.keyPrefix() + rel;
        // A local lake gets the file in place; a lake in an object store gets it staged here, then
        // uploaded.
        java.nio.file.Path file =
                engine.isLocal() ? engine.lakeRoot().resolve(key) : engine.stagingFile("parquet");
        try {
            java.nio.file.Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the directory of " + target, e);
        }
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            select.append(i == 0 ? "" : ", ").append(columns.get(i).expression());
        }
        select.append(" FROM (").append(SqlGuard.withoutTrailingSemicolons(sql)).append(")");
        long rows;
        try (PreparedStatement ps =
                        c.prepareStatement(
                                "COPY ("
                                        + select
                                        + ") TO "
                                        + DuckEngine.quote(file.toString())
                                        + " (FORMAT PARQUET, COMPRESSION ZSTD)");
                DuckEngine.Running running = engine.begin(ps)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            rows = DuckEngine.executeUpdate(ps, running);
        }
        if (!engine.isLocal()) {
            try (var in = java.nio.file.Files.newInputStream(file)) {
                lake.store().put(key, in, dev.tarn.lake.storage.WriteMode.CREATE);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(
                        "cannot upload the saved table's file " + key, e);
            } finally {
                try {
                    java.nio.file.Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // in the engine's temp directory
                }
            }
        }
        return rows;
    }

    /**
     * The datasets the query reads (as DuckDB's parser named them), with the versions its views
     * show.
     */
    private static Map<String, String> lineage(
            DuckEngine engine, Catalog catalog, java.util.Set<SqlGuard.Relation> relations) {
        Map<String, String> out = new TreeMap<>();
        for (SqlGuard.Relation r : relations) {
            int at = r.name().indexOf('@');
            String name = at > 0 ? r.name().substring(0, at) : r.name();
            String spec = at > 0 ? r.name().substring(at + 1) : null;
            if (Names.isValid(r.schema()) && Names.isValid(name)) {
                DatasetId id = DatasetId.of(r.schema(), name);
                catalog.dataset(id)
                        .ifPresent(d -> out.put(id.toString(), versionOf(engine, d, spec)));
            }
        }
        return out;
    }

    private static String versionOf(DuckEngine engine, Dataset d, String spec) {
        if (d.kind() == DatasetKind.TABLE) {
            return "table@" + (spec != null ? spec : engine.tableVersion(d.id()));
        }
        return "catalog@" + d.lastVersion();
    }

    /**
     * The result's columns, typed as tables hold them; unsupported types are refused with a way
     * out.
     */
    private static List<Column> columns(Connection c, String sql, Object[] parameters)
            throws SQLException {
        List<Column> out = new ArrayList<>();
        List<String[]> described = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("DESCRIBE " + SqlGuard.withoutTrailingSemicolons(sql))) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    described.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        for (String[] d : described) {
            out.add(
                    isHuge(d[1]) && fitsLong(c, sql, parameters, d[0])
                            ? asLong(d[0])
                            : column(d[0], d[1]));
        }
        return out;
    }

    /** DuckDB's integer types wider than 64 bits, which no table type matches exactly. */
    private static boolean isHuge(String duckType) {
        String t = duckType.trim().toUpperCase(java.util.Locale.ROOT);
        return t.equals("HUGEINT")
                || t.equals("UHUGEINT")
                || t.equals("UBIGINT")
                || t.equals("VARINT")
                || t.equals("BIGNUM");
    }

    /**
     * Whether every value of a wide integer column fits a long. DuckDB types a JSON column of
     * negative and positive integers as HUGEINT although such values are nearly always longs: the
     * table gets the narrowest type that holds the values actually there, as Tarn's own inference
     * gives it, and the cast that writes them is itself checked.
     */
    private static boolean fitsLong(Connection c, String sql, Object[] parameters, String name)
            throws SQLException {
        String q = DuckEngine.ident(name);
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT coalesce(bool_and("
                                + q
                                + " BETWEEN "
                                + Long.MIN_VALUE
                                + " AND "
                                + Long.MAX_VALUE
                                + "), true) FROM ("
                                + SqlGuard.withoutTrailingSemicolons(sql)
                                + ")")) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static Column asLong(String name) {
        String q = DuckEngine.ident(name);
        return new Column(name, DataType.LONG, "CAST(" + q + " AS BIGINT) AS " + q);
    }

    /**
     * A result column of DuckDB type {@code duckType} as a table column: the Tarn type that holds
     * its values ({@link DuckDbTypes}), cast to exactly that type when DuckDB's differs (unsigned
     * and wider integers, timestamps of other units, text-like types). A timestamp without time
     * zone stays one: a timestamp_ntz column.
     */
    static Column column(String name, String duckType) {
        String q = DuckEngine.ident(name);
        DataType type;
        try {
            type = DuckDbTypes.parse(duckType);
        } catch (IllegalArgumentException e) {
            throw refused(name, duckType);
        }
        if (DuckDbTypes.isExact(duckType)) {
            return new Column(name, type, q);
        }
        if (!(type instanceof PrimitiveType) && !(type instanceof DecimalType)) {
            // nested values whose parts would need casting: said, not guessed
            throw refused(name, duckType);
        }
        return new Column(name, type, "CAST(" + q + " AS " + type.sql() + ") AS " + q);
    }

    private static QueryException refused(String name, String duckType) {
        return new QueryException(
                "column "
                        + name
                        + " has type "
                        + duckType
                        + ", which this version cannot save in a"
                        + " table; cast it (for nested values, to_json("
                        + name
                        + ") saves them as JSON text)");
    }
}
