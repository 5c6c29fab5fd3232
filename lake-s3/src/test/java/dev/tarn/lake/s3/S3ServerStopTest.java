package dev.tarn.lake.s3;

import dev.tarn.lake.Lake;
import dev.tarn.lake.LakeBuilder;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.doctor.Finding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The S3 server itself stopped (not a proxy): in the middle of a multipart ingest, and while an ingest is being
 * retried. The operation fails with one clear line, or succeeds once the server is back; nothing half-written is
 * visible; doctor removes what was left and then finds the lake clean. (Groundwork for acceptance 3.)
 */
class S3ServerStopTest {
    static final DatasetId DS = DatasetId.parse("raw/files");

    private S3TestServer server;
    private String location;

    @BeforeEach
    void setUp() throws Exception {
        server = S3TestServer.dedicated();
        location = "s3://" + server.newBucket() + "/lake";
    }

    @AfterEach
    void tearDown() {
        server.shutdown();
    }

    private Lake open(int maxAttempts) {
        LakeBuilder b = Lake.builder().location(location);
        server.options().forEach(b::storeOption);
        return b.storeOption(S3StoreProvider.PART_SIZE, "5MiB")
                .storeOption(S3StoreProvider.MAX_ATTEMPTS, String.valueOf(maxAttempts)).open();
    }

    /** Random bytes; once {@code stopAt} bytes have been read, stops the server before going on. */
    private final class StoppingStream extends InputStream {
        private final Random rnd = new Random(9);
        private final long size;
        private final long stopAt;
        private long pos;

        StoppingStream(long size, long stopAt) {
            this.size = size;
            this.stopAt = stopAt;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= size) {
                return -1;
            }
            if (pos >= stopAt && pos - len < stopAt) {
                try {
                    server.stop();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
            int n = (int) Math.min(len, size - pos);
            byte[] chunk = new byte[n];
            rnd.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            pos += n;
            return n;
        }
    }

    @Test
    void stoppedInTheMiddleOfAMultipartIngest() throws Exception {
        try (Lake lake = open(2)) {
            lake.ingest(DS).bytes("before".getBytes(StandardCharsets.UTF_8), "before.txt").commit();
            long version = lake.catalog().version();
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> lake.ingest(DS).stream(new StoppingStream(13L << 20, 7L << 20), "big.bin").commit());
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().contains(server.endpoint().toString()), e.getMessage());
            server.start();
            assertEquals(version, lake.catalog().version(), "no commit happened");
            assertEquals(List.of("before.txt"), lake.catalog().objects(DS).stream().map(LakeObject::originalName)
                    .toList());
            assertTrue(lake.store().list("raw/").stream().noneMatch(s -> s.key().endsWith("big.bin")),
                    "no half-written object under any key");
            assertEquals(1, lake.store().pendingWrites().size(), "the upload the writer could not abort");
            DoctorReport repaired = lake.doctor().grace(Duration.ZERO).repair();
            assertTrue(repaired.findings().stream().anyMatch(f -> f.kind() == Finding.Kind.LEFTOVER_TEMP),
                    repaired.findings().toString());
            assertTrue(repaired.isClean(), repaired.findings().toString());
            assertTrue(lake.doctor().check().findings().isEmpty());
            assertTrue(lake.store().pendingWrites().isEmpty());
            // the same ingest now goes through
            assertEquals(1, lake.ingest(DS).stream(new StoppingStream(13L << 20, Long.MAX_VALUE), "big.bin")
                    .commit().stored().size());
        }
    }

    @Test
    void anIngestRetriedWhileTheServerIsDownSucceedsOnceItIsBack() throws Exception {
        try (Lake lake = open(10)) {
            long version = lake.catalog().version();
            server.stop();
            Thread restarter = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    server.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            restarter.start();
            // the SDK retries with backoff (10 attempts here) until the server answers again
            assertEquals(1, lake.ingest(DS).bytes("payload".getBytes(StandardCharsets.UTF_8), "p.txt").commit()
                    .stored().size());
            restarter.join();
            assertEquals(version + 1, lake.catalog().version(), "committed once");
            DoctorReport report = lake.doctor().check();
            assertTrue(report.findings().isEmpty(), report.findings().toString());
        }
    }
}
