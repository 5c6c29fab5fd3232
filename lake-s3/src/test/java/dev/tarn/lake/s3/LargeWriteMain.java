package dev.tarn.lake.s3;

import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.ObjectWriter;
import dev.tarn.lake.storage.WriteMode;
import java.util.Map;
import java.util.Random;

/**
 * Streams a large object into an S3 store in a JVM with a small heap, to show that a writer holds a
 * bounded number of parts. Args: location endpoint accessKey secretKey megabytes.
 */
public final class LargeWriteMain {
    private LargeWriteMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts =
                Map.of(
                        "endpoint",
                        args[1],
                        "access-key-id",
                        args[2],
                        "secret-access-key",
                        args[3],
                        "part-size",
                        "5MiB");
        long size = Long.parseLong(args[4]) << 20;
        try (ObjectStore store = S3StoreProvider.open(args[0], opts);
                ObjectWriter w = store.newWriter("big/large.bin", WriteMode.CREATE)) {
            byte[] chunk = new byte[1 << 16];
            Random rnd = new Random(1);
            for (long left = size; left > 0; left -= chunk.length) {
                rnd.nextBytes(chunk);
                w.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            ObjectStat stat = w.commit();
            System.out.println(
                    "size " + stat.size() + " maxHeap " + (Runtime.getRuntime().maxMemory() >> 20));
        }
    }
}
