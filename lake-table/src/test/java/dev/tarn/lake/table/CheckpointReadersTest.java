package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint written by lake-format's row writer (nested structs, the
 * partitionValues/configuration/options maps, the feature and partition-column lists, a null
 * partition value) is read by Delta Kernel, with the commits before it removed so that only the
 * checkpoint can give the state, and by DuckDB as plain Parquet.
 */
class CheckpointReadersTest {
    @TempDir Path dir;

    @Test
    void kernelAndDuckDbReadTheCheckpoint() throws Exception {
        Schema schema =
                Schema.of(
                        Field.of("id", DataType.LONG),
                        Field.of("name", DataType.STRING),
                        Field.of("amount", DataType.decimal(18, 1)),
                        Field.of("region", DataType.STRING));
        try (Lake lake = Lake.open(dir.resolve("lake"));
                TestData data = new TestData(lake)) {
            Table t =
                    Tables.of(lake)
                            .newCreate("processed/cp")
                            .schema(schema)
                            .partitionBy("region")
                            .property("delta.checkpointInterval", "5")
                            .property("team.owner", "ops")
                            .commit();
            String[] regions = {"eu", "us east", null, "eu"};
            for (int i = 0; i < regions.length; i++) {
                String dirName = regions[i] == null ? "__HIVE_DEFAULT_PARTITION__" : regions[i];
                String rel = "region=" + dirName + "/part-" + i + ".parquet";
                data.write(t, rel, TestData.rows(i * 10L, i * 10L + 3));
                Map<String, String> pv = new HashMap<>();
                pv.put("region", regions[i]);
                AppendFiles a = t.newAppend().addFile(t.dataFile(rel, pv));
                if (i == 1) {
                    a.transaction("loader", 42);
                }
                a.commit();
            }
            // a tombstone: version 5 writes the checkpoint
            t.newRowDelete().rows(RowPredicate.eq("id", 1L)).commit();
            Path log = data.root().resolve("processed/cp/_delta_log");
            Path checkpoint = log.resolve("00000000000000000005.checkpoint.parquet");
            assertTrue(Files.exists(checkpoint));
            List<String> expected = data.rowsOf(t, t.snapshot());

            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                    Statement s = duck.createStatement()) {
                String from = " FROM read_parquet('" + checkpoint + "')";
                assertEquals(
                        List.of("1|2|null|null"),
                        query(
                                s,
                                "SELECT protocol.minReaderVersion,"
                                        + " protocol.minWriterVersion, protocol.readerFeatures, protocol.writerFeatures"
                                        + from
                                        + " WHERE protocol IS NOT NULL"));
                assertEquals(
                        List.of("[region]|ops|5|parquet"),
                        query(
                                s,
                                "SELECT metaData.partitionColumns,"
                                        + " metaData.configuration['team.owner'], metaData.configuration['delta.checkpointInterval'],"
                                        + " metaData.format.provider"
                                        + from
                                        + " WHERE metaData IS NOT NULL"));
                assertEquals(
                        List.of("loader|42"),
                        query(
                                s,
                                "SELECT txn.appId, txn.version" + from + " WHERE txn IS NOT NULL"));
                List<String> adds =
                        query(
                                s,
                                "SELECT add.partitionValues['region'], add.dataChange,"
                                        + " add.stats LIKE '{\"numRecords\":%'"
                                        + from
                                        + " WHERE add IS NOT NULL ORDER BY 1 NULLS FIRST");
                assertEquals(4, adds.size(), adds.toString());
                assertEquals("null|false|true", adds.get(0));
                assertEquals("eu|false|true", adds.get(1));
                assertEquals("us east|false|true", adds.get(3));
                assertEquals(
                        List.of("eu|false"),
                        query(
                                s,
                                "SELECT remove.partitionValues['region'],"
                                        + " remove.dataChange"
                                        + from
                                        + " WHERE remove IS NOT NULL"));
            }

            // only the checkpoint can give the state now
            for (int v = 0; v < 5; v++) {
                Files.delete(log.resolve(String.format("%020d.json", v)));
            }
            KernelReader.Result k = KernelReader.read(data.root().resolve("processed/cp"), null);
            assertEquals(5, k.version());
            assertEquals(List.of("region"), k.partitionColumns());
            assertEquals(expected, k.rows());
            try (Lake other = Lake.open(dir.resolve("lake"))) {
                Snapshot s = Tables.of(other).load("processed/cp").snapshot();
                assertEquals(expected, data.rowsOf(t, s));
                assertEquals("ops", s.properties().get("team.owner"));
            }
        }
    }

    private static List<String> query(Statement s, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    row.add(
                            v == null
                                    ? "null"
                                    : v instanceof java.sql.Array a
                                            ? java.util.Arrays.toString((Object[]) a.getArray())
                                            : v.toString());
                }
                out.add(String.join("|", row));
            }
        }
        return out;
    }
}
