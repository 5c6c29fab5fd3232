package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource bounds of {@code lake sql}, through the real CLI in a child JVM started as the launcher
 * starts it (its defaults, serial GC), whose peak RSS (VmHWM) is read from /proc while it runs:
 * results stream in constant memory, a statement ends at its timeout, a working set larger than the
 * memory limit spills, SIGINT cancels at once and leaves no temp files, and a dataset of thousands
 * of one-line objects answers.
 */
class SqlResourceBoundsTest {
    static final long GIB = 1L << 30;

    @TempDir Path dir;
    Path lakeDir;
    Path cache;
    Path tmp;

    @BeforeEach
    void setUp() throws IOException {
        lakeDir = dir.resolve("lake");
        cache = dir.resolve("cache");
        tmp = Files.createDirectories(dir.resolve("tmp"));
        assertEquals(0, new CliRunner(lakeDir).run("init").code());
    }

    /**
     * A finished child: exit code, bytes it wrote to stdout (read and dropped), stderr, peak RSS.
     */
    record Child(
            int code, long stdoutBytes, String stdout, String stderr, long peakRss, long millis) {
        @Override
        public String toString() {
            return "exit "
                    + code
                    + ", "
                    + stdoutBytes
                    + " bytes out, peak RSS "
                    + (peakRss >> 20)
                    + " MiB, "
                    + millis
                    + " ms\n--- stderr\n"
                    + stderr;
        }
    }

    private String cacheOverride;

    /** Options of the child JVM before the launcher's own (a heap limit). */
    private List<String> jvmOptions = List.of();

    private Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (defaultSignalsAvailable()) {
            // a child of a shell running in the background inherits SIGINT ignored, and the JVM
            // then keeps it so
            cmd.addAll(List.of("env", "--default-signal=INT"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(
                List.of(
                        "-XX:+UseSerialGC",
                        "-Djava.io.tmpdir=" + tmp,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "--lake",
                        lakeDir.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("TARN_CACHE_DIR");
        if (cacheOverride != null) {
            pb.environment().put("TARN_CACHE_DIR", cacheOverride);
        }
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.environment().put("TARN_TTY", "0");
        return pb.start();
    }

    private static Boolean defaultSignals;

    private static synchronized boolean defaultSignalsAvailable() {
        if (defaultSignals == null) {
            try {
                Process p = new ProcessBuilder("env", "--default-signal=INT", "true").start();
                defaultSignals = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                defaultSignals = false;
            }
        }
        return defaultSignals;
    }

    private Child run(long limitSeconds, String... args) throws Exception {
        Process p = start(args);
        return finish(p, limitSeconds, System.nanoTime());
    }

    private static Child finish(Process p, long limitSeconds, long t0) throws Exception {
        p.getOutputStream().close();
        StringBuilder head = new StringBuilder();
        CompletableFuture<Long> out =
                CompletableFuture.supplyAsync(() -> drain(p.getInputStream(), head));
        CompletableFuture<byte[]> err =
                CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        long peak = 0;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(limitSeconds);
        Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
        while (p.isAlive()) {
            peak = Math.max(peak, vmHwm(status));
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("the CLI did not end within " + limitSeconds + " s");
            }
            Thread.sleep(20);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        long bytes = out.get();
        return new Child(
                p.waitFor(),
                bytes,
                head.toString(),
                new String(err.get(), StandardCharsets.UTF_8),
                peak,
                millis);
    }

    /** Peak resident set of a running process, in bytes (0 once it is gone). */
    static long vmHwm(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) << 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between two reads
        }
        return 0;
    }

    /** Reads a stream to its end, keeping its first 64 KiB in {@code head}; returns its length. */
    private static long drain(InputStream in, StringBuilder head) {
        byte[] buf = new byte[1 << 16];
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
        long n = 0;
        try (in) {
            for (int r; (r = in.read(buf)) > 0; ) {
                if (kept.size() < buf.length) {
                    kept.write(buf, 0, Math.min(r, buf.length - kept.size()));
                }
                n += r;
            }
        } catch (IOException e) {
            // the child ended
        }
        head.append(kept.toString(StandardCharsets.UTF_8));
        return n;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /**
     * Whatever the CLI left in the cache's spill directory and the temp directory, but the cached
     * library.
     */
    private List<String> leftovers() throws IOException {
        List<String> left = new ArrayList<>();
        for (Path root : List.of(cache.resolve("tarn/sql"), tmp)) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.list(root)) {
                    s.forEach(p -> left.add(p.toString()));
                }
            }
        }
        return left;
    }

    @Test
    void anEndlessResultStreamsInConstantMemoryAndEndsAtTheTimeout() throws Exception {
        Child c =
                run(
                        60,
                        "sql",
                        "--timeout",
                        "4s",
                        "SELECT * FROM generate_series(1, 1000000000000)",
                        "-o",
                        "csv");
        assertEquals(1, c.code(), c.toString());
        assertTrue(
                c.stderr().contains("ran longer than its timeout of 4s and was cancelled"),
                c.toString());
        assertEquals(1, c.stderr().strip().lines().count(), "one line: " + c);
        assertTrue(c.stdoutBytes() > 1_000_000, "rows were written while the query ran: " + c);
        assertTrue(c.peakRss() > 0 && c.peakRss() < GIB, c.toString());
        assertTrue(c.millis() < 30_000, c.toString());
        assertEquals(List.of(), leftovers());
        assertTrue(nativeLibraryCached(), "the native library is kept in the cache");
    }

    /**
     * Acceptance of issue 12: five million rows to stdout as CSV with a 256 MiB heap stay under 400
     * MiB of peak RSS (JVM, DuckDB and its 512 MiB limit, which streaming leaves mostly unused),
     * and every row arrives; the JSON output streams the same way, past the million rows the CLI
     * used to refuse.
     */
    @Test
    void fiveMillionRowsStreamToStdoutAsCsvUnder400MiBWithA256MiBHeap() throws Exception {
        jvmOptions = List.of("-Xmx256m");
        int n = 5_000_000;
        Child c = run(120, "sql", "-o", "csv", "SELECT range AS n FROM range(" + n + ")");
        assertEquals(0, c.code(), c.toString());
        long expected = "n\n".length();
        for (long width = 1, from = 0, to = 10; from < n; width++, from = to, to *= 10) {
            expected += (Math.min(to, n) - from) * (width + 1);
        }
        assertEquals(expected, c.stdoutBytes(), "every row written: " + c);
        assertTrue(c.peakRss() > 0 && c.peakRss() < 400L << 20, c.toString());
        System.err.println("5M rows as CSV: " + c);

        Child json =
                run(
                        120,
                        "sql",
                        "-o",
                        "json",
                        "SELECT range AS n, {'k': range} AS s FROM range(1100000)");
        assertEquals(0, json.code(), json.toString());
        assertTrue(json.stdoutBytes() > 1_100_000L * 20, json.toString());
        assertTrue(json.peakRss() > 0 && json.peakRss() < 400L << 20, json.toString());
        System.err.println("1.1M rows as JSON: " + json);
    }

    @Test
    void anEndlessRecursiveQueryEndsAtTheTimeout() throws Exception {
        Child c =
                run(
                        60,
                        "sql",
                        "--timeout",
                        "2s",
                        "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t");
        assertEquals(1, c.code(), c.toString());
        assertTrue(c.stderr().contains("timeout of 2s"), c.toString());
        assertTrue(c.peakRss() < GIB, c.toString());
    }

    @Test
    void aSortLargerThanTheMemoryLimitSpillsAndAnswers() throws Exception {
        // about 180 MB of sort keys against a 48 MiB limit: DuckDB must spill to the cache's spill
        // directory
        Child c =
                run(
                        120,
                        "sql",
                        "--memory-limit",
                        "48MiB",
                        "-o",
                        "csv",
                        "SELECT s FROM (SELECT md5(range::VARCHAR) || md5((range * 7)::VARCHAR) AS s FROM range(2500000))"
                                + " ORDER BY s OFFSET 2499999");
        assertEquals(0, c.code(), c.toString());
        assertTrue(c.peakRss() < GIB, c.toString());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void rowsBeyondMaxRowsFailAfterTheFirstOnesWereWritten() throws Exception {
        var r =
                new CliRunner(lakeDir)
                        .run(
                                "sql",
                                "--max-rows",
                                "5",
                                "-o",
                                "csv",
                                "SELECT * FROM range(1000000000)");
        assertEquals(1, r.code(), r.toString());
        assertEquals("range\n0\n1\n2\n3\n4\n", r.out());
        assertTrue(r.stderr().contains("more than 5 rows (--max-rows)"), r.stderr());
        var ok =
                new CliRunner(lakeDir)
                        .run("sql", "--max-rows", "5", "-o", "json", "SELECT * FROM range(5)");
        assertEquals(0, ok.code(), ok.toString());
        assertEquals(5, ok.json().size());
        assertEquals(2, new CliRunner(lakeDir).run("sql", "--max-rows", "0", "SELECT 1").code());
        assertEquals(2, new CliRunner(lakeDir).run("sql", "--timeout", "soon", "SELECT 1").code());
        assertEquals(
                2, new CliRunner(lakeDir).run("sql", "--memory-limit", "lots", "SELECT 1").code());
    }

    @Test
    void sigintCancelsARunningQueryAtOnceAndLeavesNoTempFiles() throws Exception {
        Process p =
                start(
                        "sql",
                        "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t)"
                                + " SELECT count(*) FROM t");
        // the engine has started once its spill directory and the cached library exist; the query
        // runs soon after
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(!leftovers().isEmpty() && nativeLibraryCached()) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        Thread.sleep(1500);
        assertTrue(p.isAlive(), "the query still runs");
        long t0 = System.nanoTime();
        new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
        Child c = finish(p, 30, t0);
        assertTrue(c.millis() < 2000, "ended " + c.millis() + " ms after SIGINT: " + c);
        assertEquals(130, c.code(), c.toString());
        assertEquals(List.of(), leftovers());
    }

    private boolean nativeLibraryCached() throws IOException {
        Path natives = cache.resolve("tarn/native");
        if (!Files.isDirectory(natives)) {
            return false;
        }
        try (Stream<Path> s = Files.list(natives)) {
            return s.anyMatch(d -> Files.isRegularFile(d.resolve("libduckdb_java.so")));
        }
    }

    @Test
    void spillDirectoriesOfProcessesThatAreGoneAreRemoved() throws Exception {
        Path stale = Files.createDirectories(cache.resolve("tarn/sql/tarn-sql-999999999-1"));
        Files.writeString(stale.resolve("owner"), "999999999 1");
        Files.writeString(stale.resolve("duckdb_temp_block-1.block"), "x");
        // a pid that runs, but started at another time than the owner did: reused
        Path reused = Files.createDirectories(cache.resolve("tarn/sql/tarn-sql-1-2"));
        Files.writeString(reused.resolve("owner"), "1 2");
        Child c = run(60, "sql", "SELECT 42");
        assertEquals(0, c.code(), c.toString());
        assertFalse(Files.exists(stale), "stale spill directory removed");
        assertFalse(Files.exists(reused), "spill directory of a reused pid removed");
        assertEquals(List.of(), leftovers());
    }

    @Test
    void withoutAWritableCacheDirectoryTheTempDirectoryServesAndIsLeftClean() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        cacheOverride = notADirectory.resolve("cache").toString();
        Child c = run(60, "sql", "-o", "csv", "SELECT 6 * 7 AS answer");
        assertEquals(0, c.code(), c.toString());
        assertEquals("answer\n42\n", c.stdout());
        assertEquals(
                List.of(),
                leftovers(),
                "spill directory and the driver's own copy of its library removed");
    }

    @Test
    void aDatasetOfThousandsOfOneLineObjectsAnswersInBoundedMemory() throws Exception {
        Path objects = Files.createDirectories(dir.resolve("objects"));
        int n = 5000;
        for (int i = 0; i < n; i++) {
            String extra = i % 1000 == 7 ? ", \"extra\": " + i + ".5" : "";
            Files.writeString(
                    objects.resolve("o" + i + ".ndjson"),
                    "{\"id\": " + i + ", \"name\": \"n" + i + "\"" + extra + "}\n");
        }
        var ingest = new CliRunner(lakeDir).run("ingest", "raw/events", objects.toString());
        assertEquals(0, ingest.code(), ingest.toString());
        Child c =
                run(
                        120,
                        "sql",
                        "-o",
                        "csv",
                        "SELECT count(*) AS n, count(extra) AS extra, sum(id) AS ids,"
                                + " (SELECT count(*) FROM tarn.objects) AS objects FROM raw.events");
        assertEquals(0, c.code(), c.toString());
        assertTrue(c.peakRss() < GIB, c.toString());
        assertEquals(
                "n,extra,ids,objects\n5000,5," + (long) n * (n - 1) / 2 + ",5000\n",
                c.stdout(),
                c.toString());
        var describe = new CliRunner(lakeDir).run("describe", "raw/events");
        assertEquals(0, describe.code(), describe.toString());
        assertTrue(
                describe.out().contains("id INTEGER, name VARCHAR, extra DOUBLE"), describe.out());
    }
}
