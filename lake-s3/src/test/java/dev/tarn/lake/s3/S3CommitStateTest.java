package dev.tarn.lake.s3;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.LakeBuilder;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.CommitStateUnknownException;
import dev.tarn.lake.exceptions.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A catalog commit on S3 (a conditional put of the log entry) whose outcome the writer cannot see:
 * the entry landed and its answer was lost (success, once), it never reached the server (the
 * failure, the lake as it was), or it landed and the server went away before it could be read back
 * (CommitStateUnknownException; the ingested object stays, and the lake holds the commit once the
 * server answers).
 */
class S3CommitStateTest {
    static final DatasetId DS = DatasetId.parse("raw/files");

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
                .storeOption(S3StoreProvider.MAX_ATTEMPTS, "2")
                .storeOption(S3StoreProvider.RESOLVE_TIMEOUT, "1s")
                .open();
    }

    private Lake direct() {
        LakeBuilder b = Lake.builder().location(location).createIfMissing(false);
        S3TestServer.shared().options().forEach(b::storeOption);
        return b.open();
    }

    private String entryPut(long version) {
        return String.format("PUT /%s/lake/_tarn/catalog/log/%020d.json", bucket, version);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEntryThatLandedIsOneCommit() {
        try (Lake lake = viaProxy()) {
            long next = lake.catalog().version() + 1;
            proxy.loseAnswerTo(entryPut(next));
            var r = lake.ingest(DS).bytes(bytes("a\n1\n"), "a.csv").commit();
            assertEquals(1, proxy.answersLost());
            assertEquals(next, r.version());
        }
        try (Lake lake = direct()) {
            assertEquals(1, lake.catalog().objects(DS).size());
            assertTrue(lake.doctor().check().findings().isEmpty());
        }
    }

    @Test
    void anEntryThatNeverReachedTheServerFailsAndChangesNothing() {
        long version;
        List<String> before;
        try (Lake lake = viaProxy()) {
            version = lake.catalog().version();
            before = lake.store().list("").stream().map(s -> s.key()).toList();
            proxy.refuse(entryPut(version + 1), 1000);
            RuntimeException e =
                    assertThrows(
                            RuntimeException.class,
                            () -> lake.ingest(DS).bytes(bytes("a\n1\n"), "a.csv").commit());
            assertFalse(e instanceof CommitStateUnknownException, e.toString());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            proxy.refuse(null, 0);
        }
        try (Lake lake = direct()) {
            assertEquals(version, lake.catalog().version());
            assertEquals(
                    before,
                    lake.store().list("").stream().map(s -> s.key()).toList(),
                    "the staged object was removed: the lake is as it was");
        }
    }

    @Test
    void anEntryThatLandedWhileTheServerWentAwayIsUnknownAndItsObjectStays() {
        long next;
        try (Lake lake = viaProxy()) {
            next = lake.catalog().version() + 1;
            proxy.loseAnswerThenGoDown(entryPut(next));
            CommitStateUnknownException e =
                    assertThrows(
                            CommitStateUnknownException.class,
                            () -> lake.ingest(DS).bytes(bytes("a\n1\n"), "a.csv").commit());
            assertEquals(ErrorCode.COMMIT_STATE_UNKNOWN, e.errorCode());
            assertEquals(next, e.version());
            assertTrue(e.getMessage().contains("lake doctor"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            proxy.down(false);
        }
        try (Lake lake = direct()) {
            assertEquals(next, lake.catalog().version(), "it had landed");
            var objects = lake.catalog().objects(DS);
            assertEquals(1, objects.size());
            assertTrue(
                    lake.store().stat(DS.keyPrefix() + objects.get(0).path()).isPresent(),
                    "its object was kept");
            assertTrue(
                    lake.doctor().check().findings().isEmpty(),
                    lake.doctor().check().findings().toString());
        }
    }
}
