package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 1: tables written by Tarn are read by Delta Kernel Java (an independent reader) at
 * several versions with exactly the rows, schema and partition values Tarn reports.
 */
class KernelInteropTest extends TableFixture {
    /** Kernel's view of every version equals Tarn's. */
    private void assertKernelAgrees(Table t, List<Long> versions) throws Exception {
        Path tableDir = data.root().resolve(t.keyPrefix());
        for (long v : versions) {
            Snapshot tarn = t.snapshot(v);
            KernelReader.Result kernel = KernelReader.read(tableDir, v);
            assertEquals(v, kernel.version());
            List<String> tarnSchema = new ArrayList<>();
            for (Field f : tarn.schema().fields()) {
                tarnSchema.add(
                        f.name()
                                + ":"
                                + DeltaTypes.name(f.type())
                                + (f.nullable() ? "" : " not null"));
            }
            assertEquals(tarnSchema, kernel.schema(), "schema at version " + v);
            assertEquals(
                    tarn.partitionColumns(),
                    kernel.partitionColumns(),
                    "partition columns at version " + v);
            List<String> expected = data.rowsOf(t, tarn);
            assertEquals(expected, kernel.rows(), "rows at version " + v);
            assertEquals(tarn.recordCount(), kernel.rows().size());
        }
        KernelReader.Result latest = KernelReader.read(tableDir, null);
        assertEquals(t.snapshot().version(), latest.version());
        assertEquals(data.rowsOf(t, t.snapshot()), latest.rows());
    }

    @Test
    void unpartitionedTableThroughEveryOperationAndACheckpoint() throws Exception {
        Schema schema =
                Schema.of(
                        Field.of("id", DataType.LONG),
                        Field.of("name", DataType.STRING),
                        Field.of("amount", DataType.decimal(18, 1)));
        Table t = tables.create("analytics/flat", schema);
        List<Long> versions = new ArrayList<>(List.of(0L));
        for (int i = 0; i < 4; i++) {
            versions.add(
                    t.newAppend()
                            .addFile(
                                    data.file(
                                            t,
                                            "part-" + i + ".parquet",
                                            i * 100,
                                            i * 100 + 25 + i,
                                            Map.of()))
                            .commit()
                            .version());
        }
        // compaction of two files into one
        DataFile merged = data.file(t, "merged-0.parquet", 0, 0, Map.of());
        data.write(
                t,
                "merged-0.parquet",
                TestData.rows(0, 25) + " UNION ALL " + TestData.rows(100, 126));
        merged = t.dataFile("merged-0.parquet", Map.of());
        versions.add(
                t.newRewrite()
                        .removeFile("part-0.parquet")
                        .removeFile("part-1.parquet")
                        .addFile(merged)
                        .commit()
                        .version());
        // delete a file
        versions.add(t.newDelete().deleteFile("part-2.parquet").commit().version());
        // schema evolution: a new nullable column; older files read it as null
        data.write(
                t,
                "wide-0.parquet",
                "SELECT i::BIGINT AS id, 'w' || i AS name, (i * 1.5)::DECIMAL(18,1) AS amount,"
                        + " i::INTEGER AS qty FROM range(1000, 1010) t(i)");
        versions.add(
                t.newAppend()
                        .addFile(t.dataFile("wide-0.parquet", Map.of()))
                        .evolveSchema()
                        .commit()
                        .version());
        // overwrite everything
        versions.add(
                t.newOverwrite()
                        .addFile(data.file(t, "over-0.parquet", 5000, 5007, Map.of()))
                        .commit()
                        .version());
        versions.add(t.restore(7).version());
        for (int i = 0; i < 2; i++) {
            versions.add(
                    t.newAppend()
                            .addFile(
                                    data.file(
                                            t,
                                            "late-" + i + ".parquet",
                                            9000 + i * 10,
                                            9005 + i * 10,
                                            Map.of()))
                            .commit()
                            .version());
        }
        assertTrue(t.snapshot().version() >= 11, "past the first checkpoint");
        assertTrue(
                Files.exists(
                        data.root()
                                .resolve(
                                        "analytics/flat/_delta_log/00000000000000000010.checkpoint.parquet")));
        String last =
                Files.readString(data.root().resolve("analytics/flat/_delta_log/_last_checkpoint"));
        assertTrue(last.contains("\"version\":10"), last);
        assertKernelAgrees(t, versions);
    }

    @Test
    void partitionedTableWithNullAndEscapedPartitionValues() throws Exception {
        Schema schema =
                Schema.of(
                        Field.of("id", DataType.LONG),
                        Field.of("name", DataType.STRING),
                        Field.of("amount", DataType.decimal(18, 1)),
                        Field.of("day", DataType.DATE),
                        Field.of("region", DataType.STRING),
                        Field.of("at", DataType.TIMESTAMP));
        Table t =
                tables.newCreate("processed/events")
                        .schema(schema)
                        .partitionBy("day", "region")
                        .property("delta.checkpointInterval", "3")
                        .commit();
        List<Long> versions = new ArrayList<>(List.of(0L));
        String[][] parts = {
            {"2026-11-01", "eu"},
            {"2026-11-01", "us east"},
            {"2026-11-02", null},
            {"2026-11-02", "eu"},
            {"2026-11-03", "a%b=c"}
        };
        int n = 0;
        for (String[] p : parts) {
            String regionDir =
                    p[1] == null
                            ? "__HIVE_DEFAULT_PARTITION__"
                            : p[1].replace("%", "%25").replace("=", "%3D");
            String rel = "day=" + p[0] + "/region=" + regionDir + "/part-" + n + ".parquet";
            data.write(
                    t,
                    rel,
                    "SELECT i::BIGINT AS id, 'n' || i AS name, (i * 1.5)::DECIMAL(18,1) AS amount,"
                            + " TIMESTAMPTZ '2026-11-01 10:00:00+00' + i * INTERVAL 1 MINUTE AS at FROM range("
                            + n * 10
                            + ", "
                            + (n * 10 + 5)
                            + ") t(i)");
            Map<String, String> pv = new HashMap<>();
            pv.put("day", p[0]);
            pv.put("region", p[1]);
            versions.add(t.newAppend().addFile(t.dataFile(rel, pv)).commit().version());
            n++;
        }
        versions.add(
                t.newOverwrite()
                        .overwrite(PartitionFilter.eq("day", "2026-11-02"))
                        .addFile(
                                t.dataFile(
                                        data.write(
                                                t,
                                                "day=2026-11-02/region=eu/over.parquet",
                                                "SELECT 77::BIGINT AS id, 'o' AS name, 7.5::DECIMAL(18,1) AS amount,"
                                                        + " TIMESTAMPTZ '2026-11-02 00:00:00.123456+00' AS at"),
                                        Map.of("day", "2026-11-02", "region", "eu")))
                        .commit()
                        .version());
        versions.add(
                t.newDelete()
                        .deleteWhere(
                                PartitionFilter.eq("region", "eu")
                                        .and(PartitionFilter.eq("day", "2026-11-01")))
                        .commit()
                        .version());
        // a second file in one partition, then compaction of that partition
        String extra = "day=2026-11-01/region=us east/part-extra.parquet";
        data.write(
                t,
                extra,
                "SELECT i::BIGINT AS id, 'x' || i AS name, (i * 1.5)::DECIMAL(18,1) AS amount,"
                        + " TIMESTAMPTZ '2026-11-03 00:00:00+00' + i * INTERVAL 1 SECOND AS at FROM range(300, 306) t(i)");
        Map<String, String> usEast = Map.of("day", "2026-11-01", "region", "us east");
        versions.add(t.newAppend().addFile(t.dataFile(extra, usEast)).commit().version());
        CompactionResult c =
                t.newCompaction().where(PartitionFilter.eq("region", "us east")).commit();
        assertEquals(2, c.removedFiles().size());
        versions.add(c.commit().version());
        // row-level delete across partitions
        versions.add(
                t.newRowDelete().rows(RowPredicate.in("id", 12L, 301L, 77L)).commit().version());
        // schema evolution: a new nullable column
        String wide = "day=2026-11-04/region=eu/wide.parquet";
        data.write(
                t,
                wide,
                "SELECT 900::BIGINT AS id, 'w' AS name, 1.5::DECIMAL(18,1) AS amount,"
                        + " TIMESTAMPTZ '2026-11-04 00:00:00+00' AS at, true AS flag");
        versions.add(
                t.newAppend()
                        .addFile(t.dataFile(wide, Map.of("day", "2026-11-04", "region", "eu")))
                        .evolveSchema()
                        .commit()
                        .version());
        assertTrue(
                Files.exists(
                        data.root()
                                .resolve(
                                        "processed/events/_delta_log/00000000000000000006.checkpoint.parquet")));
        assertTrue(
                Files.exists(
                        data.root()
                                .resolve(
                                        "processed/events/_delta_log/00000000000000000009.checkpoint.parquet")));
        assertFalse(t.snapshot().files().isEmpty());
        assertKernelAgrees(t, versions);
        // the null partition reads as null through Kernel too
        assertTrue(
                KernelReader.read(data.root().resolve(t.keyPrefix()), 3L).rows().stream()
                        .anyMatch(r -> r.contains("region=null")));
    }

    @Test
    void timestampIntegerAndBooleanPartitionColumns() throws Exception {
        Schema schema =
                Schema.of(
                        Field.of("id", DataType.LONG),
                        Field.of("name", DataType.STRING),
                        Field.of("amount", DataType.decimal(18, 1)),
                        Field.of("hour", DataType.TIMESTAMP),
                        Field.of("n", DataType.INT),
                        Field.of("ok", DataType.BOOLEAN));
        Table t = tables.create("processed/typed", schema, "hour", "n", "ok");
        List<Long> versions = new ArrayList<>(List.of(0L));
        String[][] parts = {
            {"2026-11-21 05:30:00.123456", "7", "true"},
            {"2026-11-21T06:00:00+01:00", "-3", "FALSE"},
            {"2026-11-21 07:00:00", null, "true"}
        };
        int n = 0;
        for (String[] p : parts) {
            String rel = "p" + n + "/part.parquet";
            Map<String, String> pv = new HashMap<>();
            pv.put("hour", p[0]);
            pv.put("n", p[1]);
            pv.put("ok", p[2]);
            versions.add(
                    t.newAppend()
                            .addFile(data.file(t, rel, n * 10, n * 10 + 3, pv))
                            .commit()
                            .version());
            n++;
        }
        assertEquals(
                List.of(
                        "2026-11-21T05:00:00.000000Z",
                        "2026-11-21T05:30:00.123456Z",
                        "2026-11-21T07:00:00.000000Z"),
                t.snapshot().files().stream()
                        .map(f -> f.partitionValues().get("hour"))
                        .sorted()
                        .toList());
        Path tableDir = data.root().resolve(t.keyPrefix());
        KernelReader.Result k = KernelReader.read(tableDir, null);
        assertTrue(
                k.rows()
                        .contains(
                                "id=0,name=n0,amount=0,hour=2026-11-21T05:30:00.123456Z,n=7,ok=true"),
                k.rows().toString());
        assertTrue(
                k.rows()
                        .contains(
                                "id=10,name=n10,amount=15,hour=2026-11-21T05:00:00Z,n=-3,ok=false"),
                k.rows().toString());
        assertTrue(
                k.rows()
                        .contains(
                                "id=20,name=n20,amount=30,hour=2026-11-21T07:00:00Z,n=null,ok=true"),
                k.rows().toString());
        assertEquals(9, k.rows().size());
    }

    @Test
    void tarnReadsACheckpointWrittenByDeltaKernel() throws Exception {
        Schema schema =
                Schema.of(
                        Field.of("id", DataType.LONG),
                        Field.of("name", DataType.STRING),
                        Field.of("amount", DataType.decimal(18, 1)),
                        Field.of("day", DataType.DATE));
        Table t = tables.create("processed/foreign", schema, "day");
        for (int i = 0; i < 6; i++) {
            t.newAppend()
                    .addFile(
                            data.file(
                                    t,
                                    "day=2026-11-0" + (1 + i % 3) + "/f" + i + ".parquet",
                                    i * 10,
                                    i * 10 + 4,
                                    Map.of("day", "2026-11-0" + (1 + i % 3))))
                    .commit();
        }
        t.newDelete().deleteFile("day=2026-11-01/f0.parquet").commit();
        List<String> expected = data.rowsOf(t, t.snapshot());
        Path tableDir = data.root().resolve(t.keyPrefix());
        // Kernel writes its own checkpoint of version 7 (Tarn wrote none: the interval is 10)
        io.delta.kernel.defaults.engine.DefaultEngine engine =
                io.delta.kernel.defaults.engine.DefaultEngine.create(
                        new org.apache.hadoop.conf.Configuration());
        io.delta.kernel.Table.forPath(engine, tableDir.toString()).checkpoint(engine, 7);
        assertTrue(
                Files.exists(
                        tableDir.resolve("_delta_log/00000000000000000007.checkpoint.parquet")));
        assertTrue(
                Files.readString(tableDir.resolve("_delta_log/_last_checkpoint"))
                        .contains("\"version\":7"));
        // hide the commits before it so that only Kernel's checkpoint can give the state (the
        // protocol's metadata
        // cleanup keeps the entry of the checkpoint's own version, so a reader may require it)
        for (int v = 0; v < 7; v++) {
            Files.move(
                    tableDir.resolve(String.format("_delta_log/%020d.json", v)),
                    dir.resolve(String.format("%020d.json", v)));
        }
        try (Lake other = Lake.open(dir.resolve("lake"))) {
            Table t2 = Tables.of(other).load("processed/foreign");
            Snapshot s = t2.snapshot();
            assertEquals(7, s.version());
            assertEquals(schema, s.schema());
            assertEquals(List.of("day"), s.partitionColumns());
            assertEquals(5, s.files().size());
            assertEquals(20, s.recordCount());
            assertEquals(expected, data.rowsOf(t2, s));
            // and writes on top of it
            for (int v = 0; v < 7; v++) {
                Files.move(
                        dir.resolve(String.format("%020d.json", v)),
                        tableDir.resolve(String.format("_delta_log/%020d.json", v)));
            }
            t2.newAppend()
                    .addFile(
                            data.file(
                                    t2,
                                    "day=2026-11-09/g.parquet",
                                    900,
                                    901,
                                    Map.of("day", "2026-11-09")))
                    .commit();
            assertEquals(8, t2.snapshot().version());
        }
        assertKernelAgrees(t, List.of(6L, 7L, 8L));
    }
}
