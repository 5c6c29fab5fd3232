package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.PermissionDeniedException;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.security.AccessPolicy;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.table.Tables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SQL asks the lake's access policy for READ on every dataset a statement reads, as {@code
 * lake.open(object)} does, and refuses the ways around datasets: table functions that read files,
 * and file paths in place of relations.
 */
class SqlAccessTest {
    @TempDir Path dir;

    private Lake owner;
    private Lake analyst;

    /** The analyst may read the lake's catalog and raw/clicks, not raw/salaries. */
    private static final AccessPolicy POLICY =
            (principal, privilege, resource) ->
                    principal.name().equals("owner")
                            || (privilege == Privilege.READ && !resource.equals("raw/salaries"));

    @BeforeEach
    void setUp() {
        owner =
                Lake.builder()
                        .location(dir.resolve("lake"))
                        .accessPolicy(POLICY)
                        .principal(Principal.of("owner"))
                        .open();
        owner.ingest("raw/clicks")
                .bytes(
                        utf8("{\"user\":1,\"page\":\"/a\"}\n{\"user\":2,\"page\":\"/b\"}\n"),
                        "c.ndjson")
                .commit();
        owner.ingest("raw/salaries")
                .bytes(utf8("user,salary\n1,100000\n2,90000\n"), "s.csv")
                .commit();
        analyst = owner.as(Principal.of("analyst"));
    }

    @AfterEach
    void tearDown() {
        owner.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPrincipalReadsTheDatasetsItMayRead() {
        assertEquals(
                2L,
                ((Number) Sql.of(analyst).query("SELECT count(*) FROM raw.clicks").scalar())
                        .longValue());
        assertEquals(
                2L,
                ((Number) Sql.of(owner).query("SELECT count(*) FROM raw.salaries").scalar())
                        .longValue());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT * FROM raw.salaries",
                "SELECT c.page FROM raw.clicks c JOIN raw.salaries s ON c.\"user\" = s.\"user\"",
                "SELECT * FROM raw.clicks WHERE \"user\" IN (SELECT \"user\" FROM raw.salaries WHERE salary > 95000)",
                "WITH s AS (SELECT * FROM raw.salaries) SELECT count(*) FROM s",
                "SELECT * FROM memory.raw.salaries",
                "SUMMARIZE raw.salaries",
                "DESCRIBE raw.salaries",
                "SHOW raw.salaries",
                "SUMMARIZE SELECT salary FROM raw.salaries",
                "EXPLAIN ANALYZE SELECT * FROM raw.salaries",
                "SELECT * FROM raw.clicks UNION ALL BY NAME SELECT * FROM raw.salaries",
            })
    void readingADatasetWithoutReadOnItIsDenied(String sql) {
        PermissionDeniedException e =
                assertThrows(PermissionDeniedException.class, () -> Sql.of(analyst).query(sql));
        assertTrue(e.getMessage().contains("raw/salaries"), e.getMessage());
    }

    @Test
    void exportsAndSavedTablesAreCheckedToo() {
        assertThrows(
                PermissionDeniedException.class,
                () ->
                        Sql.of(analyst)
                                .export(
                                        "SELECT * FROM raw.salaries",
                                        dir.resolve("out.csv"),
                                        ExportFormat.CSV));
        assertFalse(dir.resolve("out.csv").toFile().exists(), "nothing exported");
        assertThrows(
                PermissionDeniedException.class,
                () ->
                        Sql.of(analyst)
                                .saveAsTable(
                                        "SELECT * FROM raw.salaries",
                                        dev.tarn.lake.catalog.DatasetId.parse("analytics/leak")));
        assertTrue(owner.catalog().dataset("analytics/leak").isEmpty(), "no table made");
    }

    /** Reading is allowed but writing is not: refused before a byte of the result is written. */
    @Test
    void savingOrInsertingWithoutWriteWritesNothing() {
        assertThrows(
                PermissionDeniedException.class,
                () ->
                        Sql.of(analyst)
                                .saveAsTable(
                                        "SELECT * FROM raw.clicks",
                                        dev.tarn.lake.catalog.DatasetId.parse("analytics/copy")));
        assertFalse(dir.resolve("lake/analytics/copy").toFile().exists(), "no file written");
        Sql.of(owner)
                .saveAsTable(
                        "SELECT * FROM raw.clicks",
                        dev.tarn.lake.catalog.DatasetId.parse("processed/clicks"));
        java.io.File[] before = dir.resolve("lake/processed/clicks").toFile().listFiles();
        assertThrows(
                PermissionDeniedException.class,
                () ->
                        Sql.of(analyst)
                                .insertInto(
                                        "SELECT * FROM raw.clicks",
                                        dev.tarn.lake.catalog.DatasetId.parse("processed/clicks")));
        assertEquals(
                before.length,
                dir.resolve("lake/processed/clicks").toFile().listFiles().length,
                "no file written");
    }

    @Test
    void aTableAtAVersionNeedsReadOnTheTable() {
        Sql.of(owner)
                .saveAsTable(
                        "SELECT * FROM raw.salaries",
                        dev.tarn.lake.catalog.DatasetId.parse("processed/salaries"));
        Lake limited =
                Lake.builder()
                        .location(dir.resolve("lake"))
                        .principal(Principal.of("analyst"))
                        .accessPolicy(
                                (p, priv, res) ->
                                        priv == Privilege.READ && !res.equals("processed/salaries"))
                        .open();
        try (limited) {
            long version = Tables.of(owner).load("processed/salaries").snapshot().version();
            PermissionDeniedException e =
                    assertThrows(
                            PermissionDeniedException.class,
                            () ->
                                    Sql.of(limited)
                                            .query(
                                                    "SELECT * FROM processed.\"salaries@"
                                                            + version
                                                            + "\""));
            assertTrue(e.getMessage().contains("processed/salaries"), e.getMessage());
        }
    }

    @Test
    void whatAPrincipalSeesDoesNotDependOnWhoStartedTheEngine() {
        Sql.of(owner)
                .saveAsTable(
                        "SELECT * FROM raw.salaries",
                        dev.tarn.lake.catalog.DatasetId.parse("processed/salaries"));
        try (Lake lake =
                Lake.builder()
                        .location(dir.resolve("lake"))
                        .principal(Principal.of("owner"))
                        .accessPolicy(
                                (p, priv, res) ->
                                        p.name().equals("owner")
                                                || (priv == Privilege.READ
                                                        && !res.equals("raw/salaries")
                                                        && !res.equals("processed/salaries")))
                        .open()) {
            Lake limited = lake.as(Principal.of("analyst"));
            // the analyst's statement starts the lake's engine, which every principal then shares
            assertEquals(
                    2L,
                    ((Number) Sql.of(limited).query("SELECT count(*) FROM raw.clicks").scalar())
                            .longValue());
            assertThrows(
                    PermissionDeniedException.class,
                    () -> Sql.of(limited).query("SELECT * FROM processed.salaries"));
            assertEquals(
                    2L,
                    ((Number)
                                    Sql.of(lake)
                                            .query("SELECT count(*) FROM processed.salaries")
                                            .scalar())
                            .longValue(),
                    "the owner reads the table the analyst may not");
        }
    }

    @Test
    void metadataNeedsReadOnTheLakeOnly() {
        // the catalog (what datasets and objects there are) is readable with READ on the lake
        assertEquals(
                2L,
                ((Number) Sql.of(analyst).query("SELECT count(*) FROM tarn.objects").scalar())
                        .longValue());
        assertFalse(Sql.of(analyst).query("DESCRIBE raw.clicks").rows().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT * FROM read_csv('LAKE/raw/salaries/**/*.csv')",
                "SELECT * FROM read_csv_auto('LAKE/raw/salaries/**/*.csv')",
                "SELECT * FROM query_table('raw.salaries')",
                "SELECT * FROM query('SELECT * FROM raw.salaries')",
                "SELECT * FROM glob('LAKE/raw/**')",
                "SELECT * FROM read_text('LAKE/_tarn/catalog/log/00000000000000000000.json')",
                "SELECT * FROM 'LAKE/raw/salaries/s.csv'",
                "SELECT * FROM raw.clicks WHERE \"user\" IN (SELECT \"user\" FROM read_csv('LAKE/raw/salaries/**/*.csv'))",
            })
    void filesInsideTheLakeAreReadOnlyThroughTheirDatasets(String template) {
        String root = Path.of(java.net.URI.create(owner.location())).toString();
        String sql = template.replace("LAKE", root);
        // even for the owner: files are read through datasets, whose views know which objects are
        // committed
        QueryException e = assertThrows(QueryException.class, () -> Sql.of(owner).query(sql));
        assertTrue(
                e.getMessage().startsWith("refused: SQL may read only the lake's own datasets"),
                e.getMessage());
    }

    @Test
    void tableFunctionsThatReadNoFilesStillWork() {
        assertEquals(
                10L,
                ((Number) Sql.of(analyst).query("SELECT count(*) FROM range(10)").scalar())
                        .longValue());
        assertEquals(
                3L,
                ((Number) Sql.of(analyst).query("SELECT count(*) FROM unnest([1, 2, 3])").scalar())
                        .longValue());
        assertEquals(
                4L,
                ((Number)
                                Sql.of(analyst)
                                        .query(
                                                "SELECT count(*) FROM raw.clicks, generate_series(1, 2)")
                                        .scalar())
                        .longValue());
    }
}
