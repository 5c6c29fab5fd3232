package dev.tarn.lake.query.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Driver;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;

/**
 * Where the SQL engine keeps files outside the lake: a cache directory ({@code $TARN_CACHE_DIR},
 * else {@code $XDG_CACHE_HOME/tarn}, else {@code ~/.cache/tarn}) holding DuckDB's native library,
 * extracted once per build of it, and the engines' spill directories.
 *
 * <p>Why not the driver's own loading: it copies its 71 MB library into the temp directory on every
 * process start, and a process killed by a signal leaves the copy there. Loading the driver's
 * classes through a class loader of our own lets us hand it the cached copy ({@link
 * ClassLoader#findLibrary}) and hide the bundled one, so that it never extracts. Whatever goes
 * wrong there, the driver is loaded the ordinary way instead.
 *
 * <p>A spill directory records its owner (pid and start time); an engine starting removes those of
 * processes that are gone, so that a killed process leaves nothing behind for long.
 */
final class EngineHome {
    private static final String TEMP_PREFIX = "tarn-sql-";
    private static final String OWNER = "owner";
    private static Driver driver;

    private EngineHome() {}

    /** The cache directory for this environment (not created). */
    static Path cacheDirectory(Map<String, String> env) {
        String own = env.get("TARN_CACHE_DIR");
        if (own != null && !own.isBlank()) {
            return Path.of(own).toAbsolutePath();
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "tarn");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "tarn");
    }

    static Path cacheDirectory() {
        return cacheDirectory(System.getenv());
    }

    /**
     * A fresh spill directory under the cache directory, owned by this process; first removes those
     * whose owner is gone.
     */
    static Path newTempDirectory() {
        Path parent = cacheDirectory().resolve("sql");
        try {
            return newTempDirectory(parent);
        } catch (IOException e) {
            // a home that cannot be written to (a service account, a read-only container): the temp
            // directory
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            try {
                return newTempDirectory(tmp);
            } catch (IOException e2) {
                e2.addSuppressed(e);
                throw new UncheckedIOException(
                        "cannot create the SQL engine's temp directory under "
                                + parent
                                + " or "
                                + tmp,
                        e2);
            }
        }
    }

    private static Path newTempDirectory(Path parent) throws IOException {
        Files.createDirectories(parent);
        removeStale(parent);
        Path dir =
                Files.createTempDirectory(
                        parent, TEMP_PREFIX + ProcessHandle.current().pid() + "-");
        Files.writeString(
                dir.resolve(OWNER), ownerRecord(ProcessHandle.current()), StandardCharsets.UTF_8);
        return dir;
    }

    /**
     * Removes the spill directories under {@code parent} whose owning process is no longer running.
     */
    static int removeStale(Path parent) {
        int removed = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, TEMP_PREFIX + "*")) {
            for (Path d : dirs) {
                if (isStale(d)) {
                    try {
                        dev.tarn.lake.spi.FileTrees.deleteTree(d);
                        removed++;
                    } catch (UncheckedIOException ignored) {
                        // another engine removes it at the same time, or it cannot be removed:
                        // tried next time
                    }
                }
            }
        } catch (IOException ignored) {
            // nothing to clean, or not readable: not a reason to refuse to start
        }
        return removed;
    }

    private static boolean isStale(Path dir) {
        String record;
        try {
            record = Files.readString(dir.resolve(OWNER), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            // no owner yet: being created right now, unless it has been like this for an hour
            try {
                return Files.getLastModifiedTime(dir)
                        .toInstant()
                        .isBefore(Instant.now().minus(Duration.ofHours(1)));
            } catch (IOException gone) {
                return false;
            }
        }
        String[] parts = record.split(" ");
        long pid;
        try {
            pid = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return true;
        }
        // a pid is reused: the owner is alive only if the process with that pid started when the
        // owner did (within a
        // second: start times are derived from the boot time and clock ticks, which two JVMs may
        // round differently)
        return ProcessHandle.of(pid).map(p -> !sameStart(ownerRecord(p), record)).orElse(true);
    }

    private static boolean sameStart(String a, String b) {
        String[] x = a.split(" "), y = b.split(" ");
        if (x.length < 2 || y.length < 2 || !x[0].equals(y[0])) {
            return false;
        }
        try {
            return Math.abs(Long.parseLong(x[1]) - Long.parseLong(y[1])) <= 1000;
        } catch (NumberFormatException e) {
            return x[1].equals(y[1]);
        }
    }

    private static String ownerRecord(ProcessHandle p) {
        return p.pid()
                + " "
                + p.info().startInstant().map(i -> String.valueOf(i.toEpochMilli())).orElse("?");
    }

    /**
     * DuckDB's JDBC driver, its native library loaded from the cache directory (extracted there on
     * first use); the driver loaded the ordinary way if that cannot be done.
     */
    static synchronized Driver driver() {
        if (driver == null) {
            Driver d = null;
            try {
                d = cachedDriver(cacheDirectory());
            } catch (Exception | LinkageError e) {
                // a read-only home, a driver not in a jar, a platform the driver lays out
                // differently...
            }
            if (d == null) {
                try {
                    Class.forName("org.duckdb.DuckDBDriver");
                    d = java.sql.DriverManager.getDriver("jdbc:duckdb:");
                } catch (ClassNotFoundException | java.sql.SQLException e) {
                    throw new dev.tarn.lake.exceptions.TarnException(
                            dev.tarn.lake.exceptions.ErrorCode.ENGINE_FAILED,
                            "cannot start DuckDB: " + e.getMessage(),
                            e);
                }
            }
            driver = d;
        }
        return driver;
    }

    private static Driver cachedDriver(Path cache) throws Exception {
        URL classUrl =
                EngineHome.class.getClassLoader().getResource("org/duckdb/DuckDBNative.class");
        if (classUrl == null || !"jar".equals(classUrl.getProtocol())) {
            return null;
        }
        String resource = "libduckdb_java.so_" + osName() + "_" + cpuArch();
        JarURLConnection jar = (JarURLConnection) classUrl.openConnection();
        jar.setUseCaches(false);
        URL jarFile = jar.getJarFileURL();
        Path lib;
        try (java.util.jar.JarFile jf = jar.getJarFile()) {
            JarEntry entry = jf.getJarEntry(resource);
            if (entry == null || entry.getSize() <= 0) {
                return null;
            }
            // named by the library's checksum and size: one copy per build of the driver, whatever
            // jar it came in
            String version =
                    String.format(Locale.ROOT, "duckdb-%08x-%d", entry.getCrc(), entry.getSize());
            Path dir = cache.resolve("native").resolve(version);
            lib = dir.resolve("libduckdb_java.so");
            if (!Files.isRegularFile(lib) || Files.size(lib) != entry.getSize()) {
                Files.createDirectories(dir);
                Path part = Files.createTempFile(dir, "libduckdb_java", ".part");
                try (InputStream in = jf.getInputStream(entry)) {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(
                            part,
                            lib,
                            StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(part);
                }
            }
        }
        ClassLoader loader = new DriverLoader(jarFile, EngineHome.class.getClassLoader(), lib);
        return (Driver)
                Class.forName("org.duckdb.DuckDBDriver", true, loader)
                        .getDeclaredConstructor()
                        .newInstance();
    }

    // The driver's own naming of its bundled libraries (DuckDBNative).
    private static String osName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).trim();
        return os.startsWith("windows")
                ? "windows"
                : os.startsWith("mac")
                        ? "macos"
                        : os.startsWith("linux") ? "linux" : os.replaceAll("[^a-z0-9_\\-.]", "");
    }

    private static String cpuArch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT).trim();
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch.replaceAll("[^a-z0-9_\\-.]", "");
        };
    }

    /**
     * Loads {@code org.duckdb} classes itself (everything else from its parent), hides the bundled
     * native library from them, and points their {@code System.loadLibrary("duckdb_java")} at the
     * cached copy.
     */
    private static final class DriverLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Path library;

        DriverLoader(URL jar, ClassLoader parent, Path library) {
            super("tarn-duckdb", new URL[] {jar}, parent);
            this.library = library;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.duckdb.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith("libduckdb_java") ? null : super.getResource(name);
        }

        @Override
        protected String findLibrary(String libname) {
            return "duckdb_java".equals(libname) ? library.toString() : super.findLibrary(libname);
        }
    }
}
