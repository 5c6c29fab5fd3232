package dev.tarn.lake.s3;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.LakeBuilder;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What only a lake in S3 has: locations in a bucket (at its root, under a prefix), store options,
 * server-side encryption, streams over HTTP. What every lake does, on S3 as locally, is
 * lake-suite's.
 */
class S3LakeLocationTest {
    static final DatasetId CLICKS = DatasetId.parse("raw/clicks");

    private static LakeBuilder builder(String location) {
        LakeBuilder b = Lake.builder().location(location);
        S3TestServer.shared().options().forEach(b::storeOption);
        return b;
    }

    @Test
    void aLakeUnderAPrefixKeepsEveryKeyUnderItAndOpensWithATrailingSlash() {
        S3TestServer server = S3TestServer.shared();
        String bucket = server.newBucket();
        String location = "s3://" + bucket + "/lakes/sales";
        String lakeId;
        try (Lake lake = builder(location).open()) {
            assertEquals(location, lake.location());
            lakeId = lake.catalog().lakeId();
            lake.ingest(CLICKS)
                    .bytes("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8), "a.ndjson")
                    .commit();
            lake.ingest(CLICKS)
                    .bytes("x,y\n1,2\n".getBytes(StandardCharsets.UTF_8), "b.csv")
                    .commit();
        }
        Set<String> keys = new TreeSet<>();
        for (S3Object o : server.admin().listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
            keys.add(o.key());
        }
        assertTrue(
                keys.contains("lakes/sales/_tarn/catalog/log/00000000000000000000.json"),
                keys.toString());
        assertTrue(keys.stream().allMatch(k -> k.startsWith("lakes/sales/")), keys.toString());
        assertEquals(
                2,
                keys.stream().filter(k -> k.startsWith("lakes/sales/raw/clicks/")).count(),
                keys.toString());
        try (Lake other = builder(location + "/").createIfMissing(false).open()) {
            assertEquals(lakeId, other.catalog().lakeId());
            assertEquals(2, other.catalog().objects(CLICKS).size());
        }
    }

    @Test
    void aLakeAtTheBucketRootWorksToo() {
        String bucket = S3TestServer.shared().newBucket();
        try (Lake lake = builder("s3://" + bucket).open()) {
            lake.ingest(CLICKS)
                    .bytes("hello".getBytes(StandardCharsets.UTF_8), "hello.txt")
                    .commit();
            assertEquals(1, lake.catalog().objects(CLICKS).size());
            assertTrue(lake.doctor().check().isClean());
        }
    }

    @Test
    void optionsReachTheStoreAndUnknownOnesAreRefused() {
        String bucket = S3TestServer.shared().newBucket();
        var e =
                assertThrows(
                        dev.tarn.lake.exceptions.TarnException.class,
                        () ->
                                builder("s3://" + bucket + "/x")
                                        .storeOption("regoin", "eu-west-1")
                                        .open());
        assertTrue(e.getMessage().contains("unknown S3 store option 'regoin'"), e.getMessage());
        assertTrue(e.getMessage().contains("region, endpoint, path-style"), e.getMessage());
        try (Lake lake =
                builder("s3://" + bucket + "/x")
                        .storeOption("part-size", "16MiB")
                        .storeOption("region", "eu-west-1")
                        .storeOption("max-attempts", "3")
                        .open()) {
            assertTrue(
                    lake.store().toString().contains("partSize=16777216"), lake.store().toString());
            assertFalse(
                    lake.store().toString().contains(S3TestServer.SECRET_KEY),
                    "secrets are never printed");
        }
    }

    @Test
    void serverSideEncryptionIsAppliedToEveryObject() throws Exception {
        S3TestServer server = S3TestServer.inMemory(); // the filesystem backend refuses SSE headers
        String bucket = server.newBucket();
        LakeBuilder b = Lake.builder().location("s3://" + bucket + "/enc").storeOption("sse", "s3");
        server.options().forEach(b::storeOption);
        try (Lake lake = b.open()) {
            lake.ingest(CLICKS).bytes("secret".getBytes(StandardCharsets.UTF_8), "s.txt").commit();
            LakeObject o = lake.catalog().objects(CLICKS).get(0);
            try (InputStream in = lake.open(o)) {
                assertEquals("secret", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            for (S3Object so :
                    server.admin().listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
                var head = server.admin().headObject(r -> r.bucket(bucket).key(so.key()));
                assertEquals("AES256", head.serverSideEncryptionAsString(), so.key());
            }
        }
    }

    @Test
    void encryptionAServerCannotDoIsAOneLineError() {
        String bucket = S3TestServer.shared().newBucket(); // the filesystem backend: no SSE
        var e =
                assertThrows(
                        dev.tarn.lake.exceptions.TarnException.class,
                        () -> builder("s3://" + bucket + "/enc").storeOption("sse", "s3").open());
        assertTrue(e.getMessage().contains("store option sse"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aStreamClosedEarlyDoesNotReadTheRest() throws Exception {
        String bucket = S3TestServer.shared().newBucket();
        try (Lake lake = builder("s3://" + bucket + "/early").open()) {
            byte[] big = new byte[8 * 1024 * 1024];
            new Random(5).nextBytes(big);
            lake.store().put("raw/x/big.bin", big, dev.tarn.lake.storage.WriteMode.CREATE);
            for (int i = 0;
                    i < 20;
                    i++) { // more than the connection pool would survive if connections leaked
                try (InputStream in = lake.store().get("raw/x/big.bin")) {
                    assertEquals(big[0] & 0xff, in.read());
                }
            }
            assertArrayEquals(big, lake.store().getBytes("raw/x/big.bin"));
        }
    }
}
