package dev.tarn.lake;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.Format;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.event.LakeEvent;
import dev.tarn.lake.exceptions.IllegalNameException;
import dev.tarn.lake.exceptions.LakeNotFoundException;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.PermissionDeniedException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.ingest.IngestResult;
import dev.tarn.lake.ingest.IngestedObject;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeTest {
    @TempDir Path tmp;

    static final DatasetId CLICKS = DatasetId.parse("raw/clicks");
    static final Clock FIXED = Clock.fixed(Instant.parse("2026-03-04T10:15:30Z"), ZoneOffset.UTC);

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    Path write(String name, String content) throws IOException {
        Path p = tmp.resolve("in").resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    @Test
    void aNewLakeHasTheDefaultZonesAndSurvivesReopening() {
        Path dir = tmp.resolve("lake");
        String id;
        try (Lake lake = Lake.open(dir)) {
            assertEquals(
                    List.of("raw", "processed", "analytics"),
                    lake.zones().stream().map(z -> z.name()).toList());
            id = lake.catalog().lakeId();
            assertEquals(0, lake.catalog().version());
        }
        try (Lake lake = Lake.open(dir)) {
            assertEquals(id, lake.catalog().lakeId());
            assertEquals(3, lake.zones().size());
        }
    }

    @Test
    void extraZonesLiveInTheLakeItself() {
        Path dir = tmp.resolve("lake");
        try (Lake lake =
                Lake.builder().location(dir).zones("raw", "processed", "analytics", "ml").open()) {
            lake.createZone("archive", "cold data");
        }
        try (Lake lake =
                Lake.open(dir.toString())) { // no zone options given: they come from the lake
            assertEquals(
                    List.of("raw", "processed", "analytics", "ml", "archive"),
                    lake.zones().stream().map(z -> z.name()).toList());
            assertEquals("cold data", lake.catalog().zone("archive").orElseThrow().description());
            assertThrows(TarnException.class, () -> lake.createZone("ml", null));
            assertThrows(IllegalNameException.class, () -> lake.createZone("Bad Zone", null));
        }
    }

    @Test
    void aDirectoryWithOtherFilesIsNotTurnedIntoALake() throws IOException {
        Path dir = tmp.resolve("home");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        var e = assertThrows(TarnException.class, () -> Lake.open(dir));
        assertTrue(e.getMessage().contains("holds files but no Tarn lake"), e.getMessage());
        assertEquals(List.of(dir.resolve("notes.txt")), Files.list(dir).toList());
    }

    @Test
    void openingWithoutCreateFailsClearlyOnAMissingLake() {
        var e =
                assertThrows(
                        LakeNotFoundException.class,
                        () ->
                                Lake.builder()
                                        .location(tmp.resolve("none"))
                                        .createIfMissing(false)
                                        .open());
        assertTrue(e.getMessage().contains("lake init"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("none")));
    }

    @Test
    void ingestStoresTheBytesUnderIngestDateWithAMetadataRecord() throws Exception {
        String content = "{\"user\":1,\"page\":\"/a\"}\n{\"user\":2,\"page\":\"/b\"}\n";
        Path file = write("events.ndjson", content);
        try (Lake lake = Lake.builder().location(tmp.resolve("lake")).clock(FIXED).open()) {
            IngestResult r = lake.ingest("raw/clicks").file(file).meta("system", "web").commit();
            assertEquals(1, r.stored().size());
            assertEquals(1, r.version());
            LakeObject o = r.stored().get(0).object();
            assertEquals("ingest_date=2026-03-04/events.ndjson", o.path());
            assertEquals("raw/clicks/ingest_date=2026-03-04/events.ndjson", o.key());
            assertEquals(content.length(), o.size());
            assertEquals(sha256(content.getBytes(StandardCharsets.UTF_8)), o.sha256());
            assertEquals(Format.NDJSON, o.format());
            assertEquals("application/x-ndjson", o.contentType());
            assertEquals("events.ndjson", o.originalName());
            assertEquals(file.toAbsolutePath().toString(), o.source());
            assertEquals(Map.of("ingest_date", "2026-03-04"), o.partition());
            assertEquals(Map.of("system", "web"), o.metadata());
            assertEquals(Instant.parse("2026-03-04T10:15:30Z"), o.ingestedAt());
            // byte for byte, on disk where the layout says
            assertEquals(content, Files.readString(tmp.resolve("lake").resolve(o.key())));
            try (InputStream in = lake.open(CLICKS, "events.ndjson")) {
                assertEquals(content, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            Dataset d = lake.catalog().dataset(CLICKS).orElseThrow();
            assertEquals(1, d.objects());
            assertEquals(content.length(), d.bytes());
            assertEquals("ndjson", d.format());
        }
    }

    @Test
    void identicalBytesAreReportedAsDuplicatesUnlessForced() throws Exception {
        Path a = write("a.csv", "id,name\n1,x\n");
        Path b = write("copy-of-a.csv", "id,name\n1,x\n");
        try (Lake lake = Lake.open(tmp.resolve("lake"))) {
            lake.ingest(CLICKS).file(a).commit();
            IngestResult again = lake.ingest(CLICKS).file(b).commit();
            assertEquals(-1, again.version(), "nothing new: no commit");
            assertEquals(1, again.duplicates().size());
            IngestedObject dup = again.duplicates().get(0);
            assertEquals("copy-of-a.csv", dup.originalName());
            assertEquals(
                    "a.csv", dup.object().originalName(), "points at the object already stored");
            assertEquals(1, lake.catalog().objects(CLICKS).size());
            assertTrue(
                    lake.doctor().check().isClean(), "the duplicate's bytes were not left behind");

            IngestResult forced = lake.ingest(CLICKS).file(b).force().commit();
            assertEquals(1, forced.stored().size());
            assertEquals(2, lake.catalog().objects(CLICKS).size());
        }
    }

    @Test
    void duplicatesInsideOneIngestAreStoredOnce() throws Exception {
        Path a = write("x/one.txt", "same");
        write("x/two.txt", "same");
        write("x/three.txt", "other");
        try (Lake lake = Lake.open(tmp.resolve("lake"))) {
            IngestResult r = lake.ingest(CLICKS).directory(a.getParent()).commit();
            assertEquals(2, r.stored().size());
            assertEquals(1, r.duplicates().size());
            assertEquals(2, lake.catalog().objects(CLICKS).size());
        }
    }

    @Test
    void sameNameWithOtherBytesGetsItsOwnPath() throws Exception {
        Path day1 = write("d1/export.csv", "a\n1\n");
        Path day2 = write("d2/export.csv", "a\n2\n");
        try (Lake lake = Lake.builder().location(tmp.resolve("lake")).clock(FIXED).open()) {
            lake.ingest(CLICKS).file(day1).commit();
            LakeObject second = lake.ingest(CLICKS).file(day2).commit().stored().get(0).object();
            assertNotEquals("ingest_date=2026-03-04/export.csv", second.path());
            assertTrue(
                    second.path().matches("ingest_date=2026-03-04/export-[0-9a-f]{8}\\.csv"),
                    second.path());
            assertEquals("export.csv", second.originalName());
            assertEquals(2, lake.catalog().objects(CLICKS).size());
        }
    }

    @Test
    void aDirectoryTreeKeepsItsRelativePathsAndCommitsAtOnce() throws Exception {
        Path root = tmp.resolve("tree");
        Files.createDirectories(root.resolve("region=eu"));
        Files.createDirectories(root.resolve("region=us"));
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve("region=eu/a.csv"), "k\n1\n");
        Files.writeString(root.resolve("region=us/a.csv"), "k\n2\n");
        Files.writeString(root.resolve(".git/config"), "hidden");
        try (Lake lake = Lake.builder().location(tmp.resolve("lake")).clock(FIXED).open()) {
            List<LakeEvent> events = new ArrayList<>();
            lake.onCommit(events::add);
            IngestResult r = lake.ingest(CLICKS).directory(root).commit();
            assertEquals(
                    List.of(
                            "ingest_date=2026-03-04/region=eu/a.csv",
                            "ingest_date=2026-03-04/region=us/a.csv"),
                    lake.catalog().objects(CLICKS).stream().map(LakeObject::path).toList());
            assertEquals(1, events.size(), "one ingest, one commit");
            assertEquals(r.version(), events.get(0).version());
            assertEquals(2, events.get(0).objectsAdded());
            assertEquals(List.of(CLICKS), events.get(0).datasets());
        }
    }

    @Test
    void userPartitionsReplaceTheIngestDateAndAreValidated() throws Exception {
        Path f = write("m.bin", "\u0000\u0001binary");
        try (Lake lake = Lake.open(tmp.resolve("lake"))) {
            LakeObject o =
                    lake.ingest("raw/models")
                            .file(f)
                            .partition("model", "churn")
                            .partition("v", "3")
                            .commit()
                            .stored()
                            .get(0)
                            .object();
            assertEquals("model=churn/v=3/m.bin", o.path());
            assertEquals(Format.BINARY, o.format());
            assertThrows(
                    IllegalNameException.class,
                    () ->
                            lake.ingest("raw/models")
                                    .file(f)
                                    .partition("model", "../../etc")
                                    .commit());
            assertThrows(
                    IllegalNameException.class,
                    () -> lake.ingest("raw/models").file(f).partition("Bad Key", "x").commit());
            assertEquals(1, lake.catalog().objects(DatasetId.parse("raw/models")).size());
        }
    }

    @Test
    void streamsBytesAndRecordsAreIngested() throws Exception {
        try (Lake lake = Lake.open(tmp.resolve("lake"))) {
            byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
            LakeObject img =
                    lake.ingest("raw/images").stream(new ByteArrayInputStream(png), "cat.png")
                            .commit()
                            .stored()
                            .get(0)
                            .object();
            assertEquals("image/png", img.contentType());
            assertEquals("stream", img.source());
            try (InputStream in = lake.open(img)) {
                assertArrayEquals(png, in.readAllBytes());
            }
            List<Map<String, Object>> rows =
                    List.of(Map.of("id", 1, "name", "ä"), Map.of("id", 2, "name", "b"));
            LakeObject rec =
                    lake.ingest("raw/people")
                            .records(rows, "people.ndjson")
                            .commit()
                            .stored()
                            .get(0)
                            .object();
            assertEquals(Format.NDJSON, rec.format());
            String text;
            try (InputStream in = lake.open(rec)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertEquals(2, text.lines().count());
            assertTrue(text.contains("\"name\":\"ä\""), text);
        }
    }

    @Test
    void hostileObjectNamesBecomeSafePathsButKeepTheirOriginalName() {
        try (Lake lake = Lake.open(tmp.resolve("lake"))) {
            LakeObject o =
                    lake.ingest(CLICKS)
                            .bytes("x".getBytes(), "../../etc/pass wd;rm -rf")
                            .commit()
                            .stored()
                            .get(0)
                            .object();
            assertFalse(o.path().contains(".."), o.path());
            assertFalse(o.path().contains(" "), o.path());
            assertEquals("../../etc/pass wd;rm -rf", o.originalName());
            LakeObject hidden =
                    lake.ingest(CLICKS)
                            .bytes("y".getBytes(), "_SUCCESS")
                            .commit()
                            .stored()
                            .get(0)
                            .object();
            assertFalse(
                    hidden.path().substring(hidden.path().lastIndexOf('/') + 1).startsWith("_"),
                    "engines skip files starting with '_'");
        }
    }

    @Test
    void unknownZonesAndHostileDatasetsFailBeforeAnythingIsWritten() throws Exception {
        Path f = write("a.txt", "a");
        Path dir = tmp.resolve("lake");
        try (Lake lake = Lake.open(dir)) {
            long before = countFiles(dir);
            var e =
                    assertThrows(
                            NotFoundException.class,
                            () -> lake.ingest("bronze/x").file(f).commit());
            assertTrue(e.getMessage().contains("raw, processed, analytics"), e.getMessage());
            for (String bad :
                    List.of(
                            "../etc",
                            "RAW/x",
                            "a/b/c",
                            "",
                            "raw/" + "x".repeat(200),
                            "raw/_tarn")) {
                assertThrows(
                        IllegalNameException.class, () -> lake.ingest(bad).file(f).commit(), bad);
            }
            assertEquals(before, countFiles(dir));
        }
    }

    @Test
    void theCatalogIsRebuiltFromCheckpointsAndTheLogAfter() throws Exception {
        Path dir = tmp.resolve("lake");
        try (Lake lake = Lake.builder().location(dir).checkpointInterval(5).open()) {
            for (int i = 0; i < 12; i++) {
                lake.ingest(CLICKS).bytes(("row " + i).getBytes(), "f" + i + ".txt").commit();
            }
            lake.updateDataset(CLICKS).owner("ana").tag("pii", "no").commit();
            assertEquals(13, lake.catalog().version());
        }
        assertTrue(
                Files.exists(dir.resolve("_tarn/catalog/checkpoints/00000000000000000010.ndjson")));
        assertTrue(Files.readString(dir.resolve("_tarn/catalog/_last_checkpoint")).contains("10"));
        // A reader that starts from the checkpoint needs no entry before it.
        for (int v = 0; v <= 10; v++) {
            Files.delete(dir.resolve(String.format("_tarn/catalog/log/%020d.json", v)));
        }
        try (Lake lake = Lake.open(dir)) {
            assertEquals(13, lake.catalog().version());
            Dataset d = lake.catalog().dataset(CLICKS).orElseThrow();
            assertEquals(12, d.objects());
            assertEquals("ana", d.owner());
            assertEquals(Map.of("pii", "no"), d.tags());
            assertEquals(
                    List.of("raw", "processed", "analytics"),
                    lake.zones().stream().map(z -> z.name()).toList());
        }
    }

    @Test
    void aDamagedCheckpointFallsBackToTheLog() throws Exception {
        Path dir = tmp.resolve("lake");
        try (Lake lake = Lake.builder().location(dir).checkpointInterval(2).open()) {
            for (int i = 0; i < 3; i++) {
                lake.ingest(CLICKS).bytes(("r" + i).getBytes(), "f.txt").commit();
            }
        }
        Files.writeString(
                dir.resolve("_tarn/catalog/checkpoints/00000000000000000002.ndjson"), "garbage");
        try (Lake lake = Lake.open(dir)) {
            assertEquals(3, lake.catalog().objects(CLICKS).size());
        }
    }

    @Test
    void datasetPropertiesAreSettableAndConcurrentUpdatesAreNotLost() throws Exception {
        try (Lake lake = Lake.open(tmp.resolve("lake"))) {
            lake.ingest(CLICKS).bytes("a".getBytes(), "a.txt").commit();
            Lake other = Lake.open(tmp.resolve("lake"));
            lake.updateDataset(CLICKS).owner("web-team").description("page views").commit();
            other.updateDataset(CLICKS)
                    .tag("pii", "no")
                    .commit(); // other handle read an older version
            Dataset d = lake.catalog().dataset(CLICKS).orElseThrow();
            assertEquals("web-team", d.owner());
            assertEquals("page views", d.description());
            assertEquals(Map.of("pii", "no"), d.tags());
            other.close();
            assertThrows(
                    NotFoundException.class,
                    () -> lake.updateDataset("raw/nope").owner("x").commit());
        }
    }

    @Test
    void everyCommitRecordsItsPrincipalAndTheEngine() throws Exception {
        Path dir = tmp.resolve("lake");
        try (Lake lake = Lake.builder().location(dir).principal(Principal.of("ana")).open()) {
            lake.ingest(CLICKS).bytes("a".getBytes(), "a.txt").commit();
        }
        String entry = Files.readString(dir.resolve("_tarn/catalog/log/00000000000000000001.json"));
        String first = entry.lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("{\"commitInfo\":"), first);
        assertTrue(first.contains("\"principal\":\"ana\""), first);
        assertTrue(first.contains("\"operation\":\"ingest\""), first);
        assertTrue(first.contains("\"engine\":\"Tarn/"), first);
    }

    @Test
    void theAccessPolicyIsAskedBeforeAnythingHappens() throws Exception {
        Path f = write("a.txt", "a");
        Path dir = tmp.resolve("lake");
        try (Lake lake =
                Lake.builder()
                        .location(dir)
                        .accessPolicy(
                                (p, priv, res) ->
                                        p.name().equals("admin") || priv == Privilege.READ)
                        .open()) {
            Lake guest = lake.as(Principal.of("guest"));
            long before = countFiles(dir);
            var e =
                    assertThrows(
                            PermissionDeniedException.class,
                            () -> guest.ingest(CLICKS).file(f).commit());
            assertTrue(e.getMessage().contains("guest may not write raw/clicks"), e.getMessage());
            assertEquals(before, countFiles(dir));
            lake.as(Principal.of("admin")).ingest(CLICKS).file(f).commit();
            assertEquals(1, guest.catalog().objects(CLICKS).size(), "reading is allowed");
        }
    }

    @Test
    void aTemporaryLakeIsDeletedOnClose() {
        Path where;
        try (Lake lake = Lake.temporary()) {
            lake.ingest(CLICKS).bytes("a".getBytes(), "a.txt").commit();
            where = Path.of(java.net.URI.create(lake.location()));
            assertTrue(Files.isDirectory(where));
        }
        assertFalse(Files.exists(where));
    }

    @Test
    void aLogWrittenByANewerTarnIsRefusedWithAnUpgradeHint() throws Exception {
        Path dir = tmp.resolve("lake");
        try (Lake lake = Lake.open(dir)) {
            lake.ingest(CLICKS).bytes("a".getBytes(), "a.txt").commit();
        }
        Files.writeString(
                dir.resolve("_tarn/catalog/log/00000000000000000002.json"),
                "{\"commitInfo\":{\"timestamp\":\"2030-01-01T00:00:00Z\",\"operation\":\"x\"}}\n{\"hologram\":{}}\n");
        var e = assertThrows(TarnException.class, () -> Lake.open(dir));
        assertTrue(e.getMessage().contains("newer Tarn"), e.getMessage());
    }

    @Test
    void componentsAreSharedPerLakeAndClosedWithItInReverseOrder() {
        List<String> closed = new ArrayList<>();
        record A(List<String> log) implements AutoCloseable {
            public void close() {
                log.add("a");
            }
        }
        record B(List<String> log) implements AutoCloseable {
            public void close() {
                log.add("b");
            }
        }
        Lake lake = Lake.open(tmp.resolve("lake"));
        A a = lake.component(A.class, l -> new A(closed));
        assertSame(a, lake.as(Principal.of("x")).component(A.class, l -> new A(new ArrayList<>())));
        lake.component(B.class, l -> new B(closed));
        lake.as(Principal.of("x")).close(); // a second handle does not own the lake
        assertTrue(closed.isEmpty());
        lake.close();
        assertEquals(List.of("b", "a"), closed);
        assertThrows(
                IllegalStateException.class, () -> lake.component(A.class, l -> new A(closed)));
        lake.close(); // idempotent
    }

    static long countFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.count();
        }
    }
}
