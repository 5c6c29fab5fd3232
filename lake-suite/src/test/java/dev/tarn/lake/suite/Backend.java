package dev.tarn.lake.suite;

import dev.tarn.lake.s3.S3TestServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the suite's lakes live. Every test takes fresh locations of its own, so tests never see
 * each other's lakes.
 */
enum Backend {
    LOCAL {
        @Override
        LakeLocation newLocation(Path tmp) {
            // under the test's @TempDir, which JUnit deletes afterwards
            return new LakeLocation(
                    this,
                    tmp.resolve("lake-" + COUNT.incrementAndGet()).toString(),
                    Map.of(),
                    () -> {});
        }
    },
    S3 {
        @Override
        LakeLocation newLocation(Path tmp) {
            S3TestServer server = S3TestServer.shared();
            String bucket = server.newBucket();
            // a prefix rather than the bucket's root, as most S3 lakes are
            return new LakeLocation(
                    this,
                    "s3://" + bucket + "/lakes/suite",
                    server.options(),
                    () -> server.deleteBucket(bucket));
        }
    };

    private static final AtomicInteger COUNT = new AtomicInteger();

    abstract LakeLocation newLocation(Path tmp);
}
