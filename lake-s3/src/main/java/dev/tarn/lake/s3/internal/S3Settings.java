package dev.tarn.lake.s3.internal;

import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.s3.S3StoreProvider;
import dev.tarn.lake.spi.Keys;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The resolved configuration of one S3 store: the location split into bucket and prefix, and every
 * option after the defaults from system properties, environment variables and the AWS profile have
 * been applied.
 *
 * @param bucket the bucket
 * @param prefix the key prefix inside the bucket, empty or ending with '/'
 * @param region the signing region
 * @param endpoint a custom endpoint, or null for AWS
 * @param endpointSource where the endpoint came from (for messages), or null
 * @param pathStyle whether to use path-style requests
 * @param accessKeyId explicit credentials, or null for the default provider chain
 * @param secretAccessKey explicit credentials, or null
 * @param sessionToken explicit session token, or null
 * @param profile an explicitly named profile, or null
 * @param sse server-side encryption for new objects
 * @param kmsKeyId the KMS key for SSE-KMS, or null
 * @param partSize multipart part size in bytes
 * @param maxAttempts attempts per request
 * @param connectTimeout TCP connect timeout
 * @param socketTimeout socket read timeout
 * @param maxConnections HTTP connection pool size
 * @param resolveTimeout how long a writer keeps trying to read an object back when a write's
 *     outcome is unknown
 */
public record S3Settings(
        String bucket,
        String prefix,
        Region region,
        URI endpoint,
        String endpointSource,
        boolean pathStyle,
        String accessKeyId,
        String secretAccessKey,
        String sessionToken,
        String profile,
        Sse sse,
        String kmsKeyId,
        int partSize,
        int maxAttempts,
        Duration connectTimeout,
        Duration socketTimeout,
        int maxConnections,
        Duration resolveTimeout) {

    /** Server-side encryption of new objects. */
    public enum Sse {
        NONE,
        S3,
        KMS
    }

    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

    /** Parts live in byte arrays, so a part is below 2 GiB (S3 allows 5 GiB). */
    public static final int MAX_PART_SIZE = 1024 * 1024 * 1024;

    /** The location as a URI string: {@code s3://bucket/prefix}. */
    public String location() {
        return "s3://"
                + bucket
                + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
    }

    /** Where requests go, for messages. */
    public String endpointDescription() {
        return endpoint != null ? endpoint.toString() : "AWS S3 (region " + region.id() + ")";
    }

    /**
     * Resolves options with the defaults of this process (system properties, environment, profile
     * files).
     */
    public static S3Settings resolve(URI location, Map<String, String> options) {
        return resolve(
                location, options, System::getenv, System::getProperty, S3Settings::defaultProfile);
    }

    /**
     * Resolves options; {@code env}, {@code sysprops} and {@code profiles} are the sources of
     * defaults (replaceable in tests). {@code profiles} maps a profile name to that profile, if it
     * exists.
     */
    static S3Settings resolve(
            URI location,
            Map<String, String> options,
            Function<String, String> env,
            Function<String, String> sysprops,
            Function<String, Optional<Profile>> profiles) {
        Map<String, String> opts = new HashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            String k = e.getKey().toLowerCase(Locale.ROOT).trim();
            if (!S3StoreProvider.OPTIONS.contains(k)) {
                throw new TarnException(
                        ErrorCode.INVALID_CONFIGURATION,
                        "unknown S3 store option '"
                                + e.getKey()
                                + "'; known options: "
                                + String.join(", ", S3StoreProvider.OPTIONS));
            }
            opts.put(k, e.getValue() == null ? "" : e.getValue().trim());
        }

        // location
        if (location.getScheme() == null || !location.getScheme().equalsIgnoreCase("s3")) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "not an S3 location: " + location + " (expected s3://bucket/prefix)");
        }
        String bucket = location.getRawAuthority();
        if (bucket == null || bucket.isEmpty()) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "an S3 location needs a bucket: s3://bucket/prefix, not " + location);
        }
        if (!bucket.matches("[a-z0-9][a-z0-9.\\-_]{1,254}")) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "'"
                            + bucket
                            + "' is not a valid bucket name in "
                            + location
                            + " (lowercase letters, digits, '.', '-')");
        }
        if (location.getRawQuery() != null || location.getRawFragment() != null) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "an S3 location has no query or fragment: "
                            + location
                            + "; give options with storeOption(...) instead");
        }
        String path = location.getPath() == null ? "" : location.getPath();
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.isEmpty()) {
            try {
                Keys.check(path);
            } catch (IllegalArgumentException e) {
                throw new TarnException(
                        ErrorCode.INVALID_CONFIGURATION,
                        "invalid prefix in " + location + ": " + e.getMessage());
            }
        }
        String prefix = path.isEmpty() ? "" : path + "/";

        // profile
        String profile = firstNonEmpty(opts.get(S3StoreProvider.PROFILE));
        String profileName =
                profile != null
                        ? profile
                        : Optional.ofNullable(
                                        firstNonEmpty(
                                                sysprops.apply("aws.profile"),
                                                env.apply("AWS_PROFILE")))
                                .orElse("default");
        Optional<Profile> prof;
        try {
            prof = profiles.apply(profileName);
        } catch (RuntimeException e) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "cannot read the AWS config files for profile '"
                            + profileName
                            + "': "
                            + Errors.oneLine(e.getMessage()));
        }
        if (profile != null && prof.isEmpty() && opts.get(S3StoreProvider.ACCESS_KEY_ID) == null) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "no AWS profile '"
                            + profile
                            + "' in ~/.aws/config or ~/.aws/credentials"
                            + " (option profile)");
        }

        // endpoint
        URI endpoint = null;
        String endpointSource = null;
        String explicit = firstNonEmpty(opts.get(S3StoreProvider.ENDPOINT));
        if (explicit != null) {
            endpoint = parseEndpoint(explicit, "store option endpoint");
            endpointSource = "store option endpoint";
        } else if (!Boolean.parseBoolean(
                firstNonEmpty(
                        sysprops.apply("aws.ignoreConfiguredEndpointUrls"),
                        env.apply("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"),
                        "false"))) {
            String[][] sources = {
                {"aws.endpointUrlS3", sysprops.apply("aws.endpointUrlS3")},
                {"AWS_ENDPOINT_URL_S3", env.apply("AWS_ENDPOINT_URL_S3")},
                {"aws.endpointUrl", sysprops.apply("aws.endpointUrl")},
                {"AWS_ENDPOINT_URL", env.apply("AWS_ENDPOINT_URL")},
                {
                    "endpoint_url of profile " + profileName,
                    prof.flatMap(p -> p.property("endpoint_url")).orElse(null)
                }
            };
            for (String[] s : sources) {
                if (s[1] != null && !s[1].isBlank()) {
                    endpoint = parseEndpoint(s[1].trim(), s[0]);
                    endpointSource = s[0];
                    break;
                }
            }
        }

        // region
        String regionName =
                firstNonEmpty(
                        opts.get(S3StoreProvider.REGION),
                        sysprops.apply("aws.region"),
                        env.apply("AWS_REGION"),
                        prof.flatMap(p -> p.property("region")).orElse(null));
        if (regionName == null) {
            if (endpoint != null) {
                regionName =
                        "us-east-1"; // S3-compatible servers mostly ignore it, but requests are
                // signed with it
            } else {
                try {
                    regionName =
                            DefaultAwsRegionProviderChain.builder()
                                    .profileName(profileName)
                                    .build()
                                    .getRegion()
                                    .id();
                } catch (RuntimeException e) {
                    throw new TarnException(
                            ErrorCode.INVALID_CONFIGURATION,
                            "no AWS region for "
                                    + location
                                    + ": set the store option region,"
                                    + " AWS_REGION, or region in the profile '"
                                    + profileName
                                    + "'");
                }
            }
        }
        if (!regionName.matches("[a-z0-9-]{1,64}")) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "invalid region '" + regionName + "' (expected something like eu-west-1)");
        }
        Region region = Region.of(regionName);

        boolean pathStyle = parseBoolean(opts, S3StoreProvider.PATH_STYLE, endpoint != null);

        // credentials
        String keyId = firstNonEmpty(opts.get(S3StoreProvider.ACCESS_KEY_ID));
        String secret = firstNonEmpty(opts.get(S3StoreProvider.SECRET_ACCESS_KEY));
        String token = firstNonEmpty(opts.get(S3StoreProvider.SESSION_TOKEN));
        if ((keyId == null) != (secret == null)) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "store options access-key-id and secret-access-key go together; give both"
                            + " or neither (then credentials come from the default AWS provider chain)");
        }
        if (token != null && keyId == null) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "store option session-token needs access-key-id and secret-access-key");
        }

        // encryption
        String kmsKey = firstNonEmpty(opts.get(S3StoreProvider.SSE_KMS_KEY_ID));
        String sseName = firstNonEmpty(opts.get(S3StoreProvider.SSE));
        Sse sse;
        if (sseName == null) {
            sse = kmsKey != null ? Sse.KMS : Sse.NONE;
        } else {
            sse =
                    switch (sseName.toLowerCase(Locale.ROOT)) {
                        case "none" -> Sse.NONE;
                        case "s3", "aes256", "sse-s3" -> Sse.S3;
                        case "kms", "aws:kms", "sse-kms" -> Sse.KMS;
                        default ->
                                throw new TarnException(
                                        ErrorCode.INVALID_CONFIGURATION,
                                        "store option sse is '"
                                                + sseName
                                                + "'; expected none, s3 (SSE-S3) or kms (SSE-KMS)");
                    };
        }
        if (kmsKey != null && sse != Sse.KMS) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "store option sse-kms-key-id needs sse=kms, not sse=" + sseName);
        }

        long partSize =
                parseSize(opts.getOrDefault(S3StoreProvider.PART_SIZE, ""), DEFAULT_PART_SIZE);
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "store option part-size must be between 5MiB and 1GiB, not "
                            + opts.get(S3StoreProvider.PART_SIZE));
        }
        int maxAttempts = parseInt(opts, S3StoreProvider.MAX_ATTEMPTS, 5, 1, 100);
        int maxConnections = parseInt(opts, S3StoreProvider.MAX_CONNECTIONS, 64, 1, 10_000);
        Duration connect =
                parseDuration(opts, S3StoreProvider.CONNECT_TIMEOUT, Duration.ofSeconds(10));
        Duration socket =
                parseDuration(opts, S3StoreProvider.SOCKET_TIMEOUT, Duration.ofSeconds(60));
        Duration resolve =
                parseDuration(opts, S3StoreProvider.RESOLVE_TIMEOUT, Duration.ofSeconds(30));

        return new S3Settings(
                bucket,
                prefix,
                region,
                endpoint,
                endpointSource,
                pathStyle,
                keyId,
                secret,
                token,
                profile,
                sse,
                kmsKey,
                (int) partSize,
                maxAttempts,
                connect,
                socket,
                maxConnections,
                resolve);
    }

    private static Optional<Profile> defaultProfile(String name) {
        return ProfileFile.defaultProfileFile().profile(name);
    }

    private static URI parseEndpoint(String value, String source) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null
                || uri.getScheme() == null
                || uri.getHost() == null
                || !(uri.getScheme().equalsIgnoreCase("http")
                        || uri.getScheme().equalsIgnoreCase("https"))) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "the S3 endpoint '"
                            + value
                            + "' (from "
                            + source
                            + ") is not an http(s) URL such as http://127.0.0.1:9000");
        }
        return uri;
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    private static boolean parseBoolean(Map<String, String> opts, String key, boolean dflt) {
        String v = firstNonEmpty(opts.get(key));
        if (v == null) {
            return dflt;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default ->
                    throw new TarnException(
                            ErrorCode.INVALID_CONFIGURATION,
                            "store option " + key + " is '" + v + "'; expected true or false");
        };
    }

    private static int parseInt(Map<String, String> opts, String key, int dflt, int min, int max) {
        String v = firstNonEmpty(opts.get(key));
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new TarnException(
                ErrorCode.INVALID_CONFIGURATION,
                "store option "
                        + key
                        + " is '"
                        + v
                        + "'; expected a whole number from "
                        + min
                        + " to "
                        + max);
    }

    private static final Pattern SIZE =
            Pattern.compile("(\\d+)\\s*([kmg]?)(i?b)?", Pattern.CASE_INSENSITIVE);

    /** Parses {@code 8388608}, {@code 8m}, {@code 8MB}, {@code 8MiB} (binary units throughout). */
    static long parseSize(String value, long dflt) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "store option part-size is '" + value + "'; expected a size such as 8MiB");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "store option part-size is '" + value + "'; too large");
        }
        int shift =
                switch (m.group(2).toLowerCase(Locale.ROOT)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    default -> 0;
                };
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "store option part-size is '" + value + "'; too large");
        }
        return n << shift;
    }

    private static final Pattern DURATION =
            Pattern.compile("(\\d+)\\s*(ms|s|m|min)", Pattern.CASE_INSENSITIVE);

    /** Parses {@code 500ms}, {@code 10s}, {@code 2m} or ISO-8601 ({@code PT10S}). */
    static Duration parseDuration(Map<String, String> opts, String key, Duration dflt) {
        String v = firstNonEmpty(opts.get(key));
        if (v == null) {
            return dflt;
        }
        Matcher m = DURATION.matcher(v);
        Duration d = null;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d =
                    switch (m.group(2).toLowerCase(Locale.ROOT)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        default -> Duration.ofMinutes(n);
                    };
        } else {
            try {
                d = Duration.parse(v);
            } catch (DateTimeParseException ignored) {
                // below
            }
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "store option "
                            + key
                            + " is '"
                            + v
                            + "'; expected a duration such as 10s"
                            + " or 500ms");
        }
        return d;
    }

    @Override
    public String toString() {
        // never print secrets
        return "S3Settings["
                + location()
                + " at "
                + endpointDescription()
                + ", pathStyle="
                + pathStyle
                + ", credentials="
                + (accessKeyId != null
                        ? "explicit " + accessKeyId
                        : profile != null ? "profile " + profile : "default chain")
                + ", sse="
                + sse
                + ", partSize="
                + partSize
                + "]";
    }
}
