package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.exceptions.TarnException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the protocol asks of a reader 1 / writer 2 implementation beyond the happy path. */
class ProtocolRulesTest extends TableFixture {
    @Test
    void appendOnlyTablesRefuseRemovingData() {
        Table t =
                tables.newCreate("processed/ao")
                        .schema(TableRoundTripTest.SCHEMA)
                        .partitionBy("day")
                        .property("delta.appendOnly", "true")
                        .commit();
        t.newAppend()
                .addFile(
                        data.file(t, "day=2026-11-01/a.parquet", 0, 3, Map.of("day", "2026-11-01")))
                .commit();
        TarnException e =
                assertThrows(
                        TarnException.class,
                        () -> t.newDelete().deleteWhere(PartitionFilter.all()).commit());
        assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        // rearranging data (dataChange=false) is still allowed
        data.write(t, "day=2026-11-01/b.parquet", TestData.rows(0, 3));
        t.newRewrite()
                .removeFile("day=2026-11-01/a.parquet")
                .addFile(t.dataFile("day=2026-11-01/b.parquet", Map.of("day", "2026-11-01")))
                .commit();
        assertEquals(3, t.snapshot().recordCount());
    }

    @Test
    void featuresOfNewerProtocolsAreRefusedAtCreation() {
        assertThrows(
                TarnException.class,
                () ->
                        tables.newCreate("processed/dv")
                                .schema(TableRoundTripTest.SCHEMA)
                                .property("delta.enableDeletionVectors", "true")
                                .commit());
        assertThrows(
                TarnException.class,
                () ->
                        tables.newCreate("processed/cm")
                                .schema(TableRoundTripTest.SCHEMA)
                                .property("delta.columnMapping.mode", "name")
                                .commit());
    }

    private Path writeLog(String table, String... lines) throws Exception {
        Path log = data.root().resolve(table).resolve("_delta_log");
        Files.createDirectories(log);
        Files.writeString(
                log.resolve("00000000000000000000.json"),
                String.join("\n", lines) + "\n",
                StandardCharsets.UTF_8);
        return log;
    }

    private static final String SCHEMA_STRING =
            "{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\","
                    + "\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}";

    @Test
    void tablesNeedingANewerReaderAreRefusedWithTheReason() throws Exception {
        writeLog(
                "processed/newer",
                "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"deletionVectors\"],"
                        + "\"writerFeatures\":[\"deletionVectors\"]}}",
                "{\"metaData\":{\"id\":\"x\",\"format\":{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\""
                        + SCHEMA_STRING
                        + "\",\"partitionColumns\":[],\"configuration\":{}}}");
        TarnException e =
                assertThrows(TarnException.class, () -> tables.load("processed/newer").snapshot());
        assertTrue(
                e.getMessage().contains("reader version 3")
                        && e.getMessage().contains("deletionVectors"),
                e.getMessage());
    }

    @Test
    void tablesNeedingANewerWriterAreReadButNotWritten() throws Exception {
        writeLog(
                "processed/w4",
                "{\"commitInfo\":{\"timestamp\":1,\"operation\":\"CREATE TABLE\",\"engineInfo\":\"other\"}}",
                "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":4}}",
                "{\"metaData\":{\"id\":\"x\",\"format\":{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\""
                        + SCHEMA_STRING
                        + "\",\"partitionColumns\":[],\"configuration\":{}}}",
                "{\"cdc\":{\"path\":\"_change_data/x.parquet\",\"partitionValues\":{},\"size\":1,\"dataChange\":false}}",
                "{\"domainMetadata\":{\"domain\":\"a\",\"configuration\":\"{}\",\"removed\":false}}");
        Table t = tables.load("processed/w4");
        assertEquals(0, t.snapshot().version());
        assertEquals(4, t.snapshot().minWriterVersion());
        data.write(t, "a.parquet", "SELECT 1::BIGINT AS id");
        TarnException e =
                assertThrows(
                        TarnException.class,
                        () -> t.newAppend().addFile(t.dataFile("a.parquet", Map.of())).commit());
        assertTrue(e.getMessage().contains("writer version 4"), e.getMessage());
    }

    @Test
    void aTableWithoutProtocolIsNotATable() throws Exception {
        writeLog(
                "processed/bad",
                "{\"metaData\":{\"id\":\"x\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
                        + "\"schemaString\":\""
                        + SCHEMA_STRING
                        + "\",\"partitionColumns\":[],\"configuration\":{}}}");
        TarnException e = assertThrows(TarnException.class, () -> tables.load("processed/bad"));
        assertTrue(e.getMessage().contains("no protocol"), e.getMessage());
    }

    @Test
    void pathsWithReservedCharactersRoundTrip() throws Exception {
        Table t = tables.create("processed/odd", TableRoundTripTest.SCHEMA, "day");
        String rel = "day=2026-11-01/a%b #c é.parquet";
        t.newAppend().addFile(data.file(t, rel, 0, 2, Map.of("day", "2026-11-01"))).commit();
        assertEquals(rel, t.snapshot().files().get(0).path());
        assertEquals(
                data.rowsOf(t, t.snapshot()),
                KernelReader.read(data.root().resolve(t.keyPrefix()), null).rows());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        t.newAppend()
                                .addFile(
                                        DataFile.builder("_hidden/x.parquet")
                                                .partition("day", "2026-11-01")
                                                .build())
                                .commit());
    }
}
