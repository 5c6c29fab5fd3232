package dev.tarn.lake.query.internal;

import dev.tarn.lake.Lake;
import dev.tarn.lake.query.ExportFormat;
import dev.tarn.lake.query.QueryException;
import dev.tarn.lake.query.QueryResult;
import dev.tarn.lake.query.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@link Sql} for one lake handle (and so one principal) over the lake's shared engine. */
public final class SqlSession implements Sql {
    private final Lake lake;
    private final DuckEngine engine;
    /** With skipBadObjects: what the views this handle's statements read left out, in the order met. */
    private final java.util.Set<dev.tarn.lake.query.BadObject> skipped = new java.util.LinkedHashSet<>();

    public SqlSession(Lake lake, DuckEngine engine) {
        this.lake = lake;
        this.engine = engine;
    }

    @Override
    public QueryResult query(String sql, Object... parameters) {
        try (ResultSet rs = resultSet(sql, parameters)) {
            ResultSetMetaData md = rs.getMetaData();
            List<QueryResult.Column> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(new QueryResult.Column(md.getColumnLabel(i), md.getColumnTypeName(i)));
            }
            List<List<Object>> rows = new ArrayList<>();
            int max = engine.options().maxRows();
            while (rs.next()) {
                if (rows.size() >= max) {
                    throw new QueryException("the query returns more than " + max + " rows; use resultSet(...) to"
                            + " stream them, or raise SqlOptions.maxRows");
                }
                List<Object> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return new QueryResult(columns, rows);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public ResultSet resultSet(String sql, Object... parameters) {
        return run(sql, parameters);
    }

    @Override
    public long export(String sql, java.nio.file.Path target, ExportFormat format, Object... parameters) {
        refuseInsideLake(target);
        java.nio.file.Path staged = engine.stagingFile(format.name().toLowerCase(Locale.ROOT));
        String options = switch (format) {
            case CSV -> "FORMAT CSV, HEADER true";
            case JSON -> "FORMAT JSON";
            case PARQUET -> "FORMAT PARQUET, COMPRESSION ZSTD";
        };
        try {
            dev.tarn.lake.catalog.Catalog catalog = prepare(sql);
            long rows;
            java.util.Set<dev.tarn.lake.catalog.DatasetId> named = java.util.Set.of();
            try (Connection c = engine.connect()) {
                Vetted vetted = vet(c, sql, catalog);
                named = vetted.named();
                Runnable release = vetted.release();
                // The query was vetted as a single read-only statement above, so it cannot close the parentheses.
                try (PreparedStatement ps = c.prepareStatement("COPY (" + SqlGuard.withoutTrailingSemicolons(sql) + ") TO "
                        + DuckEngine.quote(staged.toString()) + " (" + options + ")");
                     DuckEngine.Running running = engine.begin(ps)) {
                    for (int i = 0; i < parameters.length; i++) {
                        ps.setObject(i + 1, parameters[i]);
                    }
                    rows = DuckEngine.executeUpdate(ps, running); // COPY reports the rows it wrote
                } finally {
                    release.run();
                }
            } catch (SQLException e) {
                throw failed(e, named);
            }
            java.nio.file.Path abs = target.toAbsolutePath();
            if (abs.getParent() != null) {
                java.nio.file.Files.createDirectories(abs.getParent());
            }
            try {
                java.nio.file.Files.move(staged, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                // another filesystem: copy beside the target, then rename there
                java.nio.file.Path beside = abs.resolveSibling("." + abs.getFileName() + ".tmp");
                java.nio.file.Files.copy(staged, beside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                java.nio.file.Files.move(beside, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return rows;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + target, e);
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(staged);
            } catch (java.io.IOException ignored) {
                // in the engine's temp directory, removed on close
            }
        }
    }

    /**
     * An export never writes into the lake (or the local cache of a lake in an object store): a file written there
     * behind the logs could forge a commit, break the catalog, or change what a dataset's view reads. The check is on
     * the path as the file system resolves it: symbolic links and {@code ..} followed where they exist, so that a
     * link pointing into the lake, or a directory not made yet inside it, is caught too.
     */
    private void refuseInsideLake(java.nio.file.Path target) {
        java.nio.file.Path root;
        java.nio.file.Path resolved;
        try {
            root = engine.lakeRoot().toRealPath();
            resolved = resolved(target);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot check the export target " + target, e);
        }
        if (resolved.startsWith(root)) {
            throw new QueryException("refused: " + SqlGuard.printable(target.toString()) + " is inside the lake ("
                    + (engine.isLocal() ? "" : "its local cache of the object store, ") + root + "); files there are written only by the lake's own operations; save results that"
                    + " belong in the lake as a table (Sql.saveAsTable), or export them outside the lake");
        }
    }

    /** A path as the file system would resolve it: the part that exists through its real path, the rest as written. */
    static java.nio.file.Path resolved(java.nio.file.Path target) throws java.io.IOException {
        return resolved(target.toAbsolutePath(), 0);
    }

    private static java.nio.file.Path resolved(java.nio.file.Path abs, int links) throws java.io.IOException {
        java.nio.file.Path real = abs.getRoot();
        for (int i = 0; i < abs.getNameCount(); i++) {
            java.nio.file.Path next = real.resolve(abs.getName(i));
            if (java.nio.file.Files.exists(next)) {
                real = next.toRealPath();
            } else if (java.nio.file.Files.isSymbolicLink(next)) {
                // a link to what does not exist yet: an export through it would land where it points
                if (links > 40) {
                    throw new java.io.IOException("too many levels of symbolic links at " + next);
                }
                java.nio.file.Path to = real.resolve(java.nio.file.Files.readSymbolicLink(next));
                java.nio.file.Path rest = i + 1 < abs.getNameCount() ? abs.subpath(i + 1, abs.getNameCount()) : null;
                return resolved(rest == null ? to : to.resolve(rest), links + 1);
            } else {
                // not there yet: the directories the export would make, where ".." undoes the name before it
                real = real.resolve(next.getFileName()).normalize();
            }
        }
        return real;
    }

    @Override
    public dev.tarn.lake.query.SavedTable saveAsTable(String sql, dev.tarn.lake.catalog.DatasetId target,
                                                       Object... parameters) {
        dev.tarn.lake.catalog.Catalog catalog = prepare(sql);
        java.util.Set<dev.tarn.lake.catalog.DatasetId> named = java.util.Set.of();
        try (Connection c = engine.connect()) {
            Vetted vetted = vet(c, sql, catalog);
            named = vetted.named();
            try {
                return SaveAsTable.run(lake, engine, c, sql, target, parameters, catalog, vetted.relations());
            } finally {
                vetted.release().run();
            }
        } catch (SQLException e) {
            throw failed(e, named);
        }
    }

    /** A vetted statement: the relations it reads, and the release of the cached files it leased. */
    private record Vetted(java.util.Set<SqlGuard.Relation> relations, Runnable release,
                          java.util.Set<dev.tarn.lake.catalog.DatasetId> named) {
    }

    /**
     * A query, every relation it reads one of this catalog's datasets, and this handle's principal allowed to read
     * each: reading the catalog takes READ on the lake, reading a dataset's rows READ on that dataset, as
     * {@code lake.open(object)} does. Then the views of what it reads (and of the table versions it names) are made,
     * and the files of what it reads are kept in the cache until the returned action releases them.
     */
    private Vetted vet(Connection c, String sql, dev.tarn.lake.catalog.Catalog catalog) throws SQLException {
        java.util.Set<SqlGuard.Relation> relations = SqlGuard.vet(c, sql);
        java.util.Set<String> zones = new java.util.HashSet<>();
        catalog.zones().forEach(z -> zones.add(z.name()));
        java.util.List<String> views = new ArrayList<>();
        java.util.Set<dev.tarn.lake.catalog.DatasetId> named = new java.util.HashSet<>();
        java.util.Map<dev.tarn.lake.catalog.DatasetId, java.util.Set<String>> travel = new java.util.LinkedHashMap<>();
        for (SqlGuard.Relation r : relations) {
            if (r == SqlGuard.ALL) {
                continue;
            }
            int at = r.name().indexOf('@');
            String dataset = at < 0 ? r.name() : r.name().substring(0, at);
            dev.tarn.lake.catalog.DatasetId id = datasetOf(r, dataset, zones, catalog);
            if (!(lake instanceof dev.tarn.lake.internal.DefaultLake checked)) {
                throw new QueryException("SQL runs on lakes opened through Lake.builder() or Lake.open(), whose"
                        + " access policy it can ask; this lake is a " + lake.getClass().getName());
            }
            checked.authorize(dev.tarn.lake.security.Privilege.READ, id.toString());
            views.add(DuckEngine.ident(r.schema()) + "." + DuckEngine.ident(r.name()));
            named.add(id);
            if (at >= 0) {
                travel.computeIfAbsent(id, k -> new java.util.LinkedHashSet<>()).add(r.name().substring(at + 1));
            }
        }
        // views as of this catalog: of what the statement reads, or all when it lists them
        engine.sync(catalog, relations.contains(SqlGuard.ALL) ? null : named);
        if (engine.skipsBadObjects()) {
            synchronized (skipped) {
                named.forEach(id -> skipped.addAll(engine.badObjects(id)));
            }
        }
        travel.forEach((id, specs) -> specs.forEach(spec -> engine.pin(catalog, id, spec)));
        return new Vetted(relations, engine.lease(views), named);
    }

    /**
     * The dataset a relation names, or a refusal: DuckDB reads a name that is no view as a file when it looks like one
     * (its replacement scans), so nothing but the catalog's datasets may be named.
     */
    private static dev.tarn.lake.catalog.DatasetId datasetOf(SqlGuard.Relation r, String dataset,
                                                             java.util.Set<String> zones,
                                                             dev.tarn.lake.catalog.Catalog catalog) {
        String written = SqlGuard.printable(r.schema() + "." + r.name());
        if (!zones.contains(r.schema()) && dev.tarn.lake.catalog.Names.isValid(r.schema())
                && dev.tarn.lake.catalog.Names.isValid(dataset)) {
            throw new QueryException("query failed: there is no zone '" + r.schema() + "' ('" + written + "'); this"
                    + " lake's zones are " + String.join(", ", new java.util.TreeSet<>(zones)));
        }
        if (!zones.contains(r.schema()) || !dev.tarn.lake.catalog.Names.isValid(r.schema())) {
            throw new QueryException("refused: SQL may read only the lake's own datasets, by name (zone.dataset),"
                    + " CTEs and the engine's catalog views; '" + written + "' is none of them (files are read"
                    + " through their datasets, never by path)");
        }
        if (!CatalogViews.showable(r.schema())) {
            throw new QueryException("zone " + dev.tarn.lake.catalog.Names.sqlConflict(r.schema())
                    + "; 'lake doctor' reports it (" + dev.tarn.lake.doctor.Finding.Kind.RESERVED_NAME + ")");
        }
        if (!dev.tarn.lake.catalog.Names.isValid(dataset)) {
            throw new QueryException("refused: SQL may read only the lake's own datasets, by name (zone.dataset);"
                    + " '" + written + "' is not a dataset name (files are read through their datasets, never by"
                    + " path)");
        }
        dev.tarn.lake.catalog.DatasetId id = dev.tarn.lake.catalog.DatasetId.of(r.schema(), dataset);
        if (catalog.dataset(id).isEmpty()) {
            throw new QueryException("query failed: there is no dataset " + id + " ('" + written + "'); 'lake ls "
                    + r.schema() + "' lists the zone's datasets");
        }
        return id;
    }

    /** What every statement needs first: READ on the lake, and the newest catalog. */
    private dev.tarn.lake.catalog.Catalog prepare(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new QueryException("the query is empty");
        }
        return lake.catalog(); // asks the access policy for READ on the lake
    }

    @Override
    public java.util.List<dev.tarn.lake.query.BadObject> badObjects(dev.tarn.lake.catalog.DatasetId dataset) {
        dev.tarn.lake.catalog.Catalog catalog = lake.catalog();
        if (catalog.dataset(dataset).isEmpty()) {
            throw new dev.tarn.lake.NotFoundException("no dataset " + dataset + " in this lake");
        }
        if (lake instanceof dev.tarn.lake.internal.DefaultLake checked) {
            checked.authorize(dev.tarn.lake.security.Privilege.READ, dataset.toString());
        }
        engine.sync(catalog, java.util.Set.of(dataset));
        return engine.badObjects(dataset);
    }

    @Override
    public java.util.List<dev.tarn.lake.query.BadObject> skippedObjects() {
        synchronized (skipped) {
            return java.util.List.copyOf(skipped);
        }
    }

    @Override
    public String access() {
        return engine.access();
    }

    /** Fetches, hits and bytes of the object cache of a lake in an object store; null for a local lake. */
    public long[] cacheStats() {
        return engine.cacheStats();
    }

    @Override
    public String explain(String sql, Object... parameters) {
        QueryResult r = query("EXPLAIN " + sql, parameters);
        StringBuilder b = new StringBuilder();
        for (List<Object> row : r.rows()) {
            b.append(row.get(row.size() - 1)).append('\n');
        }
        return b.toString();
    }

    private ResultSet run(String sql, Object... parameters) {
        dev.tarn.lake.catalog.Catalog catalog = prepare(sql);
        Connection c = engine.connect();
        Runnable release = () -> { };
        java.util.Set<dev.tarn.lake.catalog.DatasetId> named = java.util.Set.of();
        DuckEngine.Running running = null;
        try {
            Vetted vetted = vet(c, sql, catalog);
            release = vetted.release();
            named = vetted.named();
            java.util.function.LongFunction<String> why = rows -> diagnose(sql, parameters, rows);
            if (parameters.length == 0) {
                // DuckDB runs some queries measurably slower as prepared statements (13% on the JSON anchor
                // query, docs/benchmarks.md): prepare only what has parameters to bind.
                java.sql.Statement st = c.createStatement();
                running = engine.begin(st);
                return ClosingResultSet.wrap(st.executeQuery(sql), st, c, release, running, why);
            }
            PreparedStatement ps = c.prepareStatement(sql);
            running = engine.begin(ps);
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            ResultSet rs = ps.executeQuery();
            return ClosingResultSet.wrap(rs, ps, c, release, running, why);
        } catch (SQLException e) {
            String cancelled = running == null ? null : running.cancelledMessage();
            end(running);
            closeQuietly(c);
            try {
                if (cancelled != null) {
                    throw new QueryException(cancelled, e);
                }
                String reason = ClosingResultSet.isStreamFailure(e) ? diagnose(sql, parameters, 0) : null;
                throw reason != null ? failed(new SQLException(reason, e), named) : failed(e, named);
            } finally {
                release.run();
            }
        } catch (RuntimeException e) {
            end(running);
            release.run();
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * Why a streamed query failed. DuckDB's driver reports any error of a query whose result streams as "Invalid
     * result set"; the same query run inside a COPY, up to a little past the rows already read, fails with the real
     * reason. Its one row goes to a file in the engine's spill directory, deleted at once. Null if it does not fail
     * again.
     */
    private String diagnose(String sql, Object[] parameters, long rowsRead) {
        java.nio.file.Path staged = engine.stagingFile("csv");
        // One row out (a hash of every row, so no column is left unevaluated); past the rows read by as many as
        // DuckDB may have computed ahead of the reader.
        String copy = "COPY (SELECT max(hash(t)) FROM (SELECT * FROM (" + SqlGuard.withoutTrailingSemicolons(sql)
                + ") LIMIT " + (rowsRead + 1_000_000) + ") t) TO " + DuckEngine.quote(staged.toString())
                + " (FORMAT CSV)";
        try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement(copy);
             DuckEngine.Running running = engine.begin(ps)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            ps.execute();
            return null;
        } catch (SQLException e) {
            return ClosingResultSet.isStreamFailure(e) ? null : e.getMessage();
        } catch (RuntimeException e) {
            return null;
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(staged);
            } catch (java.io.IOException ignored) {
                // in the spill directory, removed with it
            }
        }
    }

    private static void end(DuckEngine.Running running) {
        if (running != null) {
            running.close();
        }
    }

    private QueryException failed(SQLException e) {
        return failed(e, java.util.Set.of());
    }

    /**
     * @param named the datasets the statement reads: a column "not found" in one whose view found malformed objects
     *              is their doing (the view has only the columns of the rest, or none), and is said so
     */
    private QueryException failed(SQLException e, java.util.Set<dev.tarn.lake.catalog.DatasetId> named) {
        String object = engine.objectFailure(e.getMessage());
        if (object != null) {
            return new QueryException("query failed: " + object, e);
        }
        String msg = CatalogViews.firstLine(e.getMessage());
        if (msg.startsWith("Binder Error")) {
            for (dev.tarn.lake.catalog.DatasetId id : new java.util.TreeSet<>(named)) {
                java.util.List<dev.tarn.lake.query.BadObject> bad = engine.badObjects(id);
                if (!bad.isEmpty()) {
                    return new QueryException("query failed: " + (engine.skipsBadObjects()
                            ? msg + " (" + id + " was read without its malformed objects: "
                            + bad.stream().map(Object::toString).collect(java.util.stream.Collectors.joining("; "))
                            + ")"
                            : ObjectChecks.unreadable(id, bad)), e);
                }
            }
        }
        if (msg.startsWith("Invalid Input Error: ") && msg.contains(" cannot be read")) {
            // a dataset's failing view (CatalogViews.failing): its reason is the whole message
            return new QueryException("query failed: " + msg.substring("Invalid Input Error: ".length()), e);
        }
        if (msg.contains("file system operations are disabled")
                || msg.toLowerCase(Locale.ROOT).contains("permission error")) {
            return new QueryException("refused: SQL may read only the lake's own datasets (" + msg + ")", e);
        }
        return new QueryException("query failed: " + msg, e);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing after a failure
        }
    }
}
