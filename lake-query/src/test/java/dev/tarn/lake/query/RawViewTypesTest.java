package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.testing.TarnExtension;
import dev.tarn.lake.testing.TempLake;
import dev.tarn.lake.testing.corpus.ExportCorpus;
import dev.tarn.lake.testing.corpus.ExportFile;
import dev.tarn.lake.testing.corpus.Shape;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Raw views type JSON and CSV objects with Tarn's inference, so that SQL over a raw dataset and
 * over the table converted from it show the same columns and types: for every shape of the export
 * corpus, {@code DESCRIBE} of the raw view gives the shape's columns and the view its records (a
 * GeoJSON FeatureCollection is its features, not one row), and the converted table gives the same.
 */
@ExtendWith(TarnExtension.class)
class RawViewTypesTest {
    @TempLake Lake lake;

    private static final ExportCorpus CORPUS = new ExportCorpus(11);

    private static Map<String, String> describe(Sql sql, String relation) {
        Map<String, String> m = new LinkedHashMap<>();
        for (List<Object> row : sql.query("DESCRIBE " + relation).rows()) {
            m.put((String) row.get(0), (String) row.get(1));
        }
        return m;
    }

    private static long count(Sql sql, String relation) {
        return ((Number) sql.query("SELECT count(*) FROM " + relation).rows().get(0).get(0))
                .longValue();
    }

    /**
     * The columns of a raw view over objects ingested by date: the shape's, then the {@code
     * ingest_date} of the directories they were stored in (a Hive partition column of the raw
     * dataset, which a table converted from it does not have).
     */
    private static Map<String, String> raw(Map<String, String> cols) {
        Map<String, String> m = new LinkedHashMap<>(cols);
        m.put("ingest_date", "DATE");
        return m;
    }

    private void ingest(Shape shape) {
        for (ExportFile f : shape.files()) {
            lake.ingest("raw/" + shape.name()).bytes(f.bytes(), f.name()).commit();
        }
    }

    /**
     * The columns a table partitioned by {@code by} shows: its partition column last (as Delta
     * tables list it).
     */
    private static Map<String, String> asTable(Map<String, String> cols, String by) {
        if (by == null) {
            return cols;
        }
        Map<String, String> m = new LinkedHashMap<>(cols);
        String t = m.remove(by);
        m.put(by, t);
        return m;
    }

    @Test
    void everyShapeHasTheSameTypesRawAndConverted() {
        Sql sql = Sql.of(lake);
        StringBuilder disagree = new StringBuilder();
        for (Shape shape : CORPUS.all()) {
            ingest(shape);
            String raw = "raw." + shape.name();
            assertEquals(
                    raw(shape.columns()), describe(sql, raw), shape.name() + ": raw view columns");
            assertEquals(shape.rows().size(), count(sql, raw), shape.name() + ": raw view rows");
            var convert =
                    Tables.of(lake).newConvert("raw/" + shape.name(), "processed/" + shape.name());
            if (shape.partitionBy() != null) {
                convert.partitionBy(shape.partitionBy());
            }
            try {
                convert.commit();
            } catch (RuntimeException e) {
                disagree.append(shape.name())
                        .append(": convert failed: ")
                        .append(e.getMessage())
                        .append('\n');
                continue;
            }
            Map<String, String> table = describe(sql, "processed." + shape.name());
            if (!asTable(shape.columns(), shape.partitionBy()).equals(table)
                    && !shape.columns().equals(table)) {
                disagree.append(shape.name())
                        .append(": table ")
                        .append(table)
                        .append(" raw ")
                        .append(describe(sql, raw))
                        .append('\n');
                continue;
            }
            assertEquals(
                    shape.rows().size(),
                    count(sql, "processed." + shape.name()),
                    shape.name() + ": table rows");
        }
        assertEquals("", disagree.toString());
    }

    /**
     * A table saved from a raw view takes the raw dataset's convert, and a table converted from it
     * is saved from SQL with the same types: the two writers agree because the view has the table's
     * types.
     */
    @Test
    void saveAsTableAndConvertWriteToEachOthersTables() {
        Sql sql = Sql.of(lake);
        StringBuilder failed = new StringBuilder();
        for (Shape shape : CORPUS.all()) {
            ingest(shape);
            String n = shape.name();
            DatasetId saved = DatasetId.parse("analytics/" + n);
            try {
                sql.saveAsTable("SELECT * EXCLUDE (ingest_date) FROM raw." + n, saved);
                var convert = Tables.of(lake).newConvert("raw/" + n, "analytics/" + n);
                convert.commit();
                assertEquals(
                        shape.columns(),
                        describe(sql, "analytics." + n),
                        n + ": saved then converted into");
                assertEquals(2L * shape.rows().size(), count(sql, "analytics." + n), n);
                Tables.of(lake).newConvert("raw/" + n, "processed/" + n).commit();
                sql.saveAsTable(
                        "SELECT * FROM processed." + n,
                        DatasetId.parse("analytics/" + n + "_copy"));
                assertEquals(
                        describe(sql, "processed." + n),
                        describe(sql, "analytics." + n + "_copy"),
                        n);
            } catch (RuntimeException e) {
                failed.append(n).append(": ").append(e.getMessage()).append('\n');
            }
        }
        assertEquals(List.of(), failed.toString().lines().toList(), "every shape goes both ways");
    }

    @Test
    void mixedSignIntegersAreIntegerNotHugeint() {
        Sql sql = Sql.of(lake);
        lake.ingest("raw/ledger")
                .bytes(
                        "{\"d\":-5}\n{\"d\":7}\n{\"d\":-2147483648}\n"
                                .getBytes(StandardCharsets.UTF_8),
                        "l.ndjson")
                .commit();
        assertEquals(raw(Map.of("d", "INTEGER")), describe(sql, "raw.ledger"));
        assertEquals(
                List.of(List.of(-2147483648, -5, 7)),
                List.of(
                        sql.query("SELECT d FROM raw.ledger ORDER BY d").rows().stream()
                                .map(r -> r.get(0))
                                .toList()));
    }

    @Test
    void csvHeadersDifferingInCaseAreOneColumnWithTheFirstSpelling() {
        Sql sql = Sql.of(lake);
        Shape s = CORPUS.headerCase();
        ingest(s);
        assertEquals(raw(s.columns()), describe(sql, "raw.scores"));
        assertEquals(
                List.of(20L, 20L),
                sql
                        .query("SELECT count(\"ID\"), count(\"Score\") FROM raw.scores")
                        .rows()
                        .get(0)
                        .stream()
                        .map(v -> ((Number) v).longValue())
                        .toList());
    }

    @Test
    void aGeoJsonDocumentIsItsFeaturesWithTheSourceColumn() {
        Sql sql = Sql.of(lake, SqlOptions.defaults().sourceColumn("_source"));
        Shape s = CORPUS.geoJson();
        ingest(s);
        QueryResult r =
                sql.query(
                        "SELECT id, properties.mag, geometry.coordinates[2], _source FROM raw.quakes"
                                + " ORDER BY id LIMIT 1");
        assertEquals("ev10000", r.rows().get(0).get(0));
        assertEquals(
                ((Map<?, ?>) s.rows().get(0).get("properties")).get("mag"), r.rows().get(0).get(1));
        assertTrue(
                String.valueOf(r.rows().get(0).get(3)).endsWith("quakes.geojson"),
                String.valueOf(r.rows().get(0)));
        assertEquals(400, count(sql, "raw.quakes"));
    }

    @Test
    void aMalformedObjectStillNamesTheObject() {
        Sql sql = Sql.of(lake);
        lake.ingest("raw/broken")
                .bytes("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8), "good.ndjson")
                .commit();
        lake.ingest("raw/broken")
                .bytes("{\"a\":1,\n".getBytes(StandardCharsets.UTF_8), "bad.ndjson")
                .commit();
        QueryException e =
                assertThrows(QueryException.class, () -> sql.query("SELECT * FROM raw.broken"));
        assertTrue(e.getMessage().contains("bad.ndjson"), e.getMessage());
    }
}
