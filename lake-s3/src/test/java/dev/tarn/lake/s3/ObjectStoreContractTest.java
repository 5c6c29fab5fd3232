package dev.tarn.lake.s3;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.exceptions.ObjectExistsException;
import dev.tarn.lake.exceptions.ObjectNotFoundException;
import dev.tarn.lake.s3.internal.S3ObjectStore;
import dev.tarn.lake.spi.LocalStore;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.ObjectWriter;
import dev.tarn.lake.storage.PendingWrite;
import dev.tarn.lake.storage.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The storage SPI's contract, run against both implementations: the local store on a temp dir and
 * the S3 store on a real S3-compatible server (s3proxy on 127.0.0.1).
 */
class ObjectStoreContractTest {
    static final int PART = 5 * 1024 * 1024;

    @TempDir Path dir;

    private final List<ObjectStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(ObjectStore::close);
    }

    /** A fresh, empty store of the given kind. */
    private ObjectStore store(String kind) {
        ObjectStore s;
        if (kind.equals("local")) {
            s = LocalStore.open(dir);
        } else {
            S3TestServer server = S3TestServer.shared();
            Map<String, String> opts = new HashMap<>(server.options());
            opts.put(S3StoreProvider.PART_SIZE, "5MiB");
            s =
                    S3StoreProvider.open(
                            "s3://" + sharedBucket() + "/t-" + UUID.randomUUID() + "/lake", opts);
            assertInstanceOf(S3ObjectStore.class, s);
        }
        opened.add(s);
        return s;
    }

    private static String bucket;

    private static synchronized String sharedBucket() {
        if (bucket == null) {
            bucket = S3TestServer.shared().newBucket();
        }
        return bucket;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void putThenGetReturnsTheBytes(String kind) {
        var store = store(kind);
        ObjectStat put = store.put("a/b/c.txt", utf8("hello"), WriteMode.CREATE);
        assertEquals("a/b/c.txt", put.key());
        assertEquals(5, put.size());
        assertArrayEquals(utf8("hello"), store.getBytes("a/b/c.txt"));
        ObjectStat stat = store.stat("a/b/c.txt").orElseThrow();
        assertEquals(5, stat.size());
        assertFalse(stat.etag().isEmpty());
        assertTrue(Duration.between(stat.lastModified(), Instant.now()).abs().toMinutes() < 5);
        assertEquals(0, store.put("empty", new byte[0], WriteMode.CREATE).size());
        assertArrayEquals(new byte[0], store.getBytes("empty"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void rangedGetReturnsTheSlice(String kind) throws IOException {
        var store = store(kind);
        store.put("x", utf8("0123456789"), WriteMode.CREATE);
        assertEquals("3456", read(store.get("x", 3, 4)));
        assertEquals("89", read(store.get("x", 8, 100)));
        assertEquals("0123456789", read(store.get("x", 0, Long.MAX_VALUE)));
        assertEquals("", read(store.get("x", 10, 5)));
        assertEquals("", read(store.get("x", 2, 0)));
        assertThrows(ObjectNotFoundException.class, () -> store.get("nope", 0, 10));
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void missingKeyIsNotFound(String kind) {
        var store = store(kind);
        assertThrows(ObjectNotFoundException.class, () -> store.get("nope"));
        assertTrue(store.stat("nope").isEmpty());
        assertFalse(store.delete("nope"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void deleteRemoves(String kind) {
        var store = store(kind);
        store.put("d/x", utf8("x"), WriteMode.CREATE);
        assertTrue(store.delete("d/x"));
        assertTrue(store.stat("d/x").isEmpty());
        assertTrue(store.list("").isEmpty());
        store.put("d/x", utf8("again"), WriteMode.CREATE); // a deleted key can be created again
        assertArrayEquals(utf8("again"), store.getBytes("d/x"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void createRefusesAnExistingKeyAndKeepsTheFirstBytes(String kind) {
        var store = store(kind);
        store.put("k", utf8("first"), WriteMode.CREATE);
        ObjectExistsException e =
                assertThrows(
                        ObjectExistsException.class,
                        () -> store.put("k", utf8("second"), WriteMode.CREATE));
        assertEquals("k", e.key());
        assertArrayEquals(utf8("first"), store.getBytes("k"));
        assertTrue(store.pendingWrites().isEmpty(), "the loser's staged bytes are discarded");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void overwriteReplaces(String kind) {
        var store = store(kind);
        store.put("k", utf8("first"), WriteMode.CREATE);
        store.put("k", utf8("second"), WriteMode.OVERWRITE);
        assertArrayEquals(utf8("second"), store.getBytes("k"));
        store.put("new", utf8("n"), WriteMode.OVERWRITE);
        assertArrayEquals(utf8("n"), store.getBytes("new"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void nothingIsVisibleBeforeCommitAndAClosedWriterLeavesNothing(String kind) throws IOException {
        var store = store(kind);
        try (ObjectWriter w = store.newWriter("d/e", WriteMode.CREATE)) {
            assertEquals("d/e", w.key());
            w.write(utf8("partial"));
            assertTrue(store.stat("d/e").isEmpty());
            assertTrue(store.list("").isEmpty());
        }
        assertTrue(store.stat("d/e").isEmpty());
        assertTrue(store.list("").isEmpty());
        assertTrue(store.pendingWrites().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void aCommittedWriterCannotCommitAgain(String kind) throws IOException {
        var store = store(kind);
        try (ObjectWriter w = store.newWriter("once", WriteMode.CREATE)) {
            w.write(utf8("1"));
            w.commit();
            assertThrows(IllegalStateException.class, w::commit);
        }
        assertArrayEquals(
                utf8("1"), store.getBytes("once"), "closing after commit keeps the object");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void listIsSortedByKeyAndHonoursPrefixStartAfterAndLimit(String kind) {
        var store = store(kind);
        for (String k : List.of("a/b", "a-b", "a0", "a/a/z", "b", "a/c", "ab/x")) {
            store.put(k, utf8(k), WriteMode.CREATE);
        }
        List<String> all = keys(store.list(""));
        // byte order: '-' (0x2d) < '/' (0x2f) < '0' (0x30) < 'b'
        assertEquals(List.of("a-b", "a/a/z", "a/b", "a/c", "a0", "ab/x", "b"), all);
        assertEquals(List.of("a/a/z", "a/b", "a/c"), keys(store.list("a/")));
        assertEquals(List.of("a-b", "a/a/z", "a/b", "a/c", "a0", "ab/x"), keys(store.list("a")));
        assertEquals(List.of("a/c", "a0", "ab/x", "b"), keys(store.list("", "a/b")));
        assertEquals(List.of("a-b", "a/a/z"), keys(store.list("", null, 2)));
        assertEquals(List.of("ab/x"), keys(store.list("ab")));
        assertEquals(List.of("a/c"), keys(store.list("a/", "a/b", 1)));
        assertEquals(List.of(), keys(store.list("zz")));
        ObjectStat s = store.list("a0").get(0);
        assertEquals(2, s.size());
        assertEquals(store.stat("a0").orElseThrow().etag(), s.etag());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void listPaginatesPastAThousandKeys(String kind) throws Exception {
        var store = store(kind);
        int n = 1100;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String k = String.format("p/%05d", i);
                fs.add(pool.submit(() -> store.put(k, utf8(k), WriteMode.CREATE)));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> keys = keys(store.list("p/"));
        assertEquals(n, keys.size());
        for (int i = 0; i < n; i++) {
            assertEquals(String.format("p/%05d", i), keys.get(i));
        }
        assertEquals(List.of("p/01000", "p/01001"), keys(store.list("p/", "p/00999", 2)));
        assertEquals(1050, store.list("p/", null, 1050).size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void badKeysAreRefused(String kind) {
        var store = store(kind);
        for (String bad :
                List.of(
                        "",
                        "/abs",
                        "a//b",
                        "../x",
                        "a/../b",
                        ".hidden",
                        "a/.tmp/x",
                        "a\\b",
                        "a\nb")) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> store.put(bad, utf8("x"), WriteMode.CREATE),
                    bad);
            assertThrows(IllegalArgumentException.class, () -> store.get(bad), bad);
        }
        assertTrue(store.list("").isEmpty(), "a refused key writes nothing");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void putIfAbsentHasExactlyOneWinnerAmongRacingThreads(String kind) throws Exception {
        var store = store(kind);
        int threads = 16;
        int rounds = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                String key = "race/" + round;
                CountDownLatch start = new CountDownLatch(1);
                AtomicInteger wins = new AtomicInteger();
                List<String> winners = new java.util.concurrent.CopyOnWriteArrayList<>();
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String mine = "writer-" + t;
                    fs.add(
                            pool.submit(
                                    () -> {
                                        start.await();
                                        try {
                                            store.put(key, utf8(mine), WriteMode.CREATE);
                                            wins.incrementAndGet();
                                            winners.add(mine);
                                        } catch (ObjectExistsException lost) {
                                            // expected for all but one
                                        }
                                        return null;
                                    }));
                }
                start.countDown();
                for (Future<?> f : fs) {
                    f.get();
                }
                assertEquals(1, wins.get(), "round " + round);
                assertEquals(
                        winners.get(0),
                        new String(store.getBytes(key), StandardCharsets.UTF_8),
                        "the winner's bytes are stored");
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(store.pendingWrites().isEmpty());
        assertEquals(rounds, store.list("race/").size());
    }

    /** Writes {@code size} pseudo-random bytes in uneven chunks; returns their SHA-256. */
    private static byte[] writeRandom(ObjectWriter w, long size, long seed) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        Random rnd = new Random(seed);
        byte[] chunk = new byte[300_001];
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(left, 1 + rnd.nextInt(chunk.length));
            rnd.nextBytes(chunk);
            w.write(chunk, 0, n);
            md.update(chunk, 0, n);
            left -= n;
        }
        return md.digest();
    }

    private static byte[] sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] b = new byte[65536];
            for (int n; (n = in.read(b)) > 0; ) {
                md.update(b, 0, n);
            }
        }
        return md.digest();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void aLargeObjectGoesUpInPartsAndReadsBackWhole(String kind) throws Exception {
        var store = store(kind);
        long size = 2L * PART + 123_457; // three parts of a 5 MiB part size
        byte[] expected;
        ObjectStat stat;
        try (ObjectWriter w = store.newWriter("big/blob.bin", WriteMode.CREATE)) {
            expected = writeRandom(w, size, 1);
            assertTrue(store.stat("big/blob.bin").isEmpty(), "invisible until commit");
            stat = w.commit();
        }
        assertEquals(size, stat.size());
        assertEquals(size, store.stat("big/blob.bin").orElseThrow().size());
        assertArrayEquals(expected, sha256(store.get("big/blob.bin")));
        // a range across the first part boundary
        byte[] all = store.getBytes("big/blob.bin");
        try (InputStream in = store.get("big/blob.bin", PART - 10, 20)) {
            assertArrayEquals(
                    java.util.Arrays.copyOfRange(all, PART - 10, PART + 10), in.readAllBytes());
        }
        assertTrue(store.pendingWrites().isEmpty());

        // put-if-absent holds for multipart too: the loser's upload is discarded and the first
        // object stays
        try (ObjectWriter w = store.newWriter("big/blob.bin", WriteMode.CREATE)) {
            writeRandom(w, PART + 1, 2);
            assertThrows(ObjectExistsException.class, w::commit);
        }
        assertArrayEquals(expected, sha256(store.get("big/blob.bin")));
        assertTrue(store.pendingWrites().isEmpty(), "the losing upload was aborted");

        // an overwrite with multipart replaces it
        byte[] second;
        try (ObjectWriter w = store.newWriter("big/blob.bin", WriteMode.OVERWRITE)) {
            second = writeRandom(w, PART + 7, 3);
            w.commit();
        }
        assertArrayEquals(second, sha256(store.get("big/blob.bin")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void anObjectOfExactlyOnePartIsASinglePut(String kind) throws Exception {
        var store = store(kind);
        byte[] expected;
        try (ObjectWriter w = store.newWriter("one", WriteMode.CREATE)) {
            expected = writeRandom(w, PART, 4);
            assertEquals(
                    kind.equals("s3") ? 0 : 1,
                    store.pendingWrites().size(),
                    "S3 buffers up to one part before it starts an upload");
            w.commit();
        }
        assertArrayEquals(expected, sha256(store.get("one")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void anUnfinishedLargeWriteIsPendingAndCanBeAbandoned(String kind) throws Exception {
        var store = store(kind);
        Instant before = Instant.now().minusSeconds(5);
        try (ObjectWriter w = store.newWriter("big/unfinished.bin", WriteMode.CREATE)) {
            writeRandom(w, 2L * PART + 10, 5);
            List<PendingWrite> pending = store.pendingWrites();
            assertEquals(1, pending.size(), pending.toString());
            PendingWrite p = pending.get(0);
            assertTrue(p.ownerAlive(), "a live writer is never reported as gone");
            assertFalse(p.startedAt().isBefore(before), p.toString());
            assertTrue(p.size() > 0, p.toString());
            if (kind.equals("s3")) {
                assertEquals("big/unfinished.bin", p.key());
            }
            assertTrue(store.stat("big/unfinished.bin").isEmpty());

            store.abandon(p);
            assertTrue(store.pendingWrites().isEmpty());
            RuntimeException e =
                    assertThrows(
                            RuntimeException.class,
                            w::commit,
                            "an abandoned write cannot be committed");
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        assertTrue(
                store.stat("big/unfinished.bin").isEmpty(), "nothing half-written is ever visible");
        assertTrue(store.list("").isEmpty());
        assertTrue(store.pendingWrites().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "s3"})
    void aLargeWriterClosedWithoutCommitLeavesNothing(String kind) throws Exception {
        var store = store(kind);
        try (ObjectWriter w = store.newWriter("big/dropped.bin", WriteMode.CREATE)) {
            writeRandom(w, 2L * PART + 10, 6);
        }
        assertTrue(store.stat("big/dropped.bin").isEmpty());
        assertTrue(store.pendingWrites().isEmpty(), "the multipart upload was aborted");
    }

    private static List<String> keys(List<ObjectStat> stats) {
        return stats.stream().map(ObjectStat::key).toList();
    }
}
