package dev.tarn.lake.format;

import static dev.tarn.lake.format.Fixtures.q;
import static dev.tarn.lake.format.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.format.internal.encode.ParquetReadBack;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avro maps as Parquet MAPs: {@code repeated group key_value { required binary key (STRING); value
 * }}.
 */
class MapTest {
    @TempDir Path dir;

    private static final Schema SCHEMA =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"M\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"int\"},"
                                    + "{\"name\":\"counts\",\"type\":[\"null\",{\"type\":\"map\",\"values\":\"long\"}],\"default\":null},"
                                    + "{\"name\":\"labels\",\"type\":{\"type\":\"map\",\"values\":[\"null\",\"string\"]}},"
                                    + "{\"name\":\"pts\",\"type\":{\"type\":\"map\",\"values\":{\"type\":\"record\",\"name\":\"P\",\"fields\":["
                                    + "{\"name\":\"x\",\"type\":\"int\"},{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}]}}}"
                                    + "]}");

    private Path avro() throws IOException {
        Path in = dir.resolve("m.avro");
        Schema p = SCHEMA.getField("pts").schema().getValueType();
        try (DataFileWriter<GenericRecord> w =
                new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA))) {
            w.create(SCHEMA, in.toFile());
            for (int i = 0; i < 3; i++) {
                GenericRecord r = new GenericData.Record(SCHEMA);
                r.put("id", i);
                Map<String, Long> counts = new LinkedHashMap<>();
                if (i == 0) {
                    counts.put("a", 1L);
                    counts.put("b", 2L);
                }
                r.put("counts", i == 2 ? null : counts);
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put("k" + i, i == 1 ? null : "v" + i);
                r.put("labels", labels);
                GenericRecord pt = new GenericData.Record(p);
                pt.put("x", i);
                pt.put("tags", List.of("t" + i, "u"));
                r.put("pts", Map.of("p", pt));
                w.append(r);
            }
        }
        return in;
    }

    @Test
    void avroMapsAreParquetMapsForDuckDbAndParquetJava() throws IOException {
        Path out = dir.resolve("m.parquet");
        ConversionReport r = Conversion.of(avro()).output(Output.file(out)).threads(1).commit();
        assertEquals(3, r.rowsWritten());
        assertEquals(
                DataType.map(DataType.STRING, DataType.LONG, false),
                r.schema().field("counts").get().type());
        assertEquals("MAP(VARCHAR, VARCHAR)", r.schema().field("labels").get().type().toString());
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(
                            "id INTEGER",
                            "counts MAP(VARCHAR, BIGINT)",
                            "labels MAP(VARCHAR, VARCHAR)",
                            "pts MAP(VARCHAR, STRUCT(x INTEGER, tags VARCHAR[]))"),
                    d.describe(q(out)));
            assertEquals(
                    List.of(
                            Arrays.asList("0", "{a=1, b=2}", "2", "{k0=v0}", "0", "[t0, u]"),
                            Arrays.asList("1", "{}", "0", "{k1=NULL}", "1", "[t1, u]"),
                            Arrays.asList("2", null, null, "{k2=v2}", "2", "[t2, u]")),
                    d.rows(
                            "SELECT id, counts, cardinality(counts), labels, pts['p'].x, pts['p'].tags FROM "
                                    + q(out)
                                    + " ORDER BY id"));
            assertEquals(
                    "1",
                    d.one(
                            "SELECT count(*) FROM "
                                    + q(out)
                                    + " WHERE labels['k1'] IS NULL AND id = 1"));
        }
        ParquetReadBack.Contents c = ParquetReadBack.read(out);
        GroupType counts = c.schema().getType("counts").asGroupType();
        assertTrue(
                counts.getLogicalTypeAnnotation()
                        instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation);
        GroupType kv = counts.getType(0).asGroupType();
        assertEquals("key_value", kv.getName());
        assertTrue(kv.isRepetition(Type.Repetition.REPEATED));
        assertTrue(kv.getType("key").isRepetition(Type.Repetition.REQUIRED));
        assertTrue(kv.getType("value").isRepetition(Type.Repetition.OPTIONAL));
        Group row0 = c.rows().get(0).getGroup("counts", 0);
        assertEquals(2, row0.getFieldRepetitionCount("key_value"));
        assertEquals("b", row0.getGroup("key_value", 1).getString("key", 0));
        assertEquals(2L, row0.getGroup("key_value", 1).getLong("value", 0));
        assertEquals(0, c.rows().get(1).getGroup("counts", 0).getFieldRepetitionCount("key_value"));
        assertEquals(0, c.rows().get(2).getFieldRepetitionCount("counts"));
        Group label1 = c.rows().get(1).getGroup("labels", 0).getGroup("key_value", 0);
        assertEquals("k1", label1.getString("key", 0));
        assertEquals(0, label1.getFieldRepetitionCount("value"));
    }

    @Test
    void jsonObjectsFillTheMapsOfAnExplicitSchema() {
        Path avsc =
                write(
                        dir,
                        "s.avsc",
                        "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                                + "{\"name\":\"id\",\"type\":\"int\"},"
                                + "{\"name\":\"attrs\",\"type\":[\"null\",{\"type\":\"map\",\"values\":\"long\"}],\"default\":null}]}");
        Path in =
                write(
                        dir,
                        "in.ndjson",
                        "{\"id\":1,\"attrs\":{\"a\":1,\"b\\u00e9\":2}}\n{\"id\":2,\"attrs\":{}}\n"
                                + "{\"id\":3}\n{\"id\":4,\"attrs\":{\"a\":null}}\n{\"id\":5,\"attrs\":{\"a\":1,\"a\":2}}\n"
                                + "{\"id\":6,\"attrs\":{\"a\":\"x\"}}\n");
        Path out = dir.resolve("o.parquet");
        Path bad = dir.resolve("bad.ndjson");
        ConversionReport r =
                Conversion.of(in)
                        .schema(avsc)
                        .output(Output.file(out))
                        .threads(1)
                        .quarantine(Output.file(bad))
                        .errorBudget(ErrorBudget.unlimited())
                        .commit();
        assertEquals(3, r.rowsWritten());
        List<String> reasons =
                Fixtures.quarantine(bad).stream().map(n -> n.get("reason").asText()).toList();
        assertEquals("required map value \"attrs{}\" of key \"a\" is null", reasons.get(0));
        assertEquals("duplicate key \"a\" in field \"attrs\"", reasons.get(1));
        assertTrue(reasons.get(2).contains("does not fit BIGINT"), reasons::toString);
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(
                            Arrays.asList("1", "2", "{a=1, bé=2}"),
                            Arrays.asList("2", null, "{}"),
                            Arrays.asList("3", null, null)),
                    d.rows("SELECT id, attrs['bé'], attrs FROM " + q(out) + " ORDER BY id"));
        }
    }

    @Test
    void mapKeysMustBeText() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Conversion.of(write(dir, "x.ndjson", "{}\n"))
                                        .schema(
                                                DataType.struct(
                                                        Field.of(
                                                                "m",
                                                                DataType.map(
                                                                        DataType.INT,
                                                                        DataType.LONG)))));
        assertTrue(e.getMessage().contains("map keys must be VARCHAR"), e.getMessage());
        assertEquals(
                "MAP(VARCHAR, BIGINT[])",
                DataType.map(DataType.STRING, DataType.list(DataType.LONG)).toString());
    }
}
