package dev.tarn.lake.suite;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.table.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spark with delta-spark, the protocol's reference reader, reads what Tarn writes. */
class SparkReadsTarnTablesTest {
    @TempDir
    Path tmp;

    @Test
    void sparkReadsAConvertedTable() throws Exception {
        Path root = tmp.resolve("lake");
        try (Lake lake = Lake.builder().location(root).createIfMissing(true).open()) {
            lake.ingest(DatasetId.parse("raw/events")).bytes(("{\"id\":1,\"kind\":\"view\"}\n{\"id\":2,\"kind\":\"buy\"}\n")
                    .getBytes(StandardCharsets.UTF_8), "a.ndjson").commit();
            Tables.of(lake).newConvert(DatasetId.parse("raw/events"), DatasetId.parse("processed/events")).commit();
        }
        Spark.Result r = Spark.read(root.resolve("processed/events"), "id", tmp);
        assertTrue(r.schemaJson().contains("\"name\":\"id\",\"type\":\"integer\""), r.schemaJson());
        // protocol 1/2: Spark lists the legacy features a writer version 2 implies
        assertEquals("protocol 1 2 [appendOnly, invariants]", r.protocol());
        assertEquals(java.util.List.of("{\"id\":1,\"kind\":\"view\"}", "{\"id\":2,\"kind\":\"buy\"}"), r.rows());
    }
}
