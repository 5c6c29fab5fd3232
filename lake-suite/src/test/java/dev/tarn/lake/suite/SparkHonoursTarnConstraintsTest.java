package dev.tarn.lake.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.ConstraintViolationException;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The constraints Tarn writes are Delta's own, so Spark with delta-spark honours them: a CHECK
 * constraint Tarn added and a NOT NULL column Tarn declared refuse Spark's violating appends and
 * let its valid ones through; Tarn then reads what Spark appended and goes on enforcing. One Spark
 * JVM does all four appends (a start costs about 20 s).
 */
class SparkHonoursTarnConstraintsTest {
    private static final DatasetId ORDERS = DatasetId.parse("processed/orders");
    private static final DatasetId USERS = DatasetId.parse("processed/users");

    @TempDir Path tmp;

    private Lake open(Path root) {
        return Lake.builder().location(root).createIfMissing(true).open();
    }

    @Test
    void sparkRefusesAppendsThatBreakTarnsConstraintsAndAcceptsValidOnes() throws Exception {
        Path root = tmp.resolve("lake");
        try (Lake lake = open(root)) {
            Sql.of(lake)
                    .saveAsTable(
                            "SELECT * FROM (VALUES (1, 'u1', 9.5::DOUBLE), (2, 'u2', 3.0::DOUBLE))"
                                    + " t(id, user_id, price)",
                            ORDERS);
            Tables.of(lake)
                    .load(ORDERS)
                    .updateConstraints()
                    .add("positive_price", "price > 0")
                    .commit();
            Tables.of(lake)
                    .create(
                            USERS,
                            Schema.of(
                                    Field.required("user_id", DataType.LONG),
                                    Field.of("name", DataType.STRING)),
                            List.of());
        }
        String orders = root.resolve("processed/orders").toString();
        String users = root.resolve("processed/users").toString();
        List<String> out =
                Spark.append(
                        List.of(
                                orders,
                                "SELECT CAST(3 AS INT) AS id, 'u3' AS user_id, CAST(-1.5 AS DOUBLE) AS price",
                                orders,
                                "SELECT CAST(4 AS INT) AS id, 'u4' AS user_id, CAST(2.5 AS DOUBLE) AS price",
                                users,
                                "SELECT CAST(NULL AS BIGINT) AS user_id, 'nobody' AS name",
                                users,
                                "SELECT CAST(7 AS BIGINT) AS user_id, 'ann' AS name"),
                        tmp);
        assertEquals(4, out.size(), String.valueOf(out));
        assertTrue(
                out.get(0).startsWith("refused") && out.get(0).contains("positive_price"),
                out.get(0));
        assertEquals("appended", out.get(1));
        assertTrue(out.get(2).startsWith("refused") && out.get(2).contains("user_id"), out.get(2));
        assertEquals("appended", out.get(3));

        try (Lake lake = open(root)) {
            Sql sql = Sql.of(lake);
            assertEquals(
                    List.of(List.of(1), List.of(2), List.of(4)),
                    sql.query("SELECT id FROM processed.orders ORDER BY id").rows());
            assertEquals(
                    List.of(List.of(7L)), sql.query("SELECT user_id FROM processed.users").rows());
            // Tarn goes on enforcing the constraint on the version Spark wrote
            assertThrows(
                    ConstraintViolationException.class,
                    () ->
                            sql.insertInto(
                                    "SELECT 5 AS id, 'u5' AS user_id, -3.0::DOUBLE AS price",
                                    ORDERS));
        }
    }
}
