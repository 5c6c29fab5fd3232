package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.SchemaMismatchException;
import dev.tarn.lake.exceptions.TableAlreadyExistsException;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TableRoundTripTest extends TableFixture {
    static final Schema SCHEMA =
            Schema.of(
                    Field.of("id", DataType.LONG),
                    Field.of("name", DataType.STRING),
                    Field.of("amount", DataType.decimal(18, 1)),
                    Field.of("day", DataType.DATE));

    static Set<String> paths(Snapshot s) {
        return s.files().stream().map(DataFile::path).collect(Collectors.toSet());
    }

    @Test
    void createAppendOverwriteDeleteRestoreAndTimeTravel() throws Exception {
        Table t = tables.create("processed/orders", SCHEMA, "day");
        assertEquals(
                DatasetKind.TABLE, lake.catalog().dataset("processed/orders").orElseThrow().kind());
        assertEquals(0, t.snapshot().version());
        assertEquals(1, t.snapshot().minReaderVersion());
        assertEquals(2, t.snapshot().minWriterVersion());
        assertTrue(
                Files.exists(
                        data.root()
                                .resolve("processed/orders/_delta_log/00000000000000000000.json")));

        DataFile a = data.file(t, "day=2026-11-01/a.parquet", 0, 10, Map.of("day", "2026-11-01"));
        assertEquals(10, a.recordCount());
        assertEquals(0L, ((Number) a.stats().minValues().get("id")).longValue());
        assertEquals(9L, ((Number) a.stats().maxValues().get("id")).longValue());
        CommitResult r1 = t.newAppend().addFile(a).commit();
        assertEquals(1, r1.version());
        DataFile b = data.file(t, "day=2026-11-02/b.parquet", 10, 30, Map.of("day", "2026-11-02"));
        t.newAppend().addFile(b).commit();
        Snapshot v2 = t.snapshot();
        assertEquals(2, v2.version());
        assertEquals(30, v2.recordCount());
        assertEquals(Set.of("day=2026-11-01/a.parquet", "day=2026-11-02/b.parquet"), paths(v2));
        assertEquals(
                "2026-11-02",
                v2.files().stream()
                        .filter(f -> f.path().startsWith("day=2026-11-02"))
                        .findFirst()
                        .orElseThrow()
                        .partitionValues()
                        .get("day"));

        // overwrite one partition
        DataFile b2 =
                data.file(t, "day=2026-11-02/b2.parquet", 100, 105, Map.of("day", "2026-11-02"));
        CommitResult ow =
                t.newOverwrite()
                        .overwrite(PartitionFilter.eq("day", "2026-11-02"))
                        .addFile(b2)
                        .commit();
        assertEquals(1, ow.filesRemoved());
        assertEquals(
                Set.of("day=2026-11-01/a.parquet", "day=2026-11-02/b2.parquet"),
                paths(t.snapshot()));
        assertEquals(15, t.snapshot().recordCount());

        // delete a partition (file level)
        t.newDelete().deleteWhere(PartitionFilter.eq("day", "2026-11-01")).commit();
        assertEquals(Set.of("day=2026-11-02/b2.parquet"), paths(t.snapshot()));

        // overwrite the whole table
        DataFile c =
                data.file(t, "day=2026-11-03/c.parquet", 200, 201, Map.of("day", "2026-11-03"));
        t.newOverwrite().addFile(c).commit();
        assertEquals(Set.of("day=2026-11-03/c.parquet"), paths(t.snapshot()));
        assertEquals(5, t.snapshot().version());

        // time travel by version and by time
        assertEquals(paths(v2), paths(t.snapshot(2)));
        assertEquals(paths(v2), paths(t.snapshotAsOf(v2.timestamp())));
        assertEquals(2, t.snapshotAsOf(v2.timestamp().plusNanos(500_000)).version());
        assertThrows(NotFoundException.class, () -> t.snapshot(99));
        assertThrows(NotFoundException.class, () -> t.snapshotAsOf(Instant.EPOCH));

        // restore
        CommitResult restored = t.restore(2);
        assertEquals(6, restored.version());
        assertEquals(paths(v2), paths(t.snapshot()));
        assertEquals(30, t.snapshot().recordCount());

        List<HistoryEntry> h = t.history();
        assertEquals(7, h.size());
        assertEquals(
                List.of("RESTORE", "WRITE", "DELETE", "WRITE", "WRITE", "WRITE", "CREATE TABLE"),
                h.stream().map(HistoryEntry::operation).toList());
        assertEquals(h.subList(0, 2), t.history(2));
        assertEquals("Append", h.get(5).parameters().get("mode"));
        assertEquals("10", h.get(5).metrics().get("numOutputRows"));
        assertTrue(h.get(5).blindAppend());
        assertTrue(h.get(0).engineInfo().startsWith("Tarn/"));
        for (int i = 0; i + 1 < h.size(); i++) {
            assertTrue(
                    h.get(i).timestamp().isAfter(h.get(i + 1).timestamp()), "timestamps increase");
        }

        // a second lake handle (another process's view) reads the same state from the files alone
        try (Lake other = Lake.open(dir.resolve("lake"))) {
            Snapshot s = Tables.of(other).load("processed/orders").snapshot();
            assertEquals(6, s.version());
            assertEquals(paths(v2), paths(s));
            assertEquals(SCHEMA, s.schema());
            assertEquals(List.of("day"), s.partitionColumns());
        }
    }

    @Test
    void logEntriesFollowTheProtocol() throws Exception {
        Table t = tables.create("processed/p", SCHEMA, "day");
        t.newAppend()
                .addFile(
                        data.file(
                                t, "day=2026-11-01/a b.parquet", 0, 3, Map.of("day", "2026-11-01")))
                .commit();
        String v0 =
                Files.readString(
                        data.root().resolve("processed/p/_delta_log/00000000000000000000.json"));
        assertTrue(
                v0.contains("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}"), v0);
        assertTrue(v0.contains("\"metaData\":{\"id\":"), v0);
        assertTrue(v0.contains("\"partitionColumns\":[\"day\"]"), v0);
        assertTrue(v0.contains("\"format\":{\"provider\":\"parquet\",\"options\":{}}"), v0);
        String v1 =
                Files.readString(
                        data.root().resolve("processed/p/_delta_log/00000000000000000001.json"));
        String[] lines = v1.strip().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("{\"commitInfo\":{\"timestamp\":"), lines[0]);
        assertTrue(lines[0].contains("\"operation\":\"WRITE\""));
        assertTrue(lines[0].contains("\"engineInfo\":\"Tarn/"));
        assertTrue(
                lines[1].startsWith(
                        "{\"add\":{\"path\":\"day=2026-11-01/a%20b.parquet\",\"partitionValues\":"
                                + "{\"day\":\"2026-11-01\"},\"size\":"),
                lines[1]);
        assertTrue(lines[1].contains("\"dataChange\":true"));
        assertTrue(lines[1].contains("\\\"numRecords\\\":3"), lines[1]);
        assertTrue(lines[1].contains("\\\"nullCount\\\":{\\\"id\\\":0"), lines[1]);
        assertEquals("day=2026-11-01/a b.parquet", t.snapshot().files().get(0).path());
    }

    @Test
    void schemaIsEnforcedAndEvolvesOnlyWhenAsked() {
        Table t = tables.create("processed/s", SCHEMA, "day");
        data.write(
                t,
                "day=2026-11-01/extra.parquet",
                "SELECT 1::BIGINT AS id, 'x' AS name, 1.5::DECIMAL(18,1) AS amount, 7 AS qty");
        DataFile extra = t.dataFile("day=2026-11-01/extra.parquet", Map.of("day", "2026-11-01"));
        SchemaMismatchException e =
                assertThrows(
                        SchemaMismatchException.class, () -> t.newAppend().addFile(extra).commit());
        assertTrue(
                e.getMessage().contains("'qty'") && e.getMessage().contains("evolveSchema"),
                e.getMessage());
        assertEquals(0, t.snapshot().version());

        // text in a long column: no type holds both, even with evolution; the message names file,
        // column, types
        data.write(t, "day=2026-11-01/text.parquet", "SELECT 'one' AS id, 'x' AS name");
        DataFile wrongType = t.dataFile("day=2026-11-01/text.parquet", Map.of("day", "2026-11-01"));
        SchemaMismatchException e2 =
                assertThrows(
                        SchemaMismatchException.class,
                        () -> t.newAppend().addFile(wrongType).evolveSchema().commit());
        assertTrue(
                e2.getMessage().contains("file day=2026-11-01/text.parquet")
                        && e2.getMessage().contains("'id'")
                        && e2.getMessage().contains("type string")
                        && e2.getMessage().contains("table's is long"),
                e2.getMessage());
        assertEquals(0, t.snapshot().version());

        CommitResult r = t.newAppend().addFile(extra).evolveSchema().commit();
        Schema evolved = t.snapshot().schema();
        assertEquals(List.of("id", "name", "amount", "day", "qty"), evolved.columnNames());
        assertEquals(DataType.INT, evolved.field("qty").orElseThrow().type());
        assertTrue(evolved.field("qty").orElseThrow().nullable());
        assertFalse(t.history().get(0).blindAppend());
        assertEquals(SCHEMA, t.snapshot(r.version() - 1).schema());

        // a file without a newer column still fits (the column reads as null)
        t.newAppend()
                .addFile(
                        data.file(
                                t, "day=2026-11-02/old.parquet", 0, 2, Map.of("day", "2026-11-02")))
                .commit();
        // partition values are checked against the partition column's type
        data.write(t, "day=2026-11-03/p.parquet", TestData.rows(0, 1));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        t.newAppend()
                                .addFile(
                                        t.dataFile(
                                                "day=2026-11-03/p.parquet",
                                                Map.of("day", "not-a-date")))
                                .commit());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        t.newAppend()
                                .addFile(t.dataFile("day=2026-11-03/p.parquet", Map.of()))
                                .commit());
    }

    @Test
    void createFromFirstWriteAndCreateTwice() {
        data.write("analytics/k/", "part-0.parquet", TestData.rows(0, 4));
        // the first file's footer gives the schema; no partitioning
        DataFile f = null;
        Table created;
        {
            dev.tarn.lake.storage.ObjectStat st =
                    lake.store().stat("analytics/k/part-0.parquet").orElseThrow();
            f =
                    dev.tarn.lake.table.internal.ParquetFooter.describe(
                            lake.store(), st, "part-0.parquet", Map.of());
            created = tables.newCreate("analytics/k").addFile(f).commit();
        }
        Snapshot s = created.snapshot();
        assertEquals(0, s.version());
        assertEquals(4, s.recordCount());
        assertEquals(List.of("id", "name", "amount"), s.schema().columnNames());
        assertThrows(
                TableAlreadyExistsException.class, () -> tables.create("analytics/k", s.schema()));
        assertEquals(
                0,
                tables.newCreate("analytics/k")
                        .schema(s.schema())
                        .ifNotExists()
                        .commit()
                        .snapshot()
                        .version());
    }

    @Test
    void compactionReplacesFilesWithoutChangingData() {
        Table t = tables.create("processed/c", SCHEMA, "day");
        for (int i = 0; i < 3; i++) {
            t.newAppend()
                    .addFile(
                            data.file(
                                    t,
                                    "day=2026-11-01/small-" + i + ".parquet",
                                    i * 10,
                                    i * 10 + 10,
                                    Map.of("day", "2026-11-01")))
                    .commit();
        }
        List<String> before = data.rowsOf(t, t.snapshot());
        DataFile big =
                data.file(t, "day=2026-11-01/big.parquet", 0, 30, Map.of("day", "2026-11-01"));
        CommitResult r =
                t.newRewrite()
                        .removeFiles(
                                List.of(
                                        "day=2026-11-01/small-0.parquet",
                                        "day=2026-11-01/small-1.parquet",
                                        "day=2026-11-01/small-2.parquet"))
                        .addFile(big)
                        .commit();
        assertEquals("OPTIMIZE", r.operation());
        assertEquals(Set.of("day=2026-11-01/big.parquet"), paths(t.snapshot()));
        assertEquals(before, data.rowsOf(t, t.snapshot()));
        DataFile wrong =
                data.file(t, "day=2026-11-01/wrong.parquet", 0, 5, Map.of("day", "2026-11-01"));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        t.newRewrite()
                                .removeFile("day=2026-11-01/big.parquet")
                                .addFile(wrong)
                                .commit());
    }

    @Test
    void vacuumDeletesOnlyFilesNoRetainedVersionNeeds() throws Exception {
        Table t = tables.create("processed/v", SCHEMA, "day");
        t.newAppend()
                .addFile(
                        data.file(t, "day=2026-11-01/a.parquet", 0, 5, Map.of("day", "2026-11-01")))
                .commit();
        t.newAppend()
                .addFile(
                        data.file(t, "day=2026-11-01/b.parquet", 5, 9, Map.of("day", "2026-11-01")))
                .commit();
        t.newDelete().deleteFile("day=2026-11-01/a.parquet").commit();
        // an orphan: written by a writer that died before committing, long ago
        Path orphan = data.root().resolve("processed/v/day=2026-11-01/orphan.parquet");
        Files.writeString(orphan, "not committed", StandardCharsets.UTF_8);
        Instant old = Instant.now().minus(Duration.ofDays(30));
        Files.setLastModifiedTime(orphan, FileTime.from(old));
        Files.setLastModifiedTime(
                data.root().resolve("processed/v/day=2026-11-01/a.parquet"), FileTime.from(old));
        // a fresh orphan: maybe a commit in progress
        Files.writeString(data.root().resolve("processed/v/day=2026-11-01/fresh.parquet"), "x");

        // 7 days: a.parquet was removed just now, so versions inside the retention still need it
        VacuumResult r = t.vacuum(Duration.ofDays(7));
        assertEquals(List.of("day=2026-11-01/orphan.parquet"), r.deletedFiles());
        assertFalse(Files.exists(orphan));
        assertTrue(Files.exists(data.root().resolve("processed/v/day=2026-11-01/a.parquet")));
        assertEquals(2, t.snapshot(2).files().size());

        VacuumResult dry = t.newVacuum().retention(Duration.ZERO).apply();
        assertTrue(dry.dryRun());
        assertTrue(dry.deletedFiles().contains("day=2026-11-01/a.parquet"));
        assertTrue(Files.exists(data.root().resolve("processed/v/day=2026-11-01/a.parquet")));
        VacuumResult zero = t.vacuum(Duration.ZERO);
        assertTrue(zero.deletedFiles().contains("day=2026-11-01/a.parquet"), zero.toString());
        assertFalse(zero.deletedFiles().contains("day=2026-11-01/b.parquet"));
        assertTrue(
                Files.exists(
                        data.root().resolve("processed/v/_delta_log/00000000000000000000.json")));
        assertEquals(Set.of("day=2026-11-01/b.parquet"), paths(t.snapshot()));
        assertThrows(NotFoundException.class, () -> t.restore(2));
    }

    @Test
    void compactionMergesSmallFilesOfEachPartitionExactly() throws Exception {
        Table t = tables.create("processed/small", SCHEMA, "day");
        for (int i = 0; i < 5; i++) {
            t.newAppend()
                    .addFile(
                            data.file(
                                    t,
                                    "day=2026-11-01/s" + i + ".parquet",
                                    i * 10,
                                    i * 10 + 7,
                                    Map.of("day", "2026-11-01")))
                    .commit();
        }
        for (int i = 0; i < 2; i++) {
            t.newAppend()
                    .addFile(
                            data.file(
                                    t,
                                    "day=2026-11-02/s" + i + ".parquet",
                                    100 + i * 10,
                                    100 + i * 10 + 3,
                                    Map.of("day", "2026-11-02")))
                    .commit();
        }
        t.newAppend()
                .addFile(
                        data.file(
                                t,
                                "day=2026-11-03/only.parquet",
                                500,
                                510,
                                Map.of("day", "2026-11-03")))
                .commit();
        List<String> before = data.rowsOf(t, t.snapshot());
        long version = t.snapshot().version();
        CompactionResult r = t.newCompaction().commit();
        assertTrue(r.committed());
        assertEquals(7, r.removedFiles().size());
        assertEquals(2, r.addedFiles().size());
        assertEquals(version + 1, r.commit().version());
        Snapshot after = t.snapshot();
        assertEquals(3, after.files().size());
        assertEquals(before, data.rowsOf(t, after));
        assertEquals(before.size(), after.recordCount());
        DataFile merged = after.files(PartitionFilter.eq("day", "2026-11-01")).get(0);
        assertTrue(merged.path().startsWith("day=2026-11-01/part-"), merged.path());
        assertEquals(35, merged.recordCount());
        assertEquals(0L, ((Number) merged.stats().minValues().get("id")).longValue());
        assertEquals(46L, ((Number) merged.stats().maxValues().get("id")).longValue());
        assertEquals("OPTIMIZE", t.history().get(0).operation());
        assertEquals(before, KernelReader.read(data.root().resolve(t.keyPrefix()), null).rows());
        assertFalse(t.newCompaction().commit().committed(), "nothing left to compact");
        // time travel still sees the small files; vacuum with a zero retention then removes them
        assertEquals(8, t.snapshot(version).files().size());
        assertEquals(7, t.vacuum(Duration.ZERO).deletedFiles().size());
    }

    @Test
    void rowDeleteRewritesOnlyTheFilesHoldingMatchingRows() throws Exception {
        Table t = tables.create("processed/rows", SCHEMA, "day");
        t.newAppend()
                .addFile(
                        data.file(
                                t, "day=2026-11-01/a.parquet", 0, 10, Map.of("day", "2026-11-01")))
                .commit();
        t.newAppend()
                .addFile(
                        data.file(
                                t, "day=2026-11-01/b.parquet", 10, 20, Map.of("day", "2026-11-01")))
                .commit();
        t.newAppend()
                .addFile(
                        data.file(
                                t, "day=2026-11-02/c.parquet", 20, 25, Map.of("day", "2026-11-02")))
                .commit();
        List<String> before = data.rowsOf(t, t.snapshot());
        // ids 3 and 4 of a.parquet, and all of c.parquet (its whole partition matches)
        CommitResult r =
                t.newRowDelete()
                        .rows(
                                RowPredicate.in("id", 3, 4L)
                                        .or(
                                                RowPredicate.eq(
                                                        "day",
                                                        java.time.LocalDate.parse("2026-11-02"))))
                        .commit();
        assertEquals("DELETE", r.operation());
        assertEquals(2, r.filesRemoved());
        assertEquals(1, r.filesAdded());
        Snapshot s = t.snapshot();
        assertEquals(18, s.recordCount());
        List<String> expected =
                before.stream()
                        .filter(
                                x ->
                                        !x.startsWith("id=3,")
                                                && !x.startsWith("id=4,")
                                                && !x.contains("day=2026-11-02"))
                        .toList();
        assertEquals(expected, data.rowsOf(t, s));
        assertTrue(
                paths(s).contains("day=2026-11-01/b.parquet"),
                "a file without matches is not rewritten");
        assertEquals("7", t.history().get(0).metrics().get("numDeletedRows"));
        assertEquals("8", t.history().get(0).metrics().get("numCopiedRows"));
        assertEquals(
                "[row predicate]",
                t.history().get(0).parameters().get("predicate"),
                "a predicate given as code alone has no text to record");
        // decimals compare by value, and a predicate that matches nothing commits an empty delete
        t.newRowDelete()
                .where(PartitionFilter.eq("day", "2026-11-01"))
                .rows(RowPredicate.ge("amount", new java.math.BigDecimal("27")), "amount >= 27")
                .commit();
        assertEquals(
                "amount >= 27",
                t.history().get(0).parameters().get("predicate"),
                "the history records the predicate's text");
        assertEquals(
                List.of(0L, 1L, 2L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L),
                data.rowsOf(t, t.snapshot()).stream()
                        .map(x -> Long.parseLong(x.substring(3, x.indexOf(','))))
                        .sorted()
                        .toList());
        assertEquals(
                expected.size() - 2,
                KernelReader.read(data.root().resolve(t.keyPrefix()), null).rows().size());
        assertEquals(
                data.rowsOf(t, t.snapshot()),
                KernelReader.read(data.root().resolve(t.keyPrefix()), null).rows());
    }
}
