package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Convert's own rules: partitioning, quarantine, events, errors. Converting exactly once
 * (incrementally, and with several converters racing), overwrite and lineage are lake-suite's, on
 * every backend.
 */
class ConvertTest {
    @TempDir Path tmp;
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
            b.append("{\"id\":")
                    .append(i)
                    .append(",\"type\":\"")
                    .append(i % 3 == 0 ? "buy" : "view")
                    .append("\",\"amount\":")
                    .append(i * 1.5)
                    .append("}\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    long rows(Table t) {
        return t.snapshot().recordCount();
    }

    @Test
    void partitionedConversionAndQuarantinedRecords() throws Exception {
        byte[] good = events(0, 9);
        byte[] withBad =
                (new String(good, StandardCharsets.UTF_8) + "{\"id\": oops}\n")
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
        assertEquals(
                java.util.Set.of("buy", "view"),
                s.files().stream()
                        .map(f -> f.partitionValues().get("type"))
                        .collect(java.util.stream.Collectors.toSet()));
        KernelReader.Result k = KernelReader.read(tmp.resolve("lake/processed/clicks"), null);
        assertEquals(9, k.rows().size());
        assertEquals(List.of("type"), k.partitionColumns());

        // later runs partition like the table, without being told; another partitioning is refused
        lake.ingest(RAW).bytes(events(9, 3), "b.ndjson").commit();
        assertEquals(3, Tables.of(lake).newConvert(RAW, TABLE).commit().rowsWritten());
        lake.ingest(RAW).bytes(events(12, 3), "c.ndjson").commit();
        var e =
                assertThrows(
                        dev.tarn.lake.exceptions.TarnException.class,
                        () -> Tables.of(lake).newConvert(RAW, TABLE).partitionBy("id").commit());
        assertTrue(e.getMessage().contains("partitioned by [type]"), e.getMessage());
    }

    @Test
    void everyTableCommitReachesTheLakesListenersAsAnEvent() {
        List<dev.tarn.lake.event.LakeEvent> events =
                new java.util.concurrent.CopyOnWriteArrayList<>();
        lake.onCommit(events::add);
        lake.ingest(RAW).bytes(events(0, 4), "a.ndjson").commit();
        ConvertResult r = Tables.of(lake).newConvert(RAW, TABLE).commit();
        List<dev.tarn.lake.event.LakeEvent> table =
                events.stream()
                        .filter(e -> e.kind() == dev.tarn.lake.event.LakeEvent.Kind.TABLE)
                        .toList();
        assertEquals(
                List.of(0L, r.tableVersion()),
                table.stream().map(e -> e.version()).toList(),
                "the creation and the append, in commit order");
        assertEquals(List.of(TABLE), table.get(1).datasets());
        assertEquals(1, table.get(1).objectsAdded(), "one data file");
        assertEquals("WRITE", table.get(1).operation());
        assertTrue(
                events.stream()
                        .anyMatch(
                                e ->
                                        e.kind() == dev.tarn.lake.event.LakeEvent.Kind.CATALOG
                                                && e.datasets().contains(RAW)),
                "the ingest's catalog commit too");
    }

    @Test
    void aConversionReportsItsProgressAndEndsWithEveryRowCounted() {
        lake.ingest(RAW).bytes(events(0, 40), "a.ndjson").commit();
        lake.ingest(RAW).bytes(events(40, 20), "b.ndjson").commit();
        List<dev.tarn.lake.format.Progress> seen =
                new java.util.concurrent.CopyOnWriteArrayList<>();
        ConvertResult r = Tables.of(lake).newConvert(RAW, TABLE).progress(seen::add).commit();
        assertEquals(60, r.rowsWritten());
        assertFalse(seen.isEmpty(), "at least the final report");
        dev.tarn.lake.format.Progress last = seen.get(seen.size() - 1);
        assertEquals(60, last.rowsDone());
        assertEquals(last.bytesTotal(), last.bytesDone(), "every input byte read: " + last);
    }

    @Test
    void clearErrorsForWhatCannotBeConverted() {
        var e =
                assertThrows(
                        dev.tarn.lake.exceptions.NotFoundException.class,
                        () -> Tables.of(lake).newConvert(RAW, TABLE).commit());
        assertTrue(e.getMessage().contains("raw/clicks"), e.getMessage());
        lake.ingest("raw/images").bytes(new byte[] {0, 1, 2}, "x.bin").commit();
        var f =
                assertThrows(
                        dev.tarn.lake.exceptions.TarnException.class,
                        () ->
                                Tables.of(lake)
                                        .newConvert("raw/images", "processed/images")
                                        .commit());
        assertTrue(f.getMessage().contains("cannot be converted"), f.getMessage());
        assertFalse(Tables.of(lake).exists(DatasetId.parse("processed/images")));
    }

    /**
     * Delta's protocol (Partition Value Serialization): "an empty string for any type translates to
     * a null partition value". A table cannot hold "" apart from null in a partition column, so
     * both land in the null partition and every reader, Tarn's and Delta Kernel, reads NULL: the
     * documented behaviour (docs/tables.md), the same everywhere.
     */
    @Test
    void anEmptyStringPartitionValueIsTheNullPartitionAsTheProtocolSays() throws Exception {
        String rows =
                "{\"id\":1,\"type\":\"\"}\n{\"id\":2,\"type\":null}\n{\"id\":3,\"type\":\"buy\"}\n";
        lake.ingest(RAW).bytes(rows.getBytes(StandardCharsets.UTF_8), "a.ndjson").commit();
        assertEquals(
                3,
                Tables.of(lake).newConvert(RAW, TABLE).partitionBy("type").commit().rowsWritten());
        Snapshot s = Tables.of(lake).load(TABLE).snapshot();
        java.util.Map<String, Long> rowsByPartition = new java.util.HashMap<>();
        for (DataFile f : s.files()) {
            rowsByPartition.merge(
                    String.valueOf(f.partitionValues().get("type")), f.recordCount(), Long::sum);
        }
        assertEquals(java.util.Map.of("null", 2L, "buy", 1L), rowsByPartition);
        KernelReader.Result k = KernelReader.read(tmp.resolve("lake/processed/clicks"), null);
        assertEquals(3, k.rows().size());
        assertEquals(
                2,
                k.rows().stream().filter(r -> r.contains("type=null")).count(),
                k.rows().toString());
    }

    /**
     * A first convert that fails over its error budget leaves nothing behind: no data file, no
     * quarantine, no table dataset; the doctor is clean right after (no grace period needed), and
     * the error names the bad record.
     */
    @Test
    void aFailedFirstConvertLeavesNothingBehind() throws Exception {
        lake.ingest(RAW)
                .bytes("{\"id\": oops}\n{\"id\": 1}\n".getBytes(StandardCharsets.UTF_8), "a.ndjson")
                .commit();
        long catalogVersion = lake.catalog().version();
        List<String> before = new ArrayList<>();
        lake.store().list("").forEach(o -> before.add(o.key() + ":" + o.size()));
        RuntimeException e =
                assertThrows(
                        RuntimeException.class,
                        () -> Tables.of(lake).newConvert(RAW, TABLE).commit());
        assertTrue(e.getMessage().contains("a.ndjson"), e.getMessage());
        List<String> after = new ArrayList<>();
        lake.store().list("").forEach(o -> after.add(o.key() + ":" + o.size()));
        assertEquals(before, after, "nothing written, nothing left");
        assertEquals(catalogVersion, lake.catalog().version());
        assertTrue(lake.catalog().dataset(TABLE).isEmpty());
        assertTrue(lake.doctor().grace(java.time.Duration.ZERO).check().findings().isEmpty());
        lake.ingest(RAW).bytes(events(0, 5), "b.ndjson").commit();
        var r =
                Tables.of(lake)
                        .newConvert(RAW, TABLE)
                        .errorBudget(dev.tarn.lake.format.ErrorBudget.fraction(0.5))
                        .commit();
        assertEquals(
                6, r.rowsWritten(), "a later convert creates the table (the good record of a too)");
        assertEquals(1, r.rowsQuarantined());
        String quarantine = r.quarantine();
        assertTrue(lake.store().stat(quarantine).isPresent());
        assertEquals(
                quarantine.substring(TABLE.keyPrefix().length()),
                Tables.of(lake).load(TABLE).history().get(0).parameters().get("quarantine"),
                "the commit records its quarantine");
        assertTrue(lake.doctor().grace(java.time.Duration.ZERO).check().findings().isEmpty());
    }
}
