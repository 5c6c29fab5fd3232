package dev.tarn.lake.s3;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.exceptions.ObjectExistsException;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.ObjectWriter;
import dev.tarn.lake.storage.WriteMode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes whose answer is lost after the server carried them out (a timeout after sending). The SDK
 * retries; the retry of a put-if-absent meets the writer's own object (412, or NoSuchUpload for a
 * completed multipart upload), and the store resolves it by reading the object back and finding its
 * own write id: the write succeeded, once.
 */
class S3AmbiguousOutcomeTest {
    private FaultyProxy proxy;
    private ObjectStore store;
    private ObjectStore direct;
    private String bucket;

    @BeforeEach
    void setUp() throws Exception {
        S3TestServer server = S3TestServer.shared();
        bucket = server.newBucket();
        proxy = new FaultyProxy(server.endpoint());
        Map<String, String> opts = new HashMap<>(server.options());
        opts.put(S3StoreProvider.ENDPOINT, proxy.endpoint().toString());
        opts.put(S3StoreProvider.PART_SIZE, "5MiB");
        opts.put(S3StoreProvider.MAX_ATTEMPTS, "3");
        opts.put(
                S3StoreProvider.RESOLVE_TIMEOUT,
                "2s"); // a test that keeps the server away waits no longer
        store = S3StoreProvider.open("s3://" + bucket + "/lake", opts);
        direct = S3StoreProvider.open("s3://" + bucket + "/lake", server.options());
    }

    @AfterEach
    void tearDown() {
        store.close();
        direct.close();
        proxy.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLostAnswerToAPutIfAbsentIsResolvedAsSuccess() {
        proxy.loseAnswerTo(
                "PUT /" + bucket + "/lake/_tarn/catalog/log/00000000000000000007.json HTTP/1.1");
        ObjectStat stat =
                store.put(
                        "_tarn/catalog/log/00000000000000000007.json",
                        utf8("entry 7"),
                        WriteMode.CREATE);
        assertEquals(
                1, proxy.answersLost(), "the server carried out the PUT and its answer was lost");
        assertEquals(7, stat.size());
        assertArrayEquals(
                utf8("entry 7"), direct.getBytes("_tarn/catalog/log/00000000000000000007.json"));
        // and a second writer still loses, as it must
        assertThrows(
                ObjectExistsException.class,
                () ->
                        store.put(
                                "_tarn/catalog/log/00000000000000000007.json",
                                utf8("other"),
                                WriteMode.CREATE));
    }

    @Test
    void aLostAnswerToAnOverwriteIsResolvedAsSuccess() {
        store.put("k", utf8("first"), WriteMode.CREATE);
        proxy.loseAnswerTo("PUT /" + bucket + "/lake/k HTTP/1.1");
        store.put("k", utf8("second"), WriteMode.OVERWRITE);
        assertEquals(1, proxy.answersLost());
        assertArrayEquals(utf8("second"), direct.getBytes("k"));
    }

    @Test
    void aLostAnswerToCompleteMultipartUploadIsResolvedAsSuccess() throws Exception {
        byte[] bytes = new byte[5 * 1024 * 1024 + 4321];
        new Random(3).nextBytes(bytes);
        proxy.loseAnswerTo("POST /" + bucket + "/lake/big.bin?uploadId=");
        try (ObjectWriter w = store.newWriter("big.bin", WriteMode.CREATE)) {
            w.write(bytes);
            ObjectStat stat = w.commit();
            assertEquals(bytes.length, stat.size());
        }
        assertEquals(
                1, proxy.answersLost(), "the server completed the upload and its answer was lost");
        assertTrue(Arrays.equals(bytes, direct.getBytes("big.bin")));
        assertTrue(store.pendingWrites().isEmpty());
    }

    @Test
    void aWriteWhileTheServerIsUnreachableFailsInOneLineAndLeavesNothing() throws Exception {
        proxy.down(true);
        UncheckedIOException e =
                assertThrows(
                        UncheckedIOException.class,
                        () ->
                                store.put(
                                        "_tarn/catalog/log/00000000000000000001.json",
                                        utf8("x"),
                                        WriteMode.CREATE));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("S3 endpoint " + proxy.endpoint()), e.getMessage());
        System.out.println(e.getMessage());
        proxy.down(false);
        assertTrue(direct.stat("_tarn/catalog/log/00000000000000000001.json").isEmpty());
        // once the server answers again, the same write goes through
        store.put("_tarn/catalog/log/00000000000000000001.json", utf8("x"), WriteMode.CREATE);
        assertArrayEquals(
                utf8("x"), direct.getBytes("_tarn/catalog/log/00000000000000000001.json"));
    }

    @Test
    void throttlingIsRetriedWithBackoffAndThenReportedInOneLine() {
        store.put("t", utf8("throttled"), WriteMode.CREATE);
        proxy.throttleReads(2); // max-attempts is 3 here
        assertArrayEquals(utf8("throttled"), store.getBytes("t"));
        assertEquals(2, proxy.throttled());
        proxy.throttleReads(100);
        RuntimeException e = assertThrows(RuntimeException.class, () -> store.getBytes("t"));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("SlowDown"), e.getMessage());
        assertTrue(e.getMessage().contains("max-attempts"), e.getMessage());
        assertEquals(5, proxy.throttled(), "three attempts for the second read");
        proxy.throttleReads(0);
    }
}
