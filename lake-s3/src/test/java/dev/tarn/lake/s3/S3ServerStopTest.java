package dev.tarn.lake.s3;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.LakeBuilder;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.doctor.Finding;
import dev.tarn.lake.format.Conversion;
import dev.tarn.lake.format.Input;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.format.Output;
import dev.tarn.lake.table.HistoryEntry;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The S3 server itself stopped (not a proxy): in the middle of a multipart ingest, and while an
 * ingest is being retried. The operation fails with one clear line, or succeeds once the server is
 * back; nothing half-written is visible; doctor removes what was left and then finds the lake
 * clean. (Groundwork for acceptance 3.)
 */
class S3ServerStopTest {
    static final DatasetId DS = DatasetId.parse("raw/files");

    private S3TestServer server;
    private String location;

    @BeforeEach
    void setUp() throws Exception {
        server = S3TestServer.dedicated();
        location = "s3://" + server.newBucket() + "/lake";
    }

    @AfterEach
    void tearDown() {
        server.shutdown();
    }

    private Lake open(int maxAttempts) {
        LakeBuilder b = Lake.builder().location(location);
        server.options().forEach(b::storeOption);
        return b.storeOption(S3StoreProvider.PART_SIZE, "5MiB")
                .storeOption(S3StoreProvider.MAX_ATTEMPTS, String.valueOf(maxAttempts))
                .open();
    }

    /** Random bytes; once {@code stopAt} bytes have been read, stops the server before going on. */
    private final class StoppingStream extends InputStream {
        private final Random rnd = new Random(9);
        private final long size;
        private final long stopAt;
        private long pos;

        StoppingStream(long size, long stopAt) {
            this.size = size;
            this.stopAt = stopAt;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= size) {
                return -1;
            }
            if (pos >= stopAt && pos - len < stopAt) {
                try {
                    server.stop();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
            int n = (int) Math.min(len, size - pos);
            byte[] chunk = new byte[n];
            rnd.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            pos += n;
            return n;
        }
    }

    @Test
    void stoppedInTheMiddleOfAMultipartIngest() throws Exception {
        try (Lake lake = open(2)) {
            lake.ingest(DS).bytes("before".getBytes(StandardCharsets.UTF_8), "before.txt").commit();
            long version = lake.catalog().version();
            RuntimeException e =
                    assertThrows(
                            RuntimeException.class,
                            () ->
                                    lake.ingest(DS).stream(
                                                    new StoppingStream(13L << 20, 7L << 20),
                                                    "big.bin")
                                            .commit());
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().contains(server.endpoint().toString()), e.getMessage());
            server.start();
            assertEquals(version, lake.catalog().version(), "no commit happened");
            assertEquals(
                    List.of("before.txt"),
                    lake.catalog().objects(DS).stream().map(LakeObject::originalName).toList());
            assertTrue(
                    lake.store().list("raw/").stream().noneMatch(s -> s.key().endsWith("big.bin")),
                    "no half-written object under any key");
            assertEquals(
                    1,
                    lake.store().pendingWrites().size(),
                    "the upload the writer could not abort");
            DoctorReport repaired = lake.doctor().grace(Duration.ZERO).repair();
            assertTrue(
                    repaired.findings().stream()
                            .anyMatch(f -> f.kind() == Finding.Kind.LEFTOVER_TEMP),
                    repaired.findings().toString());
            assertTrue(repaired.isClean(), repaired.findings().toString());
            assertTrue(lake.doctor().check().findings().isEmpty());
            assertTrue(lake.store().pendingWrites().isEmpty());
            // the same ingest now goes through
            assertEquals(
                    1,
                    lake.ingest(DS).stream(new StoppingStream(13L << 20, Long.MAX_VALUE), "big.bin")
                            .commit()
                            .stored()
                            .size());
        }
    }

    @Test
    void anIngestRetriedWhileTheServerIsDownSucceedsOnceItIsBack() throws Exception {
        try (Lake lake = open(10)) {
            long version = lake.catalog().version();
            server.stop();
            Thread restarter =
                    new Thread(
                            () -> {
                                try {
                                    Thread.sleep(300);
                                    server.start();
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            restarter.start();
            // the SDK retries with backoff (10 attempts here) until the server answers again
            assertEquals(
                    1,
                    lake.ingest(DS)
                            .bytes("payload".getBytes(StandardCharsets.UTF_8), "p.txt")
                            .commit()
                            .stored()
                            .size());
            restarter.join();
            assertEquals(version + 1, lake.catalog().version(), "committed once");
            DoctorReport report = lake.doctor().check();
            assertTrue(report.findings().isEmpty(), report.findings().toString());
        }
    }

    /**
     * A write whose every attempt was refused at connect never reached the server: it fails at once
     * with the endpoint's error, without waiting to read the object back (nothing to resolve).
     */
    @Test
    void aWriteRefusedAtConnectFailsAtOnceWithoutReadingBack() throws Exception {
        try (Lake lake = open(2)) {
            server.stop();
            RuntimeException e =
                    assertThrows(
                            RuntimeException.class,
                            () ->
                                    lake.store()
                                            .put(
                                                    "raw/x.bin",
                                                    new byte[] {1},
                                                    dev.tarn.lake.storage.WriteMode.CREATE));
            assertTrue(
                    e.getMessage().startsWith("cannot reach the S3 endpoint " + server.endpoint()),
                    e.getMessage());
            assertFalse(e.getMessage().contains("cannot tell"), e.getMessage());
            server.start();
            assertTrue(lake.store().stat("raw/x.bin").isEmpty());
        }
    }

    /** One writer's attempted operation and how it ended. */
    private record Outcome(String writer, int n, boolean table, String error) {}

    /**
     * Several writers commit in a loop (three ingesting into the catalog, three appending to one
     * Delta table) while the server is stopped and started again three times under them. Each
     * operation either fails with one clear line or succeeds; what succeeded is visible exactly
     * once, what failed is not visible at all; versions stay contiguous; doctor cleans up what the
     * failures left and then finds the lake clean.
     */
    @Test
    void stoppedWhileSeveralWritersCommit() throws Exception {
        writersThroughOutages(
                this::open,
                server.endpoint().toString(),
                false,
                () -> {
                    server.stop();
                    return () -> server.start();
                });
    }

    /**
     * The same, with the server a process of its own that is killed (SIGKILL: no orderly shutdown,
     * connections dropped mid-request) and started again on the same port and storage.
     */
    @Test
    void killedAsAProcessWhileSeveralWritersCommit() throws Exception {
        java.nio.file.Path storage = java.nio.file.Files.createTempDirectory("tarn-s3proxy-proc");
        int port = S3TestServer.freePort();
        String endpoint = "http://127.0.0.1:" + port;
        Process[] proc = {S3ServerMain.start(storage, port)};
        try {
            S3ServerMain.createBucket(endpoint, "killed");
            String where = "s3://killed/lake";
            writersThroughOutages(
                    attempts -> {
                        LakeBuilder b = Lake.builder().location(where);
                        S3TestServer.shared().options().forEach(b::storeOption);
                        return b.storeOption(S3StoreProvider.ENDPOINT, endpoint)
                                .storeOption(S3StoreProvider.PART_SIZE, "5MiB")
                                .storeOption(S3StoreProvider.MAX_ATTEMPTS, String.valueOf(attempts))
                                .open();
                    },
                    endpoint,
                    true,
                    () -> {
                        proc[0].destroyForcibly().waitFor();
                        return () -> proc[0] = S3ServerMain.start(storage, port);
                    });
        } finally {
            proc[0].destroyForcibly().waitFor();
            dev.tarn.lake.spi.FileTrees.deleteTree(storage);
        }
    }

    /** Takes the server away; returns how to bring it back. */
    private interface Outage {
        Restart begin() throws Exception;
    }

    private interface Restart {
        void run() throws Exception;
    }

    /**
     * s3proxy's filesystem backend writes an object to {@code KEY-UUID} and renames it into place:
     * killed in between, it leaves that temporary file, which it then lists as an object (S3 itself
     * never shows a half-written object).
     */
    private static final java.util.regex.Pattern SERVER_TEMP =
            java.util.regex.Pattern.compile(
                    ".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * @param serverLeavesTempFiles whether the outage may leave the server's own temporary files
     *     behind (a killed s3proxy): they must then be the only thing doctor reports, and be left
     *     alone
     */
    private void writersThroughOutages(
            java.util.function.IntFunction<Lake> opener,
            String endpoint,
            boolean serverLeavesTempFiles,
            Outage outage)
            throws Exception {
        DatasetId tableId = DatasetId.parse("processed/events");
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        try (Lake lake = opener.apply(3)) {
            Tables tables = Tables.of(lake);
            Table table =
                    tables.newCreate(tableId)
                            .schema(
                                    Schema.of(
                                            Field.of("writer", DataType.STRING),
                                            Field.of("n", DataType.INT)))
                            .commit();
            long catalogStart = lake.catalog().version();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicIntegerArray started = new AtomicIntegerArray(6);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                int index = w;
                boolean toTable = w >= 3;
                String name = (toTable ? "appender" : "ingester") + w;
                Thread t =
                        new Thread(
                                () -> {
                                    for (int n = 0; !stop.get(); n++) {
                                        started.incrementAndGet(index);
                                        try {
                                            if (toTable) {
                                                appendOneRow(lake, table, name, n);
                                            } else {
                                                lake.ingest(DS)
                                                        .bytes(
                                                                (name + "/" + n)
                                                                        .getBytes(
                                                                                StandardCharsets
                                                                                        .UTF_8),
                                                                name + "-" + n + ".txt")
                                                        .commit();
                                            }
                                            outcomes.add(new Outcome(name, n, toTable, null));
                                        } catch (RuntimeException e) {
                                            outcomes.add(
                                                    new Outcome(
                                                            name,
                                                            n,
                                                            toTable,
                                                            e.getClass().getSimpleName()
                                                                    + ": "
                                                                    + e.getMessage()));
                                            try {
                                                Thread.sleep(
                                                        20); // as an application would, rather than
                                                // spin while it is down
                                            } catch (InterruptedException ie) {
                                                return;
                                            }
                                        }
                                    }
                                },
                                name);
                writers.add(t);
                t.start();
            }
            Random rnd = new Random(17);
            for (int cycle = 0; cycle < 3; cycle++) {
                // let every writer get going, then pull the server out from under them
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int[] seen = new int[6];
                for (int w = 0; w < 6; w++) {
                    seen[w] = started.get(w);
                }
                for (int w = 0; w < 6; w++) {
                    while (started.get(w) < seen[w] + 2 && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                }
                Thread.sleep(rnd.nextInt(100));
                Restart restart = outage.begin();
                Thread.sleep(300 + rnd.nextInt(1500));
                restart.run();
            }
            Thread.sleep(500);
            stop.set(true);
            for (Thread t : writers) {
                t.join(TimeUnit.MINUTES.toMillis(2));
                assertFalse(t.isAlive(), t.getName() + " still running");
            }
            List<Outcome> failed = outcomes.stream().filter(o -> o.error() != null).toList();
            List<Outcome> ok = outcomes.stream().filter(o -> o.error() == null).toList();
            System.out.println(ok.size() + " operations succeeded, " + failed.size() + " failed");
            failed.stream()
                    .map(Outcome::error)
                    .distinct()
                    .limit(10)
                    .forEach(m -> System.out.println("  " + m));
            for (Outcome o : failed) {
                assertFalse(o.error().contains("\n"), o.error());
                assertTrue(o.error().contains(endpoint), o.error());
                // the outages are shorter than the resolve timeout: every unknown outcome was
                // resolved
                assertFalse(o.error().contains("cannot tell"), o.error());
            }
            assertTrue(ok.size() > 6, "the writers went on after the server came back");

            // the catalog: exactly the ingests that succeeded, once each, in contiguous versions
            Set<String> ingested = new TreeSet<>();
            ok.stream()
                    .filter(o -> !o.table())
                    .forEach(o -> ingested.add(o.writer() + "-" + o.n() + ".txt"));
            try (Lake fresh = opener.apply(3)) {
                List<String> names =
                        fresh.catalog().objects(DS).stream()
                                .map(LakeObject::originalName)
                                .sorted()
                                .toList();
                assertEquals(
                        List.copyOf(ingested),
                        names,
                        "visible objects are exactly the successful ingests");
                for (LakeObject o : fresh.catalog().objects(DS)) {
                    String name = o.originalName();
                    String expected = name.substring(0, name.length() - 4).replace('-', '/');
                    try (InputStream in = fresh.open(o)) {
                        assertEquals(
                                expected, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
                long ingestCommits = ingested.size();
                assertTrue(
                        fresh.catalog().version() >= catalogStart + ingestCommits,
                        "one version per ingest at least");
                List<String> logKeys =
                        fresh.store().list("_tarn/catalog/log/").stream()
                                .map(s -> s.key())
                                .filter(k -> k.matches("_tarn/catalog/log/\\d{20}\\.json"))
                                .sorted()
                                .toList();
                for (int i = 0; i < logKeys.size(); i++) {
                    assertEquals(
                            String.format("_tarn/catalog/log/%020d.json", i),
                            logKeys.get(i),
                            "contiguous catalog versions");
                }

                // the table: exactly the appends that succeeded, once each, in contiguous versions
                Table t = Tables.of(fresh).load(tableId);
                var snap = t.snapshot();
                long appended = ok.stream().filter(Outcome::table).count();
                assertEquals(
                        appended,
                        snap.recordCount(),
                        "every successful append once, no failed one");
                assertEquals(appended, snap.files().size());
                List<Long> versions =
                        t.history().stream().map(HistoryEntry::version).sorted().toList();
                for (int v = 0; v < versions.size(); v++) {
                    assertEquals(v, versions.get(v), "contiguous table versions");
                }
                assertEquals(
                        appended + 1,
                        versions.size(),
                        "the create, then one version per successful append");

                DoctorReport repaired = fresh.doctor().grace(Duration.ZERO).repair();
                // what doctor cannot repair: only ever the server's own leftovers, reported and
                // left alone
                List<Finding> left =
                        repaired.findings().stream().filter(f -> !f.repaired()).toList();
                for (Finding f : left) {
                    System.out.println("left by the killed server: " + f);
                    assertTrue(
                            serverLeavesTempFiles
                                    && f.kind() == Finding.Kind.STRAY_FILE
                                    && SERVER_TEMP.matcher(f.key()).matches(),
                            f.toString());
                }
                DoctorReport after = fresh.doctor().check();
                assertEquals(
                        left.stream().map(Finding::key).toList(),
                        after.findings().stream().map(Finding::key).toList(),
                        "clean but for those");
            }
        }
    }

    /**
     * Writes a one-row Parquet file under the table (through the format module, into the store) and
     * appends it.
     */
    private static void appendOneRow(Lake lake, Table table, String writer, int n) {
        byte[] row =
                ("{\"writer\":\"" + writer + "\",\"n\":" + n + "}\n")
                        .getBytes(StandardCharsets.UTF_8);
        var report =
                Conversion.of(Input.bytes(writer + "-" + n + ".ndjson", row))
                        .format(InputFormat.NDJSON)
                        .threads(1)
                        .output(Output.store(lake.store(), table.keyPrefix()))
                        .commit();
        table.newAppend()
                .addFile(table.dataFile(report.files().get(0).relative(), Map.of()))
                .commit();
    }
}
