package dev.tarn.lake.suite;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.event.ChangeEvent;
import dev.tarn.lake.event.ChangeFeed;
import dev.tarn.lake.event.FeedCursor;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.table.CommitResult;
import dev.tarn.lake.table.CompactionResult;
import dev.tarn.lake.table.Convert;
import dev.tarn.lake.table.ConvertResult;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.HistoryEntry;
import dev.tarn.lake.table.KernelReader;
import dev.tarn.lake.table.RowPredicate;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.table.VacuumResult;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Delta tables: raw objects converted exactly once, then the table's life (every operation read
 * back).
 */
abstract class TableSuite extends BackendTest {
    static final DatasetId RAW = DatasetId.parse("raw/clicks");
    static final DatasetId TABLE = DatasetId.parse("processed/clicks");

    TableSuite(Backend backend) {
        super(backend);
    }

    static byte[] events(int from, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            b.append("{\"id\":")
                    .append(i)
                    .append(",\"type\":\"")
                    .append(i % 3 == 0 ? "buy" : "view")
                    .append("\",\"amount\":")
                    .append(i * 1.5)
                    .append("}\n");
        }
        return utf8(b.toString());
    }

    static Set<String> paths(List<DataFile> files) {
        return new TreeSet<>(files.stream().map(DataFile::path).toList());
    }

    KernelReader.Result kernel(Lake lake, Long version) throws Exception {
        return Kernel.read(lake, TABLE.keyPrefix(), tmp, version);
    }

    @Test
    void convertingRawObjectsConvertsEachOnceAndOnlyNewOnesNext() throws Exception {
        Lake lake = newLake();
        lake.ingest(RAW).bytes(events(0, 10), "a.ndjson").commit();
        lake.ingest(RAW).bytes(events(10, 5), "b.ndjson").commit();
        Tables tables = Tables.of(lake);
        ConvertResult first = tables.newConvert(RAW, TABLE).commit();
        assertTrue(first.converted());
        assertEquals(1, first.tableVersion(), "version 0 creates the table, 1 holds the rows");
        assertEquals(15, first.rowsWritten());
        assertEquals(2, first.objects().size());
        assertEquals(15, tables.load(TABLE).snapshot().recordCount());
        assertEquals(DatasetKind.TABLE, lake.catalog().dataset(TABLE).orElseThrow().kind());

        ConvertResult again = tables.newConvert(RAW, TABLE).commit();
        assertFalse(again.converted(), "nothing new: nothing converted twice");
        assertEquals(15, tables.load(TABLE).snapshot().recordCount());

        lake.ingest(RAW).bytes(events(15, 7), "c.ndjson").commit();
        ConvertResult third = tables.newConvert(RAW, TABLE).commit();
        assertEquals(
                List.of("ingest_date=" + LocalDate.now(ZoneOffset.UTC) + "/c.ndjson"),
                third.objects());
        assertEquals(22, tables.load(TABLE).snapshot().recordCount());

        // lineage: every convert commit names its source, the catalog version it read and the
        // objects
        List<HistoryEntry> converts =
                tables.load(TABLE).history().stream()
                        .filter(h -> h.parameters().containsKey("source"))
                        .toList();
        assertEquals(2, converts.size());
        assertTrue(
                converts.stream()
                        .anyMatch(h -> h.parameters().get("sourceObjects").contains("c.ndjson")),
                converts.toString());
        assertTrue(
                converts.stream().allMatch(h -> h.parameters().get("source").equals("raw/clicks")));
        assertEquals(
                Long.toString(lake.catalog().dataset(RAW).orElseThrow().lastVersion()),
                converts.get(0).parameters().get("sourceVersion"),
                "the newest run read the newest catalog");

        // an independent reader sees exactly the converted rows
        KernelReader.Result k = kernel(lake, null);
        assertEquals(22, k.rows().size());
        assertEquals(
                List.of("id:integer", "type:string", "amount:double"),
                k.schema(),
                "types as inferred");
    }

    /**
     * The change feed read by another handle of the same lake (another process would open it the
     * same way): every catalog and table commit, in order, and a cursor that resumes exactly.
     */
    @Test
    void theChangeFeedListsEveryCommitToAnotherReaderOfTheLake() throws Exception {
        LakeLocation where = newLocation();
        Lake writer = track(where.open());
        Lake reader = track(where.open());
        ChangeFeed feed = reader.events();
        assertEquals(List.of("catalog@0"), positions(feed.poll()));
        writer.ingest(RAW).bytes(events(0, 10), "a.ndjson").commit();
        Tables.of(writer).newConvert(RAW, TABLE).commit();
        Tables.of(writer)
                .load(TABLE)
                .newRowDelete()
                .rows(RowPredicate.eq("id", 3L), "id = 3")
                .commit();
        List<ChangeEvent> got = feed.poll();
        assertEquals(
                List.of(
                        "catalog@1 ingest",
                        "catalog@2 create-dataset",
                        "processed/clicks@0 create-table",
                        "processed/clicks@1 append",
                        "processed/clicks@2 delete"),
                got.stream().map(e -> e.position() + " " + e.operation()).toList());
        assertEquals(10L, got.get(3).metrics().get("numOutputRows"));
        assertTrue(
                got.get(0).added().get(0).startsWith("raw/clicks/"), got.get(0).added().toString());
        FeedCursor saved = FeedCursor.parse(feed.cursor().toString());
        writer.ingest(RAW).bytes(events(10, 5), "b.ndjson").commit();
        Tables.of(writer).newConvert(RAW, TABLE).commit();
        assertEquals(
                List.of("catalog@3", "processed/clicks@3"),
                positions(track(where.open()).events().since(saved).poll()));
        assertEquals(
                List.of(),
                positions(
                        reader.events()
                                .since(FeedCursor.parse("catalog@3,processed/clicks@3"))
                                .poll()));
    }

    private static List<String> positions(List<ChangeEvent> events) {
        return events.stream().map(ChangeEvent::position).toList();
    }

    @Test
    void fourConvertersRacingOverTheSameObjectsConvertEachRowOnce() throws Exception {
        Lake lake = newLake();
        for (int i = 0; i < 6; i++) {
            lake.ingest(RAW).bytes(events(i * 100, 20), "part-" + i + ".ndjson").commit();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                lake.ingest(RAW)
                        .bytes(events(1000 + round * 100, 10), "late-" + round + ".ndjson")
                        .commit();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<ConvertResult>> fs = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Callable<ConvertResult> c =
                            () -> {
                                go.await();
                                return Tables.of(lake).newConvert(RAW, TABLE).commit();
                            };
                    fs.add(pool.submit(c));
                }
                go.countDown();
                long written = 0;
                for (Future<ConvertResult> f : fs) {
                    written += f.get().rowsWritten();
                }
                long expected = round == 0 ? 6 * 20 + 10 : 10;
                assertEquals(
                        expected,
                        written,
                        "round " + round + ": every new row written by exactly one run");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(6 * 20 + 3 * 10, Tables.of(lake).load(TABLE).snapshot().recordCount());
        KernelReader.Result k = kernel(lake, null);
        assertEquals(150, k.rows().size());
        assertEquals(150, k.rows().stream().distinct().count(), "no row twice");
    }

    @Test
    void overwriteReplacesTheTablesDataWithEveryObject() {
        Lake lake = newLake();
        lake.ingest(RAW).bytes(events(0, 4), "a.ndjson").commit();
        Tables.of(lake).newConvert(RAW, TABLE).commit();
        Set<String> firstRun = paths(Tables.of(lake).load(TABLE).snapshot().files());
        lake.ingest(RAW).bytes(events(4, 4), "b.ndjson").commit();
        ConvertResult r =
                Tables.of(lake).newConvert(RAW, TABLE).mode(Convert.Mode.OVERWRITE).commit();
        assertEquals(8, r.rowsWritten());
        assertEquals(8, Tables.of(lake).load(TABLE).snapshot().recordCount());
        Set<String> live = paths(Tables.of(lake).load(TABLE).snapshot().files());
        assertTrue(
                live.stream().noneMatch(firstRun::contains),
                "the first run's files are replaced: " + live);
    }

    @Test
    void rowDeleteCompactionOverwriteRestoreAndVacuumEachReadBackExactlyAtEveryVersion()
            throws Exception {
        Lake lake = newLake();
        Tables tables = Tables.of(lake);
        for (int i = 0; i < 3; i++) {
            lake.ingest(RAW).bytes(events(i * 10, 10), "e" + i + ".ndjson").commit();
            tables.newConvert(RAW, TABLE).commit();
        }
        Table t = tables.load(TABLE);
        assertEquals(3, t.snapshot().version());
        assertEquals(3, t.snapshot().files().size());
        List<String> written = kernel(lake, null).rows();
        assertEquals(30, written.size());
        Instant v3 = t.snapshot().timestamp();

        CommitResult delete = t.newRowDelete().rows(RowPredicate.in("id", 3, 4L)).commit();
        assertEquals(4, delete.version());
        assertEquals("DELETE", delete.operation());
        assertEquals(1, delete.filesRemoved(), "only the file holding ids 3 and 4 is rewritten");
        assertEquals(1, delete.filesAdded());
        List<String> deleted =
                written.stream()
                        .filter(r -> !r.startsWith("id=3,") && !r.startsWith("id=4,"))
                        .toList();
        assertEquals(28, deleted.size());
        assertEquals(deleted, kernel(lake, null).rows());

        CompactionResult compaction = t.newCompaction().commit();
        assertTrue(compaction.committed());
        assertEquals(5, compaction.commit().version());
        assertEquals(3, compaction.removedFiles().size());
        assertEquals(1, compaction.addedFiles().size());
        assertEquals(1, t.snapshot().files().size());
        assertEquals(deleted, kernel(lake, null).rows(), "compaction changes files, never rows");
        assertFalse(t.newCompaction().commit().committed(), "nothing left to compact");

        lake.ingest(RAW).bytes(events(100, 5), "e3.ndjson").commit();
        ConvertResult overwrite =
                tables.newConvert(RAW, TABLE).mode(Convert.Mode.OVERWRITE).commit();
        assertEquals(6, overwrite.tableVersion());
        assertEquals(35, overwrite.rowsWritten(), "every object again, ids 3 and 4 included");
        assertEquals(35, t.snapshot().recordCount());

        // time travel: each version as it was, by number and by time
        assertEquals(30, t.snapshot(3).recordCount());
        assertEquals(28, t.snapshot(4).recordCount());
        assertEquals(3, t.snapshotAsOf(v3).version());
        assertEquals(written, kernel(lake, 3L).rows());
        assertEquals(deleted, kernel(lake, 4L).rows());
        assertEquals(35, kernel(lake, 6L).rows().size());

        CommitResult restore = t.restore(3);
        assertEquals(7, restore.version());
        assertEquals("RESTORE", restore.operation());
        assertEquals(written, kernel(lake, null).rows());
        assertEquals(
                paths(t.snapshot(3).files()),
                paths(t.snapshot().files()),
                "the files of version 3");

        List<HistoryEntry> history = t.history();
        assertEquals(
                List.of(7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L),
                history.stream().map(HistoryEntry::version).toList());
        assertEquals(
                List.of(
                        "RESTORE",
                        "WRITE",
                        "OPTIMIZE",
                        "DELETE",
                        "WRITE",
                        "WRITE",
                        "WRITE",
                        "CREATE TABLE"),
                history.stream().map(HistoryEntry::operation).toList());
        assertEquals(
                List.of("Overwrite", "Append", "Append", "Append"),
                history.stream()
                        .filter(h -> "WRITE".equals(h.operation()))
                        .map(h -> h.parameters().get("mode"))
                        .toList());

        // a zero retention keeps only what the newest version reads: the rewritten, compacted and
        // overwriting
        // files go; the restored ones stay, and the table still reads whole
        Set<String> live = paths(t.snapshot().files());
        Set<String> replaced = new TreeSet<>();
        for (long v = 4; v <= 6; v++) {
            replaced.addAll(paths(t.snapshot(v).files()));
        }
        replaced.removeAll(live);
        assertTrue(replaced.size() >= 3, replaced.toString());
        Thread.sleep(
                50); // past the newest commit's timestamp, so that its removals are outside the
        // retention
        VacuumResult vacuum = t.vacuum(Duration.ZERO);
        assertEquals(replaced, new TreeSet<>(vacuum.deletedFiles()));
        Set<String> dataFiles = new TreeSet<>();
        for (ObjectStat s : lake.store().list(TABLE.keyPrefix())) {
            String rel = s.key().substring(TABLE.keyPrefix().length());
            if (!rel.startsWith("_")) {
                dataFiles.add(rel);
            }
        }
        assertEquals(live, dataFiles, "exactly the live files are left");
        assertEquals(written, kernel(lake, null).rows());
        assertTrue(lake.doctor().check().isClean());
    }

    /** Every stored key outside the catalog's own files, with its size. */
    static java.util.Map<String, Long> dataKeys(Lake lake) {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        for (ObjectStat s : lake.store().list("")) {
            if (!s.key().startsWith("_tarn/")) {
                m.put(s.key(), s.size());
            }
        }
        return m;
    }

    /**
     * Issue 12: rm, drop and purge on this backend; purge deletes exactly the bytes no version
     * needs.
     */
    @Test
    void removeDropAndPurgeDeleteExactlyTheBytesNoVersionNeeds() throws Exception {
        Lake lake = newLake();
        lake.ingest(RAW).bytes(events(0, 5), "a.ndjson").bytes(events(5, 5), "b.ndjson").commit();
        Tables.of(lake).newConvert(RAW, TABLE).commit();
        String a = lake.catalog().object(RAW, "a.ndjson").key();
        long before = lake.catalog().version();
        lake.remove(RAW).object("a.ndjson").reason("bad export").commit();
        dev.tarn.lake.exceptions.TarnException refused =
                assertThrows(
                        dev.tarn.lake.exceptions.TarnException.class,
                        () -> lake.drop(RAW).commit());
        assertTrue(refused.getMessage().contains(TABLE.toString()), refused.getMessage());
        lake.drop(TABLE).reason("rebuild").commit();
        try (var in = lake.open(lake.catalog(before).object(RAW, "a.ndjson"))) {
            assertArrayEquals(events(0, 5), in.readAllBytes());
        }
        java.util.Map<String, Long> all = dataKeys(lake);
        assertTrue(
                all.keySet().stream()
                        .anyMatch(k -> k.startsWith(TABLE.keyPrefix() + "_delta_log/")));
        Thread.sleep(
                20); // the last commit's time lies behind the purge's cutoff, even at a retention
        // of zero
        var r = lake.purge().olderThan(Duration.ZERO).reason("suite").commit();
        java.util.Map<String, Long> expected = new java.util.TreeMap<>(all);
        expected.remove(a);
        expected.keySet().removeIf(k -> k.startsWith(TABLE.keyPrefix()));
        assertEquals(expected, dataKeys(lake));
        assertEquals(all.size() - expected.size(), r.deleted().size());
        var h = lake.history(1).get(0);
        assertEquals("purge", h.operation());
        assertEquals("suite", h.parameters().get("reason"));
        assertEquals(1, lake.catalog().objects(RAW).size());
        assertFalse(Tables.of(lake).exists(TABLE));
    }
}
