package dev.tarn.lake.doctor;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorTest {
    @TempDir Path tmp;
    static final DatasetId DS = DatasetId.parse("raw/clicks");

    Lake lakeWithOneObject() {
        Lake lake = Lake.open(tmp.resolve("lake"));
        lake.ingest(DS).bytes("hello".getBytes(), "a.txt").commit();
        return lake;
    }

    Path lakeDir() {
        return tmp.resolve("lake");
    }

    @Test
    void aFreshLakeIsClean() {
        try (Lake lake = lakeWithOneObject()) {
            DoctorReport r = lake.doctor().check();
            assertTrue(r.isClean());
            assertTrue(r.findings().isEmpty());
            assertEquals(1, r.objectsChecked());
        }
    }

    @Test
    void anUnreferencedObjectIsReportedAndRemovedOnlyOnceOlderThanTheGrace() throws Exception {
        try (Lake lake = lakeWithOneObject()) {
            Path orphan = lakeDir().resolve("raw/clicks/ingest_date=2026-01-01/orphan.txt");
            Files.createDirectories(orphan.getParent());
            Files.writeString(orphan, "no entry");
            DoctorReport young = lake.doctor().repair();
            assertEquals(List.of(Finding.Kind.UNREFERENCED_OBJECT), kinds(young));
            assertFalse(young.findings().get(0).repaired(), "an ingest may still be committing it");
            assertTrue(Files.exists(orphan));

            Files.setLastModifiedTime(
                    orphan, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
            DoctorReport old = lake.doctor().repair();
            assertTrue(old.findings().get(0).repaired());
            assertFalse(Files.exists(orphan));
            assertTrue(lake.doctor().check().findings().isEmpty());
        }
    }

    @Test
    void theGraceCanBeShortened() throws Exception {
        try (Lake lake = lakeWithOneObject()) {
            Path orphan = lakeDir().resolve("raw/other/x.bin");
            Files.createDirectories(orphan.getParent());
            Files.writeString(orphan, "from an ingest that died before creating its dataset");
            assertTrue(lake.doctor().grace(Duration.ZERO).repair().isClean());
            assertFalse(Files.exists(orphan));
        }
    }

    @Test
    void missingAndAlteredObjectsAreReportedButNeverRepairedAway() throws Exception {
        try (Lake lake = lakeWithOneObject()) {
            lake.ingest(DS).bytes("second".getBytes(), "b.txt").commit();
            lake.ingest(DS).bytes("third!".getBytes(), "c.txt").commit();
            List<LakeObject> objs = lake.catalog().objects(DS);
            Files.delete(lakeDir().resolve(objs.get(0).key()));
            Files.writeString(
                    lakeDir().resolve(objs.get(1).key()), "SECOND"); // same size, other bytes
            Files.writeString(lakeDir().resolve(objs.get(2).key()), "longer than before");
            DoctorReport r = lake.doctor().repair();
            assertEquals(
                    List.of(
                            Finding.Kind.MISSING_OBJECT,
                            Finding.Kind.CHECKSUM_MISMATCH,
                            Finding.Kind.SIZE_MISMATCH),
                    kinds(r));
            assertFalse(r.isClean());
            assertTrue(
                    r.findings().get(0).detail().contains("re-ingest"),
                    r.findings().get(0).detail());
            assertEquals(
                    3,
                    lake.catalog().objects(DS).size(),
                    "the catalog keeps its record of what was lost");
            // sizes only: the altered bytes of equal size go unseen
            assertEquals(
                    List.of(Finding.Kind.MISSING_OBJECT, Finding.Kind.SIZE_MISMATCH),
                    kinds(lake.doctor().verifyChecksums(false).check()));
        }
    }

    @Test
    void strayFilesOutsideZonesAreReportedAndLeftAlone() throws Exception {
        try (Lake lake = lakeWithOneObject()) {
            Path stray = lakeDir().resolve("README.txt");
            Files.writeString(stray, "someone's notes");
            DoctorReport r = lake.doctor().grace(Duration.ZERO).repair();
            assertEquals(List.of(Finding.Kind.STRAY_FILE), kinds(r));
            assertTrue(Files.exists(stray));
        }
    }

    @Test
    void aFileInTheCatalogsDirectoryThatTarnDidNotWriteIsReportedAndLeftAlone() throws Exception {
        try (Lake lake = lakeWithOneObject()) {
            long version = lake.catalog().version();
            // what s3proxy's filesystem backend leaves when killed mid-write: its temp file,
            // visible as an object
            String name = String.format("%020d.json-d1fe2419-9a05-4fd7-aaca-f93bdb9f5d80", version);
            Path stray = lakeDir().resolve("_tarn/catalog/log/" + name);
            Files.writeString(stray, "{\"half\":");
            DoctorReport r = lake.doctor().grace(Duration.ZERO).repair();
            assertEquals(List.of(Finding.Kind.STRAY_FILE), kinds(r));
            assertEquals("_tarn/catalog/log/" + name, r.findings().get(0).key());
            assertTrue(Files.exists(stray), "doctor does not delete what it did not write");
            assertEquals(version, lake.catalog().version(), "the catalog ignores it");
            assertEquals(1, lake.catalog().objects(DS).size());
        }
    }

    @Test
    void aTablesFilesAreLeftToTheTableLayer() throws Exception {
        try (Lake lake = lakeWithOneObject()) {
            var tables = DatasetId.parse("processed/orders");
            dev.tarn.lake.spi.LakeInternals.of(lake)
                    .ensureDataset(tables, dev.tarn.lake.catalog.DatasetKind.TABLE);
            Path data = lakeDir().resolve("processed/orders/part-0001.parquet");
            Files.createDirectories(data.getParent());
            Files.writeString(data, "referenced by the table's own log");
            assertTrue(lake.doctor().grace(Duration.ZERO).repair().isClean());
            assertTrue(Files.exists(data));
            assertEquals("table", lake.catalog().dataset(tables).orElseThrow().kind().id());
            var e =
                    assertThrows(
                            dev.tarn.lake.exceptions.TarnException.class,
                            () -> lake.ingest(tables).bytes("x".getBytes(), "x.txt").commit());
            assertTrue(e.getMessage().contains("is a table"), e.getMessage());
        }
    }

    private static List<Finding.Kind> kinds(DoctorReport r) {
        return r.findings().stream().map(Finding::kind).toList();
    }
}
