package dev.tarn.lake.spi;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.IllegalNameException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseTest {
    @TempDir Path tmp;

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private final AtomicReference<Instant> now =
                new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void oneHolderAtATimeTakeoverAfterExpiryAndTheOldHolderLearnsOnRenew() {
        ManualClock clock = new ManualClock();
        try (Lake lake = Lake.builder().location(tmp.resolve("lake")).clock(clock).open()) {
            LakeInternals in = LakeInternals.of(lake);
            Duration ttl = Duration.ofSeconds(10);
            Lease a = Lease.tryAcquire(in, "jobs/nightly", "a", ttl).orElseThrow();
            assertEquals(0, a.epoch());
            assertTrue(a.isHeld());
            assertTrue(Lease.tryAcquire(in, "jobs/nightly", "b", ttl).isEmpty(), "held by a");
            clock.advance(Duration.ofSeconds(6));
            assertTrue(a.renew(), "renewed within its time");
            clock.advance(Duration.ofSeconds(6));
            assertTrue(a.isHeld(), "the renewal holds it 10 s from then");
            assertTrue(Lease.tryAcquire(in, "jobs/nightly", "b", ttl).isEmpty());
            assertEquals(Optional.of("a"), Lease.currentHolder(in, "jobs/nightly"));

            clock.advance(Duration.ofSeconds(5)); // 11 s after a's last renewal: expired
            assertFalse(a.isHeld());
            Lease b = Lease.tryAcquire(in, "jobs/nightly", "b", ttl).orElseThrow();
            assertTrue(b.epoch() > a.epoch(), "a takeover has a higher epoch (fencing token)");
            assertFalse(a.renew(), "a learns on renewing that it lost the lease");
            assertFalse(a.isHeld());
            assertFalse(a.renew(), "lost for good");
            assertTrue(b.renew());

            b.release();
            assertFalse(b.isHeld());
            assertTrue(Lease.currentHolder(in, "jobs/nightly").isEmpty());
            Lease c = Lease.tryAcquire(in, "jobs/nightly", "c", ttl).orElseThrow();
            assertTrue(c.epoch() > b.epoch(), "released: taken at once, no wait for expiry");
            c.release();
        }
    }

    @Test
    void oldEntriesAreCleanedUp() {
        try (Lake lake = Lake.open(tmp.resolve("lake"))) {
            LakeInternals in = LakeInternals.of(lake);
            Lease a = Lease.tryAcquire(in, "busy", "a", Duration.ofMinutes(1)).orElseThrow();
            for (int i = 0; i < 50; i++) {
                assertTrue(a.renew());
            }
            int entries = in.store().list(Lease.dirOf("busy")).size();
            assertTrue(entries <= Lease.KEPT + 1, "entries kept: " + entries);
            assertTrue(Lease.tryAcquire(in, "busy", "b", Duration.ofMinutes(1)).isEmpty());
        }
    }

    @Test
    void badNamesAndTimesAreRefused() {
        try (Lake lake = Lake.open(tmp.resolve("lake"))) {
            LakeInternals in = LakeInternals.of(lake);
            for (String bad : new String[] {"", "../x", "a//b", "A", "_tarn", "a/"}) {
                assertThrows(
                        IllegalNameException.class,
                        () -> Lease.tryAcquire(in, bad, "h", Duration.ofSeconds(1)),
                        bad);
            }
            assertThrows(
                    IllegalArgumentException.class,
                    () -> Lease.tryAcquire(in, "ok", "h", Duration.ZERO));
        }
    }

    @Test
    void threadsRacingForTheLeaseHoldItOneAtATime() throws Exception {
        try (Lake lake = Lake.open(tmp.resolve("lake"))) {
            LakeInternals in = LakeInternals.of(lake);
            AtomicInteger holding = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            AtomicInteger takes = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a safety stop
            for (int t = 0; t < 6; t++) {
                Thread th =
                        new Thread(
                                () -> {
                                    try {
                                        go.await();
                                        while (takes.get() < 30 && System.nanoTime() < until) {
                                            Optional<Lease> l =
                                                    Lease.tryAcquire(
                                                            in,
                                                            "race",
                                                            Thread.currentThread().getName(),
                                                            Duration.ofSeconds(5));
                                            if (l.isEmpty()) {
                                                continue;
                                            }
                                            takes.incrementAndGet();
                                            most.accumulateAndGet(
                                                    holding.incrementAndGet(), Math::max);
                                            Thread.sleep(5);
                                            assertTrue(l.get().renew());
                                            holding.decrementAndGet();
                                            l.get().release();
                                        }
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                },
                                "t" + t);
                threads.add(th);
                th.start();
            }
            go.countDown();
            for (Thread th : threads) {
                th.join();
            }
            assertEquals(1, most.get(), "never two holders at once");
            assertTrue(takes.get() >= 30, "the lease passed between threads: " + takes.get());
        }
    }

    @Test
    void twoProcessesOneHoldsTheOtherTakesOverAfterSigkill() throws Exception {
        Path dir = tmp.resolve("lake");
        Lake.open(dir).close();
        long ttlMillis = 2000;
        Process first = start(dir, ttlMillis);
        Process second = null;
        try {
            BufferedReader r1 = reader(first);
            assertEquals("started", r1.readLine());
            String got = r1.readLine();
            assertTrue(got.startsWith("acquired "), got);
            second = start(dir, ttlMillis);
            BufferedReader r2 = reader(second);
            assertEquals("started", r2.readLine());
            Thread.sleep(3 * ttlMillis); // the standby tries all along while the first renews
            assertFalse(r2.ready(), "the standby did not get the lease while the first held it");

            first.destroyForcibly(); // SIGKILL: no release
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            long killed = System.nanoTime();
            String taken = r2.readLine();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertTrue(taken.startsWith("acquired "), taken);
            assertTrue(
                    Long.parseLong(taken.substring(9)) > Long.parseLong(got.substring(9)),
                    "higher epoch");
            assertTrue(
                    tookMillis <= ttlMillis + 1500,
                    "taken over within the lease time: " + tookMillis + " ms");
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroyForcibly();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Process start(Path dir, long ttlMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-Xmx128m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LeaseMain.class.getName(),
                        dir.toString(),
                        Long.toString(ttlMillis))
                .redirectErrorStream(true)
                .start();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }
}
