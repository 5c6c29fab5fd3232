package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.types.DataType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Convert and column types: timestamps without offset become timestamp_ntz columns through the
 * timestampNtz feature (creating or upgrading the table), a later batch that needs a wider type
 * widens the column through typeWidening, and a refused convert leaves the lake exactly as it was.
 */
class ConvertTypesTest {
    @TempDir Path tmp;
    Lake lake;
    static final DatasetId RAW = DatasetId.parse("raw/weather");
    static final DatasetId TABLE = DatasetId.parse("processed/weather");

    @BeforeEach
    void open() {
        lake = Lake.open(tmp.resolve("lake"));
    }

    @AfterEach
    void close() {
        lake.close();
    }

    private void ingest(String name, String text) {
        lake.ingest(RAW).bytes(text.getBytes(StandardCharsets.UTF_8), name).commit();
    }

    private Path tableDir() {
        return tmp.resolve("lake/processed/weather");
    }

    @Test
    void naiveTimestampsBecomeATimestampNtzTableThatNoZoneShifts() throws Exception {
        TimeZone before = TimeZone.getDefault();
        try {
            // the writer and the reader in a zone far from UTC: wall-clock values must not move
            TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
            ingest("a.csv", "date,temp\n2010-01-01T01:00:00,1\n2010-01-01T02:30:00,2\n");
            ingest("b.csv", "date,temp\n2026-11-21 10:00:00,3\n");
            ConvertResult r = Tables.of(lake).newConvert(RAW, TABLE).commit();
            assertEquals(3, r.rowsWritten());
            Snapshot s = Tables.of(lake).load(TABLE).snapshot();
            assertEquals(DataType.TIMESTAMP_NTZ, s.schema().field("date").orElseThrow().type());
            assertEquals(3, s.minReaderVersion());
            assertEquals(List.of("timestampNtz"), s.readerFeatures());
            assertTrue(s.writerFeatures().contains("timestampNtz"));
            KernelReader.Result k = KernelReader.read(tableDir(), null);
            assertTrue(k.schema().contains("date:timestamp_ntz"), k.schema().toString());
            assertEquals(
                    List.of(
                            "date=2010-01-01T01:00,temp=1",
                            "date=2010-01-01T02:30,temp=2",
                            "date=2026-11-21T10:00,temp=3"),
                    k.rows());
            // nothing left behind: the doctor is clean right away
            assertTrue(lake.doctor().grace(java.time.Duration.ZERO).check().findings().isEmpty());
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void aLaterBatchWithNaiveTimestampsUpgradesATableAtOneTwo() throws Exception {
        ingest("a.ndjson", "{\"id\":1}\n{\"id\":2}\n");
        Tables.of(lake).newConvert(RAW, TABLE).commit();
        assertEquals(1, Tables.of(lake).load(TABLE).snapshot().minReaderVersion());
        ingest("b.ndjson", "{\"id\":3,\"at\":\"2026-11-21T10:00:00\"}\n");
        Tables.of(lake).newConvert(RAW, TABLE).evolveSchema().commit();
        Snapshot s = Tables.of(lake).load(TABLE).snapshot();
        assertEquals(List.of("timestampNtz"), s.readerFeatures());
        KernelReader.Result k = KernelReader.read(tableDir(), null);
        assertTrue(k.rows().contains("id=3,at=2026-11-21T10:00"), k.rows().toString());
        assertEquals(3, k.rows().size());
    }

    @Test
    void aLaterBatchNeedingAWiderTypeWidensWithEvolutionAndIsRefusedCleanlyWithout()
            throws Exception {
        ingest("a.ndjson", "{\"id\":1,\"v\":7}\n{\"id\":2,\"v\":-3}\n");
        Tables.of(lake).newConvert(RAW, TABLE).commit();
        DataType first =
                Tables.of(lake).load(TABLE).snapshot().schema().field("v").orElseThrow().type();
        ingest("b.ndjson", "{\"id\":3,\"v\":2.5}\n");
        Map<String, String> tree = tree();
        // validated before writing: the record that does not fit the table is quarantined, which
        // the error budget
        // refuses (1 of 1 records), so the run fails with nothing written
        RuntimeException e =
                assertThrows(
                        dev.tarn.lake.format.ErrorBudgetExceededException.class,
                        () -> Tables.of(lake).newConvert(RAW, TABLE).commit());
        assertTrue(
                e.getMessage().contains("field \"v\": 2.5 does not fit INTEGER")
                        && e.getMessage().contains("b.ndjson line 1")
                        && e.getMessage().contains("widen"),
                e.getMessage());
        assertEquals(tree, tree(), "a refused convert leaves every file of the lake as it was");
        assertTrue(lake.doctor().grace(java.time.Duration.ZERO).check().findings().isEmpty());

        Tables.of(lake).newConvert(RAW, TABLE).evolveSchema().commit();
        Snapshot s = Tables.of(lake).load(TABLE).snapshot();
        assertEquals(DataType.DOUBLE, s.schema().field("v").orElseThrow().type());
        assertEquals(
                List.of(Map.of("fromType", DeltaTypes.name(first), "toType", "double")),
                s.schema().field("v").orElseThrow().metadata().get("delta.typeChanges"));
        assertTrue(s.readerFeatures().contains("typeWidening"));
        KernelReader.Result k = KernelReader.read(tableDir(), null);
        assertTrue(k.schema().contains("v:double"), k.schema().toString());
        assertEquals(List.of("id=1,v=7", "id=2,v=-3", "id=3,v=2.5"), k.rows());
    }

    /**
     * A later batch is written with the table's columns and types, decided before a byte is
     * written: a narrower value (an int into a long column) is written as the table's type, a
     * header in another case fills the table's column, and the one record that does not fit is
     * quarantined while the rest is committed.
     */
    @Test
    void aLaterBatchIsWrittenInTheTablesSchemaAndWhatDoesNotFitIsQuarantined() throws Exception {
        ingest("a.ndjson", "{\"ID\":1,\"n\":3000000000}\n");
        Tables.of(lake).newConvert(RAW, TABLE).commit();
        StringBuilder b = new StringBuilder();
        for (int i = 2; i <= 21; i++) {
            b.append("{\"id\":").append(i).append(",\"n\":").append(i).append("}\n");
        }
        b.append("{\"id\":\"twenty-two\",\"n\":22}\n");
        ingest("b.ndjson", b.toString());
        ConvertResult r = Tables.of(lake).newConvert(RAW, TABLE).commit();
        assertEquals(20, r.rowsWritten());
        assertEquals(1, r.rowsQuarantined());
        Snapshot s = Tables.of(lake).load(TABLE).snapshot();
        assertEquals(List.of("ID", "n"), s.schema().columnNames());
        assertEquals(DataType.LONG, s.schema().field("n").orElseThrow().type());
        assertEquals(1, s.minReaderVersion(), "nothing needed a table feature");
        assertEquals(2, s.minWriterVersion());
        assertTrue(lake.store().stat(r.quarantine()).isPresent());
        assertTrue(
                new String(lake.store().get(r.quarantine()).readAllBytes(), StandardCharsets.UTF_8)
                        .contains("twenty-two"));
        KernelReader.Result k = KernelReader.read(tableDir(), null);
        assertEquals(21, k.rows().size());
        assertTrue(k.rows().contains("ID=21,n=21"), k.rows().toString());
        assertTrue(lake.doctor().grace(java.time.Duration.ZERO).check().findings().isEmpty());
    }

    /** Every file under the lake: path → size and SHA-256. */
    private Map<String, String> tree() throws Exception {
        Map<String, String> out = new TreeMap<>();
        Path root = tmp.resolve("lake");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(p);
                out.put(
                        root.relativize(p).toString(),
                        b.length
                                + ":"
                                + HexFormat.of()
                                        .formatHex(MessageDigest.getInstance("SHA-256").digest(b)));
            }
        }
        return out;
    }
}
