package dev.tarn.lake.format;

import static dev.tarn.lake.format.Fixtures.q;
import static dev.tarn.lake.format.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.lake.format.internal.encode.ParquetReadBack;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.StructType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Non-null constraints of an explicit schema inside structs and lists. */
class NestedRequiredTest {
    @TempDir Path dir;

    private static final StructType SCHEMA =
            DataType.struct(
                    new Field("id", DataType.INT, false),
                    Field.of(
                            "geo",
                            DataType.struct(
                                    new Field("city", DataType.STRING, false),
                                    Field.of("zip", DataType.STRING))),
                    Field.of("tags", DataType.list(DataType.STRING, false)),
                    Field.of(
                            "items",
                            DataType.list(
                                    DataType.struct(new Field("sku", DataType.STRING, false)))));

    private static final String[] LINES = {
        "{\"id\":1,\"geo\":{\"city\":\"Oslo\",\"zip\":null},\"tags\":[\"a\"],\"items\":[{\"sku\":\"x\"}]}",
        "{\"id\":2,\"geo\":{\"zip\":\"0150\"}}",
        "{\"id\":3,\"geo\":null}",
        "{\"id\":4,\"geo\":{\"city\":null}}",
        "{\"id\":5,\"tags\":[\"a\",null]}",
        "{\"id\":6,\"items\":[{\"sku\":\"y\"},{}]}",
        "{\"id\":7,\"items\":[null],\"tags\":[]}",
    };

    @Test
    void nullOrMissingNestedRequiredValuesAreQuarantinedWithTheirPath() throws IOException {
        String text = String.join("\n", LINES) + "\n";
        Path in = write(dir, "in.ndjson", text);
        Path out = dir.resolve("o.parquet");
        Path bad = dir.resolve("bad.ndjson");
        ConversionReport r =
                Conversion.of(in)
                        .schema(SCHEMA)
                        .output(Output.file(out))
                        .threads(1)
                        .quarantine(Output.file(bad))
                        .errorBudget(ErrorBudget.unlimited())
                        .commit();
        assertEquals(7, r.rowsRead());
        assertEquals(3, r.rowsWritten());
        assertEquals(4, r.rowsQuarantined());
        assertEquals(SCHEMA, r.schema());

        List<JsonNode> q = Fixtures.quarantine(bad);
        assertEquals(List.of(2L, 4L, 5L, 6L), q.stream().map(n -> n.get("line").asLong()).toList());
        assertEquals(
                List.of(
                        "required field \"geo.city\" is null or missing",
                        "required field \"geo.city\" is null or missing",
                        "required list element \"tags[]\" is null",
                        "required field \"items[].sku\" is null or missing"),
                q.stream().map(n -> n.get("reason").asText()).toList());
        for (JsonNode n : q) {
            int line = n.get("line").asInt();
            assertEquals(LINES[line - 1], n.get("raw").asText());
            assertEquals(text.indexOf(LINES[line - 1]), n.get("offset").asLong());
            assertEquals("in.ndjson", Path.of(n.get("source").asText()).getFileName().toString());
        }
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("1", "Oslo"), List.of("3", "NULL"), List.of("7", "NULL")),
                    d.rows(
                            "SELECT id, coalesce(geo.city, 'NULL') FROM "
                                    + q(out)
                                    + " ORDER BY id"));
        }
        assertEquals(3, ParquetReadBack.read(out).rows().size());
    }

    @Test
    void withoutNestedConstraintsNestedNullsAreWritten() {
        StructType loose =
                DataType.struct(
                        new Field("id", DataType.INT, false),
                        Field.of(
                                "geo",
                                DataType.struct(
                                        Field.of("city", DataType.STRING),
                                        Field.of("zip", DataType.STRING))),
                        Field.of("tags", DataType.list(DataType.STRING)),
                        Field.of(
                                "items",
                                DataType.list(DataType.struct(Field.of("sku", DataType.STRING)))));
        Path in = write(dir, "in.ndjson", String.join("\n", LINES) + "\n");
        Path out = dir.resolve("o.parquet");
        ConversionReport r = Conversion.of(in).schema(loose).output(Output.file(out)).commit();
        assertEquals(7, r.rowsWritten());
    }

    @Test
    void avscNestedRecordFieldsAndArrayItemsAreRequired() {
        Path avsc =
                write(
                        dir,
                        "s.avsc",
                        "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                                + "{\"name\":\"id\",\"type\":\"int\"},"
                                + "{\"name\":\"geo\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"G\",\"fields\":["
                                + "{\"name\":\"city\",\"type\":\"string\"}]}],\"default\":null},"
                                + "{\"name\":\"tags\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"string\"}],\"default\":null},"
                                + "{\"name\":\"opt\",\"type\":[\"null\",{\"type\":\"array\",\"items\":[\"null\",\"string\"]}],"
                                + "\"default\":null}]}");
        Path in =
                write(
                        dir,
                        "in.ndjson",
                        "{\"id\":1,\"geo\":{\"city\":\"x\"},\"tags\":[\"t\"],\"opt\":[null]}\n"
                                + "{\"id\":2,\"geo\":{}}\n{\"id\":3,\"tags\":[null]}\n{\"id\":4}\n");
        Path bad = dir.resolve("bad.ndjson");
        Path out = dir.resolve("o.parquet");
        ConversionReport r =
                Conversion.of(in)
                        .schema(avsc)
                        .output(Output.file(out))
                        .quarantine(Output.file(bad))
                        .errorBudget(ErrorBudget.unlimited())
                        .commit();
        assertEquals(2, r.rowsWritten());
        assertEquals(
                List.of(
                        "required field \"geo.city\" is null or missing",
                        "required list element \"tags[]\" is null"),
                Fixtures.quarantine(bad).stream().map(n -> n.get("reason").asText()).toList());
        try (Duck d = new Duck()) {
            assertEquals("5", d.one("SELECT sum(id) FROM " + q(out)));
        }
    }

    @Test
    void avroInputIsCheckedAgainstAnExplicitSchemaToo() throws IOException {
        Schema file =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                                        + "{\"name\":\"id\",\"type\":\"int\"},"
                                        + "{\"name\":\"geo\",\"type\":{\"type\":\"record\",\"name\":\"G\",\"fields\":["
                                        + "{\"name\":\"city\",\"type\":[\"null\",\"string\"]}]}}]}");
        Path in = dir.resolve("in.avro");
        try (DataFileWriter<GenericRecord> w =
                new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(file))) {
            w.create(file, in.toFile());
            for (int i = 1; i <= 3; i++) {
                GenericRecord g = new GenericData.Record(file.getField("geo").schema());
                g.put("city", i == 2 ? null : "c" + i);
                GenericRecord rec = new GenericData.Record(file);
                rec.put("id", i);
                rec.put("geo", g);
                w.append(rec);
            }
        }
        StructType declared =
                DataType.struct(
                        new Field("id", DataType.INT, false),
                        new Field(
                                "geo",
                                DataType.struct(new Field("city", DataType.STRING, false)),
                                false));
        Path bad = dir.resolve("bad.ndjson");
        Path out = dir.resolve("o.parquet");
        ConversionReport r =
                Conversion.of(in)
                        .schema(declared)
                        .output(Output.file(out))
                        .threads(1)
                        .quarantine(Output.file(bad))
                        .errorBudget(ErrorBudget.unlimited())
                        .commit();
        assertEquals(2, r.rowsWritten());
        JsonNode b = Fixtures.quarantine(bad).get(0);
        assertEquals(2, b.get("line").asLong());
        assertEquals(-1, b.get("offset").asLong());
        assertEquals("required field \"geo.city\" is null or missing", b.get("reason").asText());
        assertEquals("{\"id\": 2, \"geo\": {\"city\": null}}", b.get("raw").asText());
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("1", "c1"), List.of("3", "c3")),
                    d.rows("SELECT id, geo.city FROM " + q(out) + " ORDER BY id"));
        }
    }
}
