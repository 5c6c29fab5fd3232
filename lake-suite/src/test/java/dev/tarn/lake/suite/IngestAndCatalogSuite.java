package dev.tarn.lake.suite;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.catalog.Format;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Zone;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.event.LakeEvent;
import dev.tarn.lake.exceptions.LakeNotFoundException;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.ingest.IngestResult;
import dev.tarn.lake.storage.ObjectStat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Raw ingest, the catalog, and reading objects back (what {@code lake ls} and {@code lake cat}
 * show).
 */
abstract class IngestAndCatalogSuite extends BackendTest {
    static final DatasetId CLICKS = DatasetId.parse("raw/clicks");

    /** Fixed, so that the ingest_date partition of every object is known. */
    static final Clock MARCH_4 = Clock.fixed(Instant.parse("2026-03-04T10:15:30Z"), ZoneOffset.UTC);

    static final String DAY = "ingest_date=2026-03-04/";

    IngestAndCatalogSuite(Backend backend) {
        super(backend);
    }

    static byte[] read(Lake lake, LakeObject o) {
        try (InputStream in = lake.open(o)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void filesStreamsBytesRecordsAndTreesAreStoredByteForByteWithTheirRecords() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        byte[] ndjson = utf8("{\"a\":1}\n{\"a\":2}\n");
        Files.write(in.resolve("a.ndjson"), ndjson);
        byte[] csv = utf8("x,y\n1,2\n3,4\n");
        byte[] text = utf8("just some notes\n");
        Path tree = Files.createDirectories(in.resolve("tree/sub"));
        byte[] nested = utf8("{\"nested\":true}");
        Files.write(tree.resolve("n.json"), nested);
        Files.write(in.resolve("tree/top.tsv"), utf8("p\tq\n1\t2\n"));
        Files.write(in.resolve("tree/.hidden"), utf8("skipped"));

        try (Lake lake = track(newLocation().builder().clock(MARCH_4).open())) {
            assertEquals(0, lake.catalog().version(), "a new lake is version 0");
            IngestResult file =
                    lake.ingest(CLICKS).file(in.resolve("a.ndjson")).meta("system", "web").commit();
            assertEquals(1, file.version());
            LakeObject a = file.stored().get(0).object();
            assertEquals(DAY + "a.ndjson", a.path());
            assertEquals("raw/clicks/" + DAY + "a.ndjson", a.key());
            assertEquals(ndjson.length, a.size());
            assertEquals(sha256(ndjson), a.sha256());
            assertEquals(Format.NDJSON, a.format());
            assertEquals("application/x-ndjson", a.contentType());
            assertEquals("a.ndjson", a.originalName());
            assertEquals(in.resolve("a.ndjson").toAbsolutePath().toString(), a.source());
            assertEquals(Map.of("ingest_date", "2026-03-04"), a.partition());
            assertEquals(Map.of("system", "web"), a.metadata());
            assertEquals(1, a.version());

            IngestResult stream =
                    lake.ingest(CLICKS).stream(new ByteArrayInputStream(csv), "b.csv")
                            .partition("region", "eu")
                            .partition("day", "d1")
                            .commit();
            assertEquals(2, stream.version());
            LakeObject b = stream.stored().get(0).object();
            assertEquals("region=eu/day=d1/b.csv", b.path());
            assertEquals(
                    List.of("region", "day"),
                    new ArrayList<>(b.partition().keySet()),
                    "partition order kept");
            assertEquals(Format.CSV, b.format());
            assertEquals("stream", b.source());

            IngestResult bytes =
                    lake.ingest(CLICKS).bytes(text, "notes.txt").source("unit-test").commit();
            assertEquals(Format.TEXT, bytes.stored().get(0).object().format());
            assertEquals("unit-test", bytes.stored().get(0).object().source());

            Map<String, Object> ann = new LinkedHashMap<>();
            ann.put("id", 1);
            ann.put("name", "ann");
            IngestResult records =
                    lake.ingest(CLICKS)
                            .records(List.of(ann, Map.of("id", 2)), "people.ndjson")
                            .commit();
            LakeObject people = records.stored().get(0).object();
            assertEquals(Format.NDJSON, people.format());
            assertEquals("records", people.source());
            assertEquals(
                    List.of("{\"id\":1,\"name\":\"ann\"}", "{\"id\":2}"),
                    new String(read(lake, people), java.nio.charset.StandardCharsets.UTF_8)
                            .lines()
                            .toList());

            IngestResult dir = lake.ingest(CLICKS).directory(in.resolve("tree")).commit();
            assertEquals(5, dir.version(), "a tree is one commit");
            assertEquals(
                    List.of(DAY + "sub/n.json", DAY + "top.tsv"),
                    dir.stored().stream().map(o -> o.object().path()).sorted().toList(),
                    "hidden files skipped");

            Catalog c = lake.catalog();
            assertEquals(5, c.version());
            List<LakeObject> objects = c.objects(CLICKS);
            assertEquals(6, objects.size());
            assertEquals(
                    objects.stream().map(LakeObject::path).sorted().toList(),
                    objects.stream().map(LakeObject::path).toList(),
                    "listed in path order");
            // every object reads back as exactly the bytes that were ingested, and the store holds
            // them whole
            Map<String, byte[]> expected =
                    Map.of(
                            a.path(),
                            ndjson,
                            b.path(),
                            csv,
                            bytes.stored().get(0).object().path(),
                            text,
                            DAY + "sub/n.json",
                            nested);
            for (LakeObject o : objects) {
                byte[] back = read(lake, o);
                assertEquals(o.size(), back.length, o.path());
                assertEquals(o.sha256(), sha256(back), o.path());
                if (expected.containsKey(o.path())) {
                    assertArrayEquals(expected.get(o.path()), back, o.path());
                }
                assertEquals(o.size(), lake.store().stat(o.key()).orElseThrow().size(), o.key());
            }
            // an object is found by its path, by a name only it has, or by a prefix of its SHA-256
            assertArrayEquals(csv, lake.open(CLICKS, "region=eu/day=d1/b.csv").readAllBytes());
            assertArrayEquals(ndjson, lake.open(CLICKS, "a.ndjson").readAllBytes());
            assertArrayEquals(
                    text, lake.open(CLICKS, sha256(text).substring(0, 12)).readAllBytes());
            assertThrows(
                    NotFoundException.class, () -> lake.catalog().object(CLICKS, "nothing.csv"));
        }
    }

    @Test
    void identicalBytesAreStoredOnceUnderAnyNameUnlessForced() {
        Lake lake = newLake();
        byte[] bytes = utf8("{\"a\":1}\n{\"a\":2}\n");
        IngestResult first = lake.ingest(CLICKS).bytes(bytes, "a.ndjson").commit();
        long version = lake.catalog().version();

        IngestResult dup = lake.ingest(CLICKS).bytes(bytes, "copy-of-a.ndjson").commit();
        assertEquals(-1, dup.version(), "nothing new: no commit");
        assertEquals(0, dup.stored().size());
        assertEquals(1, dup.duplicates().size());
        assertEquals("copy-of-a.ndjson", dup.duplicates().get(0).originalName());
        assertEquals(
                first.stored().get(0).object().path(),
                dup.duplicates().get(0).object().path(),
                "the duplicate points at the object already stored");
        assertEquals(version, lake.catalog().version());
        assertEquals(1, lake.catalog().objects(CLICKS).size());

        // one commit with a new object and a duplicate stores the new one only
        IngestResult mixed =
                lake.ingest(CLICKS)
                        .bytes(utf8("new\n"), "new.txt")
                        .bytes(bytes, "again.ndjson")
                        .commit();
        assertEquals(1, mixed.stored().size());
        assertEquals(1, mixed.duplicates().size());

        IngestResult forced = lake.ingest(CLICKS).bytes(bytes, "a.ndjson").force().commit();
        assertEquals(1, forced.stored().size());
        LakeObject second = forced.stored().get(0).object();
        assertNotEquals(first.stored().get(0).object().path(), second.path());
        assertTrue(
                second.path().matches("ingest_date=\\d{4}-\\d{2}-\\d{2}/a-[0-9a-f]{8}\\.ndjson"),
                "the same name gets a suffix: " + second.path());
        assertEquals(3, lake.catalog().objects(CLICKS).size());
        DoctorReport report = lake.doctor().check();
        assertTrue(
                report.isClean(), () -> "no duplicate's bytes left behind: " + report.findings());
        assertEquals(3, lake.store().list(CLICKS.keyPrefix()).size());
    }

    @Test
    void theCatalogKnowsZonesDatasetsTheirPropertiesAndEveryVersion() {
        Lake lake = newLake();
        List<LakeEvent> events = new CopyOnWriteArrayList<>();
        lake.onCommit(events::add);
        assertEquals(
                List.of("raw", "processed", "analytics"),
                lake.zones().stream().map(Zone::name).toList());
        Zone ml = lake.createZone("ml", "models and features");
        assertEquals("models and features", lake.catalog().zone("ml").orElseThrow().description());
        assertEquals(ml, lake.catalog().zone("ml").orElseThrow());
        assertThrows(TarnException.class, () -> lake.createZone("ml", null), "a zone exists once");

        lake.ingest(CLICKS).bytes(utf8("{\"a\":1}\n"), "a.ndjson").commit();
        lake.ingest(CLICKS).bytes(utf8("{\"a\":2}\n{\"a\":3}\n"), "b.ndjson").commit();
        lake.ingest("raw/users").bytes(utf8("id,name\n1,ann\n"), "u.csv").commit();
        lake.ingest("ml/models").bytes(new byte[] {0, 1, 2, 3}, "m.bin").commit();

        Catalog c = lake.catalog();
        assertEquals(
                List.of("clicks", "users"),
                c.datasets("raw").stream().map(d -> d.id().name()).toList());
        assertEquals(
                Set.of(CLICKS, DatasetId.parse("raw/users"), DatasetId.parse("ml/models")),
                Set.copyOf(c.datasets().stream().map(Dataset::id).toList()));
        assertEquals(List.of(), c.datasets("processed"));
        assertThrows(NotFoundException.class, () -> c.datasets("nope"));
        Dataset clicks = c.dataset(CLICKS).orElseThrow();
        assertEquals(DatasetKind.OBJECTS, clicks.kind());
        assertEquals("ndjson", clicks.format());
        assertEquals(2, clicks.objects());
        assertEquals(8 + 16, clicks.bytes());
        assertNull(clicks.owner());
        assertEquals(3, clicks.lastVersion(), "version 1 made the zone, 2 and 3 the ingests");
        assertEquals("binary", c.dataset("ml/models").orElseThrow().format());

        Dataset updated =
                lake.updateDataset(CLICKS)
                        .owner("web-team")
                        .description("page views")
                        .tag("pii", "no")
                        .tag("tier", "gold")
                        .commit();
        assertEquals("web-team", updated.owner());
        assertEquals("page views", updated.description());
        assertEquals(Map.of("pii", "no", "tier", "gold"), updated.tags());
        assertEquals(lake.catalog().version(), updated.lastVersion());
        Dataset untagged = lake.updateDataset(CLICKS).tag("tier", null).commit();
        assertEquals(Map.of("pii", "no"), untagged.tags());
        assertEquals("web-team", untagged.owner(), "unset properties keep their value");
        assertEquals(untagged, lake.catalog().dataset(CLICKS).orElseThrow());
        assertThrows(
                NotFoundException.class, () -> lake.updateDataset("raw/nope").owner("x").commit());

        // nothing is written into a zone that does not exist
        assertThrows(
                TarnException.class,
                () -> lake.ingest("nope/x").bytes(utf8("x"), "x.txt").commit());
        assertEquals(List.of(), lake.store().list("nope/"));

        // every commit is the next version, with a later timestamp, and reached the listener in
        // order
        long version = lake.catalog().version();
        assertEquals(7, version, "zone, four ingests, two updates");
        assertEquals(
                List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L),
                events.stream().map(LakeEvent::version).toList());
        List<Instant> times = new ArrayList<>();
        for (LakeEvent e : events) {
            times.add(e.timestamp());
        }
        assertEquals(
                times.stream().sorted().distinct().toList(), times, "timestamps strictly increase");
    }

    @Test
    void anotherHandleOnTheSameLocationSeesTheSameCatalogAndBytes() {
        LakeLocation location = newLocation();
        String lakeId;
        List<LakeObject> objects;
        try (Lake lake = location.open()) {
            lakeId = lake.catalog().lakeId();
            lake.ingest(CLICKS)
                    .bytes(utf8("{\"a\":1}\n"), "a.ndjson")
                    .meta("system", "web")
                    .commit();
            lake.ingest("raw/users").bytes(utf8("id,name\n1,ann\n"), "u.csv").commit();
            lake.updateDataset(CLICKS).owner("web-team").commit();
            objects = lake.catalog().objects(CLICKS);
        }
        try (Lake other = location.builder().createIfMissing(false).open();
                Lake third = location.builder().createIfMissing(false).open()) {
            assertEquals(lakeId, other.catalog().lakeId());
            assertEquals(3, other.catalog().version());
            assertEquals(objects, other.catalog().objects(CLICKS));
            assertEquals("web-team", other.catalog().dataset(CLICKS).orElseThrow().owner());
            assertArrayEquals(utf8("{\"a\":1}\n"), read(other, objects.get(0)));
            DoctorReport report = other.doctor().verifyChecksums(true).check();
            assertTrue(report.isClean(), () -> "doctor: " + report.findings());
            assertEquals(2, report.objectsChecked());

            // a commit through one open handle is seen by the other's next catalog
            other.ingest(CLICKS).bytes(utf8("{\"a\":2}\n"), "b.ndjson").commit();
            assertEquals(2, third.catalog().objects(CLICKS).size());
            assertEquals(4, third.catalog().version());
        }
    }

    @Test
    void openingAMissingLakeWithoutCreatingItFailsAndWritesNothing() {
        LakeLocation location = newLocation();
        var e =
                assertThrows(
                        LakeNotFoundException.class,
                        () -> location.builder().createIfMissing(false).open());
        assertTrue(e.getMessage().contains(location.location()), e.getMessage());
        try (Lake lake = location.open()) {
            assertEquals(
                    List.of(
                            "_tarn/catalog/_last_commit",
                            "_tarn/catalog/log/00000000000000000000.json"),
                    lake.store().list("").stream().map(ObjectStat::key).toList(),
                    "only entry 0 (and the hint naming it) once created");
        }
    }

    @Test
    void theStoreHoldsTheLogEntriesAndTheObjectsAndNothingElse() {
        Lake lake = newLake();
        lake.ingest(CLICKS).bytes(utf8("{\"a\":1}\n"), "a.ndjson").commit();
        lake.ingest(CLICKS).bytes(utf8("x,y\n1,2\n"), "b.csv").commit();
        lake.ingest("raw/users").bytes(utf8("id\n1\n"), "u.csv").commit();
        Set<String> expected = new TreeSet<>();
        expected.add(
                "_tarn/catalog/_last_commit"); // {"version":N}: lets readers see a removed newest
        // entry
        for (long v = 0; v <= lake.catalog().version(); v++) {
            expected.add(String.format("_tarn/catalog/log/%020d.json", v));
        }
        for (Dataset d : lake.catalog().datasets()) {
            lake.catalog().objects(d.id()).forEach(o -> expected.add(o.key()));
        }
        assertEquals(1 + 4 + 3, expected.size());
        assertEquals(
                expected,
                new TreeSet<>(lake.store().list("").stream().map(ObjectStat::key).toList()));
        assertEquals(2, lake.store().list("raw/clicks/").size());
    }
}
