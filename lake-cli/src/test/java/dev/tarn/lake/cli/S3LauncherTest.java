package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.s3.S3TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./lake} launcher on a lake in a bucket of a real S3-compatible server (s3proxy on
 * 127.0.0.1), configured the way users configure the AWS tools: through the standard environment
 * variables only.
 */
class S3LauncherTest {
    @TempDir Path tmp;

    record Run(int code, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    Run lake(String location, String... args) throws Exception {
        return lake(true, location, args);
    }

    /**
     * Runs the launcher; {@code awsEnvironment}: whether the S3 server is configured through AWS_*
     * variables.
     */
    Run lake(boolean awsEnvironment, String location, String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "bash",
                                LauncherTest.ROOT.resolve("lake").toString(),
                                "--lake",
                                location));
        cmd.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        var env = pb.environment();
        env.put("TARN_CLASSPATH", System.getProperty("java.class.path"));
        env.put("TARN_TTY", "0");
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        if (awsEnvironment) {
            env.put("AWS_ENDPOINT_URL", S3TestServer.shared().endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY);
            env.put("AWS_REGION", "us-east-1");
        } else {
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("HOME", tmp.toString()); // no ~/.aws of the machine's
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void ingestListCatAndDoctorOnAnS3Lake() throws Exception {
        String location = "s3://" + S3TestServer.shared().newBucket() + "/lakes/demo";
        byte[] bytes = "{\"user\":1}\n{\"user\":2}\n".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(tmp.resolve("events.ndjson"), bytes);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        Run init = lake(location, "init");
        assertEquals(0, init.code(), init.err());
        assertTrue(
                init.text().contains(location), "the location is shown as given: " + init.text());
        Run ingest = lake(location, "ingest", "raw/clicks", file.toString());
        assertEquals(0, ingest.code(), ingest.err());
        Run ls = lake(location, "ls", "raw/clicks", "--output", "json");
        assertEquals(0, ls.code(), ls.err());
        var objects = CliRunner.JSON.readTree(ls.out());
        assertEquals(1, objects.size());
        assertEquals(sha, objects.get(0).get("sha256").asText());
        assertEquals(bytes.length, objects.get(0).get("size").asLong());
        Run cat = lake(location, "cat", "raw/clicks/events.ndjson");
        assertEquals(0, cat.code(), cat.err());
        assertArrayEquals(bytes, cat.out());
        Run again = lake(location, "ingest", "raw/clicks", file.toString(), "--output", "json");
        assertEquals(1, CliRunner.JSON.readTree(again.out()).get("duplicates").asInt());
        Run sql =
                lake(
                        location,
                        "sql",
                        "SELECT count(*) AS n, sum(\"user\") AS s FROM raw.clicks",
                        "-o",
                        "csv");
        assertEquals(0, sql.code(), sql.err());
        assertEquals("n,s\n2,3\n", sql.text(), "SQL over the S3 lake, through its local cache");
        Run doctor = lake(location, "doctor");
        assertEquals(0, doctor.code(), doctor.text() + doctor.err());
    }

    @Test
    void aMissingBucketIsOneActionableLine() throws Exception {
        Run r = lake("s3://no-such-bucket-" + ProcessHandle.current().pid() + "/x", "ls");
        assertEquals(1, r.code());
        // The test class path also holds the S3 server's logging backend, whose SLF4J notices the
        // launcher's own
        // class path (slf4j-nop only) does not print.
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("SLF4J")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("lake: bucket 'no-such-bucket-"), r.err());
        assertTrue(lines.get(0).contains("does not exist"), r.err());
    }

    @Test
    void storeOptionsGivenOnTheCommandLine() throws Exception {
        String location = "s3://" + S3TestServer.shared().newBucket() + "/lake";
        Path file =
                Files.write(
                        tmp.resolve("a.csv"), "id,name\n1,x\n".getBytes(StandardCharsets.UTF_8));
        String[] opts = {
            "--store-option",
            "endpoint=" + S3TestServer.shared().endpoint(),
            "--store-option",
            "access-key-id=" + S3TestServer.ACCESS_KEY,
            "--store-option=secret-access-key=" + S3TestServer.SECRET_KEY
        };
        Run ingest = lake(false, location, concat(opts, "ingest", "raw/people", file.toString()));
        assertEquals(0, ingest.code(), ingest.err());
        Run ls = lake(false, location, concat(opts, "ls", "raw/people", "-o", "json"));
        assertEquals(0, ls.code(), ls.err());
        assertEquals(
                "a.csv",
                CliRunner.JSON.readTree(ls.out()).get(0).get("originalName").asText(),
                ls.text());

        // without them (and without AWS_* variables) the same lake is not reachable: the error
        // names the options
        Run bare = lake(false, location, "ls");
        assertEquals(1, bare.code(), bare.err());
        assertTrue(bare.err().contains("store option"), bare.err());

        Run wrong =
                lake(
                        false,
                        location,
                        concat(opts, "--store-option", "secret-access-key=nope", "ls"));
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().contains("refused the credentials"), wrong.err());

        Run malformed = lake(false, location, "--store-option", "endpoint", "ls");
        assertEquals(2, malformed.code());
        assertTrue(malformed.err().contains("is not KEY=VALUE"), malformed.err());
        Run local =
                lake(
                        false,
                        tmp.resolve("dir-lake").toString(),
                        "--store-option",
                        "region=eu-west-1",
                        "init");
        assertEquals(2, local.code());
        assertTrue(local.err().contains("applies to a lake at a URI"), local.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
