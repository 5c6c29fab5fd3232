package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.exceptions.SchemaMismatchException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * Delta table features: timestamp_ntz columns and type widening, each only when a table needs it,
 * recorded as the protocol specifies and read back by Delta Kernel (the independent reader) with
 * exact values and types.
 */
class TableFeaturesTest extends TableFixture {

    private Path dirOf(Table t) {
        return data.root().resolve(t.keyPrefix());
    }

    private String log(Table t, long version) throws Exception {
        return Files.readString(
                dirOf(t).resolve("_delta_log").resolve(String.format("%020d.json", version)));
    }

    @Test
    void aTableThatNeedsNoFeatureStaysAtReaderOneWriterTwo() throws Exception {
        Table t =
                tables.create(
                        "processed/plain",
                        Schema.of(
                                Field.of("id", DataType.LONG),
                                Field.of("n", DataType.INT),
                                Field.of("d", DataType.DATE)));
        t.newAppend()
                .addFile(
                        t.dataFile(
                                data.write(
                                        t,
                                        "a.parquet",
                                        "SELECT 1::BIGINT AS id, 2::INTEGER AS n, DATE '2026-01-02' AS d"),
                                Map.of()))
                .commit();
        // a new column (evolution), a column missing, and a short in an int column (both INT32 in
        // Parquet)
        t.newAppend()
                .addFile(
                        t.dataFile(
                                data.write(
                                        t,
                                        "b.parquet",
                                        "SELECT 2::BIGINT AS id, 3::SMALLINT AS n, 'x' AS extra"),
                                Map.of()))
                .evolveSchema()
                .commit();
        Snapshot s = t.snapshot();
        assertEquals(2, s.version());
        assertEquals(1, s.minReaderVersion());
        assertEquals(2, s.minWriterVersion());
        assertEquals(List.of(), s.readerFeatures());
        assertFalse(s.properties().containsKey("delta.enableTypeWidening"));
        KernelReader.Result k = KernelReader.read(dirOf(t), null);
        assertEquals(List.of("id:long", "n:integer", "d:date", "extra:string"), k.schema());
        assertEquals(
                List.of("id=1,n=2,d=2026-01-02,extra=null", "id=2,n=3,d=null,extra=x"), k.rows());
    }

    @Test
    void intWidensToLongThroughTheTypeWideningFeature() throws Exception {
        Table t =
                tables.create(
                        "processed/wl",
                        Schema.of(Field.of("id", DataType.INT), Field.of("v", DataType.INT)));
        t.newAppend()
                .addFile(
                        t.dataFile(
                                data.write(
                                        t,
                                        "a.parquet",
                                        "SELECT * FROM (VALUES (1, -2147483648), (2, 2147483647)) t(id, v)"),
                                Map.of()))
                .commit();
        data.write(t, "b.parquet", "SELECT 3 AS id, 9007199254740993::BIGINT AS v");
        DataFile wide = t.dataFile("b.parquet", Map.of());

        // without evolution the wider file is refused, naming file, column and both types; nothing
        // changes
        SchemaMismatchException e =
                assertThrows(
                        SchemaMismatchException.class, () -> t.newAppend().addFile(wide).commit());
        assertTrue(
                e.getMessage().contains("file b.parquet")
                        && e.getMessage().contains("'v'")
                        && e.getMessage().contains("long")
                        && e.getMessage().contains("integer"),
                e.getMessage());
        assertEquals(1, t.snapshot().version());
        assertEquals(1, t.snapshot().minReaderVersion());

        t.newAppend().addFile(wide).evolveSchema().commit();
        Snapshot s = t.snapshot();
        assertEquals(3, s.minReaderVersion());
        assertEquals(7, s.minWriterVersion());
        assertEquals(List.of("typeWidening"), s.readerFeatures());
        assertTrue(s.writerFeatures().contains("typeWidening"), s.writerFeatures().toString());
        assertEquals("true", s.properties().get("delta.enableTypeWidening"));
        Field v = s.schema().field("v").orElseThrow();
        assertEquals(DataType.LONG, v.type());
        assertEquals(
                List.of(Map.of("fromType", "integer", "toType", "long")),
                v.metadata().get("delta.typeChanges"));
        assertEquals(DataType.INT, s.schema().field("id").orElseThrow().type());
        assertTrue(
                log(t, 2)
                        .contains(
                                "\"delta.typeChanges\\\":[{\\\"fromType\\\":\\\"integer\\\",\\\"toType\\\":"
                                        + "\\\"long\\\"}]"),
                log(t, 2));

        KernelReader.Result k = KernelReader.read(dirOf(t), null);
        assertEquals(List.of("id:integer", "v:long"), k.schema());
        assertEquals(
                List.of("id=1,v=-2147483648", "id=2,v=2147483647", "id=3,v=9007199254740993"),
                k.rows());
    }

    @Test
    void intWidensToDouble() throws Exception {
        Table t =
                tables.create(
                        "processed/wd",
                        Schema.of(Field.of("id", DataType.LONG), Field.of("x", DataType.INT)));
        t.newAppend()
                .addFile(
                        t.dataFile(
                                data.write(
                                        t,
                                        "a.parquet",
                                        "SELECT * FROM (VALUES (1::BIGINT, 7), (2::BIGINT, -2147483648)) t(id, x)"),
                                Map.of()))
                .commit();
        t.newAppend()
                .addFile(
                        t.dataFile(
                                data.write(
                                        t, "b.parquet", "SELECT 3::BIGINT AS id, 2.5::DOUBLE AS x"),
                                Map.of()))
                .evolveSchema()
                .commit();
        Snapshot s = t.snapshot();
        assertEquals(DataType.DOUBLE, s.schema().field("x").orElseThrow().type());
        assertEquals(
                List.of(Map.of("fromType", "integer", "toType", "double")),
                s.schema().field("x").orElseThrow().metadata().get("delta.typeChanges"));
        KernelReader.Result k = KernelReader.read(dirOf(t), null);
        assertEquals(List.of("id:long", "x:double"), k.schema());
        assertEquals(List.of("id=1,x=7", "id=2,x=-2147483648", "id=3,x=2.5"), k.rows());
    }

    @Test
    void dateWidensToTimestampNtz() throws Exception {
        Table t =
                tables.create(
                        "processed/wt",
                        Schema.of(Field.of("id", DataType.LONG), Field.of("at", DataType.DATE)));
        t.newAppend()
                .addFile(
                        t.dataFile(
                                data.write(
                                        t,
                                        "a.parquet",
                                        "SELECT 1::BIGINT AS id, DATE '2026-11-21' AS at"),
                                Map.of()))
                .commit();
        t.newAppend()
                .addFile(
                        t.dataFile(
                                data.write(
                                        t,
                                        "b.parquet",
                                        "SELECT 2::BIGINT AS id, TIMESTAMP '2010-01-01 01:00:00.123456' AS at"),
                                Map.of()))
                .evolveSchema()
                .commit();
        Snapshot s = t.snapshot();
        assertEquals(DataType.TIMESTAMP_NTZ, s.schema().field("at").orElseThrow().type());
        assertEquals(List.of("timestampNtz", "typeWidening"), s.readerFeatures());
        assertEquals(
                List.of(Map.of("fromType", "date", "toType", "timestamp_ntz")),
                s.schema().field("at").orElseThrow().metadata().get("delta.typeChanges"));
        TimeZone before = TimeZone.getDefault();
        try {
            // a reader in another zone sees the same wall-clock values
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Auckland"));
            KernelReader.Result k = KernelReader.read(dirOf(t), null);
            assertEquals(List.of("id:long", "at:timestamp_ntz"), k.schema());
            assertEquals(
                    List.of("id=1,at=2026-11-21T00:00", "id=2,at=2010-01-01T01:00:00.123456"),
                    k.rows());
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void aNarrowerFileFitsAWiderColumnThroughTheFeatureReadersNeed() throws Exception {
        Table t = tables.create("processed/narrow", Schema.of(Field.of("id", DataType.LONG)));
        t.newAppend()
                .addFile(
                        t.dataFile(
                                data.write(t, "a.parquet", "SELECT 5000000000::BIGINT AS id"),
                                Map.of()))
                .commit();
        assertEquals(1, t.snapshot().minReaderVersion());
        // an INT32 file in a long column: the column keeps its type, the table gains the feature
        // that lets readers
        // convert the narrower values (no type change is recorded: the column's type did not
        // change)
        t.newAppend()
                .addFile(
                        t.dataFile(data.write(t, "b.parquet", "SELECT 7::INTEGER AS id"), Map.of()))
                .commit();
        Snapshot s = t.snapshot();
        assertEquals(DataType.LONG, s.schema().field("id").orElseThrow().type());
        assertEquals(List.of("typeWidening"), s.readerFeatures());
        assertFalse(
                s.schema().field("id").orElseThrow().metadata().containsKey("delta.typeChanges"));
        KernelReader.Result k = KernelReader.read(dirOf(t), null);
        assertEquals(List.of("id:long"), k.schema());
        assertEquals(List.of("id=5000000000", "id=7"), k.rows());
        // narrowing the other way is refused
        data.write(t, "c.parquet", "SELECT 'x' AS id");
        SchemaMismatchException e =
                assertThrows(
                        SchemaMismatchException.class,
                        () ->
                                t.newAppend()
                                        .addFile(t.dataFile("c.parquet", Map.of()))
                                        .evolveSchema()
                                        .commit());
        assertTrue(
                e.getMessage().contains("c.parquet") && e.getMessage().contains("string"),
                e.getMessage());
    }

    @Test
    void timestampNtzColumnsTakeTheFeatureOnlyWhenTheTableHasOne() throws Exception {
        Table t = tables.create("processed/ntz", Schema.of(Field.of("id", DataType.LONG)));
        t.newAppend()
                .addFile(t.dataFile(data.write(t, "a.parquet", "SELECT 1::BIGINT AS id"), Map.of()))
                .commit();
        assertEquals(1, t.snapshot().minReaderVersion());
        t.newAppend()
                .addFile(
                        t.dataFile(
                                data.write(
                                        t,
                                        "b.parquet",
                                        "SELECT 2::BIGINT AS id, TIMESTAMP '2026-11-21 10:00:00' AS at"),
                                Map.of()))
                .evolveSchema()
                .commit();
        Snapshot s = t.snapshot();
        assertEquals(3, s.minReaderVersion());
        assertEquals(7, s.minWriterVersion());
        assertEquals(List.of("timestampNtz"), s.readerFeatures());
        // the upgrade names the features writer version 2 implied, as an upgrade to writer version
        // 7 must
        assertEquals(List.of("appendOnly", "invariants", "timestampNtz"), s.writerFeatures());
        assertFalse(s.properties().containsKey("delta.enableTypeWidening"));
        assertEquals(DataType.TIMESTAMP_NTZ, s.schema().field("at").orElseThrow().type());

        // a new table with such a column is created with the feature (and the writer version 2
        // features, as it
        // would have had them without the feature)
        Table n =
                tables.create("processed/ntz2", Schema.of(Field.of("at", DataType.TIMESTAMP_NTZ)));
        assertEquals(List.of("timestampNtz"), n.snapshot().readerFeatures());
        assertTrue(
                log(n, 0)
                        .contains(
                                "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                                        + "\"readerFeatures\":[\"timestampNtz\"],\"writerFeatures\":[\"appendOnly\",\"invariants\","
                                        + "\"timestampNtz\"]}}"),
                log(n, 0));

        KernelReader.Result k = KernelReader.read(dirOf(t), null);
        assertEquals(List.of("id:long", "at:timestamp_ntz"), k.schema());
        assertEquals(List.of("id=1,at=null", "id=2,at=2026-11-21T10:00"), k.rows());
    }

    @Test
    void featuresSurviveCheckpoints() throws Exception {
        Table t = tables.create("processed/cp", Schema.of(Field.of("id", DataType.INT)));
        t.newAppend()
                .addFile(
                        t.dataFile(
                                data.write(
                                        t,
                                        "w.parquet",
                                        "SELECT 1::BIGINT AS id,"
                                                + " TIMESTAMP '2026-01-01 00:00:00' AS at"),
                                Map.of()))
                .evolveSchema()
                .commit();
        for (int i = 0; i < 10; i++) {
            t.newAppend()
                    .addFile(
                            t.dataFile(
                                    data.write(
                                            t,
                                            "f" + i + ".parquet",
                                            "SELECT " + i + "::BIGINT AS id"),
                                    Map.of()))
                    .commit();
        }
        assertTrue(
                Files.exists(
                        dirOf(t).resolve("_delta_log/00000000000000000010.checkpoint.parquet")));
        Table again = Tables.of(lake).load("processed/cp");
        Snapshot s = again.snapshot();
        assertEquals(List.of("timestampNtz", "typeWidening"), s.readerFeatures());
        assertEquals(
                List.of("appendOnly", "invariants", "timestampNtz", "typeWidening"),
                s.writerFeatures());
        KernelReader.Result k = KernelReader.read(dirOf(t), null);
        assertEquals(List.of("id:long", "at:timestamp_ntz"), k.schema());
        assertEquals(11, k.rows().size());
        // the doctor finds the checkpoint agreeing with the entries (features included)
        assertEquals(List.of(), lake.doctor().grace(java.time.Duration.ZERO).check().findings());
        // and Tarn still writes the table after reading its state from the checkpoint
        again.newAppend()
                .addFile(
                        again.dataFile(
                                data.write(again, "g.parquet", "SELECT 99::BIGINT AS id"),
                                Map.of()))
                .commit();
    }

    @Test
    void tablesWithFeaturesTarnDoesNotImplementAreRefusedNamingThem() throws Exception {
        Path logDir = data.root().resolve("processed/cm/_delta_log");
        Files.createDirectories(logDir);
        String schema =
                "{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":"
                        + "\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}";
        Files.writeString(
                logDir.resolve("00000000000000000000.json"),
                "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"timestampNtz\"],"
                        + "\"writerFeatures\":[\"timestampNtz\",\"rowTracking\",\"domainMetadata\"]}}\n"
                        + "{\"metaData\":{\"id\":\"x\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
                        + "\"schemaString\":\""
                        + schema
                        + "\",\"partitionColumns\":[],\"configuration\":{}}}\n");
        Table t = tables.load("processed/cm");
        assertEquals(0, t.snapshot().version()); // readable: its reader features are Tarn's
        data.write(t, "a.parquet", "SELECT 1::BIGINT AS id");
        TarnException e =
                assertThrows(
                        TarnException.class,
                        () -> t.newAppend().addFile(t.dataFile("a.parquet", Map.of())).commit());
        assertTrue(
                e.getMessage().contains("[rowTracking, domainMetadata]")
                        && e.getMessage().contains("writer version 7"),
                e.getMessage());
    }

    @Test
    void timestampNtzPartitionsAndRowDeletesOnAWidenedColumn() throws Exception {
        Table t =
                tables.create(
                        "processed/pn",
                        Schema.of(
                                Field.of("id", DataType.LONG),
                                Field.of("at", DataType.DATE),
                                Field.of("hour", DataType.TIMESTAMP_NTZ)),
                        "hour");
        t.newAppend()
                .addFile(
                        t.dataFile(
                                data.write(
                                        t,
                                        "hour=10/a.parquet",
                                        "SELECT * FROM (VALUES (1::BIGINT, DATE '2026-11-21'), (2::BIGINT, DATE '2026-11-22')) t(id, \"at\")"),
                                Map.of("hour", "2026-11-21T10:00:00")))
                .commit();
        // the protocol's form of a timestamp without time zone: a space, no zone
        assertEquals(
                "2026-11-21 10:00:00", t.snapshot().files().get(0).partitionValues().get("hour"));
        t.newAppend()
                .addFile(
                        t.dataFile(
                                data.write(
                                        t,
                                        "hour=11/b.parquet",
                                        "SELECT 3::BIGINT AS id, TIMESTAMP '2026-11-21 00:00:00' AS at"),
                                Map.of("hour", "2026-11-21 11:00:00.25")))
                .evolveSchema()
                .commit();
        assertEquals(
                DataType.TIMESTAMP_NTZ, t.snapshot().schema().field("at").orElseThrow().type());
        // a row delete compares the older file's dates as that day's midnight
        t.newRowDelete()
                .rows(RowPredicate.eq("at", java.time.LocalDateTime.parse("2026-11-21T00:00")))
                .commit();
        KernelReader.Result k = KernelReader.read(dirOf(t), null);
        assertEquals(List.of("id:long", "at:timestamp_ntz", "hour:timestamp_ntz"), k.schema());
        assertEquals(List.of("id=2,at=2026-11-22T00:00,hour=2026-11-21T10:00"), k.rows());
    }

    @Test
    void aFileSpellingAColumnInAnotherCaseIsRefused() {
        Table t = tables.create("processed/case", Schema.of(Field.of("Id", DataType.LONG)));
        data.write(t, "a.parquet", "SELECT 1::BIGINT AS id");
        SchemaMismatchException e =
                assertThrows(
                        SchemaMismatchException.class,
                        () ->
                                t.newAppend()
                                        .addFile(t.dataFile("a.parquet", Map.of()))
                                        .evolveSchema()
                                        .commit());
        assertTrue(
                e.getMessage().contains("'id'") && e.getMessage().contains("'Id'"), e.getMessage());
    }
}
