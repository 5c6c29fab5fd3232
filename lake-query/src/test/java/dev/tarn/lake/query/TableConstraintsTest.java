package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.ConstraintViolationException;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.table.Constraint;
import dev.tarn.lake.table.Snapshot;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.testing.TarnExtension;
import dev.tarn.lake.testing.TempLake;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Delta constraints on every Tarn write path: CHECK constraints added through {@code
 * updateConstraints()} (checked against the rows already there), NOT NULL columns declared in the
 * schema, and the refusal of a write whose rows break one — with the code, the constraint, its
 * expression, a count and an example row, and the table exactly as it was.
 */
@ExtendWith(TarnExtension.class)
class TableConstraintsTest {
    @TempLake Lake lake;
    Path root;
    Connection writer;
    Sql sql;
    Tables tables;

    static final DatasetId ORDERS = DatasetId.parse("processed/orders");

    @BeforeEach
    void setUp() throws Exception {
        root = Path.of(URI.create(lake.location()));
        writer = DriverManager.getConnection("jdbc:duckdb:");
        sql = Sql.of(lake);
        tables = Tables.of(lake);
    }

    @AfterEach
    void tearDown() throws Exception {
        writer.close();
    }

    private Table orders() {
        sql.saveAsTable(
                "SELECT * FROM (VALUES (1, 'u1', 9.5::DOUBLE, 'view'), (2, 'u2', 12.0::DOUBLE,"
                        + " 'click'), (3, 'u3', 0.5::DOUBLE, 'purchase')) t(id, user_id, price,"
                        + " event_type)",
                ORDERS);
        return tables.load(ORDERS);
    }

    private String parquet(Table t, String rel, String select) throws Exception {
        Path file = root.resolve(t.keyPrefix()).resolve(rel);
        Files.createDirectories(file.getParent());
        try (Statement s = writer.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + file + "' (FORMAT PARQUET)");
        }
        return rel;
    }

    @Test
    void aCheckConstraintRefusesAViolatingInsertAndTheTableStaysAsItWas() {
        Table t = orders();
        t.updateConstraints().add("Positive_Price", "price > 0").commit();
        Snapshot before = t.snapshot();
        assertEquals("price > 0", before.properties().get("delta.constraints.positive_price"));
        assertEquals(3, before.minWriterVersion(), "CHECK constraints take writer version 3");
        assertEquals(1, before.minReaderVersion(), "readers are not affected");
        assertEquals(
                List.of(new Constraint("positive_price", Constraint.Kind.CHECK, null, "price > 0")),
                before.constraints());

        ConstraintViolationException e =
                assertThrows(
                        ConstraintViolationException.class,
                        () ->
                                sql.insertInto(
                                        "SELECT * FROM (VALUES (4, 'u4', 3.0::DOUBLE, 'view'),"
                                                + " (5, 'u5', -2.5, 'click'), (6, 'u6', NULL, 'view'))"
                                                + " t(id, user_id, price, event_type)",
                                        ORDERS));
        assertEquals(ErrorCode.CONSTRAINT_VIOLATED, e.errorCode());
        assertEquals("positive_price", e.constraint());
        assertEquals("price > 0", e.expression());
        assertEquals(2, e.rows(), "a negative price and a null one (null breaks it, as in Delta)");
        assertTrue(
                e.getMessage().contains("CHECK constraint positive_price (price > 0)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("2 rows"), e.getMessage());
        assertTrue(
                e.getMessage().matches("(?s).*e\\.g\\. \\{id=[56], user_id=u[56].*"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("nothing was committed"), e.getMessage());

        Snapshot after = t.snapshot();
        assertEquals(before.version(), after.version());
        assertEquals(
                3,
                sql.query("SELECT count(*) FROM processed.orders").rows().get(0).get(0)
                                instanceof Number n
                        ? n.intValue()
                        : -1);

        sql.insertInto(
                "SELECT 7 AS id, 'u7' AS user_id, 1.25::DOUBLE AS price, 'view' AS event_type",
                ORDERS);
        assertEquals(before.version() + 1, t.snapshot().version());
        assertEquals(
                4L,
                ((Number) sql.query("SELECT count(*) FROM processed.orders").rows().get(0).get(0))
                        .longValue());
    }

    @Test
    void addingAConstraintThatRowsAlreadyBreakIsRefusedAndDroppingOneLiftsIt() {
        Table t = orders();
        long v = t.snapshot().version();
        ConstraintViolationException e =
                assertThrows(
                        ConstraintViolationException.class,
                        () -> t.updateConstraints().add("cheap", "price < 10").commit());
        assertEquals(1, e.rows(), "the 12.0 order");
        assertTrue(e.getMessage().contains("user_id=u2"), e.getMessage());
        assertEquals(v, t.snapshot().version());
        assertTrue(t.snapshot().constraints().isEmpty());
        // apply() previews the same check without committing
        assertThrows(
                ConstraintViolationException.class,
                () -> t.updateConstraints().add("cheap", "price < 10").apply());

        t.updateConstraints()
                .add("known_event", "`event_type` IN (\"view\", \"click\", \"purchase\")")
                .commit();
        assertThrows(
                ConstraintViolationException.class,
                () ->
                        sql.insertInto(
                                "SELECT 8 AS id, 'u8' AS user_id, 1.0::DOUBLE AS price, 'hover' AS event_type",
                                ORDERS));
        TarnException twice =
                assertThrows(
                        TarnException.class,
                        () -> t.updateConstraints().add("KNOWN_EVENT", "true").commit());
        assertEquals(ErrorCode.ALREADY_EXISTS, twice.errorCode());

        t.updateConstraints().drop("known_event").commit();
        sql.insertInto(
                "SELECT 8 AS id, 'u8' AS user_id, 1.0::DOUBLE AS price, 'hover' AS event_type",
                ORDERS);
        assertEquals(4, t.snapshot().recordCount());
        assertEquals(
                ErrorCode.NOT_FOUND,
                assertThrows(TarnException.class, () -> t.updateConstraints().drop("nope").commit())
                        .errorCode());
        assertEquals(
                ErrorCode.INVALID_NAME,
                assertThrows(TarnException.class, () -> t.updateConstraints().add("a-b", "true"))
                        .errorCode());
    }

    @Test
    void rowDeletesAndCompactionsOfAConstrainedTableGoThroughTheCheck() {
        Table t = orders();
        sql.insertInto(
                "SELECT 4 AS id, 'u4' AS user_id, 2.0::DOUBLE AS price, 'view' AS event_type",
                ORDERS);
        t.updateConstraints().add("positive_price", "price > 0").commit();
        long v = t.snapshot().version();
        // the rewritten file holds rows that keep the constraint: committed
        t.newRowDelete().rows(dev.tarn.lake.table.RowPredicate.eq("id", 2)).commit();
        assertEquals(v + 1, t.snapshot().version());
        assertEquals(3, t.snapshot().recordCount());
        t.newCompaction().commit();
        assertEquals(3, t.snapshot().recordCount());
        assertEquals(
                List.of(List.of(1), List.of(3), List.of(4)),
                sql.query("SELECT id FROM processed.orders ORDER BY id").rows());
    }

    @Test
    void anExpressionMayReadOnlyTheRowsOwnColumns() throws Exception {
        Table t = orders();
        Files.writeString(root.resolve("secret.csv"), "x\n1\n");
        for (String bad :
                List.of(
                        "price > (SELECT max(price) FROM processed.orders)",
                        "price > (SELECT count(*) FROM read_csv('"
                                + root.resolve("secret.csv")
                                + "'))",
                        "true) IS NOT TRUE OR (SELECT 1 FROM read_csv('/etc/passwd')) = 1 OR (true")) {
            TarnException e =
                    assertThrows(
                            TarnException.class,
                            () -> t.updateConstraints().add("sneaky", bad).commit(),
                            bad);
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.errorCode(), e.getMessage());
        }
        assertTrue(t.snapshot().constraints().isEmpty());
    }

    @Test
    void notNullColumnsAreEnforcedOnAppendsConvertsAndOverwrites() throws Exception {
        Table t =
                tables.create(
                        DatasetId.parse("processed/users"),
                        Schema.of(
                                Field.required("user_id", DataType.LONG),
                                Field.of("name", DataType.STRING)),
                        List.of());
        String ok = parquet(t, "ok.parquet", "SELECT 1::BIGINT AS user_id, 'ann' AS name");
        t.newAppend().addFile(t.dataFile(ok, Map.of())).commit();
        String bad =
                parquet(
                        t,
                        "bad.parquet",
                        "SELECT * FROM (VALUES (2::BIGINT, 'bo'), (NULL, 'cy'), (NULL, 'di')) v(user_id, name)");
        ConstraintViolationException e =
                assertThrows(
                        ConstraintViolationException.class,
                        () -> t.newAppend().addFile(t.dataFile(bad, Map.of())).commit());
        assertEquals(2, e.rows());
        assertEquals("user_id", e.constraint());
        assertTrue(e.getMessage().contains("NOT NULL column user_id"), e.getMessage());
        assertTrue(e.getMessage().contains("user_id=null"), e.getMessage());
        assertThrows(
                ConstraintViolationException.class,
                () -> t.newOverwrite().addFile(t.dataFile(bad, Map.of())).commit());
        assertEquals(1, t.snapshot().recordCount());

        // a conversion into a table with a NOT NULL column: a record that lacks it is bad input,
        // quarantined with its reason; the table gets the others and still no null
        StringBuilder users = new StringBuilder();
        for (int i = 10; i < 30; i++) {
            users.append("{\"user_id\": ")
                    .append(i)
                    .append(", \"name\": \"n")
                    .append(i)
                    .append("\"}\n");
        }
        users.append("{\"name\": \"nobody\"}\n");
        lake.ingest("raw/users")
                .bytes(users.toString().getBytes(StandardCharsets.UTF_8), "users.ndjson")
                .commit();
        tables.newConvert("raw/users", "processed/users").commit();
        assertEquals(21, t.snapshot().recordCount());
        assertEquals(
                0L,
                ((Number)
                                sql.query(
                                                "SELECT count(*) FROM processed.users WHERE user_id IS NULL")
                                        .rows()
                                        .get(0)
                                        .get(0))
                        .longValue());
    }

    @Test
    void aColumnInvariantIsEnforcedAsDeltaWritersDo() throws Exception {
        // delta.invariants, as other engines write it: a JSON string in the column's metadata
        Table t =
                tables.create(
                        DatasetId.parse("processed/levels"),
                        Schema.of(
                                Field.of("n", DataType.LONG)
                                        .withMetadata(
                                                Map.of(
                                                        "delta.invariants",
                                                        "{\"expression\": {\"expression\": \"n > 3\"}}")),
                                Field.of("label", DataType.STRING)),
                        List.of());
        assertEquals(
                List.of(new Constraint("n", Constraint.Kind.INVARIANT, "n", "n > 3")),
                t.snapshot().constraints());
        String bad =
                parquet(
                        t,
                        "bad.parquet",
                        "SELECT * FROM (VALUES (5::BIGINT, 'ok'), (2::BIGINT, 'low')) v(n, label)");
        ConstraintViolationException e =
                assertThrows(
                        ConstraintViolationException.class,
                        () -> t.newAppend().addFile(t.dataFile(bad, Map.of())).commit());
        assertTrue(
                e.getMessage()
                        .contains(
                                "1 row of the 1 new file breaks invariant of column n (n > 3), e.g. {n=2,"
                                        + " label=low}"),
                e.getMessage());
        String ok = parquet(t, "ok.parquet", "SELECT 9::BIGINT AS n, 'high' AS label");
        t.newAppend().addFile(t.dataFile(ok, Map.of())).commit();
        assertEquals(1, t.snapshot().recordCount());
    }

    @Test
    void aTableCreatedWithAConstraintChecksItsFirstFiles() throws Exception {
        lake.ingest("raw/clicks")
                .bytes(
                        ("{\"event_type\": \"view\", \"price\": 1}\n"
                                        + "{\"event_type\": \"click\", \"price\": -4}\n")
                                .getBytes(StandardCharsets.UTF_8),
                        "clicks.ndjson")
                .commit();
        tables.newCreate("processed/clicks")
                .schema(
                        Schema.of(
                                Field.of("event_type", DataType.STRING),
                                Field.of("price", DataType.LONG)))
                .constraint("non_negative", "price >= 0")
                .commit();
        Table t = tables.load("processed/clicks");
        assertEquals(3, t.snapshot().minWriterVersion());
        ConstraintViolationException e =
                assertThrows(
                        ConstraintViolationException.class,
                        () -> tables.newConvert("raw/clicks", "processed/clicks").commit());
        assertEquals("non_negative", e.constraint());
        assertEquals(0, t.snapshot().files().size());
    }
}
