package dev.tarn.lake.s3;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Multipart uploads hold a bounded number of parts in memory, whatever the object's size. */
class S3BoundedMemoryTest {
    @Test
    void aLargeObjectStreamsThroughASmallHeap() throws Exception {
        S3TestServer server = S3TestServer.shared();
        String bucket = server.newBucket();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // 96 MiB through a 40 MiB heap: only a couple of 5 MiB parts may be held at once
        Process p =
                new ProcessBuilder(
                                java,
                                "-Xmx40m",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                System.getProperty("java.class.path"),
                                LargeWriteMain.class.getName(),
                                "s3://" + bucket + "/big",
                                server.endpoint().toString(),
                                S3TestServer.ACCESS_KEY,
                                S3TestServer.SECRET_KEY,
                                "96")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("size " + (96L << 20) + " maxHeap "), out);
        assertEquals(
                96L << 20,
                server.admin()
                        .headObject(r -> r.bucket(bucket).key("big/big/large.bin"))
                        .contentLength());
    }
}
