package dev.tarn.lake.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible server for the tests: s3proxy, in this JVM, on 127.0.0.1 and a free port,
 * storing objects in a temp directory (its filesystem backend). One server serves the whole test
 * run; every test takes a bucket or a prefix of its own (other modules' tests use it too, through
 * lake-s3's test jar). Its conditional writes are exclusive (If-None-Match: * gives 412 to all but
 * the first).
 */
public final class S3TestServer {
    public static final String ACCESS_KEY = "tarn-test-access";
    public static final String SECRET_KEY = "tarn-test-secret-key";

    private static S3TestServer shared;
    private static S3TestServer inMemory;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final Path dir;
    private final boolean filesystem;
    private S3Proxy proxy;
    private final URI endpoint;
    private final S3Client admin;

    @SuppressWarnings("deprecation") // the Apache 4 client, as the store uses
    private S3TestServer(boolean filesystem) throws Exception {
        dir = Files.createTempDirectory("tarn-s3proxy");
        this.filesystem = filesystem;
        int port = freePort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        start();
        admin =
                S3Client.builder()
                        .httpClientBuilder(ApacheHttpClient.builder())
                        .endpointOverride(endpoint)
                        .forcePathStyle(true)
                        .region(Region.US_EAST_1)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                        .build();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly));
    }

    /**
     * Starts the server (again, after {@link #stop()}: same port, same stored objects for the
     * filesystem backend).
     */
    synchronized void start() throws Exception {
        BlobStore blobs =
                filesystem
                        ? new FilesystemNio2BlobStore(dir.toString())
                        : new TransientNio2BlobStore();
        S3Proxy p =
                S3Proxy.builder()
                        .blobStore(blobs)
                        .endpoint(endpoint)
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                        .build();
        p.start();
        for (int i = 0; i < 500 && !p.getState().equals("STARTED"); i++) {
            Thread.sleep(10);
        }
        proxy = p;
    }

    /** Stops the server: connections are refused until {@link #start()}. */
    synchronized void stop() throws Exception {
        proxy.stop();
    }

    /** A server of its own (filesystem backend) for a test that stops and restarts it. */
    static S3TestServer dedicated() throws Exception {
        return new S3TestServer(true);
    }

    public static synchronized S3TestServer shared() {
        if (shared == null) {
            try {
                shared = new S3TestServer(true);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the S3 test server", e);
            }
        }
        return shared;
    }

    /**
     * A second server that keeps objects in memory (s3proxy's transient backend): unlike the
     * filesystem backend, it accepts server-side encryption headers.
     */
    static synchronized S3TestServer inMemory() {
        if (inMemory == null) {
            try {
                inMemory = new S3TestServer(false);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the in-memory S3 test server", e);
            }
        }
        return inMemory;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client with full access, for setting up and inspecting buckets behind the store's back. */
    S3Client admin() {
        return admin;
    }

    /** Creates a fresh bucket. */
    public String newBucket() {
        String name = "tarn-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        admin.createBucket(r -> r.bucket(name));
        return name;
    }

    /**
     * Deletes a bucket from {@link #newBucket()} with everything in it, unfinished uploads
     * included.
     */
    public void deleteBucket(String name) {
        for (var u : admin.listMultipartUploadsPaginator(r -> r.bucket(name)).uploads()) {
            admin.abortMultipartUpload(r -> r.bucket(name).key(u.key()).uploadId(u.uploadId()));
        }
        for (S3Object o : admin.listObjectsV2Paginator(r -> r.bucket(name)).contents()) {
            admin.deleteObject(r -> r.bucket(name).key(o.key()));
        }
        admin.deleteBucket(r -> r.bucket(name));
    }

    /** Store options that reach this server with valid credentials. */
    public Map<String, String> options() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(S3StoreProvider.ENDPOINT, endpoint.toString());
        m.put(S3StoreProvider.ACCESS_KEY_ID, ACCESS_KEY);
        m.put(S3StoreProvider.SECRET_ACCESS_KEY, SECRET_KEY);
        return m;
    }

    /** Stops the server for good and deletes its files. */
    void shutdown() {
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            admin.close();
            proxy.stop();
        } catch (Exception ignored) {
            // the JVM is going away
        }
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // temp files are the OS's to clean up then
        }
    }
}
