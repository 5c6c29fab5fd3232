package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.LakeBuilder;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.query.internal.SqlSession;
import dev.tarn.lake.s3.S3TestServer;
import dev.tarn.lake.table.Tables;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The local cache through which SQL reads a lake in S3 (s3proxy on 127.0.0.1). What SQL answers
 * over a lake, in S3 as locally (raw objects, tables, time travel, joins, saved tables), is
 * lake-suite's.
 */
class SqlOnS3Test {
    static Lake s3Lake() {
        S3TestServer server = S3TestServer.shared();
        LakeBuilder b = Lake.builder().location("s3://" + server.newBucket() + "/lake");
        server.options().forEach(b::storeOption);
        return b.open();
    }

    static byte[] events(int from, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            s.append("{\"id\":")
                    .append(i)
                    .append(",\"user\":")
                    .append(i % 4)
                    .append(",\"amount\":")
                    .append(i)
                    .append("}\n");
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    static long scalar(Sql sql, String q) {
        return ((Number) sql.query(q).scalar()).longValue();
    }

    @Test
    void queriesAnswerFromACachedCopyFetchedOncePerUnchangedDataset() {
        try (Lake lake = s3Lake()) {
            lake.ingest("raw/events")
                    .bytes(events(0, 10), "a.ndjson")
                    .partition("day", "d1")
                    .commit();
            lake.ingest("raw/events")
                    .bytes(events(10, 5), "b.ndjson")
                    .partition("day", "d2")
                    .commit();
            Tables.of(lake).newConvert("raw/events", "processed/events").commit();

            Sql sql = Sql.of(lake);
            assertTrue(sql.access().startsWith("a local cache of the object store"), sql.access());
            assertEquals(15, scalar(sql, "SELECT count(*) FROM raw.events"));
            assertEquals(15, scalar(sql, "SELECT count(*) FROM processed.events"));
            long[] before = ((SqlSession) sql).cacheStats();
            assertEquals(15, scalar(sql, "SELECT count(*) FROM raw.events"));
            assertEquals(15, scalar(sql, "SELECT count(*) FROM processed.events"));
            long[] after = ((SqlSession) sql).cacheStats();
            assertEquals(before[0], after[0], "nothing fetched again for an unchanged dataset");

            lake.ingest("raw/events")
                    .bytes(events(15, 5), "c.ndjson")
                    .partition("day", "d3")
                    .commit();
            assertEquals(
                    20, scalar(sql, "SELECT count(*) FROM raw.events"), "a new object is fetched");
        }
    }

    @Test
    void anExportIntoTheLocalCacheIsRefused() throws Exception {
        try (Lake lake = s3Lake()) {
            lake.ingest("raw/events").bytes(events(0, 5), "a.ndjson").commit();
            Sql sql = Sql.of(lake);
            assertEquals(5, scalar(sql, "SELECT count(*) FROM raw.events"));
            java.nio.file.Path cache =
                    java.nio.file.Path.of(
                            sql.access().substring(sql.access().indexOf(", at ") + 5));
            // a file there would be read as a cached object of the lake
            QueryException e =
                    assertThrows(
                            QueryException.class,
                            () ->
                                    sql.export(
                                            "SELECT 1 AS x",
                                            cache.resolve("raw/events/x.ndjson"),
                                            ExportFormat.JSON));
            assertTrue(
                    e.getMessage().startsWith("refused: ")
                            && e.getMessage().contains("inside the lake"),
                    e.getMessage());
            assertFalse(java.nio.file.Files.exists(cache.resolve("raw/events/x.ndjson")));
        }
    }

    @Test
    void aSmallCacheEvictsWhatNoViewReadsAndAnswersStayRight() throws Exception {
        try (Lake lake = s3Lake()) {
            lake.ingest("raw/events").bytes(events(0, 50), "a.ndjson").commit();
            Tables tables = Tables.of(lake);
            tables.newConvert("raw/events", "processed/events").commit();
            Sql sql = Sql.of(lake, SqlOptions.defaults().cacheBytes(1));
            java.nio.file.Path cache =
                    java.nio.file.Path.of(
                            sql.access().substring(sql.access().indexOf(", at ") + 5));
            assertEquals(50, scalar(sql, "SELECT count(*) FROM processed.events"));
            List<String> first =
                    tables.load("processed/events").snapshot().files().stream()
                            .map(f -> f.path())
                            .toList();
            assertTrue(
                    java.nio.file.Files.exists(cache.resolve("processed/events/" + first.get(0))));

            lake.ingest("raw/events").bytes(events(50, 10), "b.ndjson").commit();
            tables.newConvert("raw/events", "processed/events")
                    .mode(dev.tarn.lake.table.Convert.Mode.OVERWRITE)
                    .commit();
            assertEquals(60, scalar(sql, "SELECT count(*) FROM processed.events"));
            assertFalse(
                    java.nio.file.Files.exists(cache.resolve("processed/events/" + first.get(0))),
                    "a file no view reads any more is evicted from a full cache");
            // a version pinned by time travel is read again, fetched anew
            assertEquals(50, scalar(sql, "SELECT count(*) FROM processed.\"events@1\""));
        }
    }

    @Test
    void aRunningStatementKeepsTheFilesItReadsWhileANewerVersionReplacesThem() throws Exception {
        try (Lake lake = s3Lake()) {
            lake.ingest("raw/events").bytes(events(0, 50), "a.ndjson").commit();
            Tables tables = Tables.of(lake);
            tables.newConvert("raw/events", "processed/events").commit();
            Sql sql =
                    Sql.of(lake, SqlOptions.defaults().cacheBytes(1)); // every file over the limit
            java.nio.file.Path cache =
                    java.nio.file.Path.of(
                            sql.access().substring(sql.access().indexOf(", at ") + 5));
            List<java.nio.file.Path> v1 =
                    tables.load("processed/events").snapshot().files().stream()
                            .map(f -> cache.resolve("processed/events/" + f.path()))
                            .toList();
            try (java.sql.ResultSet rs =
                    sql.resultSet("SELECT id FROM processed.events ORDER BY id")) {
                assertTrue(rs.next());
                // meanwhile: a new version replaces the view, and another statement makes the cache
                // trim itself
                lake.ingest("raw/events").bytes(events(50, 10), "b.ndjson").commit();
                tables.newConvert("raw/events", "processed/events")
                        .mode(dev.tarn.lake.table.Convert.Mode.OVERWRITE)
                        .commit();
                assertEquals(60, scalar(sql, "SELECT count(*) FROM processed.events"));
                for (java.nio.file.Path f : v1) {
                    assertTrue(
                            java.nio.file.Files.exists(f),
                            "still read by the open statement: " + f);
                }
                int n = 1;
                while (rs.next()) {
                    n++;
                }
                assertEquals(50, n, "the statement reads the version it started on, whole");
            }
            assertEquals(60, scalar(sql, "SELECT count(*) FROM processed.events"));
            for (java.nio.file.Path f : v1) {
                assertFalse(
                        java.nio.file.Files.exists(f),
                        "released and evicted once the statement closed: " + f);
            }
        }
    }

    @Test
    void timeTravelDoesNotFillTheCache() throws Exception {
        try (Lake lake = s3Lake()) {
            lake.ingest("raw/events").bytes(events(0, 30), "a.ndjson").commit();
            Tables tables = Tables.of(lake);
            tables.newConvert("raw/events", "processed/events").commit();
            long v1 = tables.load("processed/events").snapshot().version();
            List<String> v1Files =
                    tables.load("processed/events").snapshot().files().stream()
                            .map(f -> f.path())
                            .toList();
            lake.ingest("raw/events").bytes(events(30, 10), "b.ndjson").commit();
            tables.newConvert("raw/events", "processed/events")
                    .mode(dev.tarn.lake.table.Convert.Mode.OVERWRITE)
                    .commit();
            Sql sql = Sql.of(lake, SqlOptions.defaults().cacheBytes(1));
            java.nio.file.Path cache =
                    java.nio.file.Path.of(
                            sql.access().substring(sql.access().indexOf(", at ") + 5));
            String old = "processed.\"events@" + v1 + "\"";
            for (int round = 0; round < 3; round++) {
                assertEquals(30, scalar(sql, "SELECT count(*) FROM " + old));
                for (String f : v1Files) {
                    assertFalse(
                            java.nio.file.Files.exists(cache.resolve("processed/events/" + f)),
                            "an old version's files leave a full cache once no statement reads them");
                }
            }
            long[] stats = ((SqlSession) sql).cacheStats();
            assertTrue(stats[0] >= 3 * v1Files.size(), "fetched again on each use: " + stats[0]);
            assertEquals(
                    40,
                    scalar(sql, "SELECT count(*) FROM processed.events"),
                    "the current version too");
        }
    }

    @Test
    void aStatementFetchesOnlyWhatItReads() {
        try (Lake lake = s3Lake()) {
            lake.ingest("raw/small").bytes(events(0, 5), "s.ndjson").commit();
            lake.ingest("raw/other").bytes(events(0, 50), "o1.ndjson").commit();
            lake.ingest("raw/other").bytes(events(50, 50), "o2.ndjson").commit();
            Sql sql = Sql.of(lake, SqlOptions.defaults());
            assertEquals(5, scalar(sql, "SELECT count(*) FROM raw.small"));
            assertEquals(
                    1,
                    ((SqlSession) sql).cacheStats()[0],
                    "raw/other's objects are not fetched for raw.small");
            assertEquals(
                    3,
                    scalar(sql, "SELECT count(*) FROM tarn.objects"),
                    "the catalog needs no object");
            assertEquals(1, ((SqlSession) sql).cacheStats()[0]);
            // listing the relations shows every dataset (and so makes every view)
            List<Object> names =
                    sql.query("SHOW ALL TABLES").rows().stream().map(r -> r.get(2)).toList();
            assertTrue(names.contains("small") && names.contains("other"), names.toString());
            assertEquals(100, scalar(sql, "SELECT count(*) FROM raw.other"));
            assertEquals(3, ((SqlSession) sql).cacheStats()[0], "each object fetched once");
        }
    }
}
