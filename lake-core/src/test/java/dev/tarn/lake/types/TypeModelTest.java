package dev.tarn.lake.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TypeModelTest {

    @Test
    void sqlSpellingOfEveryShape() {
        DataType t =
                DataType.struct(
                        Field.of("geo city", DataType.STRING),
                        Field.required("n", DataType.LONG),
                        Field.of("tags", DataType.list(DataType.STRING)),
                        Field.of("m", DataType.map(DataType.STRING, DataType.decimal(10, 2))),
                        Field.of("at", DataType.TIMESTAMP_NTZ),
                        Field.of("Z", DataType.TIMESTAMP));
        assertEquals(
                "STRUCT(\"geo city\" VARCHAR, n BIGINT NOT NULL, tags VARCHAR[], m MAP(VARCHAR, DECIMAL(10,2)),"
                        + " at TIMESTAMP, \"Z\" TIMESTAMP WITH TIME ZONE)",
                t.sql());
    }

    @Test
    void duckDbSpellingsParseBackToTheSameType() {
        for (DataType t :
                List.of(
                        DataType.BOOLEAN,
                        DataType.BYTE,
                        DataType.SHORT,
                        DataType.INT,
                        DataType.LONG,
                        DataType.FLOAT,
                        DataType.DOUBLE,
                        DataType.STRING,
                        DataType.BINARY,
                        DataType.DATE,
                        DataType.TIMESTAMP,
                        DataType.TIMESTAMP_NTZ,
                        DataType.decimal(38, 9),
                        DataType.list(DataType.list(DataType.INT)),
                        DataType.map(DataType.STRING, DataType.list(DataType.DOUBLE)),
                        DataType.struct(
                                Field.of(
                                        "a \"b\"",
                                        DataType.struct(Field.of("x", DataType.DATE)))))) {
            assertEquals(t, DuckDbTypes.parse(t.sql()), t.sql());
        }
    }

    @Test
    void duckDbTypesWithoutCounterpartMapToTypesThatHoldTheirValues() {
        assertEquals(DataType.decimal(38, 0), DuckDbTypes.parse("HUGEINT"));
        assertEquals(DataType.decimal(20, 0), DuckDbTypes.parse("UBIGINT"));
        assertEquals(DataType.LONG, DuckDbTypes.parse("UINTEGER"));
        assertEquals(DataType.STRING, DuckDbTypes.parse("UUID"));
        assertEquals(DataType.STRING, DuckDbTypes.parse("ENUM('a', 'b(c')"));
        assertEquals(DataType.TIMESTAMP_NTZ, DuckDbTypes.parse("TIMESTAMP_NS"));
        assertEquals(DataType.TIMESTAMP, DuckDbTypes.parse("timestamp with time zone"));
        assertEquals(DataType.list(DataType.INT), DuckDbTypes.parse("INTEGER[3]"));
        assertEquals(
                DataType.struct(Field.of("v", DataType.decimal(38, 0))),
                DuckDbTypes.parse("STRUCT(v HUGEINT)"));
        assertFalse(DuckDbTypes.isExact("HUGEINT"));
        assertTrue(DuckDbTypes.isExact("BIGINT"));
        assertTrue(
                DuckDbTypes.isExact("STRUCT(mag DOUBLE, \"time\" BIGINT)"),
                "a keyword quoted by DuckDB");
        assertFalse(DuckDbTypes.isExact("STRUCT(\"time\" HUGEINT)"));
        assertThrows(IllegalArgumentException.class, () -> DuckDbTypes.parse("GEOMETRY"));
        assertThrows(IllegalArgumentException.class, () -> DuckDbTypes.parse("STRUCT(a INTEGER"));
    }

    @Test
    void schemaNamesAreUniqueRegardlessOfCaseAndFoundInAnyCase() {
        Schema s = Schema.of(Field.of("ID", DataType.LONG), Field.of("Name", DataType.STRING));
        assertEquals("ID", s.field("id").orElseThrow().name());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Schema.of(
                                        Field.of("id", DataType.LONG),
                                        Field.of("ID", DataType.LONG)));
        assertTrue(e.getMessage().contains("differ only in case"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        Schema.of(
                                Field.of(
                                        "s",
                                        DataType.struct(
                                                Field.of("a", DataType.INT),
                                                Field.of("A", DataType.INT)))));
    }

    @Test
    void wideningFollowsDeltasTypeWideningSet() {
        assertTrue(TypeWidening.isWidening(DataType.INT, DataType.LONG));
        assertTrue(TypeWidening.isWidening(DataType.INT, DataType.DOUBLE));
        assertTrue(TypeWidening.isWidening(DataType.FLOAT, DataType.DOUBLE));
        assertTrue(TypeWidening.isWidening(DataType.DATE, DataType.TIMESTAMP_NTZ));
        assertTrue(TypeWidening.isWidening(DataType.LONG, DataType.decimal(20, 0)));
        assertFalse(TypeWidening.isWidening(DataType.LONG, DataType.decimal(19, 0)));
        assertTrue(TypeWidening.isWidening(DataType.decimal(10, 1), DataType.decimal(12, 3)));
        assertFalse(TypeWidening.isWidening(DataType.decimal(10, 1), DataType.decimal(11, 3)));
        assertFalse(TypeWidening.isWidening(DataType.LONG, DataType.DOUBLE));
        assertFalse(TypeWidening.isWidening(DataType.LONG, DataType.INT));
        assertFalse(TypeWidening.isWidening(DataType.DATE, DataType.TIMESTAMP));
        assertFalse(TypeWidening.isWidening(DataType.INT, DataType.STRING));
        assertEquals(DataType.LONG, TypeWidening.common(DataType.LONG, DataType.INT).orElseThrow());
        assertEquals(
                DataType.DOUBLE, TypeWidening.common(DataType.INT, DataType.FLOAT).orElseThrow());
        assertEquals(
                DataType.decimal(22, 2),
                TypeWidening.common(DataType.LONG, DataType.decimal(5, 2)).orElseThrow());
        assertTrue(TypeWidening.common(DataType.LONG, DataType.DOUBLE).isEmpty());
        assertTrue(TypeWidening.common(DataType.STRING, DataType.INT).isEmpty());
    }

    @Test
    void evolutionMatchesColumnsRegardlessOfCaseAndKeepsTheFirstSpelling() {
        Schema table = Schema.of(Field.of("ID", DataType.INT), Field.of("Name", DataType.STRING));
        Schema file =
                Schema.of(
                        Field.of("id", DataType.LONG),
                        Field.of("name", DataType.STRING),
                        Field.of("score", DataType.DOUBLE));

        SchemaEvolution.Result strict =
                SchemaEvolution.evolve(table, file, SchemaPolicy.STRICT, "file b.csv");
        assertEquals(table, strict.schema());
        assertEquals(
                List.of("ID", "score"),
                strict.conflicts().stream().map(SchemaEvolution.Conflict::column).toList());

        SchemaEvolution.Result add =
                SchemaEvolution.evolve(table, file, SchemaPolicy.ADD_COLUMNS, "file b.csv");
        assertEquals(List.of("ID", "Name", "score"), add.schema().columnNames());
        assertEquals(DataType.INT, add.schema().field("id").orElseThrow().type());
        assertEquals(1, add.conflicts().size());
        assertTrue(
                add.conflicts().get(0).reason().contains("WIDEN"), add.conflicts().get(0).reason());

        SchemaEvolution.Result widen =
                SchemaEvolution.evolve(table, file, SchemaPolicy.WIDEN, "file b.csv");
        assertEquals(
                Schema.of(
                        Field.of("ID", DataType.LONG),
                        Field.of("Name", DataType.STRING),
                        Field.of("score", DataType.DOUBLE)),
                widen.schema());
        assertTrue(widen.conflicts().isEmpty());
        assertTrue(widen.widened());
    }

    @Test
    void narrowerIncomingValuesFitWithoutAChange() {
        Schema table =
                Schema.of(Field.of("n", DataType.LONG), Field.of("d", DataType.TIMESTAMP_NTZ));
        Schema file = Schema.of(Field.of("n", DataType.INT), Field.of("d", DataType.DATE));
        SchemaEvolution.Result r =
                SchemaEvolution.evolve(table, file, SchemaPolicy.STRICT, "file a.json");
        assertEquals(table, r.schema());
        assertTrue(r.changes().isEmpty());
        assertTrue(r.conflicts().isEmpty());
    }

    @Test
    void nestedStructsListsAndMapsEvolveInside() {
        Schema table =
                Schema.of(
                        Field.of("geo", DataType.struct(Field.of("lat", DataType.INT))),
                        Field.of("xs", DataType.list(DataType.INT)));
        Schema file =
                Schema.of(
                        Field.of(
                                "GEO",
                                DataType.struct(
                                        Field.of("lat", DataType.DOUBLE),
                                        Field.of("lon", DataType.DOUBLE))),
                        Field.of("xs", DataType.list(DataType.LONG)));
        SchemaEvolution.Result r =
                SchemaEvolution.evolve(table, file, SchemaPolicy.WIDEN, "file c.json");
        assertEquals(
                Schema.of(
                        Field.of(
                                "geo",
                                DataType.struct(
                                        Field.of("lat", DataType.DOUBLE),
                                        Field.of("lon", DataType.DOUBLE))),
                        Field.of("xs", DataType.list(DataType.LONG))),
                r.schema());
        assertEquals(
                List.of("geo.lat", "geo.lon", "xs[]"),
                r.changes().stream().map(SchemaChange::column).toList());
    }
}
