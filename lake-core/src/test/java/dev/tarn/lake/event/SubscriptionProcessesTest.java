package dev.tarn.lake.event;

import static dev.tarn.lake.event.SubscriptionTest.CLICKS;
import static dev.tarn.lake.event.SubscriptionTest.ingest;
import static dev.tarn.lake.event.SubscriptionTest.waitFor;
import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subscriptions across processes (child JVMs): a crash mid-delivery, and a killed holder. */
class SubscriptionProcessesTest {
    @TempDir Path tmp;

    private static List<String> positions(Lake lake) {
        List<String> out = new ArrayList<>();
        lake.events().datasets(CLICKS).poll().forEach(e -> out.add(e.position()));
        return out;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aCrashBetweenHandlerAndCommitRedeliversThatEventOnlyAndNoneIsMissed() throws Exception {
        Path dir = tmp.resolve("lake");
        List<String> all;
        try (Lake lake = Lake.open(dir)) {
            for (int i = 0; i < 5; i++) {
                ingest(lake, CLICKS, "c" + i + ".json", "{\"i\":" + i + "}\n");
            }
            all = positions(lake);
        }
        Path crashed = tmp.resolve("crashed.txt");
        Process p =
                start("crash", dir, "audit", crashed, all.get(2)).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(3, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        assertEquals(all.subList(0, 3), lines(crashed), "handled up to the crash");

        List<String> resumed = new ArrayList<>();
        try (Lake lake = Lake.open(dir)) {
            SubscriptionBuilder b =
                    lake.subscribe("audit")
                            .datasets("raw/clicks")
                            .handler(e -> resumed.add(e.position()));
            // the crashed process's lease holds for its time: until then a drain delivers nothing
            DrainReport r;
            while (!(r = b.drain()).leaseHeld()) {
                assertEquals(0, r.delivered());
                Thread.sleep(100);
            }
        }
        assertEquals(
                all.subList(2, 5),
                resumed,
                "the event whose position was not committed is delivered again, then the rest");
    }

    @Test
    void twoProcessesOneDeliversTheOtherTakesOverWithinTheLeaseTimeAfterSigkill() throws Exception {
        Path dir = tmp.resolve("lake");
        Lake.open(dir).close();
        long leaseMillis = 2000;
        Path out1 = tmp.resolve("p1.txt");
        Path out2 = tmp.resolve("p2.txt");
        Process p1 = start("run", dir, "kpi", out1, Long.toString(leaseMillis)).start();
        Process p2 = null;
        try (Lake lake = Lake.open(dir)) {
            BufferedReader r1 = reader(p1);
            assertEquals("started", r1.readLine());
            assertEquals("active", r1.readLine());
            p2 = start("run", dir, "kpi", out2, Long.toString(leaseMillis)).start();
            BufferedReader r2 = reader(p2);
            assertEquals("started", r2.readLine());

            for (int i = 0; i < 3; i++) {
                ingest(lake, CLICKS, "c" + i + ".json", "{\"i\":" + i + "}\n");
            }
            waitFor(() -> lines(out1).size() == 3, "the active process delivers");
            Thread.sleep(leaseMillis); // the standby keeps trying meanwhile
            assertEquals(List.of(), lines(out2), "the standby delivers nothing while p1 lives");
            assertFalse(r2.ready(), "the standby is not active");

            p1.destroyForcibly(); // SIGKILL: no release
            assertTrue(p1.waitFor(30, TimeUnit.SECONDS));
            long killed = System.nanoTime();
            for (int i = 3; i < 5; i++) {
                ingest(lake, CLICKS, "c" + i + ".json", "{\"i\":" + i + "}\n");
            }
            assertEquals("active", r2.readLine());
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.println("standby took over " + tookMillis + " ms after SIGKILL");
            assertTrue(tookMillis <= leaseMillis + 1500, "within the lease time: " + tookMillis);
            waitFor(() -> lines(out2).size() >= 2, "the new holder delivers");
            Thread.sleep(300);

            List<String> all = positions(lake);
            Set<String> seen = new HashSet<>(lines(out1));
            seen.addAll(lines(out2));
            assertEquals(new HashSet<>(all), seen, "none missed");
            List<String> second = lines(out2);
            assertEquals(all.subList(3, 5), second.subList(second.size() - 2, second.size()));
            assertTrue(second.size() <= 3, "at most the uncommitted event again: " + second);
        } finally {
            p1.destroyForcibly();
            if (p2 != null) {
                p2.destroyForcibly();
                p2.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static ProcessBuilder start(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                java,
                                "-Xmx128m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                SubscriptionMain.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    private static ProcessBuilder start(String mode, Path dir, String name, Path out, String arg) {
        return start(mode, dir.toString(), name, out.toString(), arg);
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }
}
