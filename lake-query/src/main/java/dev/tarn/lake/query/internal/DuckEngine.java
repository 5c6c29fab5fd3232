package dev.tarn.lake.query.internal;

import dev.tarn.lake.Lake;
import dev.tarn.lake.TarnException;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.internal.storage.LocalObjectStore;
import dev.tarn.lake.query.QueryException;
import dev.tarn.lake.query.SqlOptions;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One embedded DuckDB database per opened lake. The native library loads once; queries run on connections duplicated
 * from the primary one. File access is locked to the lake's directory and the engine's spill directory, and the
 * configuration is locked so that SQL cannot loosen it (LockdownTest checks each of these on a raw connection). The
 * lockdown cannot keep DuckDB from reading or writing inside the lake's directory, which the views read and
 * saveAsTable writes: that is the guard's part (SqlGuard refuses every statement but one vetted query, and every
 * relation but the catalog's datasets, since DuckDB 2.0 has no setting that turns its replacement scans off).
 */
public final class DuckEngine implements AutoCloseable {
    private final SqlOptions options;
    private final DuckDBConnection primary;
    private final Path tempDir;
    private final boolean ownTempDir;
    private final CatalogViews views;
    private final LocalFiles files;
    private static final int MAX_IDLE = 8;
    private final java.util.concurrent.ConcurrentLinkedQueue<Connection> idle =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private DuckEngine(SqlOptions options, DuckDBConnection primary, Path tempDir, boolean ownTempDir,
                       CatalogViews views, LocalFiles files) {
        this.options = options;
        this.primary = primary;
        this.tempDir = tempDir;
        this.ownTempDir = ownTempDir;
        this.views = views;
        this.files = files;
    }

    /** How SQL reaches the lake's bytes: "local files" or "a local cache of the object store". */
    public String access() {
        return files instanceof ObjectCache ? "a local cache of the object store, at " + files.root()
                : "the lake's own files";
    }

    /** Whether the lake's files are local (else they are cached copies of a remote store's objects). */
    public boolean isLocal() {
        return !(files instanceof ObjectCache);
    }

    /** Cache statistics for a lake in an object store: {fetches, hits, bytes}, or null for a local lake. */
    public long[] cacheStats() {
        return files instanceof ObjectCache cache ? new long[]{cache.fetches(), cache.hits(), cache.bytes()} : null;
    }

    public static DuckEngine start(Lake lake, SqlOptions options) {
        Path temp = options.tempDirectory();
        boolean own = temp == null;
        try {
            temp = own ? Files.createTempDirectory("tarn-sql-") : Files.createDirectories(temp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the SQL engine's temp directory", e);
        }
        // A local lake is read where it lies; a lake in an object store through a local cache of its objects.
        LocalFiles files = lake.store() instanceof LocalObjectStore local ? LocalFiles.of(local)
                : new ObjectCache(lake.store(), temp.resolve("objects"), options.cacheBytes());
        Path root = files.root();
        DuckDBConnection c;
        try {
            Class.forName("org.duckdb.DuckDBDriver");
            c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        } catch (ClassNotFoundException | SQLException e) {
            throw new TarnException("cannot start DuckDB: " + e.getMessage(), e);
        }
        try (Statement s = c.createStatement()) {
            int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
            s.execute("SET threads = " + threads);
            s.execute("SET memory_limit = " + quote(options.memoryLimit() != null ? options.memoryLimit()
                    : defaultMemoryLimit()));
            s.execute("SET temp_directory = " + quote(temp.toString()));
            // Delta timestamps are instants; showing them in UTC makes results the same on every machine.
            s.execute("SET TimeZone = 'UTC'");
            // Offline machines cannot fetch extensions; failing at once beats a two-second timeout.
            s.execute("SET autoinstall_known_extensions = false");
            s.execute("SET autoload_known_extensions = false");
            // No extension from anywhere but the engine itself: no community builds, no other repositories.
            s.execute("SET allow_community_extensions = false");
            s.execute("SET allow_extension_repositories = 'forbidden'");
            s.execute("SET allowed_directories = [" + quote(root + "/") + ", " + quote(temp + "/") + "]");
            s.execute("SET enable_external_access = false");
            s.execute("SET lock_configuration = true");
            s.execute("CREATE SCHEMA tarn");
        } catch (SQLException e) {
            closeQuietly(c);
            throw new TarnException("cannot configure DuckDB: " + e.getMessage(), e);
        }
        return new DuckEngine(options, c, temp, own,
                new CatalogViews(files, dev.tarn.lake.table.Tables.of(viewer(lake)), options.sourceColumn()), files);
    }

    /**
     * Whose eyes the views are built with: the engine is shared by every principal of the lake, and each statement
     * is checked against its own principal (SqlSession), so the views must not depend on who started the engine.
     */
    private static Lake viewer(Lake lake) {
        return lake instanceof dev.tarn.lake.internal.DefaultLake d ? d.trusted() : lake;
    }

    private static String defaultMemoryLimit() {
        long total = 8L << 30;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            total = os.getTotalMemorySize();
        }
        long limit = Math.min(total / 4, 4L << 30);
        return Math.max(limit >> 20, 256) + "MB";
    }

    /** The engine is one per lake: a second caller asking for other resources is told so. */
    public void requireOptions(SqlOptions wanted) {
        if (!wanted.equals(SqlOptions.defaults()) && !wanted.equals(options)) {
            throw new IllegalStateException("this lake's SQL engine already runs with " + options
                    + "; options can only be given before its first use");
        }
    }

    public SqlOptions options() {
        return options;
    }

    /**
     * A connection to the lake's database; closing it gives it back for the next query (opening one per query costs
     * more than some queries do).
     */
    public Connection connect() {
        Connection c = idle.poll();
        try {
            if (c == null || c.isClosed()) {
                c = primary.duplicate();
            }
        } catch (SQLException e) {
            throw new QueryException("cannot open a connection: " + e.getMessage(), e);
        }
        Connection real = c;
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        release(real);
                        return null;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void release(Connection c) {
        try {
            if (!closed && !c.isClosed() && c.getAutoCommit() && idle.size() < MAX_IDLE) {
                idle.offer(c);
                if (!closed) {
                    return;
                }
                idle.remove(c); // the engine closed meanwhile
            }
            c.close();
        } catch (SQLException ignored) {
            // a connection that cannot be checked or closed is dropped
        }
    }

    /** Brings the datasets' views up to this catalog version (views of unchanged datasets stay as they are). */
    public void sync(Catalog catalog) {
        views.sync(primary, catalog, null);
    }

    /** The same for the views of these datasets only (and the schemas and {@code tarn.objects}). */
    public void sync(Catalog catalog, java.util.Set<dev.tarn.lake.catalog.DatasetId> datasets) {
        views.sync(primary, catalog, datasets);
    }

    /** The version of a table that its view shows now, or -1 if it has none. */
    public long tableVersion(dev.tarn.lake.catalog.DatasetId id) {
        return views.tableVersion(id);
    }

    /** Makes the view {@code "zone"."table@spec"} of a table at a version or instant exist. */
    public void pin(Catalog catalog, dev.tarn.lake.catalog.DatasetId id, String spec) {
        views.pin(primary, catalog, id, spec);
    }

    /**
     * Keeps the files of these relations (view names such as {@code "raw"."clicks"}) in the cache until the
     * returned action runs.
     */
    public Runnable lease(java.util.Collection<String> relations) {
        return views.lease(relations);
    }

    /** A fresh file name in the engine's spill directory, which DuckDB may write to. */
    public Path stagingFile(String extension) {
        return tempDir.resolve("export-" + java.util.UUID.randomUUID() + "." + extension);
    }

    public Path lakeRoot() {
        return files.root();
    }

    @Override
    public void close() {
        closed = true;
        for (Connection c; (c = idle.poll()) != null; ) {
            closeQuietly(c);
        }
        closeQuietly(primary);
        if (ownTempDir) {
            try {
                dev.tarn.lake.internal.FileTrees.deleteTree(tempDir);
            } catch (UncheckedIOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }

    static String quote(String literal) {
        return "'" + literal.replace("'", "''") + "'";
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing
        }
    }
}
