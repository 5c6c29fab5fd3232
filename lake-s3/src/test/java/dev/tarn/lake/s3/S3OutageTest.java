package dev.tarn.lake.s3;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.LakeBuilder;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.doctor.Finding;
import dev.tarn.lake.ingest.IngestResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server becoming unreachable in the middle of an operation (through a proxy that cuts every
 * connection), and an answer lost after a catalog commit went through: the operation fails with one
 * clear line or succeeds once; nothing half-written becomes visible; doctor cleans up what was left
 * and then finds the lake clean. (Groundwork for the acceptance 3, which stops the server
 * itself.)
 */
class S3OutageTest {
    static final DatasetId DS = DatasetId.parse("raw/files");

    @TempDir Path tmp;

    private FaultyProxy proxy;
    private String location;
    private String bucket;

    @BeforeEach
    void setUp() throws Exception {
        S3TestServer server = S3TestServer.shared();
        bucket = server.newBucket();
        location = "s3://" + bucket + "/lake";
        proxy = new FaultyProxy(server.endpoint());
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    private Lake viaProxy() {
        LakeBuilder b = Lake.builder().location(location);
        S3TestServer.shared().options().forEach(b::storeOption);
        return b.storeOption(S3StoreProvider.ENDPOINT, proxy.endpoint().toString())
                .storeOption(S3StoreProvider.PART_SIZE, "5MiB")
                .storeOption(S3StoreProvider.MAX_ATTEMPTS, "2")
                .open();
    }

    private Lake direct() {
        LakeBuilder b = Lake.builder().location(location).createIfMissing(false);
        S3TestServer.shared().options().forEach(b::storeOption);
        return b.open();
    }

    private Path file(String name, int size, long seed) throws Exception {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return Files.write(tmp.resolve(name), bytes);
    }

    private static void assertOneLine(RuntimeException e) {
        assertNotNull(e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("S3 endpoint"), e.getMessage());
        System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    @Test
    void theServerGoingAwayInTheMiddleOfAMultipartIngest() throws Exception {
        Path big = file("big.bin", 13 * 1024 * 1024, 1);
        try (Lake lake = viaProxy()) {
            lake.ingest(DS).bytes("small".getBytes(StandardCharsets.UTF_8), "small.txt").commit();
            long version = lake.catalog().version();
            proxy.downAfterRequestBytes(7L * 1024 * 1024); // inside the second part
            RuntimeException e =
                    assertThrows(RuntimeException.class, () -> lake.ingest(DS).file(big).commit());
            assertOneLine(e);
            proxy.down(false);
            assertEquals(version, lake.catalog().version(), "no commit happened");
        }
        try (Lake lake = direct()) {
            assertEquals(
                    List.of("small.txt"),
                    lake.catalog().objects(DS).stream().map(LakeObject::originalName).toList(),
                    "nothing half-written is visible");
            assertTrue(
                    lake.store().list("raw/files/").stream()
                            .noneMatch(s -> s.key().endsWith("big.bin")),
                    "no partial object under any key");
            // the upload could not be aborted while the server was away: doctor finds it and
            // removes it
            assertEquals(1, lake.store().pendingWrites().size());
            DoctorReport repaired = lake.doctor().grace(Duration.ZERO).repair();
            assertTrue(
                    repaired.findings().stream()
                            .anyMatch(f -> f.kind() == Finding.Kind.LEFTOVER_TEMP),
                    repaired.findings().toString());
            assertTrue(repaired.isClean(), repaired.findings().toString());
            DoctorReport after = lake.doctor().check();
            assertTrue(after.findings().isEmpty(), after.findings().toString());
            // and the same ingest goes through now
            IngestResult r = lake.ingest(DS).file(big).commit();
            assertEquals(1, r.stored().size());
            assertEquals(
                    13L * 1024 * 1024,
                    lake.catalog().objects(DS).stream()
                            .filter(o -> o.originalName().equals("big.bin"))
                            .findFirst()
                            .orElseThrow()
                            .size());
        }
    }

    @Test
    void theServerGoingAwayDuringACommitAndComingBack() throws Exception {
        Path f = file("f.bin", 1000, 2);
        try (Lake lake = viaProxy()) {
            long version = lake.catalog().version();
            proxy.down(true);
            RuntimeException e =
                    assertThrows(RuntimeException.class, () -> lake.ingest(DS).file(f).commit());
            assertOneLine(e);
            proxy.down(false);
            assertEquals(version, lake.catalog().version());
            IngestResult r = lake.ingest(DS).file(f).commit(); // after the server returns
            assertEquals(1, r.stored().size());
            assertEquals(version + 1, lake.catalog().version());
        }
        try (Lake lake = direct()) {
            assertEquals(1, lake.catalog().objects(DS).size());
            DoctorReport report = lake.doctor().grace(Duration.ZERO).repair();
            assertTrue(report.isClean(), report.findings().toString());
            assertTrue(lake.doctor().check().findings().isEmpty());
        }
    }

    @Test
    void aLostAnswerToACatalogCommitCommitsExactlyOnce() throws Exception {
        Path f = file("once.bin", 2000, 3);
        try (Lake lake = viaProxy()) {
            long next = lake.catalog().version() + 1;
            proxy.loseAnswerTo(
                    String.format(
                            "PUT /%s/lake/_tarn/catalog/log/%020d.json HTTP/1.1", bucket, next));
            IngestResult r = lake.ingest(DS).file(f).commit();
            assertEquals(1, proxy.answersLost(), "the log entry was written and its answer lost");
            assertEquals(1, r.stored().size());
            assertEquals(next, lake.catalog().version(), "one commit, not two");
        }
        try (Lake lake = direct()) {
            assertEquals(1, lake.catalog().objects(DS).size());
            assertTrue(lake.doctor().check().findings().isEmpty());
        }
    }
}
