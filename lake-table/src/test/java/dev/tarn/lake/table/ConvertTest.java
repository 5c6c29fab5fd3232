package dev.tarn.lake.table;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** Raw objects into a table with convert: incremental, exactly once, with lineage; read back by Delta Kernel. */
class ConvertTest {
    @TempDir
    Path tmp;
    Lake lake;
    static final DatasetId RAW = DatasetId.parse("raw/clicks");
    static final DatasetId TABLE = DatasetId.parse("processed/clicks");

    @BeforeEach
    void open() {
        lake = Lake.open(tmp.resolve("lake"));
    }

    @AfterEach
    void close() {
        lake.close();
    }

    static byte[] events(int from, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            b.append("{\"id\":").append(i).append(",\"type\":\"").append(i % 3 == 0 ? "buy" : "view")
                    .append("\",\"amount\":").append(i * 1.5).append("}\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    long rows(Table t) {
        return t.snapshot().recordCount();
    }

    @Test
    void eachRawObjectIsConvertedOnceAndOnlyNewOnesNext() throws Exception {
        lake.ingest(RAW).bytes(events(0, 10), "a.ndjson").commit();
        lake.ingest(RAW).bytes(events(10, 5), "b.ndjson").commit();
        Tables tables = Tables.of(lake);
        ConvertResult first = tables.newConvert(RAW, TABLE).commit();
        assertTrue(first.converted());
        assertEquals(15, first.rowsWritten());
        assertEquals(2, first.objects().size());
        assertEquals(15, rows(tables.load(TABLE)));

        ConvertResult again = tables.newConvert(RAW, TABLE).commit();
        assertFalse(again.converted(), "nothing new: nothing converted twice");
        assertEquals(15, rows(tables.load(TABLE)));

        lake.ingest(RAW).bytes(events(15, 7), "c.ndjson").commit();
        ConvertResult third = tables.newConvert(RAW, TABLE).commit();
        assertEquals(List.of("ingest_date=" + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + "/c.ndjson"),
                third.objects());
        assertEquals(22, rows(tables.load(TABLE)));

        // lineage: every convert commit names its source, the catalog version it read and the objects
        List<HistoryEntry> converts = tables.load(TABLE).history().stream()
                .filter(h -> h.parameters().containsKey("source")).toList();
        assertEquals(2, converts.size());
        assertTrue(converts.stream().anyMatch(h -> h.parameters().get("sourceObjects").contains("c.ndjson")),
                converts.toString());
        assertTrue(converts.stream().allMatch(h -> h.parameters().get("source").equals("raw/clicks")));

        // an independent reader sees exactly the converted rows
        KernelReader.Result k = KernelReader.read(tmp.resolve("lake/processed/clicks"), null);
        assertEquals(22, k.rows().size());
        assertEquals(List.of("id:integer", "type:string", "amount:double"), k.schema(), "types as inferred");
    }

    @Test
    void twoConvertersRacingOverTheSameObjectsConvertThemOnce() throws Exception {
        for (int i = 0; i < 6; i++) {
            lake.ingest(RAW).bytes(events(i * 100, 20), "part-" + i + ".ndjson").commit();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                lake.ingest(RAW).bytes(events(1000 + round * 100, 10), "late-" + round + ".ndjson").commit();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<ConvertResult>> fs = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Callable<ConvertResult> c = () -> {
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
                assertEquals(expected, written, "round " + round + ": every new row written by exactly one run");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(6 * 20 + 3 * 10, rows(Tables.of(lake).load(TABLE)));
        KernelReader.Result k = KernelReader.read(tmp.resolve("lake/processed/clicks"), null);
        assertEquals(150, k.rows().size());
        assertEquals(150, k.rows().stream().distinct().count(), "no row twice");
    }

    @Test
    void partitionedConversionAndQuarantinedRecords() throws Exception {
        byte[] good = events(0, 9);
        byte[] withBad = (new String(good, StandardCharsets.UTF_8) + "{\"id\": oops}\n")
                .getBytes(StandardCharsets.UTF_8);
        lake.ingest(RAW).bytes(withBad, "a.ndjson").commit();
        ConvertResult r = Tables.of(lake).newConvert(RAW, TABLE).partitionBy("type").commit();
        assertEquals(9, r.rowsWritten());
        assertEquals(1, r.rowsQuarantined());
        assertNotNull(r.quarantine());
        String q = new String(lake.store().getBytes(r.quarantine()), StandardCharsets.UTF_8);
        assertTrue(q.contains("oops"), "the bad record is kept with its reason: " + q);
        Snapshot s = Tables.of(lake).load(TABLE).snapshot();
        assertEquals(List.of("type"), s.partitionColumns());
        assertEquals(java.util.Set.of("buy", "view"),
                s.files().stream().map(f -> f.partitionValues().get("type")).collect(java.util.stream.Collectors.toSet()));
        KernelReader.Result k = KernelReader.read(tmp.resolve("lake/processed/clicks"), null);
        assertEquals(9, k.rows().size());
        assertEquals(List.of("type"), k.partitionColumns());

        // later runs partition like the table, without being told; another partitioning is refused
        lake.ingest(RAW).bytes(events(9, 3), "b.ndjson").commit();
        assertEquals(3, Tables.of(lake).newConvert(RAW, TABLE).commit().rowsWritten());
        lake.ingest(RAW).bytes(events(12, 3), "c.ndjson").commit();
        var e = assertThrows(dev.tarn.lake.TarnException.class,
                () -> Tables.of(lake).newConvert(RAW, TABLE).partitionBy("id").commit());
        assertTrue(e.getMessage().contains("partitioned by [type]"), e.getMessage());
    }

    @Test
    void everyTableCommitReachesTheLakesListenersAsAnEvent() {
        List<dev.tarn.lake.event.LakeEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        lake.onCommit(events::add);
        lake.ingest(RAW).bytes(events(0, 4), "a.ndjson").commit();
        ConvertResult r = Tables.of(lake).newConvert(RAW, TABLE).commit();
        List<dev.tarn.lake.event.LakeEvent> table = events.stream()
                .filter(e -> e.kind() == dev.tarn.lake.event.LakeEvent.Kind.TABLE).toList();
        assertEquals(List.of(0L, r.tableVersion()), table.stream().map(e -> e.version()).toList(),
                "the creation and the append, in commit order");
        assertEquals(List.of(TABLE), table.get(1).datasets());
        assertEquals(1, table.get(1).objectsAdded(), "one data file");
        assertEquals("WRITE", table.get(1).operation());
        assertTrue(events.stream().anyMatch(e -> e.kind() == dev.tarn.lake.event.LakeEvent.Kind.CATALOG
                && e.datasets().contains(RAW)), "the ingest's catalog commit too");
    }

    @Test
    void overwriteReplacesTheTablesDataWithEveryObject() {
        lake.ingest(RAW).bytes(events(0, 4), "a.ndjson").commit();
        Tables.of(lake).newConvert(RAW, TABLE).commit();
        lake.ingest(RAW).bytes(events(4, 4), "b.ndjson").commit();
        ConvertResult r = Tables.of(lake).newConvert(RAW, TABLE).mode(Convert.Mode.OVERWRITE).commit();
        assertEquals(8, r.rowsWritten());
        assertEquals(8, rows(Tables.of(lake).load(TABLE)));
    }

    @Test
    void clearErrorsForWhatCannotBeConverted() {
        var e = assertThrows(dev.tarn.lake.NotFoundException.class,
                () -> Tables.of(lake).newConvert(RAW, TABLE).commit());
        assertTrue(e.getMessage().contains("raw/clicks"), e.getMessage());
        lake.ingest("raw/images").bytes(new byte[]{0, 1, 2}, "x.bin").commit();
        var f = assertThrows(dev.tarn.lake.TarnException.class,
                () -> Tables.of(lake).newConvert("raw/images", "processed/images").commit());
        assertTrue(f.getMessage().contains("cannot be converted"), f.getMessage());
        assertFalse(Tables.of(lake).exists(DatasetId.parse("processed/images")));
    }
}
