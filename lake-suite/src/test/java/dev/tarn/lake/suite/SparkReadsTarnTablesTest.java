package dev.tarn.lake.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.testing.corpus.ExportCorpus;
import dev.tarn.lake.testing.corpus.ExportFile;
import dev.tarn.lake.testing.corpus.Shape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark with delta-spark, the protocol's reference reader, reads what Tarn writes: a plain table at
 * protocol 1/2, a table with the timestampNtz feature, and one widened through the typeWidening
 * feature (int to long, int to double) (Spark's DataFrame schema leaves out Delta's column
 * metadata, so the recorded type changes are checked by lake-table's TableFeaturesTest). One Spark
 * JVM start costs about 20 s, so each table is read once.
 */
class SparkReadsTarnTablesTest {
    private static final ExportCorpus CORPUS = new ExportCorpus(11);

    @TempDir Path tmp;

    private Lake open(Path root) {
        return Lake.builder().location(root).createIfMissing(true).open();
    }

    private static void ingest(Lake lake, DatasetId raw, ExportFile f) {
        lake.ingest(raw).bytes(f.bytes(), f.name()).commit();
    }

    @Test
    void sparkReadsAPlainTable() throws Exception {
        Path root = tmp.resolve("lake");
        try (Lake lake = open(root)) {
            lake.ingest(DatasetId.parse("raw/events"))
                    .bytes(
                            ("{\"id\":1,\"kind\":\"view\"}\n{\"id\":2,\"kind\":\"buy\"}\n")
                                    .getBytes(StandardCharsets.UTF_8),
                            "a.ndjson")
                    .commit();
            Tables.of(lake)
                    .newConvert(DatasetId.parse("raw/events"), DatasetId.parse("processed/events"))
                    .commit();
        }
        Spark.Result r = Spark.read(root.resolve("processed/events"), "id", tmp);
        assertTrue(r.schemaJson().contains("\"name\":\"id\",\"type\":\"integer\""), r.schemaJson());
        // protocol 1/2: Spark lists the legacy features a writer version 2 implies
        assertEquals("protocol 1 2 [appendOnly, invariants]", r.protocol());
        assertEquals(
                List.of("{\"id\":1,\"kind\":\"view\"}", "{\"id\":2,\"kind\":\"buy\"}"), r.rows());
    }

    @Test
    void sparkReadsTimestampNtzAndWidenedColumns() throws Exception {
        Path root = tmp.resolve("lake");
        Shape prices = CORPUS.naiveTimestampsWithSpace();
        Shape counters = CORPUS.widening();
        try (Lake lake = open(root)) {
            DatasetId raw = DatasetId.parse("raw/prices");
            prices.files().forEach(f -> ingest(lake, raw, f));
            Tables.of(lake).newConvert(raw, DatasetId.parse("processed/prices")).commit();

            DatasetId rawCounters = DatasetId.parse("raw/counters");
            DatasetId table = DatasetId.parse("processed/counters");
            ingest(lake, rawCounters, counters.files().get(0));
            Tables.of(lake).newConvert(rawCounters, table).commit();
            ingest(lake, rawCounters, counters.files().get(1));
            Tables.of(lake).newConvert(rawCounters, table).evolveSchema().commit();
        }

        Spark.Result p = Spark.read(root.resolve("processed/prices"), "ts", tmp);
        assertTrue(
                p.schemaJson().contains("\"name\":\"ts\",\"type\":\"timestamp_ntz\""),
                p.schemaJson());
        assertTrue(
                p.protocol().startsWith("protocol 3 7 ") && p.protocol().contains("timestampNtz"),
                p.protocol());
        assertEquals(prices.rows().size(), p.rows().size());
        // no time zone shifts a timestamp without one: Spark prints it as written
        assertEquals(
                "{\"symbol\":\"ACME\",\"ts\":\"2026-11-21T09:30:00.000\",\"price\":"
                        + prices.rows().get(0).get("price")
                        + ",\"volume\":"
                        + prices.rows().get(0).get("volume")
                        + "}",
                p.rows().get(0));

        Spark.Result c = Spark.read(root.resolve("processed/counters"), "n", tmp);
        assertTrue(c.schemaJson().contains("\"name\":\"n\",\"type\":\"long\""), c.schemaJson());
        assertTrue(c.schemaJson().contains("\"name\":\"v\",\"type\":\"double\""), c.schemaJson());
        assertTrue(c.protocol().contains("typeWidening"), c.protocol());
        assertEquals(counters.rows().size(), c.rows().size());
        assertEquals("{\"sensor\":\"s1\",\"n\":1000,\"v\":1.0}", c.rows().get(1));
        assertEquals(
                "{\"sensor\":\"s9\",\"n\":3000000009,\"v\":9.25}",
                c.rows().get(c.rows().size() - 1));
    }
}
