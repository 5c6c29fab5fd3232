package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.event.ChangeEvent;
import dev.tarn.lake.event.DeadLetter;
import dev.tarn.lake.event.DrainReport;
import dev.tarn.lake.event.SubscriptionBuilder;
import dev.tarn.lake.exceptions.PermissionDeniedException;
import dev.tarn.lake.security.AccessPolicy;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14 acceptance 3: a handler that fails for chosen events is retried with growing delays,
 * then the events are dead-lettered with their error and the rest delivered in order; {@code
 * tarn.dead_letters} shows them in SQL, to an administrator only.
 */
class DeadLettersSqlTest {
    @TempDir Path dir;

    private static final DatasetId KPI = DatasetId.parse("analytics/kpi");

    /** The owner may do anything; the analyst may read everything but is no administrator. */
    private static final AccessPolicy POLICY =
            (principal, privilege, resource) ->
                    principal.name().equals("owner") || privilege == Privilege.READ;

    @Test
    void failingEventsAreRetriedWithBackoffThenDeadLetteredAndQueryableInSql() throws Exception {
        try (Lake owner =
                Lake.builder()
                        .location(dir.resolve("lake"))
                        .accessPolicy(POLICY)
                        .principal(Principal.of("owner"))
                        .open()) {
            Sql sql = Sql.of(owner);
            sql.saveAsTable("SELECT 'eu' AS region, 10 AS revenue", KPI);
            for (int i = 1; i <= 5; i++) {
                sql.insertInto("SELECT 'r" + i + "' AS region, " + i + " AS revenue", KPI);
            }
            List<ChangeEvent> feed = owner.events().datasets(KPI).poll();
            List<String> positions = new ArrayList<>();
            feed.forEach(e -> positions.add(e.position()));
            assertTrue(positions.containsAll(List.of("analytics/kpi@0", "analytics/kpi@5")));
            Set<String> poison = Set.of("analytics/kpi@2", "analytics/kpi@4");

            Map<String, List<Long>> attempts = new HashMap<>();
            List<String> delivered = new ArrayList<>();
            SubscriptionBuilder sub =
                    owner.subscribe("kpi-alerts")
                            .datasets("analytics/kpi")
                            .maxAttempts(4)
                            .backoff(Duration.ofMillis(50), Duration.ofSeconds(10))
                            .handler(
                                    e -> {
                                        if (poison.contains(e.position())) {
                                            attempts.computeIfAbsent(
                                                            e.position(), k -> new ArrayList<>())
                                                    .add(System.nanoTime());
                                            throw new IllegalArgumentException(
                                                    "no threshold for " + e.position());
                                        }
                                        delivered.add(e.position());
                                    });
            DrainReport report = sub.drain();

            assertEquals(positions.size() - 2, report.delivered());
            assertEquals(2, report.deadLettered());
            List<String> expected = new ArrayList<>(positions);
            expected.removeAll(poison);
            assertEquals(expected, delivered, "the rest delivered, in order");
            for (String p : poison) {
                List<Long> times = attempts.get(p);
                assertEquals(4, times.size(), "attempts of " + p);
                List<Long> waits = new ArrayList<>();
                for (int i = 1; i < times.size(); i++) {
                    waits.add(TimeUnit.NANOSECONDS.toMillis(times.get(i) - times.get(i - 1)));
                }
                System.out.println(p + ": 4 attempts, waits between them (ms): " + waits);
                // backoff 50 ms doubled per attempt; each wait between half of it and all of it
                assertTrue(waits.get(0) >= 25, "wait 1: " + waits);
                assertTrue(waits.get(1) >= 50, "wait 2: " + waits);
                assertTrue(waits.get(2) >= 100, "wait 3: " + waits);
                assertTrue(waits.get(2) > waits.get(0), "the delays grow: " + waits);
            }

            QueryResult rows =
                    sql.query(
                            "SELECT subscription, position, source, version, operation, attempts,"
                                    + " error, error_class, stack_head, failed_at,"
                                    + " event->>'$.source' AS event_source"
                                    + " FROM tarn.dead_letters ORDER BY version");
            assertEquals(2, rows.rows().size());
            List<Object> first = rows.rows().get(0);
            assertEquals("kpi-alerts", first.get(0));
            assertEquals("analytics/kpi@2", first.get(1));
            assertEquals("analytics/kpi", first.get(2));
            assertEquals(2L, ((Number) first.get(3)).longValue());
            assertEquals(feed.get(positions.indexOf("analytics/kpi@2")).operation(), first.get(4));
            assertEquals(4, ((Number) first.get(5)).intValue());
            assertEquals(
                    "java.lang.IllegalArgumentException: no threshold for analytics/kpi@2",
                    first.get(6));
            assertEquals("java.lang.IllegalArgumentException", first.get(7));
            assertTrue(first.get(8).toString().contains("\tat "), first.get(8).toString());
            assertNotNull(first.get(9));
            assertEquals("analytics/kpi", first.get(10));
            assertEquals("analytics/kpi@4", rows.rows().get(1).get(1));

            Lake analyst = owner.as(Principal.of("analyst"));
            PermissionDeniedException denied =
                    assertThrows(
                            PermissionDeniedException.class,
                            () -> Sql.of(analyst).query("SELECT * FROM tarn.dead_letters"));
            assertTrue(denied.getMessage().contains("lake"), denied.getMessage());
            // (the analyst reads the dataset: its subscription's dead letters through Java)
            assertEquals(
                    2,
                    analyst.subscribe("kpi-alerts").datasets("analytics/kpi").deadLetters().size());

            // replayed with a fixed handler: gone from the view; the other discarded
            List<DeadLetter> dead = sub.deadLetters();
            List<String> replayed = new ArrayList<>();
            owner.subscribe("kpi-alerts")
                    .datasets("analytics/kpi")
                    .handler(e -> replayed.add(e.position()))
                    .replay(dead.get(0));
            assertEquals(List.of(dead.get(0).position()), replayed);
            assertEquals(
                    1L,
                    ((Number)
                                    sql.query("SELECT count(*) FROM tarn.dead_letters")
                                            .rows()
                                            .get(0)
                                            .get(0))
                            .longValue());
            sub.discard(dead.get(1));
            assertEquals(
                    0L,
                    ((Number)
                                    sql.query("SELECT count(*) FROM tarn.dead_letters")
                                            .rows()
                                            .get(0)
                                            .get(0))
                            .longValue());
        }
    }
}
