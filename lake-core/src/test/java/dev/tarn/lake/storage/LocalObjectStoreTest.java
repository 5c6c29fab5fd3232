package dev.tarn.lake.storage;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.exceptions.ObjectExistsException;
import dev.tarn.lake.exceptions.ObjectNotFoundException;
import dev.tarn.lake.internal.storage.LocalObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest {
    @TempDir Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putThenGetReturnsTheBytes() {
        var store = new LocalObjectStore(dir);
        store.put("a/b/c.txt", utf8("hello"), WriteMode.CREATE);
        assertArrayEquals(utf8("hello"), store.getBytes("a/b/c.txt"));
        assertEquals(5, store.stat("a/b/c.txt").orElseThrow().size());
    }

    @Test
    void rangedGetReturnsTheSlice() throws IOException {
        var store = new LocalObjectStore(dir);
        store.put("x", utf8("0123456789"), WriteMode.CREATE);
        try (InputStream in = store.get("x", 3, 4)) {
            assertEquals("3456", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try (InputStream in = store.get("x", 8, 100)) {
            assertEquals("89", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFinishedWriterHoldsNoDescriptorAndStillCommitsOrDiscards() throws IOException {
        var store = new LocalObjectStore(dir);
        long before = openDescriptors();
        List<ObjectWriter> writers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ObjectWriter w = store.newWriter("p=" + i + "/f.bin", WriteMode.CREATE);
            w.write(utf8("row " + i));
            w.finishWriting();
            writers.add(w);
        }
        assertTrue(openDescriptors() < before + 10, "finished writers keep no file open");
        assertTrue(store.stat("p=0/f.bin").isEmpty(), "nothing visible before the commit");
        for (int i = 0; i < 50; i++) {
            if (i % 2 == 0) {
                writers.get(i).commit();
            } else {
                writers.get(i).close();
            }
        }
        assertArrayEquals(utf8("row 48"), store.getBytes("p=48/f.bin"));
        assertTrue(store.stat("p=49/f.bin").isEmpty());
    }

    private static long openDescriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void missingKeyIsNotFound() {
        var store = new LocalObjectStore(dir);
        assertThrows(ObjectNotFoundException.class, () -> store.get("nope"));
        assertTrue(store.stat("nope").isEmpty());
        assertFalse(store.delete("nope"));
    }

    @Test
    void createRefusesAnExistingKeyAndKeepsTheFirstBytes() {
        var store = new LocalObjectStore(dir);
        store.put("k", utf8("first"), WriteMode.CREATE);
        assertThrows(
                ObjectExistsException.class,
                () -> store.put("k", utf8("second"), WriteMode.CREATE));
        assertArrayEquals(utf8("first"), store.getBytes("k"));
        assertTrue(store.pendingWrites().isEmpty(), "the loser's staged bytes are discarded");
    }

    @Test
    void overwriteReplaces() {
        var store = new LocalObjectStore(dir);
        store.put("k", utf8("first"), WriteMode.CREATE);
        store.put("k", utf8("second"), WriteMode.OVERWRITE);
        assertArrayEquals(utf8("second"), store.getBytes("k"));
    }

    @Test
    void nothingIsVisibleBeforeCommitAndAClosedWriterLeavesNothing() throws IOException {
        var store = new LocalObjectStore(dir);
        try (ObjectWriter w = store.newWriter("d/e", WriteMode.CREATE)) {
            w.write(utf8("partial"));
            assertTrue(store.stat("d/e").isEmpty());
            assertTrue(store.list("").isEmpty());
            assertEquals(1, store.pendingWrites().size());
        }
        assertTrue(store.stat("d/e").isEmpty());
        assertTrue(store.pendingWrites().isEmpty());
    }

    @Test
    void listIsSortedByKeyAndHonoursPrefixStartAfterAndLimit() {
        var store = new LocalObjectStore(dir);
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
    }

    @Test
    void listSkipsTheStoresOwnTempArea() throws IOException {
        var store = new LocalObjectStore(dir);
        try (ObjectWriter w = store.newWriter("k", WriteMode.CREATE)) {
            w.write(1);
            assertTrue(store.list("").isEmpty());
        }
    }

    @Test
    void badKeysAreRefused() {
        var store = new LocalObjectStore(dir);
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
        }
        assertEquals(0, countFiles(), "a refused key writes nothing");
    }

    private long countFiles() {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void putIfAbsentHasExactlyOneWinnerAmongRacingThreads() throws Exception {
        var store = new LocalObjectStore(dir);
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 50; round++) {
                String key = "race/" + round;
                CountDownLatch start = new CountDownLatch(1);
                AtomicInteger wins = new AtomicInteger();
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    byte[] mine = utf8("writer-" + t);
                    fs.add(
                            pool.submit(
                                    () -> {
                                        start.await();
                                        try {
                                            store.put(key, mine, WriteMode.CREATE);
                                            wins.incrementAndGet();
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
                assertTrue(
                        new String(store.getBytes(key), StandardCharsets.UTF_8)
                                .startsWith("writer-"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(store.pendingWrites().isEmpty());
    }

    @Test
    void aTempFileOfADeadProcessIsReportedAsAbandoned() throws IOException {
        var store = new LocalObjectStore(dir);
        Files.createDirectories(dir.resolve(".tmp"));
        String host = java.net.InetAddress.getLocalHost().getHostName();
        // pid 2^22+1 is above Linux's default pid_max, so no process has it
        Files.writeString(dir.resolve(".tmp").resolve(host + "~4194305~dead.tmp"), "junk");
        List<PendingWrite> pending = store.pendingWrites();
        assertEquals(1, pending.size());
        assertFalse(pending.get(0).ownerAlive());
        store.abandon(pending.get(0));
        assertTrue(store.pendingWrites().isEmpty());
    }

    private static List<String> keys(List<ObjectStat> stats) {
        return stats.stream().map(ObjectStat::key).toList();
    }
}
