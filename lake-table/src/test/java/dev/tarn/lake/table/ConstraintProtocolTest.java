package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.exceptions.ConstraintViolationException;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Constraints in lake-table alone, with no SQL engine on the class path (lake-table's tests do not
 * depend on lake-query): NOT NULL is still enforced from the files' null counts, a table with CHECK
 * constraints is not written (fail closed, naming lake-query), and the protocol takes the
 * constraints' writer version or feature.
 */
class ConstraintProtocolTest extends TableFixture {

    @Test
    void withoutAConstraintCheckerNotNullStillHoldsAndCheckConstraintsFailClosed() {
        assertTrue(ConstraintChecker.find().isEmpty(), "lake-table's tests have no checker");
        Table t =
                tables.newCreate("processed/users")
                        .schema(
                                Schema.of(
                                        Field.required("user_id", DataType.LONG),
                                        Field.of("name", DataType.STRING)))
                        .commit();
        String bad =
                data.write(
                        t,
                        "bad.parquet",
                        "SELECT * FROM (VALUES (1::BIGINT, 'a'), (NULL, 'b')) v(user_id, name)");
        ConstraintViolationException e =
                assertThrows(
                        ConstraintViolationException.class,
                        () -> t.newAppend().addFile(t.dataFile(bad, Map.of())).commit());
        assertEquals(1, e.rows());
        assertEquals("user_id", e.constraint());
        assertEquals(
                "write to table processed/users refused: 1 row of the 1 new file breaks NOT NULL"
                        + " column user_id; nothing was committed",
                e.getMessage());
        // a file without the column: every row is null in it
        String lacking = data.write(t, "lacking.parquet", "SELECT 'c' AS name");
        assertThrows(
                TarnException.class,
                () -> t.newAppend().addFile(t.dataFile(lacking, Map.of())).commit());
        String ok = data.write(t, "ok.parquet", "SELECT 2::BIGINT AS user_id, 'c' AS name");
        t.newAppend().addFile(t.dataFile(ok, Map.of())).commit();
        assertEquals(1, t.snapshot().recordCount());

        Table c =
                tables.newCreate("processed/prices")
                        .schema(Schema.of(Field.of("price", DataType.DOUBLE)))
                        .constraint("Positive", "price > 0")
                        .commit();
        assertEquals("price > 0", c.snapshot().properties().get("delta.constraints.positive"));
        assertEquals(1, c.snapshot().minReaderVersion());
        assertEquals(3, c.snapshot().minWriterVersion());
        String p = data.write(c, "p.parquet", "SELECT 1.5::DOUBLE AS price");
        TarnException closed =
                assertThrows(
                        TarnException.class,
                        () -> c.newAppend().addFile(c.dataFile(p, Map.of())).commit());
        assertEquals(ErrorCode.UNSUPPORTED_OPERATION, closed.errorCode());
        assertTrue(closed.getMessage().contains("lake-query"), closed.getMessage());
        assertEquals(0, c.snapshot().files().size());
    }

    @Test
    void constraintsTakeWriterVersionThreeOrTheFeatureAtSeven() throws Exception {
        // a table without features: 1/2 -> 1/3
        Table plain = tables.create("processed/plain", Schema.of(Field.of("n", DataType.LONG)));
        plain.updateConstraints().add("small", "n < 10").commit();
        assertEquals(
                List.of(1, 3),
                List.of(plain.snapshot().minReaderVersion(), plain.snapshot().minWriterVersion()));
        assertTrue(plain.history(1).get(0).operation().equals("ADD CONSTRAINT"));
        // a table with a feature (timestamp_ntz): 3/7, checkConstraints named among the writer
        // features, not the reader features
        Table ntz =
                tables.create(
                        "processed/ntz",
                        Schema.of(
                                Field.of("n", DataType.LONG),
                                Field.of("ts", DataType.TIMESTAMP_NTZ)));
        ntz.updateConstraints().add("small", "n < 10").commit();
        Snapshot s = ntz.snapshot();
        assertEquals(List.of(3, 7), List.of(s.minReaderVersion(), s.minWriterVersion()));
        assertTrue(s.writerFeatures().contains("checkConstraints"), s.writerFeatures().toString());
        assertFalse(s.readerFeatures().contains("checkConstraints"), s.readerFeatures().toString());
        String v1 =
                Files.readString(
                        data.root()
                                .resolve(ntz.keyPrefix())
                                .resolve("_delta_log/00000000000000000001.json"));
        assertTrue(v1.contains("\"delta.constraints.small\":\"n < 10\""), v1);
        // dropping keeps the protocol (nothing is ever downgraded)
        ntz.updateConstraints().drop("small").commit();
        assertTrue(ntz.snapshot().constraints().isEmpty());
        assertEquals(7, ntz.snapshot().minWriterVersion());
    }
}
