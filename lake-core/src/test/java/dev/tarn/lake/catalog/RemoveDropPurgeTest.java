package dev.tarn.lake.catalog;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.doctor.Finding;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.PermissionDeniedException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.internal.storage.LocalObjectStore;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.ObjectWriter;
import dev.tarn.lake.storage.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, acceptance 1 through the API: remove, drop and purge on real files. */
class RemoveDropPurgeTest {
    @TempDir Path tmp;

    /** A clock the test moves forward, so that retentions pass without waiting. */
    static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-11-01T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

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
            return now;
        }
    }

    /**
     * A real store that fails, once armed, to write the catalog log's next entry: a commit that
     * cannot land.
     */
    static final class FailingLogStore implements ObjectStore {
        final LocalObjectStore real;
        volatile boolean armed;

        /** Deletes that succeed before every further one fails; negative: all succeed. */
        volatile int deletesLeft = -1;

        FailingLogStore(Path root) {
            this.real = new LocalObjectStore(root);
        }

        @Override
        public ObjectWriter newWriter(String key, WriteMode mode) {
            if (armed && key.startsWith("_tarn/catalog/log/")) {
                throw new UncheckedIOException(new IOException("disk full (injected)"));
            }
            return real.newWriter(key, mode);
        }

        @Override
        public String location() {
            return real.location();
        }

        @Override
        public InputStream get(String key) {
            return real.get(key);
        }

        @Override
        public InputStream get(String key, long offset, long length) {
            return real.get(key, offset, length);
        }

        @Override
        public java.util.Optional<dev.tarn.lake.storage.ObjectStat> stat(String key) {
            return real.stat(key);
        }

        @Override
        public List<dev.tarn.lake.storage.ObjectStat> list(
                String prefix, String startAfter, int limit) {
            return real.list(prefix, startAfter, limit);
        }

        @Override
        public boolean delete(String key) {
            if (deletesLeft == 0) {
                throw new UncheckedIOException(new IOException("connection reset (injected)"));
            }
            if (deletesLeft > 0) {
                deletesLeft--;
            }
            return real.delete(key);
        }

        @Override
        public List<dev.tarn.lake.storage.PendingWrite> pendingWrites() {
            return real.pendingWrites();
        }

        @Override
        public void abandon(dev.tarn.lake.storage.PendingWrite write) {
            real.abandon(write);
        }
    }

    final StepClock clock = new StepClock();

    Lake open(Path dir) {
        return Lake.builder().location(dir).clock(clock).principal(Principal.of("ops")).open();
    }

    /**
     * Every file under the lake directory, with its bytes as text, except the catalog's own
     * bookkeeping.
     */
    static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (!rel.startsWith("_tarn/")) {
                    out.put(rel, Files.readString(p, StandardCharsets.ISO_8859_1));
                }
            }
        }
        return out;
    }

    static String read(Lake lake, LakeObject o) throws IOException {
        try (InputStream in = lake.open(o)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void removedObjectsLeaveTheNewestVersionButEarlierVersionsStillListAndReadThem()
            throws IOException {
        try (Lake lake = open(tmp.resolve("lake"))) {
            lake.ingest("raw/clicks")
                    .bytes("x\n1\n".getBytes(), "a.csv")
                    .bytes("x\n2\n".getBytes(), "b.csv")
                    .bytes("x\n3\n".getBytes(), "c.csv")
                    .commit();
            long before = lake.catalog().version();
            RemoveResult r =
                    lake.remove("raw/clicks")
                            .object("a.csv")
                            .object("b.csv")
                            .reason("wrong export")
                            .commit();
            assertEquals(before + 1, r.version());
            assertEquals(
                    List.of("a.csv", "b.csv"), r.removed().stream().map(o -> name(o)).toList());
            assertEquals(
                    List.of("c.csv"),
                    lake.catalog().objects(DatasetId.parse("raw/clicks")).stream()
                            .map(RemoveDropPurgeTest::name)
                            .toList());
            assertEquals(1, lake.catalog().dataset("raw/clicks").orElseThrow().objects());

            Catalog old = lake.catalog(before);
            assertEquals(3, old.objects(DatasetId.parse("raw/clicks")).size());
            assertEquals("x\n1\n", read(lake, old.object(DatasetId.parse("raw/clicks"), "a.csv")));

            CatalogCommit c = lake.history(1).get(0);
            assertEquals(r.version(), c.version());
            assertEquals("remove", c.operation());
            assertEquals("ops", c.principal());
            assertEquals("wrong export", c.parameters().get("reason"));
            assertEquals("raw/clicks", c.parameters().get("dataset"));

            // The removed bytes are the lake's, not leftovers: the doctor neither reports nor
            // removes them.
            var report = lake.doctor().grace(Duration.ZERO).repair();
            assertTrue(report.findings().isEmpty(), report.findings().toString());
            assertEquals("x\n2\n", read(lake, old.object(DatasetId.parse("raw/clicks"), "b.csv")));
        }
    }

    static String name(LakeObject o) {
        return o.path().substring(o.path().lastIndexOf('/') + 1);
    }

    @Test
    void removingAMissingObjectRemovesNothing() throws IOException {
        Path dir = tmp.resolve("lake");
        try (Lake lake = open(dir)) {
            lake.ingest("raw/clicks").bytes("x\n1\n".getBytes(), "a.csv").commit();
            long v = lake.catalog().version();
            Map<String, String> files = tree(dir);
            NotFoundException e =
                    assertThrows(
                            NotFoundException.class,
                            () ->
                                    lake.remove("raw/clicks")
                                            .object("a.csv")
                                            .object("nope.csv")
                                            .commit());
            assertTrue(
                    e.getMessage().contains("'nope.csv'")
                            && e.getMessage().contains("nothing was removed"),
                    e.getMessage());
            assertEquals(v, lake.catalog().version());
            assertEquals(1, lake.catalog().objects(DatasetId.parse("raw/clicks")).size());
            assertEquals(files, tree(dir));
            assertThrows(
                    NotFoundException.class,
                    () -> lake.remove("raw/nothing").object("a.csv").commit());
            assertEquals(v, lake.catalog().version());
        }
    }

    @Test
    void aDroppedDatasetIsGoneFromTheNewestVersionKeptInEarlierOnesAndItsNameCanBeUsedAgain()
            throws IOException {
        try (Lake lake = open(tmp.resolve("lake"))) {
            lake.ingest("raw/clicks").bytes("x\n1\n".getBytes(), "a.csv").commit();
            long before = lake.catalog().version();
            DropResult r = lake.drop("raw/clicks").reason("replaced").commit();
            assertEquals(1, r.dataset().objects());
            assertTrue(lake.catalog().dataset("raw/clicks").isEmpty());
            DroppedDataset d = lake.catalog().dropped().get(0);
            assertEquals(
                    new DroppedDataset(
                            DatasetId.parse("raw/clicks"),
                            DatasetKind.OBJECTS,
                            clock.now,
                            r.version()),
                    d);
            NotFoundException gone =
                    assertThrows(
                            NotFoundException.class,
                            () -> lake.catalog().objects(DatasetId.parse("raw/clicks")));
            assertTrue(
                    gone.getMessage().contains("dropped in catalog version " + r.version()),
                    gone.getMessage());
            assertEquals(
                    "x\n1\n",
                    read(
                            lake,
                            lake.catalog(before).object(DatasetId.parse("raw/clicks"), "a.csv")));

            CatalogCommit c = lake.history(1).get(0);
            assertEquals("drop-dataset", c.operation());
            assertEquals("ops", c.principal());
            assertEquals("replaced", c.parameters().get("reason"));
            assertEquals("objects", c.parameters().get("kind"));

            assertThrows(NotFoundException.class, () -> lake.drop("raw/clicks").commit());
            assertThrows(NotFoundException.class, () -> lake.drop("raw/never").commit());
            assertEquals(r.version(), lake.catalog().version());

            // The same bytes again make a new dataset with a new key: the dropped one's bytes are
            // not reused.
            lake.ingest("raw/clicks").bytes("x\n1\n".getBytes(), "a.csv").commit();
            assertTrue(lake.catalog().dropped().isEmpty());
            LakeObject fresh = lake.catalog().objects(DatasetId.parse("raw/clicks")).get(0);
            assertNotEquals(
                    lake.catalog(before).objects(DatasetId.parse("raw/clicks")).get(0).key(),
                    fresh.key());
            assertTrue(lake.doctor().check().findings().isEmpty());
        }
    }

    @Test
    void theDropSurvivesCheckpointsAndReopening() {
        Path dir = tmp.resolve("lake");
        try (Lake lake = Lake.builder().location(dir).clock(clock).checkpointInterval(2).open()) {
            lake.ingest("raw/a").bytes("x\n1\n".getBytes(), "a.csv").commit();
            lake.ingest("raw/b").bytes("x\n1\n".getBytes(), "b.csv").commit();
            lake.drop("raw/a").commit();
            lake.ingest("raw/b")
                    .bytes("x\n2\n".getBytes(), "c.csv")
                    .commit(); // a checkpoint at version 4
        }
        try (Lake lake = Lake.open(dir)) {
            assertEquals(
                    List.of("raw/a"),
                    lake.catalog().dropped().stream().map(d -> d.id().toString()).toList());
            assertEquals(
                    List.of("raw/b"),
                    lake.catalog().datasets().stream().map(d -> d.id().toString()).toList());
            assertEquals(1, lake.catalog(2).objects(DatasetId.parse("raw/a")).size());
            // The doctor's own replay agrees with the checkpoint that holds the drop.
            assertTrue(
                    lake.doctor().check().findings().isEmpty(),
                    lake.doctor().check().findings().toString());
        }
    }

    @Test
    void purgeDeletesExactlyTheBytesNoVersionWithinTheRetentionNeeds() throws IOException {
        Path dir = tmp.resolve("lake");
        try (Lake lake = open(dir)) {
            lake.ingest("raw/clicks")
                    .bytes("x\n1\n".getBytes(), "a.csv")
                    .bytes("x\n2\n".getBytes(), "b.csv")
                    .commit();
            lake.ingest("raw/old").bytes("x\n9\n".getBytes(), "o.csv").commit();
            lake.ingest("raw/keep").bytes("x\n7\n".getBytes(), "k.csv").commit();
            Files.writeString(
                    dir.resolve("raw/keep/stray.bin"),
                    "not the catalog's"); // never named: doctor's
            Files.setLastModifiedTime(
                    dir.resolve("raw/keep/stray.bin"),
                    java.nio.file.attribute.FileTime.from(clock.now.minus(Duration.ofDays(30))));
            long v1 = lake.catalog().version();
            LakeObject a = lake.catalog().object(DatasetId.parse("raw/clicks"), "a.csv");
            LakeObject o = lake.catalog().object(DatasetId.parse("raw/old"), "o.csv");
            lake.remove("raw/clicks").object("a.csv").reason("pii").commit();
            lake.drop("raw/old").reason("obsolete").commit();
            clock.advance(Duration.ofDays(2));

            // Within the retention: nothing to purge, nothing committed.
            long v = lake.catalog().version();
            PurgeResult none = lake.purge().olderThan(Duration.ofDays(7)).commit();
            assertTrue(none.deleted().isEmpty());
            assertEquals(-1, none.version());
            assertEquals(v, lake.catalog().version());

            // 36h: the removal and the drop are older; the dry run lists them and deletes nothing.
            Map<String, String> before = tree(dir);
            PurgeResult dry = lake.purge().olderThan(Duration.ofHours(36)).apply();
            assertEquals(
                    List.of(a.key(), o.key()),
                    dry.deleted().stream().map(PurgeResult.Item::key).toList());
            assertEquals(8, dry.bytes());
            assertTrue(dry.dryRun());
            assertEquals(before, tree(dir));
            assertEquals(v, lake.catalog().version());

            PurgeResult r =
                    lake.purge().olderThan(Duration.ofHours(36)).reason("gdpr request 7").commit();
            Map<String, String> expected = new TreeMap<>(before);
            expected.remove(a.key());
            expected.remove(o.key());
            assertEquals(expected, tree(dir));
            assertEquals(v + 1, r.version());
            CatalogCommit c = lake.history(1).get(0);
            assertEquals("purge", c.operation());
            assertEquals("ops", c.principal());
            assertEquals("gdpr request 7", c.parameters().get("reason"));
            assertEquals("2", c.parameters().get("objects"));

            // Earlier versions still list the objects; reading them says they were purged.
            NotFoundException purged =
                    assertThrows(
                            NotFoundException.class,
                            () ->
                                    lake.open(
                                            lake.catalog(v1)
                                                    .object(
                                                            DatasetId.parse("raw/clicks"),
                                                            "a.csv")));
            assertTrue(purged.getMessage().contains("'lake purge'"), purged.getMessage());
            assertEquals(
                    "x\n2\n",
                    read(lake, lake.catalog(v1).object(DatasetId.parse("raw/clicks"), "b.csv")));

            // Nothing is left to purge; the doctor still only reports the stray file it always did.
            assertTrue(lake.purge().olderThan(Duration.ZERO).commit().deleted().isEmpty());
            List<Finding> f = lake.doctor().check().findings();
            assertEquals(List.of("raw/keep/stray.bin"), f.stream().map(Finding::key).toList());
        }
    }

    @Test
    void purgeOnAnEmptyLakeDeletesAndCommitsNothing() throws IOException {
        Path dir = tmp.resolve("lake");
        try (Lake lake = open(dir)) {
            PurgeResult r = lake.purge().olderThan(Duration.ZERO).commit();
            assertEquals(List.of(), r.deleted());
            assertEquals(0, r.bytes());
            assertEquals(0, lake.catalog().version());
        }
    }

    @Test
    void aFailedCommitLeavesTheLakeAsItWas() throws IOException {
        Path dir = tmp.resolve("lake");
        Files.createDirectories(dir);
        FailingLogStore store = new FailingLogStore(dir);
        try (Lake lake = Lake.builder().store(store).clock(clock).open()) {
            lake.ingest("raw/clicks")
                    .bytes("x\n1\n".getBytes(), "a.csv")
                    .bytes("x\n2\n".getBytes(), "b.csv")
                    .commit();
            lake.remove("raw/clicks").object("b.csv").commit();
            clock.advance(Duration.ofDays(8));
            long v = lake.catalog().version();
            Map<String, String> files = tree(dir);
            store.armed = true;
            assertThrows(
                    UncheckedIOException.class,
                    () -> lake.remove("raw/clicks").object("a.csv").commit());
            assertThrows(UncheckedIOException.class, () -> lake.drop("raw/clicks").commit());
            assertThrows(UncheckedIOException.class, () -> lake.purge().commit());
            store.armed = false;
            assertEquals(v, lake.catalog().version());
            assertEquals(files, tree(dir));
            assertEquals(1, lake.catalog().objects(DatasetId.parse("raw/clicks")).size());
            assertEquals(
                    1,
                    lake.purge().commit().deleted().size()); // b.csv, now that commits land again
        }
    }

    @Test
    void aPurgeInterruptedWhileDeletingLeavesOnlyUnneededBytesWhichTheNextPurgeDeletes()
            throws IOException {
        Path dir = tmp.resolve("lake");
        Files.createDirectories(dir);
        FailingLogStore store = new FailingLogStore(dir);
        try (Lake lake = Lake.builder().store(store).clock(clock).open()) {
            lake.ingest("raw/clicks")
                    .bytes("x\n1\n".getBytes(), "a.csv")
                    .bytes("x\n2\n".getBytes(), "b.csv")
                    .bytes("x\n3\n".getBytes(), "c.csv")
                    .commit();
            List<LakeObject> all = lake.catalog().objects(DatasetId.parse("raw/clicks"));
            lake.remove("raw/clicks").object("a.csv").object("b.csv").commit();
            Map<String, String> before = tree(dir);
            clock.advance(Duration.ofSeconds(1));
            store.deletesLeft = 1;
            assertThrows(
                    UncheckedIOException.class,
                    () -> lake.purge().olderThan(Duration.ZERO).commit());
            store.deletesLeft = -1;
            // The purge was recorded; one of the two is gone; what the newest version lists is
            // untouched.
            assertEquals("purge", lake.history(1).get(0).operation());
            assertEquals(before.size() - 1, tree(dir).size());
            assertEquals(
                    "x\n3\n",
                    read(lake, lake.catalog().object(DatasetId.parse("raw/clicks"), "c.csv")));
            PurgeResult again = lake.purge().olderThan(Duration.ZERO).commit();
            assertEquals(1, again.deleted().size());
            Map<String, String> expected = new TreeMap<>(before);
            expected.remove(all.get(0).key());
            expected.remove(all.get(1).key());
            assertEquals(expected, tree(dir));
        }
    }

    @Test
    void eachOperationAsksTheAccessPolicy() {
        Path dir = tmp.resolve("lake");
        try (Lake admin = open(dir)) {
            admin.ingest("raw/clicks").bytes("x\n1\n".getBytes(), "a.csv").commit();
        }
        // A writer may remove objects, but neither drop datasets nor purge bytes: both need ADMIN.
        try (Lake writer =
                Lake.builder()
                        .location(dir)
                        .principal(Principal.of("etl"))
                        .accessPolicy((p, privilege, resource) -> privilege != Privilege.ADMIN)
                        .open()) {
            assertThrows(PermissionDeniedException.class, () -> writer.drop("raw/clicks").commit());
            assertThrows(PermissionDeniedException.class, () -> writer.purge().apply());
            writer.remove("raw/clicks").object("a.csv").commit();
            assertEquals("etl", writer.history(1).get(0).principal());
        }
        try (Lake reader =
                Lake.builder()
                        .location(dir)
                        .accessPolicy((p, privilege, resource) -> privilege == Privilege.READ)
                        .open()) {
            long v = reader.catalog().version();
            PermissionDeniedException e =
                    assertThrows(
                            PermissionDeniedException.class,
                            () -> reader.remove("raw/clicks").object("a.csv").commit());
            assertTrue(e.getMessage().contains("write raw/clicks"), e.getMessage());
            assertEquals(v, reader.catalog().version());
        }
    }

    @Test
    void earlierVersionsBeyondTheNewestAreRefused() {
        try (Lake lake = open(tmp.resolve("lake"))) {
            NotFoundException e = assertThrows(NotFoundException.class, () -> lake.catalog(5));
            assertTrue(e.getMessage().contains("0 to 0"), e.getMessage());
            assertThrows(TarnException.class, () -> lake.catalog(-1));
        }
    }
}
