package dev.tarn.lake.event;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.IllegalNameException;
import dev.tarn.lake.exceptions.PermissionDeniedException;
import dev.tarn.lake.security.AccessPolicy;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subscriptions in one JVM: retries, dead letters, resuming, standby, access. */
class SubscriptionTest {
    static final DatasetId CLICKS = DatasetId.parse("raw/clicks");
    static final DatasetId ORDERS = DatasetId.parse("raw/orders");

    @TempDir Path tmp;

    static void ingest(Lake lake, DatasetId ds, String name, String body) {
        lake.ingest(ds).bytes(body.getBytes(StandardCharsets.UTF_8), name).commit();
    }

    /** The ingest events of the dataset, as their operation and object name. */
    private static String tag(ChangeEvent e) {
        return e.position();
    }

    @Test
    void aFailingEventIsRetriedWithGrowingDelaysThenDeadLetteredAndTheRestDeliveredInOrder()
            throws Exception {
        try (Lake lake = Lake.open(tmp.resolve("lake"))) {
            for (int i = 0; i < 6; i++) {
                ingest(lake, CLICKS, "c" + i + ".json", "{\"i\":" + i + "}\n");
            }
            ingest(lake, ORDERS, "o.json", "{\"o\":1}\n"); // not subscribed to
            List<ChangeEvent> all =
                    lake.events().datasets(CLICKS).poll(); // what the feed has for clicks
            assertEquals(6, all.size());
            Set<String> poison = Set.of(all.get(1).position(), all.get(4).position());

            List<String> delivered = Collections.synchronizedList(new ArrayList<>());
            List<Long> attemptTimes = Collections.synchronizedList(new ArrayList<>());
            DrainReport r =
                    lake.subscribe("clicks-audit")
                            .datasets("raw/clicks")
                            .maxAttempts(4)
                            .backoff(Duration.ofMillis(40), Duration.ofSeconds(5))
                            .handler(
                                    e -> {
                                        if (poison.contains(e.position())) {
                                            if (e.position().equals(all.get(1).position())) {
                                                attemptTimes.add(System.nanoTime());
                                            }
                                            throw new IllegalStateException(
                                                    "cannot handle " + e.position());
                                        }
                                        delivered.add(tag(e));
                                    })
                            .drain();

            assertTrue(r.leaseHeld());
            assertEquals(4, r.delivered());
            assertEquals(2, r.deadLettered());
            List<String> expected = new ArrayList<>();
            for (ChangeEvent e : all) {
                if (!poison.contains(e.position())) {
                    expected.add(e.position());
                }
            }
            assertEquals(expected, delivered, "the rest, in order");

            // 4 attempts, 3 waits, each about double the one before (jitter: half to all of it)
            assertEquals(4, attemptTimes.size());
            long[] waits = new long[3];
            for (int i = 0; i < 3; i++) {
                waits[i] =
                        TimeUnit.NANOSECONDS.toMillis(
                                attemptTimes.get(i + 1) - attemptTimes.get(i));
            }
            assertTrue(waits[0] >= 20, "first wait " + waits[0]);
            assertTrue(waits[1] >= 40, "second wait " + waits[1]);
            assertTrue(waits[2] >= 80, "third wait " + waits[2]);
            System.out.printf(
                    "backoff 40 ms initial, waits measured: %d, %d, %d ms%n",
                    waits[0], waits[1], waits[2]);

            List<DeadLetter> dead = lake.subscribe("clicks-audit").deadLetters();
            assertEquals(2, dead.size());
            assertEquals(poison, Set.of(dead.get(0).position(), dead.get(1).position()));
            for (DeadLetter d : dead) {
                assertEquals(4, d.attempts());
                assertEquals(IllegalStateException.class.getName(), d.errorClass());
                assertEquals("cannot handle " + d.position(), d.errorMessage());
                assertTrue(d.stackHead().contains("IllegalStateException"), d.stackHead());
                assertTrue(d.stackHead().contains("\tat "), d.stackHead());
                assertEquals(List.of(CLICKS), d.event().datasets());
            }
            SubscriptionState s = lake.subscribe("clicks-audit").state();
            assertEquals(4, s.delivered());
            assertEquals(2, s.deadLettered());
            assertEquals(SubscriptionState.Role.STOPPED, s.role());
            assertTrue(s.position().covers(all.get(5)));

            // nothing new: a second drain delivers nothing
            DrainReport again =
                    lake.subscribe("clicks-audit")
                            .datasets("raw/clicks")
                            .handler(e -> fail("delivered twice: " + e.position()))
                            .drain();
            assertEquals(0, again.delivered() + again.deadLettered());
        }
    }

    @Test
    void replayAndDiscardDeadLetters() throws Exception {
        try (Lake lake = Lake.open(tmp.resolve("lake"))) {
            ingest(lake, CLICKS, "a.json", "{\"id\":\"a\"}\n");
            ingest(lake, CLICKS, "b.json", "{\"id\":\"b\"}\n");
            SubscriptionBuilder failing =
                    lake.subscribe("fragile")
                            .datasets("raw/clicks")
                            .maxAttempts(1)
                            .handler(
                                    e -> {
                                        throw new java.io.IOException("endpoint down");
                                    });
            assertEquals(2, failing.drain().deadLettered());
            List<DeadLetter> dead = failing.deadLetters();
            assertEquals(2, dead.size());
            assertEquals("java.io.IOException: endpoint down", dead.get(0).error());

            assertThrows(java.io.IOException.class, () -> failing.replay(dead.get(0)));
            assertEquals(2, failing.deadLetters().size(), "a failed replay keeps it");

            List<String> got = new ArrayList<>();
            SubscriptionBuilder fixed =
                    lake.subscribe("fragile")
                            .datasets("raw/clicks")
                            .handler(e -> got.add(e.position()));
            fixed.replay(dead.get(0));
            assertEquals(List.of(dead.get(0).position()), got);
            fixed.discard(dead.get(1));
            assertEquals(List.of(), fixed.deadLetters());

            DeadLetter other =
                    new DeadLetter(
                            "someone-else",
                            dead.get(0).event(),
                            1,
                            "X",
                            "",
                            "",
                            dead.get(0).failedAt());
            assertThrows(IllegalArgumentException.class, () -> fixed.discard(other));
        }
    }

    @Test
    void commitEveryTradesRedeliveryAfterACrashForFewerCommits() {
        Path dir = tmp.resolve("lake");
        try (Lake lake = Lake.open(dir)) {
            for (int i = 0; i < 25; i++) {
                ingest(lake, CLICKS, "e" + i + ".json", "{\"i\":" + i + "}\n");
            }
            List<String> all = new ArrayList<>();
            lake.events().datasets(CLICKS).poll().forEach(e -> all.add(e.position()));
            assertEquals(25, all.size());

            // the process "dies" (an Error out of the handler) at the 15th event: the first 10
            // were committed together, the 11th to the 14th were handled but not committed
            List<String> first = new ArrayList<>();
            assertThrows(
                    OutOfMemoryError.class,
                    () ->
                            lake.subscribe("batched")
                                    .datasets("raw/clicks")
                                    .commitEvery(10)
                                    .handler(
                                            e -> {
                                                if (first.size() == 14) {
                                                    throw new OutOfMemoryError("simulated death");
                                                }
                                                first.add(e.position());
                                            })
                                    .drain());
            assertEquals(all.subList(0, 14), first);
            assertEquals(
                    all.get(9),
                    lake.subscribe("batched").state().position().toString(),
                    "the position moved in one commit of ten");

            List<String> second = new ArrayList<>();
            lake.subscribe("batched")
                    .datasets("raw/clicks")
                    .commitEvery(10)
                    .handler(e -> second.add(e.position()))
                    .drain();
            assertEquals(all.subList(10, 25), second, "the uncommitted four again, then the rest");
            assertEquals(all.get(24), lake.subscribe("batched").state().position().toString());
            assertThrows(IllegalArgumentException.class, () -> lake.subscribe("x").commitEvery(0));
        }
    }

    @Test
    void aRestartResumesAtTheCommittedPosition() {
        Path dir = tmp.resolve("lake");
        List<String> first = new ArrayList<>();
        try (Lake lake = Lake.open(dir)) {
            ingest(lake, CLICKS, "a.json", "{\"id\":\"a\"}\n");
            ingest(lake, CLICKS, "b.json", "{\"id\":\"b\"}\n");
            assertEquals(
                    2,
                    lake.subscribe("resume")
                            .datasets("raw/clicks")
                            .handler(e -> first.add(e.position()))
                            .drain()
                            .delivered());
            ingest(lake, CLICKS, "c.json", "{\"id\":\"c\"}\n");
        }
        List<String> second = new ArrayList<>();
        try (Lake lake = Lake.open(dir)) {
            ingest(lake, CLICKS, "d.json", "{\"id\":\"d\"}\n");
            lake.subscribe("resume")
                    .datasets("raw/clicks")
                    .handler(e -> second.add(e.position()))
                    .drain();
            List<String> all = new ArrayList<>();
            lake.events().datasets(CLICKS).poll().forEach(e -> all.add(e.position()));
            List<String> both = new ArrayList<>(first);
            both.addAll(second);
            assertEquals(all, both, "none missed, none repeated");
            assertEquals(2, second.size());
        }
    }

    @Test
    void aStartedSubscriptionDeliversNewEventsAndASecondOneWaitsAsStandbyThenTakesOver()
            throws Exception {
        Path dir = tmp.resolve("lake");
        List<String> a = Collections.synchronizedList(new ArrayList<>());
        List<String> b = Collections.synchronizedList(new ArrayList<>());
        try (Lake lake1 = Lake.open(dir);
                Lake lake2 = Lake.open(dir)) {
            Subscription first =
                    lake1.subscribe("kpi")
                            .datasets("raw/clicks")
                            .pollInterval(Duration.ofMillis(20))
                            .lease(Duration.ofSeconds(2))
                            .handler(e -> a.add(e.position()))
                            .start();
            waitFor(() -> first.state().active(), "the first takes the lease");
            Subscription second =
                    lake2.subscribe("kpi")
                            .datasets("raw/clicks")
                            .pollInterval(Duration.ofMillis(20))
                            .lease(Duration.ofSeconds(2))
                            .handler(e -> b.add(e.position()))
                            .start();
            ingest(lake1, CLICKS, "a.json", "{\"id\":\"a\"}\n");
            ingest(lake1, CLICKS, "b.json", "{\"id\":\"b\"}\n");
            waitFor(() -> a.size() == 2, "the active one delivers");
            assertEquals(SubscriptionState.Role.STANDBY, second.state().role());
            assertEquals(List.of(), b);
            waitFor(
                    () -> second.state().delivered() == 2,
                    "the standby sees the committed state (committed after the handler returned)");

            first.close(); // releases the lease: the standby takes over at once
            assertEquals(SubscriptionState.Role.STOPPED, first.state().role());
            waitFor(() -> second.state().active(), "the standby takes over");
            ingest(lake1, CLICKS, "c.json", "{\"id\":\"c\"}\n");
            waitFor(() -> b.size() == 1, "the new active one delivers");
            second.close();
            assertEquals(2, a.size(), "nothing delivered twice");
        }
    }

    @Test
    void aHolderThatLostItsLeaseCannotMoveThePosition() {
        Path dir = tmp.resolve("lake");
        // b's clock runs 5 minutes ahead: to b, a's lease (30 s) has expired while a still holds
        // it by its own clock, as when a's process was paused past its lease
        try (Lake a = Lake.open(dir);
                Lake b =
                        Lake.builder()
                                .location(dir)
                                .clock(
                                        java.time.Clock.offset(
                                                java.time.Clock.systemUTC(), Duration.ofMinutes(5)))
                                .open()) {
            for (int i = 0; i < 3; i++) {
                ingest(a, CLICKS, "c" + i + ".json", "{\"i\":" + i + "}\n");
            }
            List<String> byB = new ArrayList<>();
            List<String> byA = new ArrayList<>();
            DrainReport[] fromB = new DrainReport[1];
            DrainReport fromA =
                    a.subscribe("fenced")
                            .datasets("raw/clicks")
                            .handler(
                                    e -> {
                                        byA.add(e.position());
                                        if (fromB[0] == null) { // b takes over meanwhile
                                            fromB[0] =
                                                    b.subscribe("fenced")
                                                            .datasets("raw/clicks")
                                                            .handler(x -> byB.add(x.position()))
                                                            .drain();
                                        }
                                    })
                            .drain();
            assertTrue(fromB[0].leaseHeld(), "b took the expired lease over");
            assertEquals(3, fromB[0].delivered());
            assertEquals(1, byA.size(), "a stopped after its first event");
            assertEquals(0, fromA.delivered(), "a's commit was refused: b's epoch is higher");
            SubscriptionState s = b.subscribe("fenced").state();
            assertEquals(3, s.delivered(), "only b's deliveries count");
            assertEquals(fromB[0].position(), s.position());
            assertEquals(byB, positionsOf(a));
        }
    }

    private static List<String> positionsOf(Lake lake) {
        List<String> out = new ArrayList<>();
        lake.events().datasets(CLICKS).poll().forEach(e -> out.add(e.position()));
        return out;
    }

    @Test
    void namesAreValidatedAndSubscribingNeedsRead() {
        AccessPolicy policy =
                (p, priv, res) ->
                        p.name().equals("admin")
                                || (p.name().equals("reader")
                                        && priv == Privilege.READ
                                        && res.equals("raw/clicks"));
        try (Lake lake =
                Lake.builder()
                        .location(tmp.resolve("lake"))
                        .principal(Principal.of("admin"))
                        .accessPolicy(policy)
                        .open()) {
            for (String bad : new String[] {"", "Bad", "../x", "_tarn", "a/b", "x".repeat(65)}) {
                assertThrows(IllegalNameException.class, () -> lake.subscribe(bad), bad);
            }
            ingest(lake, CLICKS, "a.json", "{\"id\":\"a\"}\n");
            Lake reader = lake.as(Principal.of("reader"));
            assertThrows(
                    PermissionDeniedException.class,
                    () -> reader.subscribe("s").datasets("raw/orders").handler(e -> {}).drain());
            assertThrows(
                    PermissionDeniedException.class,
                    () -> reader.subscribe("s").handler(e -> {}).start(),
                    "no datasets: READ on the lake");
            assertEquals(
                    1,
                    reader.subscribe("s")
                            .datasets("raw/clicks")
                            .handler(e -> {})
                            .drain()
                            .delivered());
            assertThrows(
                    IllegalStateException.class, () -> lake.subscribe("s").drain(), "no handler");
        }
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                fail("timed out waiting: " + what);
            }
            Thread.sleep(10);
        }
    }
}
