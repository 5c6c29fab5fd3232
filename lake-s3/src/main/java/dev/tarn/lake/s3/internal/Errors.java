package dev.tarn.lake.s3.internal;

import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK exceptions into Tarn's: one line each, naming the location and endpoint and saying what
 * to check. Configuration problems (credentials, bucket, region) become {@link TarnException}; I/O
 * problems (an unreachable endpoint, a server error that outlasted the retries) {@link
 * UncheckedIOException}.
 */
final class Errors {
    private static final Set<String> CREDENTIAL_CODES =
            Set.of(
                    "InvalidAccessKeyId",
                    "SignatureDoesNotMatch",
                    "ExpiredToken",
                    "InvalidToken",
                    "TokenRefreshRequired",
                    "InvalidClientTokenId");

    private final S3Settings settings;

    Errors(S3Settings settings) {
        this.settings = settings;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("[\\r\\n\\t]+", " ").trim();
        return t.length() > 300 ? t.substring(0, 297) + "..." : t;
    }

    static String code(S3Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? ""
                : e.awsErrorDetails().errorCode();
    }

    private static String detail(S3Exception e) {
        String msg = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        String c = code(e);
        return "HTTP "
                + e.statusCode()
                + (c.isEmpty() ? "" : " " + c)
                + (msg == null || msg.isBlank() ? "" : ": " + oneLine(msg));
    }

    /** Whether a failure may be transient: the request may or may not have taken effect. */
    static boolean ambiguous(SdkException e) {
        if (e instanceof S3Exception s) {
            return (s.statusCode() >= 500 && s.statusCode() != 501)
                    || s.statusCode() == 429
                    || code(s).equals("RequestTimeout")
                    || code(s).equals("SlowDown");
        }
        return e instanceof SdkClientException && !missingCredentials(e);
    }

    /**
     * Whether no attempt of a failed request reached the server (every attempt failed to connect),
     * so that it cannot have taken effect and there is nothing to read back.
     */
    static boolean neverSent(SdkException e) {
        if (!(e instanceof SdkClientException) || !connectFailure(e.getCause())) {
            return false;
        }
        for (Throwable attempt : e.getSuppressed()) {
            // the SDK keeps earlier attempts as suppressed exceptions with the message of their
            // cause only
            if (!connectFailure(attempt.getCause())
                    && !CONNECT_FAILED.matcher(String.valueOf(attempt.getMessage())).find()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The Apache client's message for a connection that could not be opened (refused or timed out).
     */
    private static final java.util.regex.Pattern CONNECT_FAILED =
            java.util.regex.Pattern.compile(
                    "Unable to execute HTTP request: Connect to \\S+ .*failed: ");

    private static boolean connectFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException
                    || c instanceof java.net.UnknownHostException
                    || c.getClass()
                            .getName()
                            .equals("org.apache.http.conn.ConnectTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a translated failure was caused by a request that may succeed if tried again later.
     */
    static boolean transientCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SdkException sdk) {
                return ambiguous(sdk);
            }
        }
        return false;
    }

    private static boolean missingCredentials(Throwable e) {
        String m = e.getMessage();
        return m != null
                && (m.contains("Unable to load credentials")
                        || m.contains("Unable to load region"));
    }

    private String where() {
        return settings.location() + " at " + settings.endpointDescription();
    }

    private String credentialHint() {
        if (settings.accessKeyId() != null) {
            return "check the store options access-key-id and secret-access-key";
        }
        if (settings.profile() != null) {
            return "check the credentials of profile '"
                    + settings.profile()
                    + "' in ~/.aws/credentials";
        }
        return "check the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, aws.accessKeyId,"
                + " the profile in ~/.aws/credentials, or the store options access-key-id and secret-access-key)";
    }

    private String endpointHint() {
        if (settings.endpoint() == null) {
            return "check the network and the region (store option region or AWS_REGION)";
        }
        return "check the endpoint ("
                + settings.endpointSource()
                + ") and that the server is running";
    }

    /**
     * Translates a failed request.
     *
     * @param what what was being done, e.g. "read raw/x/a.json", "open the lake"
     */
    RuntimeException translate(SdkException e, String what) {
        if (e instanceof S3Exception s) {
            String c = code(s);
            int status = s.statusCode();
            if (CREDENTIAL_CODES.contains(c)) {
                return new TarnException(
                        ErrorCode.STORE_ACCESS_DENIED,
                        "S3 refused the credentials for "
                                + where()
                                + " ("
                                + c
                                + "): "
                                + credentialHint(),
                        e);
            }
            if (c.equals("NoSuchBucket") || (status == 404 && what.equals(CHECK_BUCKET))) {
                return new TarnException(
                        ErrorCode.STORE_UNAVAILABLE,
                        "bucket '"
                                + settings.bucket()
                                + "' does not exist at "
                                + settings.endpointDescription()
                                + ": create it, or fix the location "
                                + settings.location()
                                + (settings.endpoint() == null
                                        ? " and the region"
                                        : " and the endpoint"),
                        e);
            }
            if (status == 301
                    || c.equals("PermanentRedirect")
                    || c.equals("AuthorizationHeaderMalformed")
                    || c.equals("IllegalLocationConstraintException")) {
                String actual =
                        s.awsErrorDetails() == null || s.awsErrorDetails().sdkHttpResponse() == null
                                ? null
                                : s.awsErrorDetails()
                                        .sdkHttpResponse()
                                        .firstMatchingHeader("x-amz-bucket-region")
                                        .orElse(null);
                return new TarnException(
                        ErrorCode.STORE_UNAVAILABLE,
                        "bucket '"
                                + settings.bucket()
                                + "' is not in region "
                                + settings.region().id()
                                + (actual != null ? " but in " + actual : "")
                                + ": set the store option region (or AWS_REGION)"
                                + (actual != null ? " to " + actual : ""),
                        e);
            }
            if (status == 501 && settings.sse() != S3Settings.Sse.NONE) {
                return new TarnException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "the S3 server at "
                                + settings.endpointDescription()
                                + " refused to "
                                + what
                                + " ("
                                + detail(s)
                                + "): it does not support the server-side encryption asked for"
                                + " by the store option sse; drop the option or use the bucket's default encryption",
                        e);
            }
            if (status == 403) {
                return new TarnException(
                        ErrorCode.STORE_ACCESS_DENIED,
                        "S3 denied access to "
                                + where()
                                + " while trying to "
                                + what
                                + " ("
                                + detail(s)
                                + "): "
                                + credentialHint()
                                + ", and that they may read, write and list the"
                                + " bucket",
                        e);
            }
            if (status == 503 || status == 429 || c.equals("SlowDown") || c.equals("Throttling")) {
                return io(
                        "S3 is throttling requests: cannot "
                                + what
                                + " in "
                                + where()
                                + " ("
                                + detail(s)
                                + ") after "
                                + settings.maxAttempts()
                                + " attempts with backoff; try again later, spread the"
                                + " load, or raise the store option max-attempts",
                        e);
            }
            return io(
                    "S3 request failed: cannot " + what + " in " + where() + " (" + detail(s) + ")",
                    e);
        }
        if (missingCredentials(e)) {
            return new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "no AWS credentials found for "
                            + settings.location()
                            + ": give the store"
                            + " options access-key-id and secret-access-key, set AWS_ACCESS_KEY_ID and"
                            + " AWS_SECRET_ACCESS_KEY, or configure a profile (AWS_PROFILE, ~/.aws/credentials)",
                    e);
        }
        Throwable cause = rootNetworkCause(e);
        if (cause == null && e instanceof SdkClientException) {
            Throwable io = firstIoCause(e);
            if (io != null) {
                return io(
                        "lost the connection to the S3 endpoint "
                                + settings.endpointDescription()
                                + " for "
                                + settings.location()
                                + " ("
                                + oneLine(
                                        io.getMessage() == null
                                                ? io.getClass().getSimpleName()
                                                : io.getMessage())
                                + ") while trying to "
                                + what
                                + ": "
                                + endpointHint(),
                        e);
            }
        }
        if (cause != null) {
            String reason =
                    cause instanceof UnknownHostException
                            ? "unknown host " + oneLine(cause.getMessage())
                            : cause instanceof SocketTimeoutException
                                            || cause instanceof InterruptedIOException
                                    ? "timed out"
                                    : oneLine(cause.getMessage());
            return io(
                    "cannot reach the S3 endpoint "
                            + settings.endpointDescription()
                            + " for "
                            + settings.location()
                            + " ("
                            + reason
                            + ") while trying to "
                            + what
                            + ": "
                            + endpointHint(),
                    e);
        }
        return io(
                "S3 request failed: cannot "
                        + what
                        + " in "
                        + where()
                        + " ("
                        + oneLine(e.getMessage())
                        + ")",
                e);
    }

    /**
     * An UncheckedIOException whose own message is {@code message} (not its cause's class name and
     * message).
     */
    static UncheckedIOException io(String message, Throwable cause) {
        return new UncheckedIOException(message, new IOException(message, cause));
    }

    static final String CHECK_BUCKET = "check the bucket";

    private static Throwable firstIoCause(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof IOException) {
                return t;
            }
        }
        return null;
    }

    private static Throwable rootNetworkCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException
                    || t instanceof SocketTimeoutException
                    || (t instanceof InterruptedIOException
                            && t.getClass()
                                    .getName()
                                    .toLowerCase(Locale.ROOT)
                                    .contains("timeout"))) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
