package dev.tarn.lake.s3.internal;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.exceptions.TarnException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/** How options, environment variables, system properties and profiles combine. No server needed. */
class S3SettingsTest {
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> props = new HashMap<>();
    private Function<String, Optional<Profile>> profiles = name -> Optional.empty();

    private S3Settings resolve(String location, Map<String, String> options) {
        return S3Settings.resolve(URI.create(location), options, env::get, props::get, profiles);
    }

    private S3Settings resolve(String location) {
        return resolve(location, Map.of());
    }

    @Test
    void locationSplitsIntoBucketAndPrefix() {
        env.put("AWS_REGION", "eu-west-1");
        S3Settings s = resolve("s3://my-bucket/lakes/sales/");
        assertEquals("my-bucket", s.bucket());
        assertEquals("lakes/sales/", s.prefix());
        assertEquals("s3://my-bucket/lakes/sales", s.location());
        S3Settings root = resolve("s3://my-bucket");
        assertEquals("", root.prefix());
        assertEquals("s3://my-bucket", root.location());
        for (String bad :
                new String[] {
                    "s3:///x",
                    "s3://UPPER/x",
                    "s3://b/x",
                    "s3://bkt/a//b",
                    "s3://bkt/.x",
                    "s3://bkt/x?versionId=1",
                    "gs://bkt/x"
                }) {
            assertThrows(TarnException.class, () -> resolve(bad), bad);
        }
    }

    @Test
    void anEndpointFromTheEnvironmentMeansPathStyleAndADefaultRegion() {
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9000");
        S3Settings s = resolve("s3://bkt/lake");
        assertEquals(URI.create("http://127.0.0.1:9000"), s.endpoint());
        assertEquals("AWS_ENDPOINT_URL", s.endpointSource());
        assertTrue(s.pathStyle(), "path-style is the default with a custom endpoint");
        assertEquals("us-east-1", s.region().id());
        assertFalse(resolve("s3://bkt/lake", Map.of("path-style", "false")).pathStyle());
    }

    @Test
    void endpointSourcesHaveTheSdksPrecedence() {
        env.put("AWS_ENDPOINT_URL", "http://env-global:1");
        assertEquals("env-global", resolve("s3://bkt/l").endpoint().getHost());
        props.put("aws.endpointUrl", "http://prop-global:1");
        assertEquals("prop-global", resolve("s3://bkt/l").endpoint().getHost());
        env.put("AWS_ENDPOINT_URL_S3", "http://env-s3:1");
        assertEquals("env-s3", resolve("s3://bkt/l").endpoint().getHost());
        props.put("aws.endpointUrlS3", "http://prop-s3:1");
        assertEquals("prop-s3", resolve("s3://bkt/l").endpoint().getHost());
        assertEquals(
                "option",
                resolve("s3://bkt/l", Map.of("endpoint", "https://option:443"))
                        .endpoint()
                        .getHost());
        env.put("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
        env.put("AWS_REGION", "eu-central-1");
        S3Settings aws = resolve("s3://bkt/l");
        assertNull(aws.endpoint(), "configured endpoints ignored on request");
        assertFalse(aws.pathStyle());
        assertEquals("AWS S3 (region eu-central-1)", aws.endpointDescription());
    }

    @Test
    void regionComesFromOptionThenSystemPropertyThenEnvironmentThenProfile() {
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9000");
        profiles =
                name ->
                        profile(
                                name,
                                "region = ap-south-1\nendpoint_url = http://from-profile:9\n");
        assertEquals("ap-south-1", resolve("s3://bkt/l").region().id());
        env.put("AWS_REGION", "eu-west-2");
        assertEquals("eu-west-2", resolve("s3://bkt/l").region().id());
        props.put("aws.region", "eu-west-3");
        assertEquals("eu-west-3", resolve("s3://bkt/l").region().id());
        assertEquals(
                "us-west-2", resolve("s3://bkt/l", Map.of("region", "us-west-2")).region().id());
    }

    @Test
    void aNamedProfileGivesRegionAndEndpoint() {
        profiles =
                name ->
                        name.equals("dev")
                                ? profile(
                                        name,
                                        "region = ap-south-1\nendpoint_url = http://from-profile:9\n")
                                : Optional.empty();
        S3Settings s = resolve("s3://bkt/l", Map.of("profile", "dev"));
        assertEquals("ap-south-1", s.region().id());
        assertEquals("from-profile", s.endpoint().getHost());
        assertEquals("dev", s.profile());
        env.put("AWS_PROFILE", "dev");
        assertEquals(
                "from-profile",
                resolve("s3://bkt/l").endpoint().getHost(),
                "AWS_PROFILE selects it too");
        TarnException e =
                assertThrows(
                        TarnException.class,
                        () -> resolve("s3://bkt/l", Map.of("profile", "nope")));
        assertTrue(e.getMessage().contains("no AWS profile 'nope'"), e.getMessage());
    }

    private static Optional<Profile> profile(String name, String body) {
        String text = (name.equals("default") ? "[default]\n" : "[profile " + name + "]\n") + body;
        ProfileFile file =
                ProfileFile.builder()
                        .content(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))
                        .type(ProfileFile.Type.CONFIGURATION)
                        .build();
        return file.profile(name);
    }

    @Test
    void optionValuesAreParsed() {
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9000");
        Map<String, String> o = new HashMap<>();
        o.put("part-size", "16m");
        o.put("max-attempts", "7");
        o.put("connect-timeout", "500ms");
        o.put("socket-timeout", "2m");
        o.put("max-connections", "8");
        o.put("resolve-timeout", "45s");
        o.put("sse", "s3");
        o.put("access-key-id", "AK");
        o.put("secret-access-key", "SECRET");
        o.put("session-token", "TOKEN");
        S3Settings s = resolve("s3://bkt/l", o);
        assertEquals(16 << 20, s.partSize());
        assertEquals(7, s.maxAttempts());
        assertEquals(Duration.ofMillis(500), s.connectTimeout());
        assertEquals(Duration.ofMinutes(2), s.socketTimeout());
        assertEquals(8, s.maxConnections());
        assertEquals(Duration.ofSeconds(45), s.resolveTimeout());
        assertEquals(S3Settings.Sse.S3, s.sse());
        assertEquals("AK", s.accessKeyId());
        assertFalse(
                s.toString().contains("SECRET") || s.toString().contains("TOKEN"), s.toString());
        S3Settings d = resolve("s3://bkt/l");
        assertEquals(8 << 20, d.partSize(), "8 MiB by default");
        assertEquals(S3Settings.Sse.NONE, d.sse());
        S3Settings kms =
                resolve("s3://bkt/l", Map.of("sse-kms-key-id", "arn:aws:kms:eu-west-1:1:key/k"));
        assertEquals(S3Settings.Sse.KMS, kms.sse(), "a KMS key id implies sse=kms");
        assertEquals("arn:aws:kms:eu-west-1:1:key/k", kms.kmsKeyId());
        assertThrows(
                TarnException.class,
                () -> resolve("s3://bkt/l", Map.of("sse", "s3", "sse-kms-key-id", "k")));
        assertThrows(TarnException.class, () -> resolve("s3://bkt/l", Map.of("part-size", "4MiB")));
        assertThrows(TarnException.class, () -> resolve("s3://bkt/l", Map.of("part-size", "lots")));
        assertThrows(TarnException.class, () -> resolve("s3://bkt/l", Map.of("max-attempts", "0")));
        assertThrows(
                TarnException.class,
                () -> resolve("s3://bkt/l", Map.of("connect-timeout", "soon")));
        assertThrows(
                TarnException.class, () -> resolve("s3://bkt/l", Map.of("path-style", "maybe")));
        assertThrows(
                TarnException.class, () -> resolve("s3://bkt/l", Map.of("session-token", "t")));
        assertEquals(5L << 20, S3Settings.parseSize("5MiB", 0));
        assertEquals(5L << 20, S3Settings.parseSize("5 MB", 0));
        assertEquals(6_000_000, S3Settings.parseSize("6000000", 0));
        assertEquals(1L << 30, S3Settings.parseSize("1g", 0));
    }

    @Test
    void unknownOptionsAreRefusedWithTheListOfKnownOnes() {
        TarnException e =
                assertThrows(
                        TarnException.class,
                        () -> resolve("s3://bkt/l", Map.of("endpoint-url", "http://x:1")));
        assertEquals(
                "unknown S3 store option 'endpoint-url'; known options: region, endpoint, path-style,"
                        + " access-key-id, secret-access-key, session-token, profile, sse, sse-kms-key-id, part-size,"
                        + " max-attempts, connect-timeout, socket-timeout, max-connections, resolve-timeout",
                e.getMessage());
    }
}
