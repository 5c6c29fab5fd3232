package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.event.ChangeEvent;
import dev.tarn.lake.event.ChangeFeed;
import dev.tarn.lake.event.FeedCursor;
import dev.tarn.lake.event.LakeEvent;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change feed over a real lake: the catalog's log and every table's {@code _delta_log}, each
 * commit one event with the right fields; cursors that resume with nothing missed or repeated;
 * filters; access; a table dropped and created again; a log cleaned up after a checkpoint.
 */
class ChangeFeedTest {
    static final DatasetId RAW = DatasetId.parse("raw/clicks");
    static final DatasetId TABLE = DatasetId.parse("processed/clicks");
    static final DatasetId SECRET = DatasetId.parse("raw/secret");

    @TempDir Path tmp;
    Lake lake;
    volatile Duration skew = Duration.ZERO;
    final Clock clock =
            new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return Instant.now().plus(skew);
                }
            };

    @BeforeEach
    void open() {
        lake =
                Lake.builder()
                        .location(tmp.resolve("lake"))
                        .clock(clock)
                        .principal(Principal.of("ana"))
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

    private LakeObject ingest(DatasetId id, int from, int n) {
        return lake.ingest(id)
                .bytes(ConvertTest.events(from, n), "e" + from + ".ndjson")
                .commit()
                .objects()
                .get(0)
                .object();
    }

    private static List<ChangeEvent> drain(ChangeFeed feed) {
        List<ChangeEvent> out = new ArrayList<>();
        for (List<ChangeEvent> got = feed.poll(3); !got.isEmpty(); got = feed.poll(3)) {
            out.addAll(got);
        }
        return out;
    }

    private static List<String> positions(List<ChangeEvent> events) {
        return events.stream().map(e -> e.position() + " " + e.operation()).toList();
    }

    @Test
    void everyKindOfCommitIsOneEventWithItsFields() {
        LakeObject first = ingest(RAW, 0, 6);
        Tables tables = Tables.of(lake);
        tables.newConvert(RAW, TABLE).commit(); // create-dataset, create table, append
        LakeObject second = ingest(RAW, 6, 3);
        tables.newConvert(RAW, TABLE).commit(); // append
        Table t = tables.load(TABLE);
        t.newRowDelete().rows(RowPredicate.eq("id", 1L), "id = 1").commit();
        t.newCompaction().commit();
        ingest(RAW, 20, 2);
        tables.newConvert(RAW, TABLE).mode(Convert.Mode.OVERWRITE).commit();
        lake.updateDataset(RAW).description("clicks as they came").commit();
        lake.remove(RAW).objects(List.of(second.path())).commit();
        ingest(SECRET, 0, 1);
        lake.drop(SECRET).commit();

        List<ChangeEvent> events = drain(lake.events());
        List<ChangeEvent> tableEvents =
                events.stream().filter(e -> e.kind() == LakeEvent.Kind.TABLE).toList();
        assertEquals(
                List.of(
                        "processed/clicks@0 create-table",
                        "processed/clicks@1 append",
                        "processed/clicks@2 append",
                        "processed/clicks@3 delete",
                        "processed/clicks@4 compaction",
                        "processed/clicks@5 overwrite"),
                positions(tableEvents),
                positions(events) + " " + t.history());
        List<String> catalogOps =
                events.stream()
                        .filter(e -> e.kind() == LakeEvent.Kind.CATALOG)
                        .map(ChangeEvent::operation)
                        .toList();
        assertEquals(
                List.of(
                        "create-lake",
                        "ingest",
                        "create-dataset",
                        "ingest",
                        "ingest",
                        "update-dataset",
                        "remove",
                        "ingest",
                        "drop-dataset"),
                catalogOps,
                positions(events).toString());
        // Each source in version order, complete; all of it in commit-time order.
        for (int i = 1; i < events.size(); i++) {
            assertFalse(events.get(i).timestamp().isBefore(events.get(i - 1).timestamp()));
        }
        ChangeEvent ingest =
                events.stream()
                        .filter(e -> e.operation().equals("ingest"))
                        .findFirst()
                        .orElseThrow();
        assertEquals(List.of(RAW), ingest.datasets());
        assertEquals(List.of(first.key()), ingest.added());
        assertEquals("ana", ingest.principal());
        assertEquals(first.size(), ingest.metrics().get("bytesAdded"));

        ChangeEvent create = tableEvents.get(0);
        assertEquals(List.of(TABLE), create.datasets());
        assertEquals("ana", create.principal());
        ChangeEvent append = tableEvents.get(1);
        assertEquals(1, append.added().size());
        assertTrue(append.added().get(0).endsWith(".parquet"), append.added().toString());
        assertTrue(
                Files.exists(
                        tmp.resolve("lake").resolve(TABLE.keyPrefix() + append.added().get(0))));
        assertEquals(6L, append.metrics().get("numOutputRows"));
        ChangeEvent delete = tableEvents.get(3);
        assertEquals(1, delete.removed().size());
        assertTrue(delete.metrics().containsKey("numDeletedRows"), delete.metrics().toString());
        ChangeEvent compaction = tableEvents.get(4);
        assertEquals(List.of(), compaction.added(), "a rewrite changes no data");
        assertEquals(List.of(), compaction.removed());
        ChangeEvent overwrite = tableEvents.get(5);
        assertFalse(overwrite.removed().isEmpty());
        assertEquals(
                t.snapshot(5).files().stream().map(DataFile::path).sorted().toList(),
                overwrite.added().stream().sorted().toList());

        ChangeEvent rm =
                events.stream()
                        .filter(e -> e.operation().equals("remove"))
                        .findFirst()
                        .orElseThrow();
        assertEquals(List.of(second.key()), rm.removed());
        ChangeEvent drop = events.get(events.size() - 1);
        assertEquals(List.of(SECRET), drop.datasets());
        assertEquals(List.of(), drop.added());
    }

    @Test
    void aSavedCursorResumesWithNothingMissedOrRepeated() {
        List<ChangeEvent> seen = new ArrayList<>();
        FeedCursor saved = FeedCursor.start();
        Tables tables = Tables.of(lake);
        for (int round = 0; round < 4; round++) {
            ingest(RAW, round * 3, 3);
            tables.newConvert(RAW, TABLE).commit();
            // a new reader each round, from the cursor's text, as a restarted process would
            try (Lake other = Lake.open(tmp.resolve("lake"))) {
                ChangeFeed feed = other.events().since(FeedCursor.parse(saved.toString()));
                List<ChangeEvent> got = feed.poll(2);
                seen.addAll(got);
                saved = feed.cursor(); // stopped half way: the rest comes next round
            }
        }
        ChangeFeed feed = lake.events().since(saved);
        seen.addAll(drain(feed));
        List<String> all = positions(drain(lake.events()));
        assertEquals(all, positions(seen));
        assertEquals(Set.copyOf(all).size(), all.size());
        assertEquals(feed.cursor(), lake.events().since(feed.cursor()).cursor());
        assertTrue(lake.events().since(feed.cursor()).poll().isEmpty());
    }

    @Test
    void sinceATimeStartsAtTheFirstCommitAtOrAfterIt() throws Exception {
        ingest(RAW, 0, 3);
        Tables.of(lake).newConvert(RAW, TABLE).commit();
        Thread.sleep(20);
        Instant mark = clock.instant();
        Thread.sleep(20);
        ingest(RAW, 3, 3);
        Tables.of(lake).newConvert(RAW, TABLE).commit();
        assertEquals(
                List.of("catalog@3 ingest", "processed/clicks@2 append"),
                positions(drain(lake.events().since(mark))));
    }

    @Test
    void aDatasetFilterKeepsTheEventsThatTouchIt() {
        ingest(RAW, 0, 3);
        ingest(SECRET, 0, 1);
        Tables.of(lake).newConvert(RAW, TABLE).commit();
        assertEquals(
                List.of(
                        "catalog@3 create-dataset",
                        "processed/clicks@0 create-table",
                        "processed/clicks@1 append"),
                positions(drain(lake.events().datasets(TABLE))));
        assertEquals(List.of("catalog@2 ingest"), positions(drain(lake.events().datasets(SECRET))));
    }

    @Test
    void aGuestSeesNothingOfADatasetItMayNotRead() {
        lake.ingest(RAW).bytes(ConvertTest.events(0, 2), "a.ndjson").commit();
        // (a commit that touches both is split per reader: lake-core's DefaultChangeFeedTest)
        lake.ingest(SECRET).bytes(ConvertTest.events(0, 1), "s.ndjson").commit();
        Tables.of(lake).newConvert(RAW, TABLE).commit();
        Lake guest = lake.as(Principal.of("guest"));
        List<ChangeEvent> events = drain(guest.events());
        assertTrue(
                events.stream().noneMatch(e -> e.datasets().contains(SECRET)), events.toString());
        assertTrue(
                events.stream()
                        .flatMap(e -> Stream.concat(e.added().stream(), e.removed().stream()))
                        .noneMatch(k -> k.startsWith(SECRET.keyPrefix())));
        // no zone or lake commits: they touch no dataset the guest reads
        assertTrue(events.stream().noneMatch(e -> e.operation().equals("create-lake")));
        assertEquals(
                List.of(
                        "catalog@1 ingest",
                        "catalog@3 create-dataset",
                        "processed/clicks@0 create-table",
                        "processed/clicks@1 append"),
                positions(events));
        assertTrue(drain(guest.events().datasets(SECRET)).isEmpty());
        // the owner sees them all
        assertEquals(6, drain(lake.events()).size());
    }

    @Test
    void aTableDroppedAndCreatedAgainIsReadFromItsNewFirstVersion() {
        Tables tables = Tables.of(lake);
        ingest(RAW, 0, 3);
        tables.newConvert(RAW, TABLE).commit();
        ingest(RAW, 3, 3);
        tables.newConvert(RAW, TABLE).commit();
        ChangeFeed feed = lake.events();
        drain(feed);
        FeedCursor before = feed.cursor();
        assertEquals(2L, before.last(TABLE.toString()).getAsLong());

        lake.drop(TABLE).force().commit();
        skew = Duration.ofHours(2);
        lake.purge().olderThan(Duration.ofHours(1)).commit();
        tables.newConvert(RAW, TABLE).commit(); // versions 0 and 1 of a new table
        List<String> expected =
                List.of(
                        "catalog@4 drop-dataset",
                        "catalog@5 purge",
                        "catalog@6 create-dataset",
                        "processed/clicks@0 create-table",
                        "processed/clicks@1 append");
        assertEquals(expected, positions(drain(feed)));
        // A restarted reader with the cursor saved before the drop does the same.
        assertEquals(expected, positions(drain(lake.events().since(before))));
        // ...and one whose cursor has no catalog position: the cursor's table version is told
        // apart by its time. Version 2 is the old table's (the new one has none): read anew.
        assertEquals(
                List.of("processed/clicks@0 create-table", "processed/clicks@1 append"),
                tableEvents(drain(lake.events().since(FeedCursor.parse("processed/clicks@2")))));
        // Version 1 is there in the new table, committed after the drop: that is where it is.
        assertEquals(
                List.of(),
                tableEvents(drain(lake.events().since(FeedCursor.parse("processed/clicks@1")))));
        assertEquals(List.of(), positions(drain(lake.events().since(feed.cursor()))));
    }

    private static List<String> tableEvents(List<ChangeEvent> events) {
        return positions(events.stream().filter(e -> e.kind() == LakeEvent.Kind.TABLE).toList());
    }

    @Test
    void versionsCleanedUpAfterACheckpointAreAnErrorNamingWhereToResume() throws Exception {
        Tables tables = Tables.of(lake);
        ingest(RAW, 0, 2);
        tables.newConvert(RAW, TABLE).commit();
        for (int i = 0; i < 12; i++) {
            ingest(RAW, 10 + i, 1);
            tables.newConvert(RAW, TABLE).commit();
        }
        Path log = tmp.resolve("lake").resolve(TABLE.keyPrefix() + "_delta_log");
        assertTrue(Files.exists(log.resolve(String.format("%020d.checkpoint.parquet", 10))));
        for (int v = 0; v < 10; v++) {
            Files.delete(log.resolve(String.format("%020d.json", v)));
        }
        NotFoundException e =
                assertThrows(NotFoundException.class, () -> drain(lake.events().datasets(TABLE)));
        assertTrue(
                e.getMessage().contains("versions 0..9")
                        && e.getMessage().contains("processed/clicks@9"),
                e.getMessage());
        List<ChangeEvent> rest =
                drain(lake.events().since(FeedCursor.parse("processed/clicks@9")).datasets(TABLE));
        assertEquals(
                List.of(10L, 11L, 12L, 13L),
                rest.stream()
                        .filter(x -> x.kind() == LakeEvent.Kind.TABLE)
                        .map(ChangeEvent::version)
                        .toList());
        // A time before the oldest entry left starts after what is gone, without an error.
        assertEquals(
                4,
                drain(lake.events().since(Instant.EPOCH).datasets(TABLE)).stream()
                        .filter(x -> x.kind() == LakeEvent.Kind.TABLE)
                        .count());
    }
}
