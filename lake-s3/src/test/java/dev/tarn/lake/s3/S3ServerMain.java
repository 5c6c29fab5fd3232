package dev.tarn.lake.s3;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * s3proxy as a process of its own, for tests that kill the server rather than stop it: serves the
 * objects under a directory on 127.0.0.1 and a given port, with the test credentials, until killed.
 * Args: directory port.
 */
public final class S3ServerMain {
    private S3ServerMain() {}

    public static void main(String[] args) throws Exception {
        S3Proxy proxy =
                S3Proxy.builder()
                        .blobStore(new FilesystemNio2BlobStore(args[0]))
                        .endpoint(URI.create("http://127.0.0.1:" + args[1]))
                        .awsAuthentication(
                                AuthenticationType.AWS_V2_OR_V4,
                                S3TestServer.ACCESS_KEY,
                                S3TestServer.SECRET_KEY)
                        .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }

    /** Starts the server process and waits until it answers. */
    static Process start(Path directory, int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p =
                new ProcessBuilder(
                                java,
                                "-Xmx256m",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                System.getProperty("java.class.path"),
                                S3ServerMain.class.getName(),
                                directory.toString(),
                                String.valueOf(port))
                        .redirectErrorStream(true)
                        .start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        // reads its output to the end, so that it never blocks on a full pipe
        Thread reader =
                new Thread(
                        () -> {
                            try {
                                for (String line = out.readLine();
                                        line != null;
                                        line = out.readLine()) {
                                    if (line.equals("ready")) {
                                        ready.complete(true);
                                    }
                                }
                            } catch (IOException ignored) {
                                // the process is gone
                            }
                            ready.complete(false);
                        },
                        "s3-server-output");
        reader.setDaemon(true);
        reader.start();
        boolean up;
        try {
            up = ready.get(2, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            up = false;
        }
        if (!up) {
            p.destroyForcibly();
            throw new IllegalStateException("the S3 server process did not become ready");
        }
        return p;
    }

    @SuppressWarnings("deprecation") // the Apache 4 client, as the store uses
    static void createBucket(String endpoint, String bucket) {
        try (S3Client admin =
                S3Client.builder()
                        .httpClientBuilder(ApacheHttpClient.builder())
                        .endpointOverride(URI.create(endpoint))
                        .forcePathStyle(true)
                        .region(Region.US_EAST_1)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(
                                                S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY)))
                        .build()) {
            admin.createBucket(r -> r.bucket(bucket));
        }
    }
}
