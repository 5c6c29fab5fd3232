package dev.tarn.lake.query.internal;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.query.ExportFormat;
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

    /** The lake's internals, asked for once: every statement authorizes each dataset it reads. */
    private final dev.tarn.lake.spi.LakeInternals internals;

    private final DuckEngine engine;

    /**
     * With skipBadObjects: what the views this handle's statements read left out, in the order met.
     */
    private final java.util.Set<dev.tarn.lake.query.BadObject> skipped =
            new java.util.LinkedHashSet<>();

    /**
     * How timestamps are written as text in exports: ISO 8601 with microseconds, in UTC (the
     * engine's time zone, so a TIMESTAMP without one is read as UTC too), {@code
     * 2026-01-02T03:04:05.123000Z}.
     */
    static final String TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ";

    public SqlSession(Lake lake, DuckEngine engine) {
        this.lake = lake;
        this.internals = dev.tarn.lake.spi.LakeInternals.of(lake);
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
                    throw new QueryException(
                            "the query returns more than " + max + " rows",
                            QueryException.Remedy.STREAM,
                            "; use resultSet(...) to stream them, or raise"
                                    + " SqlOptions.maxRows");
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
    public long export(
            String sql, java.nio.file.Path target, ExportFormat format, Object... parameters) {
        refuseInsideLake(target);
        java.nio.file.Path staged = engine.stagingFile(format.name().toLowerCase(Locale.ROOT));
        // Timestamps as the CLI prints them (ISO 8601, UTC, microseconds), not as DuckDB casts them
        // to text.
        String options =
                switch (format) {
                    case CSV ->
                            "FORMAT CSV, HEADER true, TIMESTAMPFORMAT "
                                    + DuckEngine.quote(TIMESTAMP_FORMAT);
                    case JSON ->
                            "FORMAT JSON, TIMESTAMPFORMAT " + DuckEngine.quote(TIMESTAMP_FORMAT);
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
                // The query was vetted as a single read-only statement above, so it cannot close
                // the parentheses.
                String body = SqlGuard.withoutTrailingSemicolons(sql);
                if (format != ExportFormat.PARQUET) {
                    body = timestampsAsMicros(c, body);
                }
                try (PreparedStatement ps =
                                c.prepareStatement(
                                        "COPY ("
                                                + body
                                                + ") TO "
                                                + DuckEngine.quote(staged.toString())
                                                + " ("
                                                + options
                                                + ")");
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
                java.nio.file.Files.move(
                        staged,
                        abs,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                // another filesystem: copy beside the target, then rename there
                java.nio.file.Path beside = abs.resolveSibling("." + abs.getFileName() + ".tmp");
                java.nio.file.Files.copy(
                        staged, beside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                java.nio.file.Files.move(
                        beside,
                        abs,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
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
     * The query with its TIMESTAMP_NS, _MS and _S columns cast to TIMESTAMP: DuckDB's
     * TIMESTAMPFORMAT applies to TIMESTAMP and TIMESTAMP WITH TIME ZONE only (Parquet written by
     * pandas holds nanoseconds), and the CLI prints them with microseconds too. The query as it is
     * when it has no such column (or names two columns alike).
     */
    private static String timestampsAsMicros(Connection c, String query) throws SQLException {
        List<String> casts = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ResultSetMetaData md = ps.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String name = md.getColumnLabel(i);
                if (!names.add(name.toLowerCase(Locale.ROOT))) {
                    return query;
                }
                if (md.getColumnTypeName(i).matches("TIMESTAMP_(NS|MS|S)")) {
                    casts.add(
                            "CAST("
                                    + DuckEngine.ident(name)
                                    + " AS TIMESTAMP) AS "
                                    + DuckEngine.ident(name));
                }
            }
        }
        return casts.isEmpty()
                ? query
                : "SELECT * REPLACE (" + String.join(", ", casts) + ") FROM (" + query + ")";
    }

    /**
     * An export never writes into the lake (or the local cache of a lake in an object store): a
     * file written there behind the logs could forge a commit, break the catalog, or change what a
     * dataset's view reads. The check is on the path as the file system resolves it: symbolic links
     * and {@code ..} followed where they exist, so that a link pointing into the lake, or a
     * directory not made yet inside it, is caught too.
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
            throw new QueryException(
                    "refused: "
                            + SqlGuard.printable(target.toString())
                            + " is inside the lake ("
                            + (engine.isLocal() ? "" : "its local cache of the object store, ")
                            + root
                            + "); files there"
                            + " are written only by the lake's own operations",
                    QueryException.Remedy.SAVE_AS_TABLE,
                    "; save results that belong in the lake as a table (Sql.saveAsTable), or export them outside the"
                            + " lake");
        }
    }

    /**
     * A path as the file system would resolve it: the part that exists through its real path, the
     * rest as written.
     */
    static java.nio.file.Path resolved(java.nio.file.Path target) throws java.io.IOException {
        return resolved(target.toAbsolutePath(), 0);
    }

    private static java.nio.file.Path resolved(java.nio.file.Path abs, int links)
            throws java.io.IOException {
        java.nio.file.Path real = abs.getRoot();
        for (int i = 0; i < abs.getNameCount(); i++) {
            java.nio.file.Path next = real.resolve(abs.getName(i));
            if (java.nio.file.Files.exists(next)) {
                real = next.toRealPath();
            } else if (java.nio.file.Files.isSymbolicLink(next)) {
                // a link to what does not exist yet: an export through it would land where it
                // points
                if (links > 40) {
                    throw new java.io.IOException("too many levels of symbolic links at " + next);
                }
                java.nio.file.Path to = real.resolve(java.nio.file.Files.readSymbolicLink(next));
                java.nio.file.Path rest =
                        i + 1 < abs.getNameCount() ? abs.subpath(i + 1, abs.getNameCount()) : null;
                return resolved(rest == null ? to : to.resolve(rest), links + 1);
            } else {
                // not there yet: the directories the export would make, where ".." undoes the name
                // before it
                real = real.resolve(next.getFileName()).normalize();
            }
        }
        return real;
    }

    @Override
    public dev.tarn.lake.query.SavedTable saveAsTable(
            String sql, dev.tarn.lake.catalog.DatasetId target, Object... parameters) {
        return saveWith(sql, target, parameters, false, null);
    }

    @Override
    public dev.tarn.lake.query.SavedTable insertInto(
            String sql, dev.tarn.lake.catalog.DatasetId table, Object... parameters) {
        return saveWith(sql, table, parameters, true, null);
    }

    @Override
    public dev.tarn.lake.query.SavedTable save(
            String sql,
            dev.tarn.lake.catalog.DatasetId table,
            dev.tarn.lake.query.SaveOptions options,
            Object... parameters) {
        java.util.Objects.requireNonNull(options, "options is null");
        return saveWith(sql, table, parameters, null, options);
    }

    /**
     * @param append true: into the existing table; false: as a new table; null: into the table if
     *     it exists, else as a new one
     * @param options the commit's transaction, or null
     */
    private dev.tarn.lake.query.SavedTable saveWith(
            String sql,
            dev.tarn.lake.catalog.DatasetId table,
            Object[] parameters,
            Boolean append,
            dev.tarn.lake.query.SaveOptions options) {
        return writeTable(
                sql,
                (c, catalog, relations) -> {
                    var q = new SaveAsTable.Query(c, sql, parameters, catalog, relations);
                    boolean into =
                            append != null
                                    ? append
                                    : dev.tarn.lake.table.Tables.of(lake).exists(table);
                    return into
                            ? SaveAsTable.append(lake, engine, q, table, options)
                            : SaveAsTable.run(lake, engine, q, table, options);
                });
    }

    @Override
    public java.util.Set<dev.tarn.lake.catalog.DatasetId> relations(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new QueryException("the query is empty");
        }
        java.util.Set<dev.tarn.lake.catalog.DatasetId> out = new java.util.LinkedHashSet<>();
        try (Connection c = engine.connect()) {
            for (SqlGuard.Relation r : SqlGuard.vet(c, sql)) {
                int at = r.name().indexOf('@');
                String name = at < 0 ? r.name() : r.name().substring(0, at);
                if (r != SqlGuard.ALL
                        && dev.tarn.lake.catalog.Names.isValid(r.schema())
                        && dev.tarn.lake.catalog.Names.isValid(name)) {
                    out.add(dev.tarn.lake.catalog.DatasetId.of(r.schema(), name));
                }
            }
        } catch (SQLException e) {
            throw new QueryException("query failed: " + e.getMessage(), e);
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    /** What writes a vetted query's result into a table. */
    private interface TableWrite {
        dev.tarn.lake.query.SavedTable write(
                Connection c,
                dev.tarn.lake.catalog.Catalog catalog,
                java.util.Set<SqlGuard.Relation> relations)
                throws SQLException;
    }

    /**
     * Vets the query, runs {@code write} with its views leased, and says a failure in terms of what
     * it read.
     */
    private dev.tarn.lake.query.SavedTable writeTable(String sql, TableWrite write) {
        dev.tarn.lake.catalog.Catalog catalog = prepare(sql);
        java.util.Set<dev.tarn.lake.catalog.DatasetId> named = java.util.Set.of();
        try (Connection c = engine.connect()) {
            Vetted vetted = vet(c, sql, catalog);
            named = vetted.named();
            try {
                return write.write(c, catalog, vetted.relations());
            } finally {
                vetted.release().run();
            }
        } catch (SQLException e) {
            throw failed(e, named);
        }
    }

    /**
     * A vetted statement: the relations it reads, and the release of the cached files it leased.
     */
    private record Vetted(
            java.util.Set<SqlGuard.Relation> relations,
            Runnable release,
            java.util.Set<dev.tarn.lake.catalog.DatasetId> named) {}

    /**
     * A query, every relation it reads one of this catalog's datasets, and this handle's principal
     * allowed to read each: reading the catalog takes READ on the lake, reading a dataset's rows
     * READ on that dataset, as {@code lake.open(object)} does. Then the views of what it reads (and
     * of the table versions it names) are made, and the files of what it reads are kept in the
     * cache until the returned action releases them.
     */
    private Vetted vet(Connection c, String sql, dev.tarn.lake.catalog.Catalog catalog)
            throws SQLException {
        Checked checked = check(c, sql, catalog);
        // views as of this catalog: of what the statement reads, or all when it lists them
        engine.sync(catalog, checked.relations().contains(SqlGuard.ALL) ? null : checked.named());
        for (SqlGuard.Relation r : checked.relations()) {
            if (isStateTable(r)) {
                LakeStateTables.refresh(engine, internals, r.name());
            }
        }
        checked.travel()
                .forEach((id, specs) -> specs.forEach(spec -> engine.pin(catalog, id, spec)));
        if (engine.skipsBadObjects()) {
            synchronized (skipped) {
                checked.named().forEach(id -> skipped.addAll(engine.badObjects(id)));
            }
        }
        return new Vetted(checked.relations(), engine.lease(checked.views()), checked.named());
    }

    /**
     * {@code tarn.expectations}, {@code tarn.dead_letters}: the lake's own records, not a dataset.
     */
    private static boolean isStateTable(SqlGuard.Relation r) {
        return r.schema().equals("tarn") && LakeStateTables.NAMES.contains(r.name());
    }

    /**
     * What {@link #check} found: the relations, their views, the datasets named, and the table
     * versions named.
     */
    private record Checked(
            java.util.Set<SqlGuard.Relation> relations,
            java.util.List<String> views,
            java.util.Set<dev.tarn.lake.catalog.DatasetId> named,
            java.util.Map<dev.tarn.lake.catalog.DatasetId, java.util.Set<String>> travel) {}

    /**
     * The checks of {@link #vet} that change nothing: the guard, the datasets named, the
     * principal's access. A script is checked this way, statement by statement, before any of it
     * runs.
     */
    private Checked check(Connection c, String sql, dev.tarn.lake.catalog.Catalog catalog)
            throws SQLException {
        java.util.Set<SqlGuard.Relation> relations = SqlGuard.vet(c, sql);
        java.util.Set<String> zones = new java.util.HashSet<>();
        catalog.zones().forEach(z -> zones.add(z.name()));
        java.util.List<String> views = new ArrayList<>();
        java.util.Set<dev.tarn.lake.catalog.DatasetId> named = new java.util.HashSet<>();
        java.util.Map<dev.tarn.lake.catalog.DatasetId, java.util.Set<String>> travel =
                new java.util.LinkedHashMap<>();
        for (SqlGuard.Relation r : relations) {
            if (r == SqlGuard.ALL) {
                continue;
            }
            if (isStateTable(r)) {
                LakeStateTables.authorize(internals, r.name());
                continue;
            }
            int at = r.name().indexOf('@');
            String dataset = at < 0 ? r.name() : r.name().substring(0, at);
            dev.tarn.lake.catalog.DatasetId id = datasetOf(r, dataset, zones, catalog);
            internals.authorize(dev.tarn.lake.security.Privilege.READ, id.toString());
            views.add(DuckEngine.ident(r.schema()) + "." + DuckEngine.ident(r.name()));
            named.add(id);
            if (at >= 0) {
                travel.computeIfAbsent(id, k -> new java.util.LinkedHashSet<>())
                        .add(r.name().substring(at + 1));
            }
        }
        return new Checked(relations, views, named, travel);
    }

    @Override
    public java.util.List<String> statements(String script) {
        dev.tarn.lake.catalog.Catalog catalog = prepare(script);
        java.util.List<String> pieces = SqlGuard.split(script);
        if (pieces.isEmpty()) {
            throw new QueryException(
                    "refused: no query to run (only SELECT, WITH, VALUES, DESCRIBE, SHOW, SUMMARIZE,"
                            + " EXPLAIN)");
        }
        try (Connection c = engine.connect()) {
            for (int i = 0; i < pieces.size(); i++) {
                try {
                    check(c, pieces.get(i), catalog);
                } catch (QueryException e) {
                    throw pieces.size() == 1
                            ? e
                            : new QueryException(
                                    "statement "
                                            + (i + 1)
                                            + " of "
                                            + pieces.size()
                                            + " ("
                                            + preview(pieces.get(i))
                                            + "): "
                                            + e.getMessage()
                                            + "; no statement of the script was run",
                                    e);
                }
            }
            // Each piece parsed as one query on its own, so a ';' taken for a separator inside a
            // string would have
            // left a piece that does not parse. The whole script, when the parser can serialise it
            // (not with an
            // EXPLAIN), must also hold as many statements: never guess which statements a script
            // means.
            int parsed = SqlGuard.statementCount(c, script);
            if (parsed >= 0 && parsed != pieces.size()) {
                throw new QueryException(
                        "refused: the script cannot be split into its statements ("
                                + pieces.size()
                                + " found between semicolons, "
                                + parsed
                                + " by the SQL parser); run its statements one at"
                                + " a time");
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return java.util.List.copyOf(pieces);
    }

    /** A statement as an error may name it: on one line, cut after 60 characters. */
    private static String preview(String statement) {
        String s = SqlGuard.printable(statement.strip().replaceAll("\\s+", " "));
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    @Override
    public java.util.List<QueryResult> queryAll(String script) {
        java.util.List<QueryResult> results = new ArrayList<>();
        for (String statement : statements(script)) {
            results.add(query(statement));
        }
        return results;
    }

    /**
     * The dataset a relation names, or a refusal: DuckDB reads a name that is no view as a file
     * when it looks like one (its replacement scans), so nothing but the catalog's datasets may be
     * named.
     */
    private static dev.tarn.lake.catalog.DatasetId datasetOf(
            SqlGuard.Relation r,
            String dataset,
            java.util.Set<String> zones,
            dev.tarn.lake.catalog.Catalog catalog) {
        String written = SqlGuard.printable(r.schema() + "." + r.name());
        if (!zones.contains(r.schema())
                && dev.tarn.lake.catalog.Names.isValid(r.schema())
                && dev.tarn.lake.catalog.Names.isValid(dataset)) {
            throw new QueryException(
                    "query failed: there is no zone '"
                            + r.schema()
                            + "' ('"
                            + written
                            + "'); this"
                            + " lake's zones are "
                            + String.join(", ", new java.util.TreeSet<>(zones)));
        }
        if (!zones.contains(r.schema()) || !dev.tarn.lake.catalog.Names.isValid(r.schema())) {
            throw new QueryException(
                    "refused: SQL may read only the lake's own datasets, by name (zone.dataset),"
                            + " CTEs and the engine's catalog views; '"
                            + written
                            + "' is none of them (files are read"
                            + " through their datasets, never by path)");
        }
        if (!CatalogViews.showable(r.schema())) {
            throw new QueryException(
                    "zone "
                            + dev.tarn.lake.catalog.Names.sqlConflict(r.schema())
                            + "; 'lake doctor' reports it ("
                            + dev.tarn.lake.doctor.Finding.Kind.RESERVED_NAME
                            + ")");
        }
        if (!dev.tarn.lake.catalog.Names.isValid(dataset)) {
            throw new QueryException(
                    "refused: SQL may read only the lake's own datasets, by name (zone.dataset);"
                            + " '"
                            + written
                            + "' is not a dataset name (files are read through their datasets, never by"
                            + " path)");
        }
        dev.tarn.lake.catalog.DatasetId id =
                dev.tarn.lake.catalog.DatasetId.of(r.schema(), dataset);
        if (catalog.dataset(id).isEmpty()) {
            throw new QueryException(
                    "query failed: there is no dataset "
                            + id
                            + " ('"
                            + written
                            + "'); 'lake ls "
                            + r.schema()
                            + "' lists the zone's datasets");
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
    public java.util.List<dev.tarn.lake.query.BadObject> badObjects(
            dev.tarn.lake.catalog.DatasetId dataset) {
        dev.tarn.lake.catalog.Catalog catalog = lake.catalog();
        if (catalog.dataset(dataset).isEmpty()) {
            throw new dev.tarn.lake.exceptions.NotFoundException(
                    "no dataset " + dataset + " in this lake");
        }
        internals.authorize(dev.tarn.lake.security.Privilege.READ, dataset.toString());
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

    /**
     * Fetches, hits and bytes of the object cache of a lake in an object store; null for a local
     * lake.
     */
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
        Runnable release = () -> {};
        java.util.Set<dev.tarn.lake.catalog.DatasetId> named = java.util.Set.of();
        DuckEngine.Running running = null;
        try {
            Vetted vetted = vet(c, sql, catalog);
            release = vetted.release();
            named = vetted.named();
            java.util.function.LongFunction<String> why = rows -> diagnose(sql, parameters, rows);
            if (parameters.length == 0) {
                // DuckDB runs some queries measurably slower as prepared statements (13% on the
                // JSON anchor
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
                String reason =
                        ClosingResultSet.isStreamFailure(e) ? diagnose(sql, parameters, 0) : null;
                throw reason != null
                        ? failed(new SQLException(reason, e), named)
                        : failed(e, named);
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
     * Why a streamed query failed. DuckDB's driver reports any error of a query whose result
     * streams as "Invalid result set"; the same query run inside a COPY, up to a little past the
     * rows already read, fails with the real reason. Its one row goes to a file in the engine's
     * spill directory, deleted at once. Null if it does not fail again.
     */
    private String diagnose(String sql, Object[] parameters, long rowsRead) {
        java.nio.file.Path staged = engine.stagingFile("csv");
        // One row out (a hash of every row, so no column is left unevaluated); past the rows read
        // by as many as
        // DuckDB may have computed ahead of the reader.
        String copy =
                "COPY (SELECT max(hash(t)) FROM (SELECT * FROM ("
                        + SqlGuard.withoutTrailingSemicolons(sql)
                        + ") LIMIT "
                        + (rowsRead + 1_000_000)
                        + ") t) TO "
                        + DuckEngine.quote(staged.toString())
                        + " (FORMAT CSV)";
        try (Connection c = engine.connect();
                PreparedStatement ps = c.prepareStatement(copy);
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
     * A failed statement's error, with DuckDB's message whole: the lines after the first hold its
     * hints ("Did you mean", "Candidate bindings") and where in the statement it failed.
     *
     * @param named the datasets the statement reads: a column "not found" in one whose view found
     *     malformed objects is their doing (the view has only the columns of the rest, or none),
     *     and is said so
     */
    private QueryException failed(
            SQLException e, java.util.Set<dev.tarn.lake.catalog.DatasetId> named) {
        String object = engine.objectFailure(e.getMessage());
        if (object != null) {
            return new QueryException("query failed: " + object, e);
        }
        String msg = e.getMessage() == null ? "unknown error" : e.getMessage().strip();
        if (msg.startsWith("Binder Error")) {
            for (dev.tarn.lake.catalog.DatasetId id : new java.util.TreeSet<>(named)) {
                java.util.List<dev.tarn.lake.query.BadObject> bad = engine.badObjects(id);
                if (!bad.isEmpty()) {
                    return new QueryException(
                            "query failed: "
                                    + (engine.skipsBadObjects()
                                            ? msg
                                                    + " ("
                                                    + id
                                                    + " was read without its malformed objects: "
                                                    + bad.stream()
                                                            .map(Object::toString)
                                                            .collect(
                                                                    java.util.stream.Collectors
                                                                            .joining("; "))
                                                    + ")"
                                            : ObjectChecks.unreadable(id, bad)),
                            e);
                }
            }
        }
        if (msg.startsWith("Invalid Input Error: ") && msg.contains(" cannot be read")) {
            // a dataset's failing view (CatalogViews.failing): its reason is the whole message
            return new QueryException(
                    "query failed: " + msg.substring("Invalid Input Error: ".length()), e);
        }
        if (msg.contains("file system operations are disabled")
                || msg.toLowerCase(Locale.ROOT).contains("permission error")) {
            return new QueryException(
                    "refused: SQL may read only the lake's own datasets (" + msg + ")", e);
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
