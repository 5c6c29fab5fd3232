package dev.tarn.lake.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for tests, from the machine's own binaries (Debian's {@code
 * /usr/lib/postgresql/VERSION/bin}, or {@code initdb} and {@code pg_ctl} on the PATH): a fresh data
 * directory in a temp dir, a server on 127.0.0.1 on a free port, trust authentication for the user
 * {@value #USER}. It starts on first use and is stopped and deleted after the test class.
 *
 * <pre>{@code
 * @RegisterExtension static PostgresServer pg = new PostgresServer();
 *
 * @Test void sends() { String url = pg.newDatabase(); ... DriverManager.getConnection(url) ... }
 * }</pre>
 *
 * Without PostgreSQL the test that asks for the server is skipped, saying how to install it, or
 * fails when the environment variable {@code CI} is set (CI installs it). PostgreSQL refuses to run
 * as root: a JVM running as root runs {@code initdb} and {@code pg_ctl} as the {@code postgres}
 * user through {@code runuser}, on a data directory that user owns. This class needs no JDBC
 * driver: it hands out JDBC URLs and controls the server's processes.
 */
public final class PostgresServer implements AfterAllCallback, AutoCloseable {
    /** The superuser the server is initialised with; connections from 127.0.0.1 are trusted. */
    public static final String USER = "tarn";

    private static final String INSTALL =
            "PostgreSQL is not installed: install Debian's package (apt-get install postgresql)"
                    + " or put initdb and pg_ctl on the PATH";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private Path bin;
    private Path dir;
    private Path data;
    private int port;
    private boolean running;
    private String failure;
    private Thread shutdownHook;

    /** The JDBC URL of the server's default database ({@code postgres}), starting it if needed. */
    public synchronized String jdbcUrl() {
        return urlOf("postgres");
    }

    /** A new, empty database on the server (a test's own), as a JDBC URL. */
    public synchronized String newDatabase() {
        start();
        String name = "tarn_test_" + DATABASES.incrementAndGet();
        run(
                List.of(
                        bin.resolve("createdb").toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port),
                        "-U",
                        USER,
                        name),
                false);
        return urlOf(name);
    }

    /** The port the server listens on (127.0.0.1). */
    public synchronized int port() {
        start();
        return port;
    }

    /** The server's data directory (its log, {@code server.log}, is beside it), once started. */
    public synchronized Path dataDirectory() {
        start();
        return data;
    }

    private String urlOf(String database) {
        start();
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    /**
     * Starts the server (again, after {@link #stop()}, on the same data); a no-op while it runs.
     * Skips the calling test if PostgreSQL is not installed and {@code CI} is not set.
     */
    public synchronized void start() {
        if (running) {
            return;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        if (bin == null) {
            Optional<Path> found = findBinaries();
            if (found.isEmpty()) {
                if (System.getenv("CI") != null) {
                    throw new IllegalStateException(INSTALL + " (CI is set, so this fails)");
                }
                Assumptions.abort(INSTALL);
            }
            bin = found.get();
            try {
                initialise();
            } catch (RuntimeException e) {
                failure = "PostgreSQL could not be set up: " + e.getMessage();
                deleteQuietly();
                throw e;
            }
        }
        port = freePort();
        run(
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "start",
                        "-w",
                        "-t",
                        "60",
                        "-D",
                        data.toString(),
                        "-l",
                        dir.resolve("server.log").toString(),
                        "-o",
                        "-h 127.0.0.1 -p " + port + " -k " + dir + " -F"),
                true);
        waitForPort();
        running = true;
    }

    /** Stops the server (fast shutdown), keeping its data; {@link #start()} starts it again. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        run(
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "stop",
                        "-w",
                        "-m",
                        "fast",
                        "-D",
                        data.toString()),
                false);
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public synchronized void close() {
        try {
            if (running) {
                stop();
            }
        } finally {
            deleteQuietly();
            bin = null;
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException ignored) {
                    // the JVM is shutting down
                }
                shutdownHook = null;
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void initialise() {
        try {
            dir = Files.createTempDirectory("tarn-pg-");
            data = dir.resolve("data");
            boolean root = isRoot();
            if (root) {
                // The postgres user must reach and own the directory: the server refuses to run as
                // root
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                UserPrincipal postgres =
                        dir.getFileSystem()
                                .getUserPrincipalLookupService()
                                .lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make PostgreSQL's data directory", e);
        }
        shutdownHook = new Thread(this::close, "postgres-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        run(
                List.of(
                        bin.resolve("initdb").toString(),
                        "-D",
                        data.toString(),
                        "-U",
                        USER,
                        "--auth=trust",
                        "-E",
                        "UTF8",
                        "--no-locale",
                        "--no-sync"),
                false);
    }

    /** Runs a PostgreSQL program (as postgres when this JVM is root); fails with its output. */
    private void run(List<String> command, boolean detached) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Path out = Files.createTempFile("tarn-pg-", ".out");
            try {
                ProcessBuilder pb =
                        new ProcessBuilder(full)
                                .redirectErrorStream(true)
                                .redirectOutput(out.toFile())
                                .redirectInput(ProcessBuilder.Redirect.from(nullFile()));
                if (dir != null) {
                    pb.directory(dir.toFile());
                }
                Process p = pb.start();
                // pg_ctl start -w returns once the server accepts connections; the server itself
                // runs on, detached from pg_ctl
                if (!p.waitFor(detached ? 90 : 120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(
                            String.join(" ", command) + " did not finish: " + tail(out));
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(
                            String.join(" ", command)
                                    + " failed (exit "
                                    + p.exitValue()
                                    + "): "
                                    + tail(out)
                                    + serverLog());
                }
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File("/dev/null");
    }

    private static String tail(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8).strip();
        return s.length() > 2000 ? "..." + s.substring(s.length() - 2000) : s;
    }

    private String serverLog() {
        Path log = dir == null ? null : dir.resolve("server.log");
        try {
            return log != null && Files.exists(log) ? "\nserver log:\n" + tail(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private void waitForPort() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "PostgreSQL does not accept connections on port " + port + serverLog());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", ie);
                }
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * The directory holding initdb, pg_ctl and createdb: Debian's newest version first, then the
     * PATH.
     */
    static Optional<Path> findBinaries() {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            List<Path> versions = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(debian)) {
                for (Path v : ds) {
                    if (Files.isExecutable(v.resolve("bin/initdb"))
                            && Files.isExecutable(v.resolve("bin/pg_ctl"))) {
                        versions.add(v.resolve("bin"));
                    }
                }
            } catch (IOException ignored) {
                // fall through to the PATH
            }
            versions.sort(Comparator.comparing(PostgresServer::versionOf).reversed());
            if (!versions.isEmpty()) {
                return Optional.of(versions.get(0));
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                if (d.isEmpty()) {
                    continue;
                }
                Path initdb = Path.of(d, "initdb");
                if (Files.isExecutable(initdb) && Files.isExecutable(Path.of(d, "pg_ctl"))) {
                    try {
                        // a link on the PATH (/usr/local/bin/initdb): createdb is beside its target
                        return Optional.of(initdb.toRealPath().getParent());
                    } catch (IOException e) {
                        return Optional.of(Path.of(d));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static int versionOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void deleteQuietly() {
        Path d = dir;
        dir = null;
        if (d == null || !Files.exists(d)) {
            return;
        }
        try (Stream<Path> all = Files.walk(d)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException ignored) {
            // a temp dir left behind is not a test failure
        }
    }
}
