package dev.tarn.lake.spi;

import dev.tarn.lake.Lake;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A child JVM for {@link LeaseTest}: tries to take a lease until it gets it, prints {@code acquired
 * EPOCH}, then renews it every 200 ms until killed (printing {@code lost} if it loses it).
 */
public final class LeaseMain {
    private LeaseMain() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Duration ttl = Duration.ofMillis(Long.parseLong(args[1]));
        try (Lake lake = Lake.open(dir)) {
            LakeInternals in = LakeInternals.of(lake);
            System.out.println("started");
            System.out.flush();
            Optional<Lease> lease;
            while ((lease = Lease.tryAcquire(in, "runners/shared", "child", ttl)).isEmpty()) {
                Thread.sleep(50);
            }
            System.out.println("acquired " + lease.get().epoch());
            System.out.flush();
            while (true) {
                Thread.sleep(200);
                if (!lease.get().renew()) {
                    System.out.println("lost");
                    System.out.flush();
                    return;
                }
            }
        }
    }
}
