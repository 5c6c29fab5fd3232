package dev.tarn.lake.doctor;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.ingest.IngestResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog log never loses a commit silently: readers and writers refuse a damaged log naming
 * the damage, the doctor reports it on its own read, and the repair rebuilds what it can without
 * removing bytes any line references.
 */
class CatalogLogDamageTest {
    @TempDir Path tmp;
    static final DatasetId A = DatasetId.parse("raw/a");
    static final DatasetId B = DatasetId.parse("raw/b");

    Path dir() {
        return tmp.resolve("lake");
    }

    Path entry(long v) {
        return dir().resolve(String.format("_tarn/catalog/log/%020d.json", v));
    }

    /** Entry 0 creates the lake; 1: a/one; 2: b/two (creates b); 3: a/three; 4: b/four. */
    void fourIngests(int checkpointInterval) {
        try (Lake lake =
                Lake.builder().location(dir()).checkpointInterval(checkpointInterval).open()) {
            lake.ingest(A).bytes("{\"n\":1}\n".getBytes(), "one.ndjson").commit();
            lake.ingest(B)
                    .bytes("{\"n\":2}\n".getBytes(), "two.ndjson")
                    .meta("system", "shop")
                    .commit();
            lake.ingest(A).bytes("{\"n\":3}\n".getBytes(), "three.ndjson").commit();
            lake.ingest(B).bytes("{\"n\":4}\n".getBytes(), "four.ndjson").commit();
            assertEquals(4, lake.catalog().version());
        }
    }

    @Test
    void aMissingEntryInTheMiddleIsRefusedByReadersAndWritersAndRepairedWithoutLosingBytes()
            throws Exception {
        fourIngests(50);
        Map<String, byte[]> referenced = referencedBytes();
        Files.delete(entry(2));
        try (Lake lake = Lake.open(dir())) {
            var e = assertThrows(TarnException.class, lake::catalog);
            assertTrue(
                    e.getMessage().contains("00000000000000000002.json is missing"),
                    e.getMessage());
            assertTrue(
                    e.getMessage().contains("00000000000000000003.json exists after it"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("lake doctor"), e.getMessage());
            assertThrows(
                    TarnException.class,
                    () -> lake.ingest(A).bytes("x".getBytes(), "x.txt").commit());
            assertFalse(Files.exists(entry(2)), "a writer never fills the gap");

            DoctorReport check = lake.doctor().grace(java.time.Duration.ZERO).check();
            assertTrue(
                    check.findings().stream()
                            .anyMatch(
                                    f ->
                                            f.kind() == Finding.Kind.LOG_GAP
                                                    && f.key()
                                                            .equals(
                                                                    "_tarn/catalog/log/00000000000000000002.json")),
                    check.toString());
            assertFalse(check.isClean());

            DoctorReport repair = lake.doctor().grace(java.time.Duration.ZERO).repair();
            assertTrue(
                    repair.findings().stream()
                            .anyMatch(f -> f.kind() == Finding.Kind.LOG_GAP && f.repaired()),
                    repair.toString());
            assertTrue(
                    repair.findings().stream()
                            .anyMatch(
                                    f ->
                                            f.kind() == Finding.Kind.UNRECOVERABLE
                                                    && f.detail().contains("original names")),
                    repair.toString());
            assertBytesKept(referenced);
            assertTrue(Files.readString(entry(2)).contains("\"operation\":\"RECOVER\""));

            List<LakeObject> b = lake.catalog().objects(B);
            assertEquals(2, b.size(), "the object of the lost entry is back: " + b);
            assertTrue(lake.doctor().check().isClean(), lake.doctor().check().toString());
            // the next ingest goes after the log, and the same bytes again are a duplicate
            IngestResult again =
                    lake.ingest(B).bytes("{\"n\":2}\n".getBytes(), "two.ndjson").commit();
            assertEquals(0, again.stored().size());
            lake.ingest(A).bytes("five".getBytes(), "five.txt").commit();
            assertEquals(5, lake.catalog().version());
            assertTrue(Files.exists(entry(5)));
        }
    }

    @Test
    void aGarbledNewestEntryIsRefusedAndRepairedWithItsBytesMovedAside() throws Exception {
        fourIngests(50);
        Map<String, byte[]> referenced = referencedBytes();
        byte[] original = Files.readAllBytes(entry(4));
        byte[] garbled = original.clone();
        Arrays.fill(garbled, garbled.length / 3, garbled.length / 3 + 12, (byte) '#');
        Files.write(entry(4), garbled);
        try (Lake lake = Lake.open(dir())) {
            var e = assertThrows(TarnException.class, lake::catalog);
            assertTrue(e.getMessage().contains("00000000000000000004.json"), e.getMessage());
            assertTrue(e.getMessage().contains("lake doctor"), e.getMessage());
            DoctorReport check = lake.doctor().check();
            assertTrue(
                    check.findings().stream()
                            .anyMatch(
                                    f ->
                                            f.kind() == Finding.Kind.CORRUPT_LOG_ENTRY
                                                    && f.key()
                                                            .equals(
                                                                    "_tarn/catalog/log/00000000000000000004.json")),
                    check.toString());
            DoctorReport repair = lake.doctor().grace(java.time.Duration.ZERO).repair();
            assertFalse(repair.isClean(), "what was lost is said");
            assertBytesKept(referenced);
            try (Stream<Path> damaged = Files.list(dir().resolve("_tarn/catalog/damaged"))) {
                List<Path> kept = damaged.toList();
                assertEquals(1, kept.size());
                assertArrayEquals(garbled, Files.readAllBytes(kept.get(0)));
            }
            assertEquals(2, lake.catalog().objects(B).size());
            assertTrue(lake.doctor().check().isClean(), lake.doctor().check().toString());
        }
    }

    @Test
    void anEntryCutBetweenTwoLinesIsRecognisedAsCut() throws Exception {
        fourIngests(50);
        String text = Files.readString(entry(2));
        String cut =
                text.substring(
                        0, text.indexOf('\n') + 1); // commitInfo alone: every remaining line parses
        Files.writeString(entry(2), cut);
        try (Lake lake = Lake.open(dir())) {
            var e = assertThrows(TarnException.class, lake::catalog);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            DoctorReport repair = lake.doctor().grace(java.time.Duration.ZERO).repair();
            assertTrue(
                    repair.findings().stream()
                            .anyMatch(
                                    f ->
                                            f.kind() == Finding.Kind.CORRUPT_LOG_ENTRY
                                                    && f.repaired()),
                    repair.toString());
            assertEquals(2, lake.catalog().objects(B).size());
            // the salvaged commitInfo keeps who committed it
            assertTrue(Files.readString(entry(2)).contains("\"originalOperation\":\"ingest\""));
        }
    }

    @Test
    void aCheckpointNewerThanTheNewestEntryIsAGapAndTheCheckpointRebuildsTheEntryExactly()
            throws Exception {
        fourIngests(2); // checkpoints at 2 and 4
        Map<String, byte[]> referenced = referencedBytes();
        Files.delete(entry(4));
        try (Lake lake = Lake.open(dir())) {
            var e = assertThrows(TarnException.class, lake::catalog);
            assertTrue(e.getMessage().contains("version 4 was committed"), e.getMessage());
            DoctorReport repair = lake.doctor().grace(java.time.Duration.ZERO).repair();
            assertBytesKept(referenced);
            assertEquals(2, lake.catalog().objects(B).size());
            LakeObject four =
                    lake.catalog().objects(B).stream()
                            .filter(o -> o.originalName().equals("four.ndjson"))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError(repair.toString()));
            assertNotEquals("unknown", four.source());
            assertTrue(
                    repair.findings().stream()
                            .noneMatch(
                                    f ->
                                            f.kind() == Finding.Kind.UNRECOVERABLE
                                                    && f.detail().contains("original names")),
                    "exact from the checkpoint: " + repair);
            assertTrue(lake.doctor().check().isClean(), lake.doctor().check().toString());
        }
    }

    @Test
    void aDamagedCheckpointIsSkippedWhileTheEntriesAreWholeAndRewrittenByRepair() throws Exception {
        fourIngests(2);
        Path cp = dir().resolve("_tarn/catalog/checkpoints/00000000000000000004.ndjson");
        String text = Files.readString(cp);
        Files.writeString(
                cp,
                text.substring(0, text.lastIndexOf('\n', text.length() - 2) + 1)); // one line less
        try (Lake lake = Lake.open(dir())) {
            assertEquals(
                    2,
                    lake.catalog().objects(B).size(),
                    "the entries hold everything the checkpoint did");
            DoctorReport check = lake.doctor().check();
            assertTrue(
                    check.findings().stream()
                            .anyMatch(
                                    f ->
                                            f.kind() == Finding.Kind.BAD_CHECKPOINT
                                                    && f.key()
                                                            .endsWith(
                                                                    "00000000000000000004.ndjson")),
                    check.toString());
            assertTrue(lake.doctor().repair().findings().stream().allMatch(f -> f.repaired()));
            assertTrue(lake.doctor().check().isClean());
        }
        // entries below a damaged checkpoint are then needed: with one missing, it is a gap
        Files.writeString(cp, "garbage");
        Files.delete(entry(3));
        try (Lake lake = Lake.open(dir())) {
            var e = assertThrows(TarnException.class, lake::catalog);
            assertTrue(e.getMessage().contains("00000000000000000003.json"), e.getMessage());
        }
    }

    @Test
    void aRemovedNewestEntryIsSeenThroughLastCommit() throws Exception {
        fourIngests(50);
        Files.delete(entry(4));
        try (Lake lake = Lake.open(dir())) {
            var e = assertThrows(TarnException.class, lake::catalog);
            assertTrue(
                    e.getMessage().contains("_last_commit shows that version 4 was committed"),
                    e.getMessage());
            assertTrue(
                    e.getMessage().contains("00000000000000000004.json is missing"),
                    e.getMessage());
            assertThrows(
                    TarnException.class,
                    () -> lake.ingest(A).bytes("x".getBytes(), "x.txt").commit());
            assertFalse(Files.exists(entry(4)), "a writer does not write the lost version");
        }
    }

    @Test
    void aGapAppearingUnderAnOpenLakeIsSeenAtItsNextRead() throws Exception {
        fourIngests(50);
        try (Lake reader = Lake.open(dir());
                Lake writer = Lake.open(dir())) {
            assertEquals(4, reader.catalog().version());
            writer.ingest(A).bytes("5".getBytes(), "5.txt").commit();
            writer.ingest(A).bytes("6".getBytes(), "6.txt").commit();
            Files.delete(entry(5));
            var e = assertThrows(TarnException.class, reader::catalog);
            assertTrue(
                    e.getMessage().contains("00000000000000000005.json is missing"),
                    e.getMessage());
        }
    }

    @Test
    void aTableWhoseCatalogEntryWasLostComesBackAsATableWithItsFilesLeftToIt() throws Exception {
        DatasetId table = DatasetId.parse("processed/t");
        try (Lake lake = Lake.open(dir())) {
            lake.ingest(A).bytes("1".getBytes(), "1.txt").commit();
            dev.tarn.lake.spi.LakeInternals.of(lake)
                    .ensureDataset(table, dev.tarn.lake.catalog.DatasetKind.TABLE);
            lake.ingest(A).bytes("3".getBytes(), "3.txt").commit();
        }
        Path quarantine = dir().resolve("processed/t/_quarantine/convert-1.ndjson");
        Files.createDirectories(quarantine.getParent());
        Files.writeString(quarantine, "{\"bad\":1}\n");
        Files.delete(entry(2));
        try (Lake lake = Lake.open(dir())) {
            DoctorReport repair = lake.doctor().grace(java.time.Duration.ZERO).repair();
            assertTrue(
                    repair.findings().stream()
                            .anyMatch(f -> f.kind() == Finding.Kind.LOG_GAP && f.repaired()),
                    repair.toString());
            assertEquals("table", lake.catalog().dataset(table).orElseThrow().kind().id());
            assertTrue(Files.exists(quarantine), "a table's quarantine is the table layer's");
            assertEquals(2, lake.catalog().objects(A).size());
        }
    }

    @Test
    void aLastCheckpointHintNewerThanTheEntriesIsAGap() throws Exception {
        fourIngests(50);
        Files.writeString(dir().resolve("_tarn/catalog/_last_checkpoint"), "{\"version\":7}\n");
        try (Lake lake = Lake.open(dir())) {
            var e = assertThrows(TarnException.class, lake::catalog);
            assertTrue(e.getMessage().contains("_last_checkpoint"), e.getMessage());
            assertTrue(e.getMessage().contains("version 7"), e.getMessage());
        }
    }

    /** Every key that any add line of an entry or checkpoint names, with its bytes. */
    Map<String, byte[]> referencedBytes() throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        Pattern add =
                Pattern.compile(
                        "\\{\"add\":\\{\"zone\":\"([^\"]+)\",\"dataset\":\"([^\"]+)\",\"path\":\"([^\"]+)\"");
        try (Stream<Path> files = Files.walk(dir().resolve("_tarn/catalog"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Matcher m = add.matcher(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
                while (m.find()) {
                    String key = m.group(1) + "/" + m.group(2) + "/" + m.group(3);
                    out.put(key, Files.readAllBytes(dir().resolve(key)));
                }
            }
        }
        assertFalse(out.isEmpty());
        return out;
    }

    void assertBytesKept(Map<String, byte[]> referenced) throws IOException {
        for (Map.Entry<String, byte[]> e : referenced.entrySet()) {
            Path p = dir().resolve(e.getKey());
            assertTrue(Files.exists(p), e.getKey() + " was removed");
            assertArrayEquals(e.getValue(), Files.readAllBytes(p), e.getKey());
        }
    }
}
