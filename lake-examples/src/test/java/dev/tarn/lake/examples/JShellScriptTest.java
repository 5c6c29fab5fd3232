package dev.tarn.lake.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented JShell command, run non-interactively on a script, as CI must. */
class JShellScriptTest {
    @TempDir Path tmp;

    /**
     * Runs the smoke script through ./tarn-shell with these environment variables; returns its
     * output.
     */
    private static String smoke(java.util.Map<String, String> env) throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder pb =
                new ProcessBuilder(
                                "bash",
                                repo.resolve("tarn-shell").toString(),
                                "--no-build",
                                repo.resolve("lake-examples/src/test/jshell/smoke.jsh").toString())
                        .redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("stored=1"), out);
        assertTrue(out.contains("objects=1"), out);
        // sha256("hello")
        assertTrue(
                out.contains(
                        "sha256=2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
                out);
        assertTrue(out.contains("meta={from=jshell}"), out);
        assertTrue(out.contains("clean=true"), out);
        assertTrue(out.contains("sql=hello.txt"), out);
        assertTrue(out.contains("table=42@v1"), out);
        assertFalse(out.contains("Error"), out);
        assertFalse(out.contains("SLF4J"), "no logging noise in the shell: " + out);
        return out;
    }

    /**
     * The same script on a lake in a bucket of a real S3-compatible server, configured as the AWS
     * tools are.
     */
    @Test
    void theShellOpensALakeInS3() throws Exception {
        dev.tarn.lake.s3.S3TestServer server = dev.tarn.lake.s3.S3TestServer.shared();
        String location = "s3://" + server.newBucket() + "/lakes/shell";
        String out =
                smoke(
                        java.util.Map.of(
                                "TARN_LAKE",
                                location,
                                "AWS_ENDPOINT_URL",
                                server.endpoint().toString(),
                                "AWS_ACCESS_KEY_ID",
                                dev.tarn.lake.s3.S3TestServer.ACCESS_KEY,
                                "AWS_SECRET_ACCESS_KEY",
                                dev.tarn.lake.s3.S3TestServer.SECRET_KEY,
                                "AWS_REGION",
                                "us-east-1",
                                "AWS_EC2_METADATA_DISABLED",
                                "true"));
        assertTrue(out.contains("`lake` is " + location), out);
        try (dev.tarn.lake.Lake lake =
                dev.tarn.lake.Lake.builder()
                        .location(location)
                        .storeOption("endpoint", server.endpoint().toString())
                        .storeOption("access-key-id", dev.tarn.lake.s3.S3TestServer.ACCESS_KEY)
                        .storeOption("secret-access-key", dev.tarn.lake.s3.S3TestServer.SECRET_KEY)
                        .open()) {
            assertEquals(
                    1,
                    lake.catalog()
                            .objects(dev.tarn.lake.catalog.DatasetId.parse("raw/notes"))
                            .size(),
                    "the script wrote into the bucket");
        }
    }

    @Test
    void theShellOpensTheLakeAndRunsAScript() throws Exception {
        Path lakeDir = tmp.resolve("lake");
        String out = smoke(java.util.Map.of("TARN_LAKE", lakeDir.toString()));
        assertTrue(out.contains("`lake` is " + lakeDir.toUri()), out);
        assertTrue(
                Files.isDirectory(lakeDir.resolve("raw/notes")),
                "the script wrote into the lake it was given");
    }
}
