package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.table.RowPredicate;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.testing.TarnExtension;
import dev.tarn.lake.testing.TempLake;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code "zone"."table@+A..B"}: the rows that the commits after version A up to B appended, what an
 * incremental step or sink reads.
 */
@ExtendWith(TarnExtension.class)
class SqlAddedRowsTest {
    @TempLake Lake lake;
    Sql sql;
    final DatasetId orders = DatasetId.parse("processed/orders");

    @BeforeEach
    void setUp() {
        sql = Sql.of(lake);
        // version 0: the table with rows 1..3
        sql.saveAsTable("SELECT * FROM range(1, 4) t(id)", orders);
    }

    List<Long> ids(String relation) {
        List<Long> out = new ArrayList<>();
        for (List<Object> row : sql.query("SELECT id FROM " + relation + " ORDER BY id").rows()) {
            out.add(((Number) row.get(0)).longValue());
        }
        return out;
    }

    long version() {
        return Tables.of(lake).load(orders).snapshot().version();
    }

    @Test
    void theRowsOfEachAppendAndNothingElse() {
        long v0 = version();
        sql.insertInto("SELECT * FROM range(10, 12) t(id)", orders);
        long v1 = version();
        sql.insertInto("SELECT * FROM range(20, 21) t(id)", orders);
        long v2 = version();

        assertEquals(List.of(10L, 11L, 20L), ids(Sql.relationAdded(orders, v0, v2)));
        assertEquals(List.of(20L), ids(Sql.relationAdded(orders, v1, v2)));
        assertEquals(List.of(10L, 11L), ids(Sql.relationAdded(orders, v0, v1)));
        assertEquals(List.of(), ids(Sql.relationAdded(orders, v2, v2)));
        assertEquals(List.of(1L, 2L, 3L, 10L, 11L, 20L), ids(Sql.relationAdded(orders, -1, v2)));
    }

    @Test
    void aCompactionAddsNoRowsAndKeepsTheAppendedOnesReadable() {
        long v0 = version();
        sql.insertInto("SELECT * FROM range(10, 12) t(id)", orders);
        sql.insertInto("SELECT * FROM range(20, 22) t(id)", orders);
        Table t = Tables.of(lake).load(orders);
        t.newCompaction().commit();
        long compacted = version();
        assertTrue(
                t.history(1).get(0).operation().toUpperCase().contains("OPTIMIZE")
                        || t.history(1).get(0).operation().toLowerCase().contains("compact"),
                t.history(1).get(0).operation());

        assertEquals(List.of(), ids(Sql.relationAdded(orders, compacted - 1, compacted)));
        // the appended files were removed by the compaction, but what they appended is still read
        assertEquals(List.of(10L, 11L, 20L, 21L), ids(Sql.relationAdded(orders, v0, compacted)));
    }

    @Test
    void aRowDeleteOrAnOverwriteAppendsNothing() {
        sql.insertInto("SELECT * FROM range(10, 13) t(id)", orders);
        long before = version();
        Tables.of(lake).load(orders).newRowDelete().rows(RowPredicate.eq("id", 11L)).commit();
        long deleted = version();
        // the delete rewrote the file with 10 and 12 in it: no new rows for an append-only reader
        assertEquals(List.of(), ids(Sql.relationAdded(orders, before, deleted)));
        sql.insertInto("SELECT * FROM range(30, 31) t(id)", orders);
        assertEquals(List.of(30L), ids(Sql.relationAdded(orders, before, version())));
        assertEquals(List.of(1L, 2L, 3L, 10L, 12L, 30L), ids(Sql.relation(orders)));
    }

    @Test
    void aVersionNotYetCommittedOrABackwardRangeIsAClearError() {
        long v = version();
        QueryException e =
                assertThrows(
                        QueryException.class,
                        () ->
                                sql.query(
                                        "SELECT * FROM \"processed\".\"orders@+0.."
                                                + (v + 5)
                                                + "\""));
        assertTrue(e.getMessage().contains("no version " + (v + 5)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sql.relationAdded(orders, 3, 2));
        QueryException back =
                assertThrows(
                        QueryException.class,
                        () -> sql.query("SELECT * FROM \"processed\".\"orders@+3..1\""));
        assertTrue(back.getMessage().contains("not a range"), back.getMessage());
    }
}
