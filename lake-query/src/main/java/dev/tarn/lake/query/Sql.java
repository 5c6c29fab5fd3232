package dev.tarn.lake.query;

import dev.tarn.lake.Lake;
import dev.tarn.lake.query.internal.DuckEngine;
import dev.tarn.lake.query.internal.SqlSession;
import java.sql.ResultSet;

/**
 * SQL over the lake. Every dataset is a relation named {@code zone.dataset}: raw JSON, CSV and
 * Parquet datasets are read as they lie (schema on read, over exactly their committed objects);
 * tables are read at their newest version, or at a past one as {@code zone."table@VERSION"} or
 * {@code zone."table@INSTANT"}; other datasets are tables of their objects' metadata.
 *
 * <pre>{@code
 * Sql sql = Sql.of(lake);
 * QueryResult r = sql.query("SELECT category, count(*) FROM raw.clicks WHERE user_id = ? GROUP BY 1", 42);
 * System.out.println(r);
 * }</pre>
 *
 * One DuckDB engine serves each opened lake; it starts on first use and is closed with the lake.
 * Only queries run (SELECT, WITH ... SELECT, ...): statements that write, attach, install or change
 * settings are refused, and the engine reads no file outside the lake.
 */
public interface Sql {

    /** The lake's SQL engine with default options. */
    /**
     * Whether SQL reads the rows of objects in this format (NDJSON, JSON, CSV, TSV, Parquet). A raw
     * dataset's view reads the rows of those objects and leaves the others (text, binary, Avro)
     * out; {@code tarn.objects} lists every object, and a dataset with no such objects is a table
     * of its objects' metadata.
     */
    static boolean readsRows(dev.tarn.lake.catalog.Format format) {
        return format != null
                && switch (format) {
                    case NDJSON, JSON, CSV, TSV, PARQUET -> true;
                    default -> false;
                };
    }

    static Sql of(Lake lake) {
        return of(lake, SqlOptions.defaults());
    }

    /**
     * The lake's SQL engine, started with these options if it is not running yet. Asking for other
     * options once it runs is an error: the engine is one per lake.
     */
    static Sql of(Lake lake, SqlOptions options) {
        DuckEngine engine = lake.component(DuckEngine.class, l -> DuckEngine.start(l, options));
        engine.requireOptions(options);
        return new SqlSession(lake, engine);
    }

    /** The relation of a dataset in SQL, quoted: {@code "raw"."web-events"}. */
    static String relation(dev.tarn.lake.catalog.DatasetId id) {
        return "\"" + id.zone() + "\".\"" + id.name() + "\"";
    }

    /** The relation of a table at a version: {@code "processed"."orders@12"}. */
    static String relationAt(dev.tarn.lake.catalog.DatasetId table, long version) {
        if (version < 0) {
            throw new IllegalArgumentException("a table version is 0 or more");
        }
        return "\"" + table.zone() + "\".\"" + table.name() + "@" + version + "\"";
    }

    /**
     * The rows a table gained between two versions: those of the data files that the commits after
     * {@code afterVersion}, up to and including {@code toVersion}, added as new data ({@code
     * "processed"."orders@+4..9"}), as {@link dev.tarn.lake.table.Table#appendedFiles} chooses
     * them: commits that removed data (a delete, an overwrite, whose files stand in for rows the
     * table had) and compactions add no rows here. {@code afterVersion} -1 means from the table's
     * first version. For incremental readers: a step or sink that has seen version 4 reads
     * {@code @+4..9} to get what versions 5 to 9 appended.
     */
    static String relationAdded(
            dev.tarn.lake.catalog.DatasetId table, long afterVersion, long toVersion) {
        if (afterVersion < -1 || toVersion < 0 || toVersion < afterVersion) {
            throw new IllegalArgumentException(
                    "versions after " + afterVersion + " up to " + toVersion + " are not a range");
        }
        return "\""
                + table.zone()
                + "\".\""
                + table.name()
                + "@+"
                + afterVersion
                + ".."
                + toVersion
                + "\"";
    }

    /**
     * The relation of a table as it was at an instant: {@code
     * "processed"."orders@2026-11-21T10:00:00Z"}.
     */
    static String relationAsOf(dev.tarn.lake.catalog.DatasetId table, java.time.Instant time) {
        return "\"" + table.zone() + "\".\"" + table.name() + "@" + time + "\"";
    }

    /**
     * The statements of a script ({@code "SELECT 1 AS a; SELECT 2 AS b"}), in order, each checked
     * as it would be run (only queries, only the lake's datasets, each readable by this handle's
     * principal) before any runs. One that fails the checks refuses the whole script, with an error
     * naming it ("statement 2 of 3 (...): refused: ..."). Run them one by one with {@link #query},
     * {@link #cursor} or {@link #resultSet}: the JDBC driver itself would run them all and return
     * the last result only.
     */
    java.util.List<String> statements(String script);

    /**
     * Runs every statement of a script ({@link #statements}) and returns their results in order.
     * Nothing runs when one statement is refused; a statement failing as it runs ends the script
     * there, with its error.
     */
    java.util.List<QueryResult> queryAll(String script);

    /** Runs a query with its parameters bound (never concatenated) and returns all of its rows. */
    QueryResult query(String sql, Object... parameters);

    /** Runs a query and returns its rows one at a time, in bounded memory; close it when done. */
    default QueryCursor cursor(String sql, Object... parameters) {
        return QueryCursor.of(resultSet(sql, parameters));
    }

    /**
     * Runs a query and returns the JDBC result set, for applications that stream large results;
     * closing it releases the statement and connection it holds.
     */
    ResultSet resultSet(String sql, Object... parameters);

    /**
     * Runs a query and writes its result to a file (replaced atomically if it exists); returns the
     * number of rows. The file appears whole or not at all.
     */
    long export(String sql, java.nio.file.Path target, ExportFormat format, Object... parameters);

    /**
     * Runs a query and saves its result as a new table (Delta Lake, one Parquet file), recording as
     * lineage, in the table's metadata ({@code tarn.lineage}), which datasets the query read at
     * which versions.
     *
     * @throws dev.tarn.lake.exceptions.TarnException if the table exists, or a column has a type
     *     tables cannot hold
     */
    SavedTable saveAsTable(
            String sql, dev.tarn.lake.catalog.DatasetId target, Object... parameters);

    /**
     * Runs a query and appends its result to an existing unpartitioned table (one Parquet file, one
     * commit), as {@code lake convert} appends to a table saved from SQL: result columns are
     * matched to the table's regardless of case and written with the table's types, checked before
     * anything is written (a value type must {@linkplain
     * dev.tarn.lake.types.TypeWidening#isWidening widen} to the column's: INTEGER into BIGINT, DATE
     * into a timestamp without time zone); table columns the result lacks are null. The commit
     * records the query and the datasets it read.
     *
     * @throws dev.tarn.lake.exceptions.TarnException if the table does not exist or is partitioned,
     *     or a column does not fit
     */
    SavedTable insertInto(String sql, dev.tarn.lake.catalog.DatasetId table, Object... parameters);

    /**
     * Runs a query and commits its result into a table as one version that also records Delta's
     * {@code txn} action ({@link SaveOptions}): the table is created (schema from the result) if it
     * does not exist, else the result replaces its rows or is appended to them, matched to the
     * table's columns as {@link #insertInto} matches them. For writers that must know after a crash
     * whether their commit landed (pipelines).
     *
     * @throws dev.tarn.lake.exceptions.TarnException if a column does not fit the table, the table
     *     is partitioned, or a concurrent commit of the same application conflicts
     */
    SavedTable save(
            String sql,
            dev.tarn.lake.catalog.DatasetId table,
            SaveOptions options,
            Object... parameters);

    /**
     * The datasets a query names ({@code zone.name}, time-travel suffixes dropped), from DuckDB's
     * parser alone: nothing is read and the catalog is not asked whether they exist. A query that
     * does not parse, or that is not one query lake SQL would run, is refused as {@link #query}
     * refuses it.
     */
    java.util.Set<dev.tarn.lake.catalog.DatasetId> relations(String sql);

    /**
     * How SQL reaches the lake's bytes: "the lake's own files" for a local lake, or "a local cache
     * of the object store, at DIR" for a lake in S3 (DuckDB's httpfs extension cannot be installed
     * offline; objects are fetched once, kept by key, and evicted least recently used beyond {@link
     * SqlOptions#cacheBytes()}).
     */
    String access();

    /**
     * The objects of a raw dataset that SQL cannot read as rows, each with its reason, as its view
     * found them when it was made (what making it reads: the CSV dialect sniffed, a JSON sample,
     * Parquet footers; with {@link SqlOptions#skipBadObjects} every row). Without {@code
     * skipBadObjects} a query on the dataset fails naming them; with it they are left out. Empty
     * for a dataset whose objects all read, and for tables.
     */
    java.util.List<BadObject> badObjects(dev.tarn.lake.catalog.DatasetId dataset);

    /**
     * With {@link SqlOptions#skipBadObjects}: the objects left out of the datasets that this
     * handle's statements have read so far, in the order they were met; empty otherwise.
     */
    java.util.List<BadObject> skippedObjects();

    /** DuckDB's plan for a query, as text (shows partition pruning and pushed-down filters). */
    String explain(String sql, Object... parameters);
}
