package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.exceptions.QueryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The zone names lake-core refuses because SQL cannot show them are the engine's own, and a lake
 * that has such a zone from before keeps every other zone's SQL working.
 */
class ReservedNamesSqlTest {
    @TempDir Path dir;

    @Test
    void theReservedNamesAreTheEnginesCatalogsSchemasAndKeywords() throws Exception {
        Set<String> catalogsAndSchemas = new TreeSet<>();
        Set<String> keywords = new TreeSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            catalogsAndSchemas.addAll(column(s, "SELECT database_name FROM duckdb_databases()"));
            catalogsAndSchemas.addAll(column(s, "SELECT schema_name FROM duckdb_schemas()"));
            // the keywords that cannot stand unquoted as a schema: zone.dataset would be a syntax
            // error
            for (String k : column(s, "SELECT DISTINCT keyword_name FROM duckdb_keywords()")) {
                if (!Names.RULE.matcher(k).matches() || catalogsAndSchemas.contains(k)) {
                    continue;
                }
                s.execute("CREATE SCHEMA \"" + k + "\"");
                s.execute("CREATE VIEW \"" + k + "\".d AS SELECT 1 AS v");
                try (Statement q = c.createStatement();
                        ResultSet rs = q.executeQuery("SELECT * FROM " + k + ".d")) {
                    assertTrue(rs.next());
                } catch (SQLException e) {
                    keywords.add(k);
                }
            }
        }
        catalogsAndSchemas.add("tarn"); // the lake's own schema, of tarn.objects
        assertEquals(catalogsAndSchemas, new TreeSet<>(Names.SQL_RESERVED));
        assertEquals(keywords, new TreeSet<>(Names.SQL_KEYWORDS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"select", "order", "default", "join"})
    void aZoneNamedLikeAKeywordWouldNeedQuotesEverywhere(String keyword) throws Exception {
        // why keywords are refused as zone names: the unquoted zone.dataset form the docs use is a
        // syntax error
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA \"" + keyword + "\"");
            s.execute("CREATE VIEW \"" + keyword + "\".d AS SELECT 1 AS v");
            assertThrows(
                    SQLException.class, () -> s.executeQuery("SELECT * FROM " + keyword + ".d"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"information_schema", "pg_catalog", "main", "memory", "system"})
    void aLakeWithSuchAZoneStillAnswersForItsOtherZones(String reserved) throws Exception {
        Path lakeDir = dir.resolve("lake");
        try (Lake lake = Lake.open(lakeDir)) {
            lake.createZone("extra", "made before such names were refused");
        }
        dev.tarn.lake.testing.LegacyCatalog.renameZoneInNewestEntry(lakeDir, "extra", reserved);
        try (Lake lake = Lake.open(lakeDir)) {
            lake.ingest("raw/clicks").bytes(utf8("{\"a\":1}\n{\"a\":2}\n"), "c.ndjson").commit();
            // an existing zone keeps taking objects through the API
            lake.ingest(reserved + "/hidden").bytes(utf8("{\"a\":1}\n"), "h.ndjson").commit();
            Sql sql = Sql.of(lake);
            assertEquals(
                    2L,
                    ((Number) sql.query("SELECT count(*) FROM raw.clicks").scalar()).longValue());
            assertFalse(sql.query("SHOW ALL TABLES").rows().isEmpty());
            assertFalse(sql.query("DESCRIBE raw.clicks").rows().isEmpty());
            assertEquals(
                    2L,
                    ((Number) sql.query("SELECT count(*) FROM tarn.objects").scalar()).longValue());
            sql.query("SELECT count(*) FROM information_schema.tables");
            QueryException e =
                    assertThrows(
                            QueryException.class,
                            () -> sql.query("SELECT * FROM \"" + reserved + "\".hidden"));
            assertTrue(
                    e.getMessage()
                                    .contains(
                                            "zone '"
                                                    + reserved
                                                    + "' is a catalog or schema of the SQL engine")
                            && e.getMessage().contains("RESERVED_NAME"),
                    e.getMessage());
        }
    }

    private static java.util.List<String> column(Statement s, String sql) throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
