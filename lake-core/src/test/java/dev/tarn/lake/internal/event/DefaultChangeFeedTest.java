package dev.tarn.lake.internal.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.event.ChangeEvent;
import dev.tarn.lake.event.ChangeFeed;
import dev.tarn.lake.event.FeedCursor;
import dev.tarn.lake.internal.LakeContext;
import dev.tarn.lake.internal.catalog.CatalogAction;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.spi.LakeInternals;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change feed over the catalog's log alone (tables are lake-table's): order and cursors with
 * small polls, waiting polls, and what a principal may see of a commit that touched datasets it may
 * and may not read.
 */
class DefaultChangeFeedTest {
    static final DatasetId OPEN = DatasetId.parse("raw/open");
    static final DatasetId SECRET = DatasetId.parse("raw/secret");

    @TempDir Path dir;
    Lake lake;

    @BeforeEach
    void open() {
        lake =
                Lake.builder()
                        .location(dir.resolve("lake"))
                        .accessPolicy(
                                (p, privilege, resource) ->
                                        !p.name().equals("guest")
                                                || (privilege == Privilege.READ
                                                        && !resource.equals(SECRET.toString())))
                        .open();
    }

    @AfterEach
    void close() {
        lake.close();
    }

    private void ingest(DatasetId id, String name) {
        lake.ingest(id)
                .bytes(("{\"n\":\"" + name + "\"}\n").getBytes(StandardCharsets.UTF_8), name)
                .commit();
    }

    private static List<String> positions(List<ChangeEvent> events) {
        return events.stream().map(ChangeEvent::position).toList();
    }

    @Test
    void smallPollsGiveTheSameEventsInTheSameOrderAsOneBigOne() {
        for (int i = 0; i < 7; i++) {
            ingest(i % 2 == 0 ? OPEN : SECRET, "f" + i + ".json");
        }
        List<ChangeEvent> all = lake.events().poll();
        assertEquals(8, all.size()); // create-lake, then 7 ingests
        ChangeFeed feed = lake.events();
        List<ChangeEvent> one = new ArrayList<>();
        for (List<ChangeEvent> got = feed.poll(1); !got.isEmpty(); got = feed.poll(1)) {
            assertEquals(1, got.size());
            one.addAll(got);
        }
        assertEquals(all, one);
        assertEquals(FeedCursor.parse("catalog@7"), feed.cursor());
        assertEquals(
                List.of("catalog@5", "catalog@6", "catalog@7"),
                positions(lake.events().since(FeedCursor.parse("catalog@4")).poll()));
        assertThrows(IllegalArgumentException.class, () -> lake.events().poll(0));
    }

    @Test
    void aWaitingPollReturnsTheCommitThatArrives() throws Exception {
        ChangeFeed feed = lake.events();
        feed.poll();
        long t0 = System.nanoTime();
        assertEquals(List.of(), feed.poll(10, Duration.ofMillis(200), Duration.ofMillis(20)));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(200));
        CompletableFuture<List<ChangeEvent>> waiting =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return feed.poll(10, Duration.ofSeconds(30), Duration.ofMillis(20));
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        });
        Thread.sleep(100);
        ingest(OPEN, "late.json");
        List<ChangeEvent> got = waiting.get(30, TimeUnit.SECONDS);
        assertEquals(List.of("catalog@1"), positions(got));
        assertEquals("ingest", got.get(0).operation());
    }

    @Test
    void aGuestSeesOnlyItsPartOfACommitThatTouchedBoth() {
        ingest(OPEN, "a.json");
        ingest(SECRET, "s.json");
        // One catalog commit moving an object of each dataset (the log allows several datasets
        // per entry; the feed must split what each reader sees).
        LakeContext ctx = (LakeContext) LakeInternals.of(lake);
        ctx.commit(
                "remove",
                Map.of(),
                base ->
                        List.of(
                                new CatalogAction.RemoveObject(
                                        "raw",
                                        "open",
                                        base.dataset(OPEN)
                                                .orElseThrow()
                                                .objects()
                                                .keySet()
                                                .iterator()
                                                .next(),
                                        "2026-01-01T00:00:00Z"),
                                new CatalogAction.RemoveObject(
                                        "raw",
                                        "secret",
                                        base.dataset(SECRET)
                                                .orElseThrow()
                                                .objects()
                                                .keySet()
                                                .iterator()
                                                .next(),
                                        "2026-01-01T00:00:00Z")));
        lake.createZone("ml", "models");

        List<ChangeEvent> owner = lake.events().poll();
        assertEquals(5, owner.size());
        ChangeEvent both = owner.get(3);
        assertEquals(List.of(OPEN, SECRET), both.datasets());
        assertEquals(2, both.removed().size());

        List<ChangeEvent> guest = lake.as(Principal.of("guest")).events().poll();
        assertEquals(List.of("catalog@1", "catalog@3"), positions(guest));
        ChangeEvent part = guest.get(1);
        assertEquals(List.of(OPEN), part.datasets());
        assertEquals(1, part.removed().size());
        assertTrue(part.removed().get(0).startsWith("raw/open/"), part.removed().toString());
        assertEquals(Map.of("objectsRemoved", 1L), part.metrics());
        // the zone and the lake's creation touch no dataset: only an ADMIN of the lake sees them
        assertEquals("create-zone", owner.get(4).operation());
        assertTrue(guest.stream().noneMatch(e -> e.datasets().isEmpty()));
    }
}
