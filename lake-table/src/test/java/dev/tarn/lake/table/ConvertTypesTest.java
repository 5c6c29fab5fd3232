package dev.tarn.lake.table;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.types.DataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

import static org.junit.jupiter.api.Assertions.*;

/**
 * Convert and column types: timestamps without offset become timestamp_ntz columns through the timestampNtz feature
 * (creating or upgrading the table), a later batch that needs a wider type widens the column through typeWidening,
 * and a refused convert leaves the lake exactly as it was.
 */
class ConvertTypesTest {
    @TempDir
    Path tmp;
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
            assertEquals(List.of("date=2010-01-01T01:00,temp=1", "date=2010-01-01T02:30,temp=2",
                    "date=2026-11-21T10:00,temp=3"), k.rows());
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
    void aLaterBatchNeedingAWiderTypeWidensWithEvolutionAndIsRefusedCleanlyWithout() throws Exception {
        ingest("a.ndjson", "{\"id\":1,\"v\":7}\n{\"id\":2,\"v\":-3}\n");
        Tables.of(lake).newConvert(RAW, TABLE).commit();
        DataType first = Tables.of(lake).load(TABLE).snapshot().schema().field("v").orElseThrow().type();
        ingest("b.ndjson", "{\"id\":3,\"v\":2.5}\n");
        Map<String, String> tree = tree();
        SchemaMismatchException e = assertThrows(SchemaMismatchException.class,
                () -> Tables.of(lake).newConvert(RAW, TABLE).commit());
        assertTrue(e.getMessage().contains("'v'") && e.getMessage().contains("double"), e.getMessage());
        assertEquals(tree, tree(), "a refused convert leaves every file of the lake as it was");
        assertTrue(lake.doctor().grace(java.time.Duration.ZERO).check().findings().isEmpty());

        Tables.of(lake).newConvert(RAW, TABLE).evolveSchema().commit();
        Snapshot s = Tables.of(lake).load(TABLE).snapshot();
        assertEquals(DataType.DOUBLE, s.schema().field("v").orElseThrow().type());
        assertEquals(List.of(Map.of("fromType", DeltaTypes.name(first), "toType", "double")),
                s.schema().field("v").orElseThrow().metadata().get("delta.typeChanges"));
        assertTrue(s.readerFeatures().contains("typeWidening"));
        KernelReader.Result k = KernelReader.read(tableDir(), null);
        assertTrue(k.schema().contains("v:double"), k.schema().toString());
        assertEquals(List.of("id=1,v=7", "id=2,v=-3", "id=3,v=2.5"), k.rows());
    }

    /** Every file under the lake: path → size and SHA-256. */
    private Map<String, String> tree() throws Exception {
        Map<String, String> out = new TreeMap<>();
        Path root = tmp.resolve("lake");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(p);
                out.put(root.relativize(p).toString(), b.length + ":"
                        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)));
            }
        }
        return out;
    }
}
