package dev.tarn.lake.s3;

import dev.tarn.lake.Lake;
import dev.tarn.lake.LakeBuilder;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.ingest.IngestResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Whole lakes on a real S3-compatible server, opened the way users open them: by an s3:// location. */
class S3LakeTest {
    static final DatasetId CLICKS = DatasetId.parse("raw/clicks");

    @TempDir
    Path tmp;

    private static LakeBuilder builder(String location) {
        LakeBuilder b = Lake.builder().location(location);
        S3TestServer.shared().options().forEach(b::storeOption);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void aLakeOnS3IngestsCatchesDuplicatesAndReopens() throws Exception {
        S3TestServer server = S3TestServer.shared();
        String bucket = server.newBucket();
        String location = "s3://" + bucket + "/lakes/sales";
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.writeString(in.resolve("a.ndjson"), "{\"a\":1}\n{\"a\":2}\n");
        Files.writeString(in.resolve("b.csv"), "x,y\n1,2\n");
        Files.writeString(in.resolve("copy-of-a.ndjson"), "{\"a\":1}\n{\"a\":2}\n");
        String lakeId;
        try (Lake lake = builder(location).open()) {
            assertEquals(location, lake.location());
            lakeId = lake.catalog().lakeId();
            IngestResult r1 = lake.ingest(CLICKS).file(in.resolve("a.ndjson")).meta("system", "web").commit();
            assertEquals(1, r1.stored().size());
            IngestResult r2 = lake.ingest(CLICKS).file(in.resolve("b.csv")).commit();
            assertEquals(1, r2.stored().size());
            IngestResult dup = lake.ingest(CLICKS).file(in.resolve("copy-of-a.ndjson")).commit();
            assertEquals(0, dup.stored().size());
            assertEquals(1, dup.duplicates().size(), "same bytes under another name are a duplicate");
            assertEquals(r1.stored().get(0).object().path(), dup.duplicates().get(0).object().path());
        }

        // the bucket holds the lake's layout under the prefix, nothing outside it
        Set<String> keys = new TreeSet<>();
        for (S3Object o : server.admin().listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
            keys.add(o.key());
        }
        assertTrue(keys.contains("lakes/sales/_tarn/catalog/log/00000000000000000000.json"), keys.toString());
        assertTrue(keys.stream().allMatch(k -> k.startsWith("lakes/sales/")), keys.toString());
        assertEquals(2, keys.stream().filter(k -> k.startsWith("lakes/sales/raw/clicks/")).count(), keys.toString());

        // another Lake instance (as another process would) sees the same catalog and bytes
        try (Lake other = builder(location + "/").createIfMissing(false).open()) {
            assertEquals(lakeId, other.catalog().lakeId());
            List<LakeObject> objects = other.catalog().objects(CLICKS);
            assertEquals(2, objects.size());
            for (LakeObject o : objects) {
                try (InputStream s = other.open(o)) {
                    byte[] bytes = s.readAllBytes();
                    assertEquals(o.size(), bytes.length);
                    assertEquals(o.sha256(), sha256(bytes));
                }
            }
            LakeObject a = objects.stream().filter(o -> o.originalName().equals("a.ndjson")).findFirst()
                    .orElseThrow();
            assertEquals("web", a.metadata().get("system"));
            DoctorReport report = other.doctor().verifyChecksums(true).check();
            assertTrue(report.isClean(), () -> "doctor: " + report.findings());
            assertEquals(2, report.objectsChecked());
        }
    }

    @Test
    void aLakeAtTheBucketRootWorksToo() {
        String bucket = S3TestServer.shared().newBucket();
        try (Lake lake = builder("s3://" + bucket).open()) {
            lake.ingest(CLICKS).bytes("hello".getBytes(StandardCharsets.UTF_8), "hello.txt").commit();
            assertEquals(1, lake.catalog().objects(CLICKS).size());
            assertTrue(lake.doctor().check().isClean());
        }
    }

    @Test
    void openingAMissingLakeWithoutCreateFails() {
        String bucket = S3TestServer.shared().newBucket();
        var e = assertThrows(dev.tarn.lake.LakeNotFoundException.class,
                () -> builder("s3://" + bucket + "/none").createIfMissing(false).open());
        assertTrue(e.getMessage().contains("s3://" + bucket + "/none"), e.getMessage());
    }

    @Test
    void fourThreadsIngestingTheSameFilesStoreEachDistinctFileExactlyOnce() throws Exception {
        Path inputs = Files.createDirectories(tmp.resolve("inputs"));
        Random rnd = new Random(11);
        Set<String> distinct = new TreeSet<>();
        for (int i = 0; i < 40; i++) {
            // 34 distinct contents and 6 files that repeat another's bytes under another name
            byte[] bytes = i < 34 ? ("{\"file\":" + i + ",\"pad\":\"" + "x".repeat(rnd.nextInt(3000)) + "\"}\n")
                    .getBytes(StandardCharsets.UTF_8)
                    : Files.readAllBytes(inputs.resolve(String.format("f%03d.ndjson", i - 34)));
            Files.write(inputs.resolve(String.format("f%03d.ndjson", i)), bytes);
            distinct.add(sha256(bytes));
        }
        String location = "s3://" + S3TestServer.shared().newBucket() + "/concurrent";
        DatasetId ds = DatasetId.parse("raw/events");
        try (Lake lake = builder(location).open()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                threads.add(pool.submit(() -> {
                    List<Path> files = new ArrayList<>();
                    try (var s = Files.list(inputs)) {
                        s.forEach(files::add);
                    }
                    Collections.shuffle(files, new Random(seed));
                    go.await();
                    int stored = 0;
                    for (Path f : files) {
                        stored += lake.ingest(ds).file(f).commit().stored().size();
                    }
                    return stored;
                }));
            }
            go.countDown();
            int stored = 0;
            for (Future<Integer> f : threads) {
                stored += f.get(3, TimeUnit.MINUTES);
            }
            pool.shutdown();

            List<LakeObject> objects = lake.catalog().objects(ds);
            assertEquals(distinct.size(), objects.size(), "one object per distinct content");
            assertEquals(distinct.size(), stored, "each stored by exactly one writer");
            assertEquals(distinct, new TreeSet<>(objects.stream().map(LakeObject::sha256).toList()));
            DoctorReport report = lake.doctor().check();
            assertTrue(report.isClean(), () -> "doctor: " + report.findings());
            // the log's versions are contiguous
            long version = lake.catalog().version();
            assertEquals(version + 1, lake.store().list("_tarn/catalog/log/").size());
        }
        try (Lake again = builder(location).open()) {
            assertEquals(distinct.size(), again.catalog().objects(ds).size());
        }
    }

    @Test
    void optionsReachTheStoreAndUnknownOnesAreRefused() {
        String bucket = S3TestServer.shared().newBucket();
        var e = assertThrows(dev.tarn.lake.TarnException.class,
                () -> builder("s3://" + bucket + "/x").storeOption("regoin", "eu-west-1").open());
        assertTrue(e.getMessage().contains("unknown S3 store option 'regoin'"), e.getMessage());
        assertTrue(e.getMessage().contains("region, endpoint, path-style"), e.getMessage());
        try (Lake lake = builder("s3://" + bucket + "/x").storeOption("part-size", "16MiB")
                .storeOption("region", "eu-west-1").storeOption("max-attempts", "3").open()) {
            assertTrue(lake.store().toString().contains("partSize=16777216"), lake.store().toString());
            assertFalse(lake.store().toString().contains(S3TestServer.SECRET_KEY), "secrets are never printed");
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
            for (S3Object so : server.admin().listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
                var head = server.admin().headObject(r -> r.bucket(bucket).key(so.key()));
                assertEquals("AES256", head.serverSideEncryptionAsString(), so.key());
            }
        }
    }

    @Test
    void encryptionAServerCannotDoIsAOneLineError() {
        String bucket = S3TestServer.shared().newBucket(); // the filesystem backend: no SSE
        var e = assertThrows(dev.tarn.lake.TarnException.class,
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
            for (int i = 0; i < 20; i++) { // more than the connection pool would survive if connections leaked
                try (InputStream in = lake.store().get("raw/x/big.bin")) {
                    assertEquals(big[0] & 0xff, in.read());
                }
            }
            assertArrayEquals(big, lake.store().getBytes("raw/x/big.bin"));
        }
    }
}
