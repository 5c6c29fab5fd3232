package dev.tarn.lake.s3;

import dev.tarn.lake.s3.internal.S3ObjectStore;
import dev.tarn.lake.s3.internal.S3Settings;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.ObjectStoreProvider;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opens lakes at {@code s3://bucket/prefix} locations, on Amazon S3 or any S3-compatible object
 * store. Found by {@link java.util.ServiceLoader}: with this module on the class path,
 *
 * <pre>{@code
 * Lake lake = Lake.builder().location("s3://my-bucket/lakes/sales")
 *         .storeOption("endpoint", "http://127.0.0.1:9000")   // only for S3-compatible servers
 *         .open();
 * }</pre>
 *
 * <p>Options (all optional; what is not given comes from the usual AWS sources: system properties,
 * environment variables, the shared config and credentials files):
 *
 * <table>
 *   <caption>store options</caption>
 *   <tr><td>{@value #REGION}</td><td>AWS region; default {@code aws.region}, {@code AWS_REGION}, the profile's
 *       region, else {@code us-east-1} with a custom endpoint</td></tr>
 *   <tr><td>{@value #ENDPOINT}</td><td>endpoint URL of an S3-compatible server; default {@code aws.endpointUrlS3},
 *       {@code AWS_ENDPOINT_URL_S3}, {@code aws.endpointUrl}, {@code AWS_ENDPOINT_URL}, the profile's
 *       {@code endpoint_url}, else AWS</td></tr>
 *   <tr><td>{@value #PATH_STYLE}</td><td>{@code true}/{@code false}: path-style requests; default true with a custom
 *       endpoint, false on AWS</td></tr>
 *   <tr><td>{@value #ACCESS_KEY_ID}, {@value #SECRET_ACCESS_KEY}, {@value #SESSION_TOKEN}</td><td>explicit
 *       credentials (the first two together); default: the SDK's default credentials provider chain</td></tr>
 *   <tr><td>{@value #PROFILE}</td><td>the profile to take credentials and region from; default {@code aws.profile},
 *       {@code AWS_PROFILE}, {@code default}</td></tr>
 *   <tr><td>{@value #SSE}</td><td>server-side encryption of new objects: {@code none} (bucket default),
 *       {@code s3} (SSE-S3, AES256) or {@code kms} (SSE-KMS)</td></tr>
 *   <tr><td>{@value #SSE_KMS_KEY_ID}</td><td>the KMS key for {@code sse=kms} (default: the account's S3 key);
 *       implies {@code sse=kms}</td></tr>
 *   <tr><td>{@value #PART_SIZE}</td><td>multipart part size, e.g. {@code 8MiB} (default) or {@code 16m}; at least
 *       5 MiB. Objects larger than this are uploaded in parts, at most two parts in memory per writer</td></tr>
 *   <tr><td>{@value #MAX_ATTEMPTS}</td><td>attempts per request, with exponential backoff on throttling and
 *       transient errors (default 5)</td></tr>
 *   <tr><td>{@value #CONNECT_TIMEOUT}, {@value #SOCKET_TIMEOUT}</td><td>durations such as {@code 10s} or
 *       {@code 500ms} (defaults 10s and 60s)</td></tr>
 *   <tr><td>{@value #MAX_CONNECTIONS}</td><td>HTTP connection pool size (default 64)</td></tr>
 *   <tr><td>{@value #RESOLVE_TIMEOUT}</td><td>when a write's outcome is unknown (the connection broke after the
 *       request went out), how long to keep trying to read the object back before giving up with an error that says
 *       the outcome is unknown (default 30s): a commit waits out a short outage rather than leave its caller
 *       guessing</td></tr>
 * </table>
 *
 * Unknown options are refused with a message that lists these.
 */
public final class S3StoreProvider implements ObjectStoreProvider {
    public static final String REGION = "region";
    public static final String ENDPOINT = "endpoint";
    public static final String PATH_STYLE = "path-style";
    public static final String ACCESS_KEY_ID = "access-key-id";
    public static final String SECRET_ACCESS_KEY = "secret-access-key";
    public static final String SESSION_TOKEN = "session-token";
    public static final String PROFILE = "profile";
    public static final String SSE = "sse";
    public static final String SSE_KMS_KEY_ID = "sse-kms-key-id";
    public static final String PART_SIZE = "part-size";
    public static final String MAX_ATTEMPTS = "max-attempts";
    public static final String CONNECT_TIMEOUT = "connect-timeout";
    public static final String SOCKET_TIMEOUT = "socket-timeout";
    public static final String MAX_CONNECTIONS = "max-connections";
    public static final String RESOLVE_TIMEOUT = "resolve-timeout";

    /** Every option this provider knows, in documentation order. */
    public static final List<String> OPTIONS =
            List.of(
                    REGION,
                    ENDPOINT,
                    PATH_STYLE,
                    ACCESS_KEY_ID,
                    SECRET_ACCESS_KEY,
                    SESSION_TOKEN,
                    PROFILE,
                    SSE,
                    SSE_KMS_KEY_ID,
                    PART_SIZE,
                    MAX_ATTEMPTS,
                    CONNECT_TIMEOUT,
                    SOCKET_TIMEOUT,
                    MAX_CONNECTIONS,
                    RESOLVE_TIMEOUT);

    /** Used by {@link java.util.ServiceLoader}. */
    public S3StoreProvider() {}

    @Override
    public Set<String> schemes() {
        return Set.of("s3");
    }

    /**
     * Opens the store at {@code s3://bucket/prefix}, after checking that the bucket can be reached
     * with the credentials at hand.
     *
     * @throws dev.tarn.lake.exceptions.TarnException with a one-line message saying what to check,
     *     if an option is wrong, the credentials are refused or the bucket does not exist
     * @throws java.io.UncheckedIOException if the endpoint cannot be reached
     */
    @Override
    public ObjectStore open(URI location, Map<String, String> options) {
        return S3ObjectStore.open(S3Settings.resolve(location, options));
    }

    /** As {@link #open(URI, Map)}, for a location string. */
    public static ObjectStore open(String location, Map<String, String> options) {
        return new S3StoreProvider().open(URI.create(location), options);
    }
}
