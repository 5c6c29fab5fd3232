package dev.tarn.lake.event;

import dev.tarn.lake.Lake;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A child JVM for {@link SubscriptionProcessesTest}. Its handler appends each event's position to a
 * file (a line per call).
 *
 * <ul>
 *   <li>{@code run LAKE NAME OUT LEASE_MS}: runs the subscription on raw/clicks, printing {@code
 *       started}, then {@code active} when it holds the lease; runs until killed.
 *   <li>{@code crash LAKE NAME OUT POSITION}: drains, and halts the JVM right after its handler
 *       recorded the event at POSITION, before the position is committed (its lease: 1 s).
 * </ul>
 */
public final class SubscriptionMain {
    private SubscriptionMain() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path out = Path.of(args[3]);
        try (Lake lake = Lake.open(Path.of(args[1]))) {
            SubscriptionBuilder b =
                    lake.subscribe(args[2])
                            .datasets("raw/clicks")
                            .pollInterval(Duration.ofMillis(50))
                            .handler(
                                    e -> {
                                        Files.writeString(
                                                out,
                                                e.position() + "\n",
                                                StandardCharsets.UTF_8,
                                                StandardOpenOption.CREATE,
                                                StandardOpenOption.APPEND);
                                        if (mode.equals("crash") && e.position().equals(args[4])) {
                                            Runtime.getRuntime().halt(3);
                                        }
                                    });
            if (mode.equals("crash")) {
                b.lease(Duration.ofSeconds(1)).drain();
                return;
            }
            b.lease(Duration.ofMillis(Long.parseLong(args[4])));
            try (Subscription s = b.start()) {
                System.out.println("started");
                System.out.flush();
                while (!s.state().active()) {
                    Thread.sleep(20);
                }
                System.out.println("active");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }
}
