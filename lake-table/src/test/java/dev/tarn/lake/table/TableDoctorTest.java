package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.doctor.Finding;
import dev.tarn.lake.doctor.Finding.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The doctor's check of tables: orphans, quarantines, data files, checkpoints; what repair removes
 * and keeps.
 */
class TableDoctorTest extends TableFixture {
    Path table() {
        return data.root().resolve("processed/t");
    }

    Table twoAppends() {
        Table t = tables.create("processed/t", CheckpointTest.SCHEMA);
        for (int i = 0; i < 2; i++) {
            t.newAppend()
                    .addFile(data.file(t, "f" + i + ".parquet", i * 10, i * 10 + 2, Map.of()))
                    .commit();
        }
        return t;
    }

    static boolean has(DoctorReport r, Kind kind, String keyEnd, boolean repaired) {
        return r.findings().stream()
                .anyMatch(
                        f ->
                                f.kind() == kind
                                        && f.key().endsWith(keyEnd)
                                        && f.repaired() == repaired);
    }

    @Test
    void aHealthyTableIsClean() {
        twoAppends();
        DoctorReport r = lake.doctor().check();
        assertTrue(r.isClean(), r.toString());
    }

    @Test
    void anOrphanOfAStoppedWriterIsRemovedPastTheGraceAndAQuarantineIsNot() throws Exception {
        Table t = twoAppends();
        data.write(t, "orphan.parquet", TestData.rows(100, 101)); // written, never committed
        Files.createDirectories(table().resolve("_quarantine"));
        Files.writeString(
                table().resolve("_quarantine/convert-1-abc.ndjson"), "{\"bad\": record}\n");

        DoctorReport young = lake.doctor().repair();
        assertTrue(has(young, Kind.ORPHANED_DATA_FILE, "orphan.parquet", false), young.toString());
        assertTrue(
                Files.exists(table().resolve("orphan.parquet")),
                "younger than the default grace: kept");

        DoctorReport r = lake.doctor().grace(Duration.ZERO).repair();
        assertTrue(has(r, Kind.ORPHANED_DATA_FILE, "orphan.parquet", true), r.toString());
        assertFalse(Files.exists(table().resolve("orphan.parquet")));
        assertTrue(
                Files.exists(table().resolve("_quarantine/convert-1-abc.ndjson")),
                "quarantines are kept");
        assertTrue(
                r.findings().stream().noneMatch(f -> f.key().contains("_quarantine")),
                r.toString());
        assertTrue(
                Files.exists(table().resolve("f0.parquet"))
                        && Files.exists(table().resolve("f1.parquet")));
        assertTrue(lake.doctor().check().isClean());
    }

    @Test
    void orphansOfATableWhoseLogLostAnEntryAreKept() throws Exception {
        Table t = twoAppends();
        data.write(t, "orphan.parquet", TestData.rows(100, 101));
        Files.delete(table().resolve("_delta_log/00000000000000000001.json"));
        Files.delete(table().resolve("_delta_log/00000000000000000001.crc"));
        DoctorReport r = lake.doctor().grace(Duration.ZERO).repair();
        assertTrue(has(r, Kind.LOG_GAP, "00000000000000000001.json", false), r.toString());
        assertTrue(has(r, Kind.UNRECOVERABLE, "00000000000000000001.json", false), r.toString());
        // f0, added by the lost entry, is still referenced by the checksum file of version 2 (it
        // lists every file)
        assertFalse(has(r, Kind.ORPHANED_DATA_FILE, "f0.parquet", false), r.toString());
        assertTrue(Files.exists(table().resolve("f0.parquet")));
        assertTrue(has(r, Kind.ORPHANED_DATA_FILE, "orphan.parquet", false), r.toString());
        assertTrue(
                Files.exists(table().resolve("orphan.parquet")),
                "it may hold the lost version's rows: kept");
        Finding lost =
                r.findings().stream()
                        .filter(f -> f.kind() == Kind.UNRECOVERABLE)
                        .findFirst()
                        .orElseThrow();
        assertTrue(
                lost.detail().contains("orphan.parquet"),
                "says which files may hold the lost rows: " + lost);
    }

    @Test
    void dataFilesOfTheCurrentVersionAreChecked() throws Exception {
        twoAppends();
        Files.delete(table().resolve("f0.parquet"));
        byte[] b = Files.readAllBytes(table().resolve("f1.parquet"));
        Files.write(table().resolve("f1.parquet"), java.util.Arrays.copyOf(b, b.length / 2));
        DoctorReport r = lake.doctor().repair();
        assertTrue(has(r, Kind.MISSING_DATA_FILE, "f0.parquet", false), r.toString());
        assertTrue(has(r, Kind.DATA_FILE_SIZE_MISMATCH, "f1.parquet", false), r.toString());
        String detail =
                r.findings().stream()
                        .filter(f -> f.kind() == Kind.MISSING_DATA_FILE)
                        .findFirst()
                        .orElseThrow()
                        .detail();
        assertTrue(detail.contains("2 rows") && detail.contains("version 1"), detail);

        Files.write(table().resolve("f1.parquet"), new byte[b.length]); // its size, not Parquet
        DoctorReport garbled = lake.doctor().check();
        assertTrue(has(garbled, Kind.CORRUPT_DATA_FILE, "f1.parquet", false), garbled.toString());
        assertFalse(
                lake.doctor().verifyChecksums(false).check().findings().stream()
                        .anyMatch(f -> f.kind() == Kind.CORRUPT_DATA_FILE),
                "--no-verify reads no footers");
    }

    @Test
    void aCheckpointThatDisagreesWithTheEntriesIsRebuiltFromThem() throws Exception {
        System.setProperty("tarn.table.checkpointInterval", "2");
        try {
            Table t = twoAppends();
            Path cp = table().resolve("_delta_log/00000000000000000002.checkpoint.parquet");
            assertTrue(Files.exists(cp));
            // a checkpoint of another table's state: readable, but not this log's
            Table other = tables.create("processed/u", CheckpointTest.SCHEMA);
            other.newAppend().addFile(data.file(other, "g.parquet", 0, 1, Map.of())).commit();
            other.newAppend().addFile(data.file(other, "h.parquet", 1, 2, Map.of())).commit();
            Files.copy(
                    data.root()
                            .resolve(
                                    "processed/u/_delta_log/00000000000000000002.checkpoint.parquet"),
                    cp,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            DoctorReport r = lake.doctor().repair();
            assertTrue(
                    has(r, Kind.BAD_CHECKPOINT, "00000000000000000002.checkpoint.parquet", true),
                    r.toString());
            assertTrue(
                    r.findings().stream().anyMatch(f -> f.detail().contains("disagrees")),
                    r.toString());
            assertTrue(lake.doctor().check().isClean(), lake.doctor().check().toString());
            try (Lake fresh = Lake.open(dir.resolve("lake"))) {
                assertEquals(2, Tables.of(fresh).load("processed/t").snapshot().files().size());
            }
        } finally {
            System.clearProperty("tarn.table.checkpointInterval");
        }
    }
}
