package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.testing.TarnExtension;
import dev.tarn.lake.testing.TempLake;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A malformed object never takes its dataset down: a query over the dataset fails naming the object
 * and what is wrong with it (not a column "not found"), and with {@link SqlOptions#skipBadObjects}
 * the rest is read and the objects left out are reported.
 */
@ExtendWith(TarnExtension.class)
class BadObjectsTest {
    private static final DatasetId SALES = DatasetId.parse("raw/sales");

    @TempLake Lake lake;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Two good CSV objects of 2 rows each, and one with mixed line endings (DuckDB cannot sniff
     * it).
     */
    private String salesWithMixedLineEndings() {
        lake.ingest("raw/sales")
                .bytes(utf8("date,value\n2026-01-01,1\n2026-01-02,2\n"), "jan.csv")
                .commit();
        lake.ingest("raw/sales")
                .bytes(utf8("date,value\n2026-02-01,3\n2026-02-02,4\n"), "feb.csv")
                .commit();
        var r =
                lake.ingest("raw/sales")
                        .bytes(
                                utf8("date,value\r\n2026-03-01,5\n2026-03-02,6\r\n2026-03-03,7\n"),
                                "mar.csv")
                        .commit();
        return r.objects().get(0).object().key();
    }

    /** A second handle on the same lake, whose engine leaves malformed objects out. */
    private Lake skipping() {
        return Lake.builder().location(lake.location()).createIfMissing(false).open();
    }

    @Test
    void aQueryOverADatasetWithAMalformedCsvNamesTheObjectAndTheReason() {
        String bad = salesWithMixedLineEndings();
        Sql sql = Sql.of(lake);
        QueryException e =
                assertThrows(
                        QueryException.class,
                        () -> sql.query("SELECT date, sum(value) FROM raw.sales GROUP BY 1"));
        assertTrue(
                e.getMessage()
                        .contains(
                                "object "
                                        + bad
                                        + " is malformed: mixed line endings (CRLF and LF)"),
                e.getMessage());
        assertFalse(e.getMessage().contains("not found"), e.getMessage());
        assertTrue(e.getMessage().contains("--skip-bad-objects"), e.getMessage());
        // every plan fails, counting included, and streaming the rows too
        assertThrows(QueryException.class, () -> sql.query("SELECT count(*) FROM raw.sales"));
        QueryException streamed =
                assertThrows(
                        QueryException.class,
                        () -> {
                            try (QueryCursor c = sql.cursor("SELECT * FROM raw.sales")) {
                                c.forEach(row -> {});
                            }
                        });
        assertTrue(streamed.getMessage().contains(bad), streamed.getMessage());
        List<BadObject> found = sql.badObjects(SALES);
        assertEquals(List.of(new BadObject(SALES, bad, "mixed line endings (CRLF and LF)")), found);
        assertEquals(List.of(), sql.skippedObjects(), "nothing is skipped unless asked");
        // the rest of the lake is not affected
        lake.ingest("raw/other").bytes(utf8("a\n1\n"), "a.csv").commit();
        assertEquals(1L, ((Number) sql.query("SELECT sum(a) FROM raw.other").scalar()).longValue());
    }

    @Test
    void skipBadObjectsReadsTheRestAndReportsWhatItLeftOut() {
        String bad = salesWithMixedLineEndings();
        try (Lake l = skipping()) {
            Sql sql = Sql.of(l, SqlOptions.defaults().skipBadObjects(true));
            QueryResult r = sql.query("SELECT count(*) AS n, sum(value) AS total FROM raw.sales");
            assertEquals(4L, ((Number) r.get(0, "n")).longValue());
            assertEquals(10L, ((Number) r.get(0, "total")).longValue());
            assertEquals(
                    List.of(new BadObject(SALES, bad, "mixed line endings (CRLF and LF)")),
                    sql.skippedObjects());
            assertEquals(sql.skippedObjects(), sql.badObjects(SALES));
            assertEquals(
                    List.of("date", "value", "ingest_date"),
                    sql.query("SELECT * FROM raw.sales").columnNames());
        }
    }

    @Test
    void faultsDeepInsideAnObjectAreNamedWhenReadAndSkippedAfterAFullCheck(@TempDir Path dir)
            throws Exception {
        // beyond the rows DuckDB samples: the views are made, the fault shows while rows are read
        StringBuilder csv = new StringBuilder("id,v\n");
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            csv.append(i).append(',').append(i == 25_000 ? "1,extra" : "1").append('\n');
            json.append("{\"id\":").append(i).append("}\n");
        }
        json.append("{\"id\":");
        lake.ingest("raw/wide").bytes(utf8(csv.toString()), "wide.csv").commit();
        String wide = lake.catalog().objects(DatasetId.parse("raw/wide")).get(0).key();
        lake.ingest("raw/wide").bytes(utf8("id,v\n1,1\n"), "good.csv").commit();
        lake.ingest("raw/cut").bytes(utf8(json.toString()), "cut.ndjson").commit();
        String cut = lake.catalog().objects(DatasetId.parse("raw/cut")).get(0).key();
        lake.ingest("raw/cut").bytes(utf8("{\"id\":-1}\n"), "good.ndjson").commit();

        Sql sql = Sql.of(lake);
        QueryException e =
                assertThrows(QueryException.class, () -> sql.query("SELECT sum(v) FROM raw.wide"));
        assertEquals(
                "query failed: raw/wide cannot be read: object "
                        + wide
                        + " is malformed: line 25002 has 3"
                        + " fields where the header has 2 (lake sql --skip-bad-objects, or SqlOptions.skipBadObjects(true),"
                        + " reads the rest)",
                e.getMessage());
        e = assertThrows(QueryException.class, () -> sql.query("SELECT count(*) FROM raw.cut"));
        // (the line as DuckDB counts it)
        assertTrue(
                e.getMessage()
                        .matches(
                                ".*object "
                                        + java.util.regex.Pattern.quote(cut)
                                        + " is malformed:"
                                        + " malformed JSON at line \\d+, byte \\d+: unexpected end of data .*"),
                e.getMessage());
        Path out = dir.resolve("out.csv");
        e =
                assertThrows(
                        QueryException.class,
                        () -> sql.export("SELECT * FROM raw.cut", out, ExportFormat.CSV));
        assertTrue(e.getMessage().contains(cut), e.getMessage());
        assertFalse(Files.exists(out));
        assertFalse(e.getMessage().contains(dir.toString()), "no local path: " + e.getMessage());

        try (Lake l = skipping()) {
            Sql skip = Sql.of(l, SqlOptions.defaults().skipBadObjects(true));
            assertEquals(
                    1L, ((Number) skip.query("SELECT sum(v) FROM raw.wide").scalar()).longValue());
            assertEquals(
                    -1L, ((Number) skip.query("SELECT sum(id) FROM raw.cut").scalar()).longValue());
            List<String> keys = skip.skippedObjects().stream().map(BadObject::key).toList();
            assertEquals(List.of(wide, cut), keys);
        }
    }

    @Test
    void aDatasetWhoseEveryObjectIsMalformedFailsEvenWhenSkipping() {
        lake.ingest("raw/broken").bytes(utf8("a,b\r\n1,2\n3,4\r\n"), "one.csv").commit();
        String key = lake.catalog().objects(DatasetId.parse("raw/broken")).get(0).key();
        try (Lake l = skipping()) {
            Sql sql = Sql.of(l, SqlOptions.defaults().skipBadObjects(true));
            QueryException e =
                    assertThrows(QueryException.class, () -> sql.query("SELECT * FROM raw.broken"));
            assertEquals(
                    "query failed: raw/broken cannot be read: none of its objects with rows can be read; object "
                            + key
                            + " is malformed: mixed line endings (CRLF and LF)",
                    e.getMessage());
            // naming a column: the view has none, and the error says why
            e = assertThrows(QueryException.class, () -> sql.query("SELECT a FROM raw.broken"));
            assertTrue(
                    e.getMessage()
                            .endsWith(
                                    "(raw/broken was read without its malformed objects: "
                                            + key
                                            + " (mixed line endings (CRLF and LF)))"),
                    e.getMessage());
        }
    }

    @Test
    void aColumnOnlyTheMalformedObjectHasIsNotReportedAsMissing() {
        lake.ingest("raw/mixed").bytes(utf8("a\n1\n"), "good.csv").commit();
        lake.ingest("raw/mixed").bytes(utf8("a,only_here\r\n1,2\n3,4\r\n"), "bad.csv").commit();
        QueryException e =
                assertThrows(
                        QueryException.class,
                        () -> Sql.of(lake).query("SELECT only_here FROM raw.mixed"));
        assertTrue(
                e.getMessage()
                        .startsWith("query failed: raw/mixed cannot be read: object raw/mixed/"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("bad.csv is malformed: mixed line endings"),
                e.getMessage());
    }

    @Test
    void aDamagedParquetFileIsNamedToo() {
        lake.ingest("raw/pq").bytes(utf8("PAR1 not parquet at all"), "broken.parquet").commit();
        String key = lake.catalog().objects(DatasetId.parse("raw/pq")).get(0).key();
        lake.ingest("raw/pq").bytes(utf8("{\"id\":7}\n"), "good.ndjson").commit();
        QueryException e =
                assertThrows(
                        QueryException.class, () -> Sql.of(lake).query("SELECT id FROM raw.pq"));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "query failed: raw/pq cannot be read: object "
                                        + key
                                        + " is malformed:"
                                        + " No magic bytes found at end of file ("),
                e.getMessage());
        try (Lake l = skipping()) {
            Sql sql = Sql.of(l, SqlOptions.defaults().skipBadObjects(true));
            assertEquals(
                    7L, ((Number) sql.query("SELECT sum(id) FROM raw.pq").scalar()).longValue());
            assertEquals(List.of(key), sql.skippedObjects().stream().map(BadObject::key).toList());
        }
    }
}
