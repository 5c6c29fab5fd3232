package dev.tarn.lake.format;

import static dev.tarn.lake.format.Fixtures.q;
import static dev.tarn.lake.format.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.internal.encode.ParquetReadBack;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Avro unions of several non-null types: a struct with one member per branch, at most one set. */
class AvroUnionTest {
    @TempDir Path dir;

    private static final Schema SCHEMA =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"E\","
                                    + "\"namespace\":\"ev\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"int\"},"
                                    + "{\"name\":\"u\",\"type\":[\"null\",\"int\",\"string\"],\"default\":null},"
                                    + "{\"name\":\"shape\",\"type\":["
                                    + "{\"type\":\"record\",\"name\":\"Circle\",\"fields\":[{\"name\":\"r\",\"type\":\"double\"}]},"
                                    + "{\"type\":\"record\",\"name\":\"Square\",\"fields\":[{\"name\":\"side\",\"type\":\"double\"}]}]},"
                                    + "{\"name\":\"p\",\"type\":[\"null\","
                                    + "{\"type\":\"record\",\"name\":\"P\",\"namespace\":\"a\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]},"
                                    + "{\"type\":\"record\",\"name\":\"P\",\"namespace\":\"b\",\"fields\":[{\"name\":\"y\",\"type\":\"int\"}]}],"
                                    + "\"default\":null},"
                                    + "{\"name\":\"vs\",\"type\":{\"type\":\"array\",\"items\":[\"long\",\"boolean\"]}}"
                                    + "]}");

    private Path avro() throws IOException {
        Path in = dir.resolve("u.avro");
        Schema circle = SCHEMA.getField("shape").schema().getTypes().get(0);
        Schema square = SCHEMA.getField("shape").schema().getTypes().get(1);
        Schema pa = SCHEMA.getField("p").schema().getTypes().get(1);
        try (DataFileWriter<GenericRecord> w =
                new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA))) {
            w.create(SCHEMA, in.toFile());
            for (int i = 0; i < 3; i++) {
                GenericRecord r = new GenericData.Record(SCHEMA);
                r.put("id", i);
                r.put("u", i == 0 ? (Object) 5 : i == 1 ? "five" : null);
                GenericRecord s = new GenericData.Record(i == 1 ? square : circle);
                s.put(0, 1.5 + i);
                r.put("shape", s);
                if (i == 0) {
                    GenericRecord p = new GenericData.Record(pa);
                    p.put("x", 9);
                    r.put("p", p);
                }
                r.put("vs", List.of(7L, true));
                w.append(r);
            }
        }
        return in;
    }

    @Test
    void unionsBecomeStructsWithOneMemberPerBranch() throws IOException {
        Path out = dir.resolve("u.parquet");
        ConversionReport r = Conversion.of(avro()).output(Output.file(out)).threads(1).commit();
        assertEquals(3, r.rowsWritten());
        assertEquals(
                "STRUCT(id INTEGER NOT NULL, u STRUCT(int INTEGER, string VARCHAR), "
                        + "shape STRUCT(\"Circle\" STRUCT(r DOUBLE NOT NULL), \"Square\" STRUCT(side DOUBLE NOT NULL)) NOT NULL, "
                        + "p STRUCT(\"a.P\" STRUCT(x INTEGER NOT NULL), \"b.P\" STRUCT(y INTEGER NOT NULL)), "
                        + "vs STRUCT(long BIGINT, boolean BOOLEAN)[] NOT NULL)",
                r.schema().toString());
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(
                            Arrays.asList(
                                    "0",
                                    "5",
                                    null,
                                    "1.5",
                                    null,
                                    "9",
                                    null,
                                    "[{'long': 7, 'boolean': NULL}, {'long': NULL, 'boolean': true}]"),
                            Arrays.asList(
                                    "1",
                                    null,
                                    "five",
                                    null,
                                    "2.5",
                                    null,
                                    null,
                                    "[{'long': 7, 'boolean': NULL}, {'long': NULL, 'boolean': true}]"),
                            Arrays.asList(
                                    "2",
                                    null,
                                    null,
                                    "3.5",
                                    null,
                                    null,
                                    null,
                                    "[{'long': 7, 'boolean': NULL}, {'long': NULL, 'boolean': true}]")),
                    d.rows(
                            "SELECT id, u.\"int\", u.string, shape.\"Circle\".r, shape.\"Square\".side, p.\"a.P\".x, "
                                    + "p.\"b.P\".y, vs FROM "
                                    + q(out)
                                    + " ORDER BY id"));
            // a null union is a null struct; a set one has exactly one member set
            assertEquals(
                    Arrays.asList("false", "false", "true"),
                    d.rows("SELECT u IS NULL FROM " + q(out) + " ORDER BY id").stream()
                            .map(x -> x.get(0))
                            .toList());
        }
        ParquetReadBack.Contents c = ParquetReadBack.read(out);
        assertTrue(c.schema().toString().contains("optional group u {"), c.schema().toString());
        Group u0 = c.rows().get(0).getGroup("u", 0);
        assertEquals(5, u0.getInteger("int", 0));
        assertEquals(0, u0.getFieldRepetitionCount("string"));
        Group u1 = c.rows().get(1).getGroup("u", 0);
        assertEquals("five", u1.getString("string", 0));
        assertEquals(0, u1.getFieldRepetitionCount("int"));
        assertEquals(0, c.rows().get(2).getFieldRepetitionCount("u"));
        assertEquals(
                2.5,
                c.rows().get(1).getGroup("shape", 0).getGroup("Square", 0).getDouble("side", 0));
    }

    @Test
    void anExplicitAvroSchemaWithUnionsConvertsAvroInput() throws IOException {
        Path out = dir.resolve("u.parquet");
        ConversionReport r = Conversion.of(avro()).schema(SCHEMA).output(Output.file(out)).commit();
        assertEquals(3, r.rowsWritten());
        try (Duck d = new Duck()) {
            assertEquals("five", d.one("SELECT u.string FROM " + q(out) + " WHERE id = 1"));
        }
    }

    @Test
    void anExplicitAvroSchemaWithUnionsIsRefusedForJsonInput() {
        Path in = write(dir, "in.ndjson", "{\"id\":1,\"u\":5}\n");
        FormatException e =
                assertThrows(
                        FormatException.class,
                        () ->
                                Conversion.of(in)
                                        .schema(SCHEMA)
                                        .output(Output.file(dir.resolve("o.parquet")))
                                        .commit());
        assertTrue(
                e.getMessage().contains("\"u\" is an Avro union of several types"), e.getMessage());
        Path avsc = write(dir, "s.avsc", SCHEMA.toString());
        Path csv = write(dir, "in.csv", "id,u\n1,5\n");
        e =
                assertThrows(
                        FormatException.class,
                        () ->
                                Conversion.of(csv)
                                        .schema(avsc)
                                        .output(Output.file(dir.resolve("o.parquet")))
                                        .commit());
        assertTrue(e.getMessage().contains("\"u\""), e.getMessage());
        // a DataType schema set afterwards replaces the Avro one and its restriction
        Conversion.of(in)
                .schema(SCHEMA)
                .schema(DataType.struct(Field.of("id", DataType.INT), Field.of("u", DataType.INT)))
                .output(Output.file(dir.resolve("o.parquet")))
                .commit();
    }
}
