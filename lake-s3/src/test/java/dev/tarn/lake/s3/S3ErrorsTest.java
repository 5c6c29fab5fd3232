package dev.tarn.lake.s3;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.TarnException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 4: wrong credentials, a missing bucket and an unreachable endpoint each give one
 * actionable line.
 */
class S3ErrorsTest {

    private static void assertOneLine(Throwable e, String... mustContain) {
        String m = e.getMessage();
        assertNotNull(m);
        System.out.println(e.getClass().getSimpleName() + ": " + m);
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
        for (String s : mustContain) {
            assertTrue(m.contains(s), "'" + s + "' in: " + m);
        }
    }

    private static Map<String, String> options(String key, String value) {
        Map<String, String> m = new HashMap<>(S3TestServer.shared().options());
        m.put(key, value);
        return m;
    }

    private static Lake open(String location, Map<String, String> options) {
        var b = Lake.builder().location(location);
        options.forEach(b::storeOption);
        return b.open();
    }

    @Test
    void wrongAccessKeyNamesTheCredentialsToCheck() {
        String bucket = S3TestServer.shared().newBucket();
        TarnException e =
                assertThrows(
                        TarnException.class,
                        () ->
                                open(
                                        "s3://" + bucket + "/lake",
                                        options(S3StoreProvider.ACCESS_KEY_ID, "nobody")));
        assertOneLine(
                e,
                "s3://" + bucket + "/lake",
                S3TestServer.shared().endpoint().toString(),
                "access-key-id",
                "secret-access-key");
    }

    @Test
    void wrongSecretNamesTheCredentialsToCheck() {
        String bucket = S3TestServer.shared().newBucket();
        TarnException e =
                assertThrows(
                        TarnException.class,
                        () ->
                                open(
                                        "s3://" + bucket + "/lake",
                                        options(S3StoreProvider.SECRET_ACCESS_KEY, "wrong")));
        assertOneLine(e, "s3://" + bucket + "/lake", "secret-access-key");
    }

    @Test
    void aMissingBucketSaysSo() {
        TarnException e =
                assertThrows(
                        TarnException.class,
                        () ->
                                open(
                                        "s3://no-such-bucket-here/lake",
                                        S3TestServer.shared().options()));
        assertOneLine(
                e,
                "bucket 'no-such-bucket-here' does not exist",
                S3TestServer.shared().endpoint().toString(),
                "create it");
    }

    @Test
    void anUnreachableEndpointNamesTheEndpoint() throws Exception {
        String endpoint = "http://127.0.0.1:" + S3TestServer.freePort(); // nothing listens there
        Map<String, String> opts = options(S3StoreProvider.ENDPOINT, endpoint);
        opts.put(S3StoreProvider.MAX_ATTEMPTS, "2");
        long start = System.nanoTime();
        UncheckedIOException e =
                assertThrows(UncheckedIOException.class, () -> open("s3://bucket/lake", opts));
        assertOneLine(
                e,
                "cannot reach the S3 endpoint " + endpoint,
                "s3://bucket/lake",
                "option endpoint",
                "server is running");
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "fails fast");
    }

    @Test
    void badOptionsAreRefusedBeforeAnyRequest() {
        TarnException unknown =
                assertThrows(
                        TarnException.class,
                        () ->
                                open(
                                        "s3://bkt/lake",
                                        Map.of(
                                                "endpoint",
                                                "http://127.0.0.1:1",
                                                "part_size",
                                                "8m")));
        assertOneLine(
                unknown,
                "unknown S3 store option 'part_size'",
                String.join(", ", S3StoreProvider.OPTIONS));
        assertOneLine(
                assertThrows(
                        TarnException.class,
                        () -> open("s3://bkt/lake", Map.of("endpoint", "127.0.0.1:9000"))),
                "not an http(s) URL");
        assertOneLine(
                assertThrows(
                        TarnException.class,
                        () ->
                                open(
                                        "s3://bkt/lake",
                                        Map.of(
                                                "endpoint",
                                                "http://127.0.0.1:1",
                                                "part-size",
                                                "1MiB"))),
                "part-size");
        assertOneLine(
                assertThrows(
                        TarnException.class,
                        () ->
                                open(
                                        "s3://bkt/lake",
                                        Map.of("endpoint", "http://127.0.0.1:1", "sse", "aes"))),
                "expected none, s3 (SSE-S3) or kms (SSE-KMS)");
        assertOneLine(
                assertThrows(
                        TarnException.class,
                        () ->
                                open(
                                        "s3://bkt/lake",
                                        Map.of(
                                                "endpoint",
                                                "http://127.0.0.1:1",
                                                "access-key-id",
                                                "x"))),
                "go together");
        assertOneLine(
                assertThrows(
                        TarnException.class,
                        () -> open("s3:///lake", Map.of("endpoint", "http://127.0.0.1:1"))),
                "needs a bucket");
        assertOneLine(
                assertThrows(
                        TarnException.class,
                        () -> open("s3://bkt/a/../lake", Map.of("endpoint", "http://127.0.0.1:1"))),
                "invalid prefix");
    }
}
