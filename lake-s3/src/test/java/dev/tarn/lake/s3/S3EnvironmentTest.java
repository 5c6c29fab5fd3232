package dev.tarn.lake.s3;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Lake.open("s3://bucket/prefix")} with nothing but the location, in a fresh JVM: endpoint
 * and credentials from the AWS SDK's standard environment variables ({@code AWS_ENDPOINT_URL},
 * {@code AWS_ACCESS_KEY_ID}...) or system properties ({@code aws.endpointUrl}, {@code
 * aws.accessKeyId}...), as the CLI and JShell get them.
 */
class S3EnvironmentTest {
    @TempDir Path home;

    private String run(Map<String, String> env, List<String> jvmOptions, String... args)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                java,
                                "-Xmx256m",
                                "-XX:TieredStopAtLevel=1",
                                "-Duser.home=" + home));
        cmd.addAll(jvmOptions);
        cmd.addAll(
                List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        OpenByLocationMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // a clean AWS environment: no config files, no instance metadata, only what the test gives
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        return out;
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void theLocationAloneOpensTheLakeWithEnvironmentVariablesOrSystemProperties() throws Exception {
        S3TestServer server = S3TestServer.shared();
        String bucket = server.newBucket();
        String location = "s3://" + bucket + "/env-lake";
        String out =
                run(
                        Map.of(
                                "AWS_ENDPOINT_URL",
                                server.endpoint().toString(),
                                "AWS_ACCESS_KEY_ID",
                                S3TestServer.ACCESS_KEY,
                                "AWS_SECRET_ACCESS_KEY",
                                S3TestServer.SECRET_KEY),
                        List.of(),
                        location,
                        "first");
        assertEquals("objects 1", lastLine(out), out);

        out =
                run(
                        Map.of(),
                        List.of(
                                "-Daws.endpointUrl=" + server.endpoint(),
                                "-Daws.accessKeyId=" + S3TestServer.ACCESS_KEY,
                                "-Daws.secretAccessKey=" + S3TestServer.SECRET_KEY),
                        location,
                        "second");
        assertEquals("objects 2", lastLine(out), out);

        var b = Lake.builder().location(location).createIfMissing(false);
        server.options().forEach(b::storeOption);
        try (Lake lake = b.open()) {
            assertEquals(2, lake.catalog().objects(DatasetId.parse("raw/from-env")).size());
        }
    }

    @Test
    void wrongCredentialsFromTheEnvironmentAreNamedInTheMessage() throws Exception {
        S3TestServer server = S3TestServer.shared();
        String out =
                run(
                        Map.of(
                                "AWS_ENDPOINT_URL",
                                server.endpoint().toString(),
                                "AWS_ACCESS_KEY_ID",
                                "nobody",
                                "AWS_SECRET_ACCESS_KEY",
                                "nothing"),
                        List.of(),
                        "s3://" + server.newBucket() + "/x",
                        "x");
        String line = lastLine(out);
        assertTrue(line.startsWith("error S3 refused the credentials"), out);
        assertTrue(line.contains("AWS_ACCESS_KEY_ID"), line);
        assertTrue(
                line.contains("(AWS_ENDPOINT_URL)") || line.contains(server.endpoint().toString()),
                line);
    }
}
