package dev.tarn.lake.query.internal;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.query.SqlOptions;
import dev.tarn.lake.spi.LakeInternals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * One embedded DuckDB database per opened lake. The native library loads once; queries run on
 * connections duplicated from the primary one. File access is locked to the lake's directory and
 * the engine's spill directory, and the configuration is locked so that SQL cannot loosen it
 * (LockdownTest checks each of these on a raw connection). The lockdown cannot keep DuckDB from
 * reading or writing inside the lake's directory, which the views read and saveAsTable writes: that
 * is the guard's part (SqlGuard refuses every statement but one vetted query, and every relation
 * but the catalog's datasets, since DuckDB 2.0 has no setting that turns its replacement scans
 * off).
 *
 * <p>Over 500 lines because it is the one door to the engine for SqlSession: start and lockdown,
 * limits, the connection pool, cancellation and shutdown, and thin delegations to the views
 * (CatalogViews, ObjectChecks) that keep the session from reaching into them.
 */
public final class DuckEngine implements AutoCloseable {
    private final SqlOptions options;
    private final Connection primary;
    private final Path tempDir;
    private final boolean ownTempDir;
    private final CatalogViews views;
    private final LocalFiles files;
    private static final int MAX_IDLE = 8;
    private final java.util.concurrent.ConcurrentLinkedQueue<Connection> idle =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    /** Statements running now (for a timeout or a signal to cancel). */
    private final java.util.Set<Running> running =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    // Plain field assignments, alike in layout only to LakeContext.Runtime's constructor
    // (lake-core): nothing to share between them.
    private DuckEngine(
            SqlOptions options,
            Connection primary,
            Path tempDir,
            boolean ownTempDir,
            CatalogViews views,
            LocalFiles files) {
        this.options = options;
        this.primary = primary;
        this.tempDir = tempDir;
        this.ownTempDir = ownTempDir;
        this.views = views;
        this.files = files;
    }

    /** How SQL reaches the lake's bytes: "local files" or "a local cache of the object store". */
    public String access() {
        return files instanceof ObjectCache
                ? "a local cache of the object store, at " + files.root()
                : "the lake's own files";
    }

    /**
     * Whether the lake's files are local (else they are cached copies of a remote store's objects).
     */
    public boolean isLocal() {
        return !(files instanceof ObjectCache);
    }

    /**
     * Cache statistics for a lake in an object store: {fetches, hits, bytes}, or null for a local
     * lake.
     */
    public long[] cacheStats() {
        return files instanceof ObjectCache cache
                ? new long[] {cache.fetches(), cache.hits(), cache.bytes()}
                : null;
    }

    public static DuckEngine start(Lake lake, SqlOptions options) {
        Path temp = options.tempDirectory();
        boolean own = temp == null;
        try {
            if (own) {
                Shutdown.hook(); // before the directory exists: a signal during the start must not
                // leave it behind
            }
            temp =
                    own
                            ? Shutdown.own(EngineHome.newTempDirectory())
                            : Files.createDirectories(temp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the SQL engine's temp directory", e);
        }
        // A local lake is read where it lies; a lake in an object store through a local cache of
        // its objects.
        LakeInternals internals = LakeInternals.of(lake);
        LocalFiles files =
                internals.localStore().isPresent()
                        ? LocalFiles.of(internals.localStore().get())
                        : new ObjectCache(
                                internals.store(), temp.resolve("objects"), options.cacheBytes());
        Path root = files.root();
        Connection c;
        try {
            java.util.Properties props = new java.util.Properties();
            // Results are fetched as they are read, not built whole before the first row is
            // returned: without it
            // SELECT * FROM generate_series(1, 1000000000000) grew to 15 GB before a cap or a
            // timeout could act.
            props.setProperty("jdbc_stream_results", "true");
            c = EngineHome.driver().connect("jdbc:duckdb:", props);
        } catch (SQLException | RuntimeException e) {
            deleteOwn(temp, own);
            throw new TarnException(
                    ErrorCode.ENGINE_FAILED, "cannot start DuckDB: " + e.getMessage(), e);
        }
        long memory;
        try (Statement s = c.createStatement()) {
            memory = applyLimits(s, options, temp);
            // Delta timestamps are instants; showing them in UTC makes results the same on every
            // machine.
            s.execute("SET TimeZone = 'UTC'");
            // Offline machines cannot fetch extensions; failing at once beats a two-second timeout.
            s.execute("SET autoinstall_known_extensions = false");
            s.execute("SET autoload_known_extensions = false");
            // No extension from anywhere but the engine itself: no community builds, no other
            // repositories.
            s.execute("SET allow_community_extensions = false");
            s.execute("SET allow_extension_repositories = 'forbidden'");
            s.execute(
                    "SET allowed_directories = ["
                            + quote(root + "/")
                            + ", "
                            + quote(temp + "/")
                            + "]");
            s.execute("SET enable_external_access = false");
            s.execute("SET lock_configuration = true");
            s.execute("CREATE SCHEMA tarn");
        } catch (SQLException e) {
            closeQuietly(c);
            deleteOwn(temp, own);
            throw new TarnException(
                    ErrorCode.ENGINE_FAILED, "cannot configure DuckDB: " + e.getMessage(), e);
        }
        DuckEngine engine =
                new DuckEngine(
                        options,
                        c,
                        temp,
                        own,
                        new CatalogViews(
                                files,
                                dev.tarn.lake.table.Tables.of(viewer(lake)),
                                options.sourceColumn(),
                                keptJsonFiles(memory),
                                temp,
                                options.skipBadObjects()),
                        files);
        Shutdown.register(engine);
        return engine;
    }

    /**
     * Threads, memory and spill limits; returns the memory limit in bytes. DuckDB's memory is
     * outside the JVM's heap, so its default is a share of what the machine has beyond the heap;
     * spilling is bounded too, so that a query needing more than both fails with DuckDB's error
     * rather than filling the disk.
     */
    private static long applyLimits(Statement s, SqlOptions options, Path temp)
            throws SQLException {
        int threads =
                options.threads() > 0
                        ? options.threads()
                        : Runtime.getRuntime().availableProcessors();
        s.execute("SET threads = " + threads);
        long memory =
                options.memoryLimit() != null ? bytes(options.memoryLimit()) : defaultMemoryLimit();
        s.execute("SET memory_limit = " + quote((memory >> 20) + "MiB"));
        s.execute("SET temp_directory = " + quote(temp.toString()));
        String spill = options.tempLimit() != null ? options.tempLimit() : defaultTempLimit(temp);
        s.execute("SET max_temp_directory_size = " + quote(spill));
        return memory;
    }

    /**
     * How many files of one JSON dataset sampling may read to their end: each keeps 32 MiB
     * (JsonSampling).
     */
    private static int keptJsonFiles(long memoryLimit) {
        return (int) Math.max(1, Math.min(64, memoryLimit / 4 / (32L << 20)));
    }

    /**
     * Whose eyes the views are built with: the engine is shared by every principal of the lake, and
     * each statement is checked against its own principal (SqlSession), so the views must not
     * depend on who started the engine.
     */
    private static Lake viewer(Lake lake) {
        return LakeInternals.of(lake).trusted();
    }

    /**
     * A quarter of the memory the machine has beyond the JVM's heap, at least 256 MiB and at most 4
     * GiB.
     */
    static long defaultMemoryLimit() {
        long total = 8L << 30;
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            total = os.getTotalMemorySize();
        }
        long beyondHeap = Math.max(0, total - Runtime.getRuntime().maxMemory());
        return Math.max(Math.min(beyondHeap / 4, 4L << 30), 256L << 20);
    }

    /** Half of the free space where the engine spills, at least 1 GiB. */
    private static String defaultTempLimit(Path temp) {
        long free;
        try {
            free = Files.getFileStore(temp).getUsableSpace();
        } catch (IOException e) {
            free = 2L << 30;
        }
        return Math.max(free / 2 >> 20, 1024) + "MiB";
    }

    /**
     * A size such as {@code 512MB}, {@code 2 GiB} or {@code 1.5GB} in bytes (KB, MB... are powers
     * of 1000).
     */
    static long bytes(String size) {
        var m =
                java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?i?B)")
                        .matcher(size.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + size + "' is not a size such as 512MB or 2GB");
        }
        String unit = m.group(2);
        int power = "BKMGT".indexOf(unit.charAt(0));
        double base = unit.contains("i") ? 1024 : 1000;
        return (long) (Double.parseDouble(m.group(1)) * Math.pow(base, power));
    }

    /** The engine is one per lake: a second caller asking for other resources is told so. */
    public void requireOptions(SqlOptions wanted) {
        if (!wanted.equals(SqlOptions.defaults()) && !wanted.equals(options)) {
            throw new IllegalStateException(
                    "this lake's SQL engine already runs with "
                            + options
                            + "; options can only be given before its first use");
        }
    }

    public SqlOptions options() {
        return options;
    }

    /**
     * A connection to the lake's database; closing it gives it back for the next query (opening one
     * per query costs more than some queries do).
     */
    public Connection connect() {
        Connection c = idle.poll();
        try {
            if (c == null || c.isClosed()) {
                c = duplicate();
            }
        } catch (SQLException e) {
            throw new QueryException("cannot open a connection: " + e.getMessage(), e);
        }
        Connection real = c;
        return (Connection)
                java.lang.reflect.Proxy.newProxyInstance(
                        Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("close")
                                    && method.getParameterCount() == 0) {
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

    /**
     * Brings the datasets' views up to this catalog version (views of unchanged datasets stay as
     * they are).
     */
    public void sync(Catalog catalog) {
        views.sync(primary, catalog, null);
    }

    /** Replaces {@code tarn.dead_letters} with these dead letters (DeadLetterView). */
    public void syncDeadLetters(java.util.List<dev.tarn.lake.event.DeadLetter> letters) {
        try {
            synchronized (views) { // the primary connection, which CatalogViews uses under its lock
                DeadLetterView.replace(primary, tempDir, letters);
            }
        } catch (SQLException e) {
            throw new QueryException("cannot update tarn.dead_letters: " + e.getMessage(), e);
        }
    }

    /** The same for the views of these datasets only (and the schemas and {@code tarn.objects}). */
    public void sync(Catalog catalog, java.util.Set<dev.tarn.lake.catalog.DatasetId> datasets) {
        views.sync(primary, catalog, datasets);
    }

    /**
     * The objects of a raw dataset that its current view found malformed (CatalogViews#badObjects).
     */
    public java.util.List<dev.tarn.lake.query.BadObject> badObjects(
            dev.tarn.lake.catalog.DatasetId id) {
        return views.badObjects(id);
    }

    /** Whether raw views leave malformed objects out (SqlOptions.skipBadObjects). */
    public boolean skipsBadObjects() {
        return views.skipsBadObjects();
    }

    /**
     * A failure DuckDB reported while reading rows, in the lake's terms when it names an object's
     * file: the object by its key and what is wrong with it. Null when the message names no object.
     */
    public String objectFailure(String message) {
        return ObjectChecks.objectFailure(message, files.root());
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
     * Keeps the files of these relations (view names such as {@code "raw"."clicks"}) in the cache
     * until the returned action runs.
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

    /** Where DuckDB finds the lake's objects (for reads that are not views: constraint checks). */
    LocalFiles files() {
        return files;
    }

    /**
     * A new connection to the same database (DuckDBConnection.duplicate, whose class is the driver
     * loader's).
     */
    private Connection duplicate() throws SQLException {
        try {
            return (Connection) primary.getClass().getMethod("duplicate").invoke(primary);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new QueryException("cannot open a connection: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new QueryException("cannot open a connection: " + e, e);
        }
    }

    /**
     * A statement about to run: cancelled when the options' timeout passes or the process is asked
     * to stop, until {@link Running#close} (when its result is closed).
     */
    public Running begin(Statement statement) {
        Running r = new Running(statement);
        running.add(r);
        Duration timeout = options.timeout();
        if (timeout != null) {
            r.timer =
                    Shutdown.TIMER.schedule(
                            () -> r.cancel(Running.TIMED_OUT),
                            timeout.toMillis(),
                            java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        if (closed) {
            r.cancel(Running.STOPPED);
        }
        return r;
    }

    /**
     * Runs a statement that writes (a COPY of a result into a file) under {@code running}'s timeout
     * and cancellation: a cancelled statement fails with the reason it was cancelled instead of
     * DuckDB's bare "INTERRUPT Error".
     */
    static long executeUpdate(java.sql.PreparedStatement ps, Running running) throws SQLException {
        try {
            return ps.executeLargeUpdate();
        } catch (SQLException e) {
            String cancelled = running.cancelledMessage();
            if (cancelled != null) {
                throw new QueryException(cancelled, e);
            }
            throw e;
        }
    }

    /** One running statement; why it was cancelled, if it was. */
    public final class Running implements AutoCloseable {
        static final int TIMED_OUT = 1;
        static final int STOPPED = 2;
        private final Statement statement;
        private volatile int cancelled;
        private volatile java.util.concurrent.ScheduledFuture<?> timer;

        private Running(Statement statement) {
            this.statement = statement;
        }

        void cancel(int why) {
            if (cancelled == 0) {
                cancelled = why;
                try {
                    statement.cancel();
                } catch (SQLException | RuntimeException ignored) {
                    // finished or closed meanwhile: nothing left to cancel
                }
            }
        }

        /** The message for a statement that was cancelled, or null if it was not. */
        public String cancelledMessage() {
            return switch (cancelled) {
                case TIMED_OUT ->
                        "the statement ran longer than its timeout of "
                                + human(options.timeout())
                                + " and was cancelled";
                case STOPPED -> "the statement was cancelled: the process is stopping";
                default -> null;
            };
        }

        @Override
        public void close() {
            var t = timer;
            if (t != null) {
                t.cancel(false);
            }
            running.remove(this);
        }
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /**
     * For a signal: cancels what runs and removes the spill directory, leaving DuckDB itself to the
     * exit. A cancelled statement may still write a block or two before it stops, so it is given a
     * moment to end first.
     */
    void stopForExit() {
        closed = true;
        for (Running r : running) {
            r.cancel(Running.STOPPED);
        }
        long until = System.nanoTime() + 1_000_000_000L;
        while (!running.isEmpty() && System.nanoTime() < until) {
            pause(20);
        }
        for (int attempt = 0; attempt < 5 && ownTempDir && Files.exists(tempDir); attempt++) {
            deleteOwn(tempDir, true);
            if (Files.exists(tempDir)) {
                pause(50);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        Shutdown.unregister(this);
        for (Running r : running) {
            r.cancel(Running.STOPPED);
        }
        for (Connection c; (c = idle.poll()) != null; ) {
            closeQuietly(c);
        }
        closeQuietly(primary);
        deleteOwn(tempDir, ownTempDir);
    }

    private static void deleteOwn(Path dir, boolean own) {
        if (own) {
            try {
                dev.tarn.lake.spi.FileTrees.deleteTree(dir);
                Shutdown.DIRS.remove(dir);
            } catch (UncheckedIOException ignored) {
                // a spill directory left behind is removed by the next engine that starts
                // (EngineHome)
            }
        }
    }

    /**
     * One shutdown hook for the engines of the process: on SIGINT or SIGTERM the JVM runs it while
     * queries may still run, so it cancels them and removes the spill directories; closing DuckDB
     * under a running query is not safe, and the process is ending anyway.
     */
    static final class Shutdown {
        static final java.util.concurrent.ScheduledThreadPoolExecutor TIMER = timer();
        private static final java.util.Set<DuckEngine> ENGINES =
                java.util.concurrent.ConcurrentHashMap.newKeySet();

        /** Spill directories of this process not deleted yet, engines starting included. */
        static final java.util.Set<Path> DIRS = java.util.concurrent.ConcurrentHashMap.newKeySet();

        private static boolean hooked;

        static Path own(Path dir) {
            DIRS.add(dir);
            return dir;
        }

        static synchronized void hook() {
            if (!hooked) {
                hooked = true;
                Runtime.getRuntime()
                        .addShutdownHook(
                                new Thread(
                                        () -> {
                                            ENGINES.forEach(DuckEngine::stopForExit);
                                            DIRS.forEach(d -> deleteOwn(d, true));
                                        },
                                        "tarn-sql-shutdown"));
            }
        }

        private static java.util.concurrent.ScheduledThreadPoolExecutor timer() {
            var t =
                    new java.util.concurrent.ScheduledThreadPoolExecutor(
                            1,
                            r -> {
                                Thread th = new Thread(r, "tarn-sql-timeout");
                                th.setDaemon(true);
                                return th;
                            });
            t.setRemoveOnCancelPolicy(true);
            return t;
        }

        static void register(DuckEngine e) {
            hook();
            ENGINES.add(e);
        }

        static void unregister(DuckEngine e) {
            ENGINES.remove(e);
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
