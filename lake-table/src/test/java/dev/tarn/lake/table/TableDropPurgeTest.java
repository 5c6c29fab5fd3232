package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.CatalogCommit;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DropResult;
import dev.tarn.lake.catalog.PurgeResult;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.security.Principal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, acceptance 1 for tables: drop refuses what a table's lineage reads; purge of dropped
 * and live tables.
 */
class TableDropPurgeTest {
    @TempDir Path tmp;
    Lake lake;
    Path dir;
    final Clock clock =
            new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return Instant.now().plus(skew);
                }
            };
    volatile Duration skew = Duration.ZERO;

    static final DatasetId RAW = DatasetId.parse("raw/clicks");
    static final DatasetId TABLE = DatasetId.parse("processed/clicks");

    @BeforeEach
    void open() {
        dir = tmp.resolve("lake");
        lake = Lake.builder().location(dir).clock(clock).principal(Principal.of("ops")).open();
    }

    @AfterEach
    void close() {
        lake.close();
    }

    /**
     * Every file of the lake except the catalog's own bookkeeping, with its size and modification
     * time.
     */
    Map<String, String> tree() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (!rel.startsWith("_tarn/")) {
                    out.put(rel, Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
                }
            }
        }
        return out;
    }

    void convert(int from, int n, Convert.Mode mode) {
        lake.ingest(RAW).bytes(ConvertTest.events(from, n), "e" + from + ".ndjson").commit();
        Tables.of(lake).newConvert(RAW, TABLE).mode(mode).commit();
    }

    @Test
    void dropRefusesADatasetATablesLineageReadsUnlessForced() throws IOException {
        convert(0, 5, Convert.Mode.APPEND);
        long v = lake.catalog().version();
        Map<String, String> files = tree();
        TarnException e =
                assertThrows(TarnException.class, () -> lake.drop(RAW).reason("cleanup").commit());
        assertTrue(
                e.getMessage().contains("processed/clicks")
                        && e.getMessage().contains("--force")
                        && e.getMessage().contains("(lineage: table version 1)"),
                e.getMessage());
        assertEquals(v, lake.catalog().version());
        assertEquals(files, tree());
        assertTrue(lake.catalog().dataset(RAW).isPresent());

        DropResult r = lake.drop(RAW).force().reason("source retired").commit();
        assertEquals(1, r.readers().size());
        CatalogCommit c = lake.history(1).get(0);
        assertEquals("drop-dataset", c.operation());
        assertEquals("ops", c.principal());
        assertEquals("source retired", c.parameters().get("reason"));
        assertEquals("true", c.parameters().get("force"));
        assertTrue(
                c.parameters().get("readers").startsWith("processed/clicks"),
                c.parameters().toString());
        assertEquals(
                5,
                Tables.of(lake)
                        .load(TABLE)
                        .snapshot()
                        .recordCount()); // the table itself is untouched
    }

    @Test
    void aDroppedTableIsNoTableAnyMoreAndPurgeDeletesAllItsFilesAfterTheRetention()
            throws IOException {
        convert(0, 5, Convert.Mode.APPEND);
        lake.ingest(RAW).bytes(ConvertTest.events(5, 5), "more.ndjson").commit();
        lake.drop(TABLE).reason("rebuilt elsewhere").commit();
        Tables tables = Tables.of(lake);
        assertFalse(tables.exists(TABLE));
        NotFoundException gone = assertThrows(NotFoundException.class, () -> tables.load(TABLE));
        assertTrue(gone.getMessage().contains("dropped"), gone.getMessage());
        assertTrue(lake.catalog().datasets("processed").isEmpty());
        // Its files are its own log's, not leftovers: the doctor keeps them.
        assertTrue(lake.doctor().grace(Duration.ZERO).repair().findings().isEmpty());

        Map<String, String> before = tree();
        assertTrue(
                before.keySet().stream()
                        .anyMatch(k -> k.startsWith("processed/clicks/_delta_log/")));
        long v = lake.catalog().version();
        TarnException again =
                assertThrows(TarnException.class, () -> tables.newConvert(RAW, TABLE).commit());
        assertTrue(again.getMessage().contains("lake purge"), again.getMessage());
        assertEquals(before, tree());
        assertEquals(v, lake.catalog().version());

        assertTrue(lake.purge().olderThan(Duration.ofHours(1)).commit().deleted().isEmpty());
        skew = Duration.ofHours(2);
        PurgeResult r = lake.purge().olderThan(Duration.ofHours(1)).commit();
        Map<String, String> expected = new TreeMap<>(before);
        expected.keySet().removeIf(k -> k.startsWith("processed/clicks/"));
        assertEquals(expected, tree());
        assertEquals(before.size() - expected.size(), r.deleted().size());
        assertTrue(r.deleted().stream().allMatch(i -> i.dataset().equals("processed/clicks")));

        // The name is free again.
        tables.newConvert(RAW, TABLE).commit();
        assertEquals(10, tables.load(TABLE).snapshot().recordCount());
        assertEquals(2, tables.load(TABLE).history().size()); // a new table: created, then written
    }

    @Test
    void purgeDeletesExactlyTheFilesOfALiveTableThatNoVersionWithinTheRetentionNeeds()
            throws IOException {
        convert(0, 5, Convert.Mode.APPEND);
        Table t = Tables.of(lake).load(TABLE);
        List<String> first = t.snapshot().files().stream().map(DataFile::path).toList();
        convert(5, 5, Convert.Mode.OVERWRITE);
        skew = Duration.ofDays(2);
        Map<String, String> before = tree();

        assertTrue(
                lake.purge()
                        .commit()
                        .deleted()
                        .isEmpty()); // 7 days by default: time travel still needs them
        PurgeResult dry = lake.purge().olderThan(Duration.ofDays(1)).apply();
        List<String> expectedKeys =
                first.stream().map(p -> TABLE.keyPrefix() + p).sorted().toList();
        assertEquals(expectedKeys, dry.deleted().stream().map(PurgeResult.Item::key).toList());
        assertEquals(before, tree());

        PurgeResult r = lake.purge().olderThan(Duration.ofDays(1)).commit();
        assertEquals(expectedKeys, r.deleted().stream().map(PurgeResult.Item::key).toList());
        Map<String, String> expected = new TreeMap<>(before);
        expectedKeys.forEach(expected::remove);
        assertEquals(expected, tree());
        assertEquals(10, Tables.of(lake).load(TABLE).snapshot().recordCount());
    }
}
