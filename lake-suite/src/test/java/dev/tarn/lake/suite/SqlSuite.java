package dev.tarn.lake.suite;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.query.SavedTable;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.table.Tables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SQL through lake-query's engine over raw objects as they lie, tables, and tables at past
 * versions.
 */
abstract class SqlSuite extends BackendTest {
    SqlSuite(Backend backend) {
        super(backend);
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
        return utf8(s.toString());
    }

    static long scalar(Sql sql, String q) {
        return ((Number) sql.query(q).scalar()).longValue();
    }

    @Test
    void rawNdjsonAndCsvATableItsPastVersionsAndAJoinAnswerExactly() {
        Lake lake = newLake();
        lake.ingest("raw/events").bytes(events(0, 10), "a.ndjson").partition("day", "d1").commit();
        lake.ingest("raw/events").bytes(events(10, 5), "b.ndjson").partition("day", "d2").commit();
        lake.ingest("raw/users")
                .bytes(utf8("user,name\n0,ann\n1,bob\n2,cy\n3,di\n"), "u.csv")
                .commit();
        Tables.of(lake).newConvert("raw/events", "processed/events").commit();
        lake.ingest("raw/events").bytes(events(15, 5), "c.ndjson").partition("day", "d3").commit();
        Tables.of(lake).newConvert("raw/events", "processed/events").commit();

        Sql sql = Sql.of(lake);
        if (backend == Backend.S3) {
            assertTrue(sql.access().startsWith("a local cache of the object store"), sql.access());
        } else {
            assertEquals("the lake's own files", sql.access());
        }
        assertEquals(20, scalar(sql, "SELECT count(*) FROM raw.events"));
        assertEquals(190, scalar(sql, "SELECT sum(amount) FROM raw.events"));
        assertEquals(
                5,
                scalar(sql, "SELECT count(*) FROM raw.events WHERE day = 'd2'"),
                "partition columns");
        assertEquals(4, scalar(sql, "SELECT count(*) FROM raw.users"));
        assertEquals(20, scalar(sql, "SELECT count(*) FROM processed.events"));
        assertEquals(
                15,
                scalar(sql, "SELECT count(*) FROM processed.\"events@1\""),
                "time travel by version");
        assertEquals(
                15,
                scalar(
                        sql,
                        "SELECT count(*) FROM "
                                + Sql.relationAt(DatasetId.parse("processed/events"), 1)));
        assertEquals(
                0,
                scalar(sql, "SELECT count(*) FROM processed.\"events@0\""),
                "the empty creation");
        assertEquals(
                List.of(List.of("ann", 40L)),
                sql.query(
                                """
                SELECT u.name, sum(e.amount)::BIGINT FROM processed.events e JOIN raw.users u ON u.user = e.user
                WHERE u.user = 0 GROUP BY u.name""")
                        .rows());
        assertEquals(
                List.of(List.of("bob", 5L), List.of("cy", 5L)),
                sql.query(
                                """
                SELECT u.name, count(*) FROM raw.events e JOIN raw.users u ON u.user = e.user
                WHERE u.name IN ('bob', 'cy') GROUP BY u.name ORDER BY u.name""")
                        .rows(),
                "raw joined with raw");
        assertEquals(
                1L,
                ((Number) sql.query("SELECT count(*) FROM raw.users WHERE name = ?", "di").scalar())
                        .longValue(),
                "parameters bound");

        // new data is seen by the next query
        lake.ingest("raw/events").bytes(events(20, 2), "d.ndjson").partition("day", "d4").commit();
        assertEquals(22, scalar(sql, "SELECT count(*) FROM raw.events"));
        assertTrue(lake.doctor().check().isClean());
    }

    @Test
    void aResultSavedAsATableLandsInTheLakeWithItsLineage() {
        Lake lake = newLake();
        lake.ingest("raw/events").bytes(events(0, 20), "a.ndjson").commit();
        Tables.of(lake).newConvert("raw/events", "processed/events").commit();
        Sql sql = Sql.of(lake);
        SavedTable saved =
                sql.saveAsTable(
                        "SELECT user, count(*) AS n FROM processed.events GROUP BY user",
                        DatasetId.parse("analytics/per_user"));
        assertEquals(4, saved.rows());
        assertEquals(Map.of("processed/events", "table@1"), saved.lineage());
        assertEquals(
                List.of(List.of(0L, 5L), List.of(1L, 5L), List.of(2L, 5L), List.of(3L, 5L)),
                sql.query("SELECT user::BIGINT, n FROM analytics.per_user ORDER BY user").rows());
        assertTrue(
                lake.store().list("analytics/per_user/").stream()
                        .anyMatch(s -> s.key().endsWith(".parquet")),
                "the saved table's file is in the lake's store");
        assertTrue(Tables.of(lake).exists(DatasetId.parse("analytics/per_user")));
        assertTrue(
                Tables.of(lake)
                        .load("analytics/per_user")
                        .snapshot()
                        .properties()
                        .get("tarn.lineage")
                        .contains("\"processed/events\":\"table@1\""));
        assertTrue(lake.doctor().check().isClean());
    }

    @Test
    void statementsReachingOutsideTheLakeOrWritingAreRefusedAndWriteNothing() {
        Lake lake = newLake();
        lake.ingest("raw/x").bytes(utf8("a\n1\n"), "x.csv").commit();
        Sql sql = Sql.of(lake);
        for (String q :
                List.of("SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM glob('/etc/*')")) {
            var e = assertThrows(QueryException.class, () -> sql.query(q), q);
            assertTrue(
                    e.getMessage().contains("refused") || e.getMessage().contains("Permission"),
                    e.getMessage());
        }
        for (String q :
                List.of(
                        "COPY (SELECT 42) TO 'raw/x/evil.csv'",
                        "CREATE TABLE t AS SELECT 1",
                        "INSTALL httpfs",
                        "SELECT 1; COPY (SELECT 42) TO 'evil.csv'")) {
            var e = assertThrows(QueryException.class, () -> sql.query(q), q);
            assertTrue(e.getMessage().startsWith("refused"), e.getMessage());
        }
        assertEquals(
                List.of("raw/x/"),
                lake.store().list("raw/").stream()
                        .map(ObjectStat::key)
                        .map(k -> k.substring(0, k.indexOf('/', 4) + 1))
                        .distinct()
                        .toList());
        assertEquals(1, lake.store().list("raw/x/").size(), "nothing written");
        assertEquals(1, scalar(sql, "SELECT count(*) FROM raw.x"), "the engine still answers");
    }
}
