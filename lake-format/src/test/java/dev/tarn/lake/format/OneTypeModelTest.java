package dev.tarn.lake.format;

import static dev.tarn.lake.format.Fixtures.q;
import static dev.tarn.lake.format.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.internal.encode.ParquetReadBack;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import dev.tarn.lake.types.SchemaChange;
import dev.tarn.lake.types.SchemaPolicy;
import dev.tarn.lake.types.StructType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversion on lake-core's one type model: column names matched regardless of case across
 * inputs and against an explicit schema, a later input merged by the one set of evolution rules
 * (widening, never text as a last resort), and every kind of an explicit schema written (BYTE,
 * SHORT and FLOAT included). Inputs are generated here, with BOMs and CRLF line ends where exports
 * have them.
 */
class OneTypeModelTest {
    @TempDir Path dir;

    private static byte[] bomCrlf(String... lines) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
        for (String l : lines) {
            b.writeBytes((l + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    private static List<String> names(StructType t) {
        return t.fields().stream().map(Field::name).toList();
    }

    // ------------------------------------------------------------------ names regardless of case

    @Test
    void headersThatDifferOnlyInCaseMergeIntoOneColumnSpelledAsFirstSeen() {
        Path a = write(dir, "a.csv", bomCrlf("ID,Name,Score", "1,ann,10", "2,bob,20"));
        Path b = write(dir, "b.csv", bomCrlf("id,name,score", "3,cy,30"));
        Path c = write(dir, "c.csv", "NAME,iD\n\"dee\",4\n");
        Path out = dir.resolve("o.parquet");
        ConversionReport r = Conversion.of(a, b, c).output(Output.file(out)).threads(1).commit();
        assertEquals(List.of("ID", "Name", "Score"), names(r.schema()));
        assertEquals(DataType.INT, r.schema().field("id").orElseThrow().type());
        assertTrue(r.changes().isEmpty(), r.changes()::toString);
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(
                            List.of("1", "ann", "10"),
                            List.of("2", "bob", "20"),
                            List.of("3", "cy", "30"),
                            Arrays.asList("4", "dee", null)),
                    d.rows("SELECT \"ID\", \"Name\", \"Score\" FROM " + q(out) + " ORDER BY 1"));
        }
    }

    @Test
    void aHeaderNamingAColumnTwiceIsAnErrorNamingFileAndLine() {
        Path twice = write(dir, "twice.csv", bomCrlf("id,id", "1,2"));
        Path cased = write(dir, "cased.csv", bomCrlf("Id,name,ID", "1,a,2"));
        for (Path in : List.of(twice, cased)) {
            FormatException e =
                    assertThrows(
                            FormatException.class,
                            () ->
                                    Conversion.of(in)
                                            .output(Output.file(dir.resolve("x.parquet")))
                                            .commit());
            assertTrue(e.getMessage().startsWith(in + " line 1: "), e.getMessage());
            assertTrue(e.getMessage().contains("unique regardless of case"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
        assertTrue(!dir.resolve("x.parquet").toFile().exists());
        FormatException e =
                assertThrows(
                        FormatException.class,
                        () ->
                                Conversion.of(cased)
                                        .output(Output.file(dir.resolve("x.parquet")))
                                        .commit());
        assertTrue(e.getMessage().contains("\"Id\" and \"ID\""), e.getMessage());
    }

    @Test
    void jsonKeysThatDifferOnlyInCaseAreOneColumnButTwiceInOneRecordIsQuarantined()
            throws IOException {
        Path in =
                write(
                        dir,
                        "in.ndjson",
                        String.join(
                                "\r\n",
                                "{\"Id\":1,\"City\":\"Oslo\"}",
                                "{\"id\":2,\"city\":\"Rome\"}",
                                "{\"id\":3,\"ID\":4,\"city\":\"Lima\"}",
                                "{\"\":5,\"id\":6}",
                                "{\"id\":7,\"CITY\":\"Kyiv\"}",
                                ""));
        Path out = dir.resolve("o.parquet");
        Path bad = dir.resolve("bad.ndjson");
        ConversionReport r = Fixtures.lenient(in, out, bad);
        assertEquals(List.of("Id", "City"), names(r.schema()));
        assertEquals(3, r.rowsWritten());
        assertEquals(2, r.rowsQuarantined());
        List<JsonNode> q = Fixtures.quarantine(bad);
        assertEquals(3, q.get(0).get("line").asLong());
        assertTrue(
                q.get(0).get("reason").asText().contains("\"Id\" and \"ID\""), q.get(0).toString());
        assertTrue(
                q.get(0).get("reason").asText().contains("differ only in case"),
                q.get(0).toString());
        assertEquals(4, q.get(1).get("line").asLong());
        assertTrue(q.get(1).get("reason").asText().contains("empty key"), q.get(1).toString());
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("1", "Oslo"), List.of("2", "Rome"), List.of("7", "Kyiv")),
                    d.rows("SELECT \"Id\", \"City\" FROM " + q(out) + " ORDER BY 1"));
        }
    }

    @Test
    void anExplicitSchemaMatchesColumnsRegardlessOfCase() {
        Path in = write(dir, "in.csv", bomCrlf("ID,AMOUNT", "1,2.5", "2,3"));
        Path out = dir.resolve("o.parquet");
        Schema declared =
                Schema.of(Field.of("id", DataType.LONG), Field.of("amount", DataType.DOUBLE));
        ConversionReport r = Conversion.of(in).schema(declared).output(Output.file(out)).commit();
        assertEquals(List.of("id", "amount"), names(r.schema()));
        assertEquals(2, r.rowsWritten());
        try (Duck d = new Duck()) {
            assertEquals(List.of("id BIGINT", "amount DOUBLE"), d.describe(q(out)));
        }
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Conversion.of(in)
                                        .schema(
                                                DataType.struct(
                                                        Field.of("id", DataType.LONG),
                                                        Field.of("Id", DataType.LONG))));
        assertTrue(e.getMessage().contains("differ only in case"), e.getMessage());
    }

    // ------------------------------------------------------------------ one rule set across inputs

    @Test
    void aLaterInputWidensIntToLongAndIntToDouble() {
        Path a = write(dir, "a.csv", "id,n,x\n1,5,7\n");
        Path b = write(dir, "b.csv", "id,n,x\n2,5000000000,7.25\n");
        Path out = dir.resolve("o.parquet");
        ConversionReport r = Conversion.of(a, b).output(Output.file(out)).threads(1).commit();
        assertEquals(DataType.LONG, r.schema().field("n").orElseThrow().type());
        assertEquals(DataType.DOUBLE, r.schema().field("x").orElseThrow().type());
        List<SchemaChange> widened = r.changes().stream().filter(c -> !c.added()).toList();
        assertEquals(List.of("n", "x"), widened.stream().map(SchemaChange::column).toList());
        assertTrue(widened.get(0).reason().contains("b.csv"), widened.get(0)::toString);
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("1", "5", "7.0"), List.of("2", "5000000000", "7.25")),
                    d.rows("SELECT id, n, x FROM " + q(out) + " ORDER BY id"));
        }
    }

    @Test
    void whatNoWiderTypeHoldsIsQuarantinedPerRecordNotTurnedToText() throws IOException {
        Path a = write(dir, "a.ndjson", "{\"id\":1,\"n\":5000000000}\n{\"id\":2,\"n\":null}\n");
        Path b =
                write(
                        dir,
                        "b.ndjson",
                        "{\"id\":3,\"n\":\"n/a\"}\n{\"id\":4,\"n\":\"later\"}\n{\"id\":5}\n");
        Path c = write(dir, "c.ndjson", "{\"id\":6,\"n\":2.5}\n");
        Path out = dir.resolve("o.parquet");
        Path bad = dir.resolve("bad.ndjson");
        ConversionReport r =
                Conversion.of(a, b, c)
                        .output(Output.file(out))
                        .quarantine(Output.file(bad))
                        .errorBudget(ErrorBudget.unlimited())
                        .threads(1)
                        .commit();
        assertEquals(DataType.LONG, r.schema().field("n").orElseThrow().type());
        assertEquals(3, r.rowsWritten());
        assertEquals(3, r.rowsQuarantined());
        List<JsonNode> q = Fixtures.quarantine(bad);
        assertTrue(q.get(0).get("source").asText().endsWith("b.ndjson"), q.get(0).toString());
        assertTrue(
                q.get(0)
                        .get("reason")
                        .asText()
                        .contains(
                                "field \"n\": \"n/a\" does not fit BIGINT ("
                                        + b
                                        + " has column 'n' as VARCHAR but the schema has BIGINT, and no wider type holds both)"),
                q.get(0).toString());
        assertTrue(
                q.get(2).get("reason").asText().contains("as DOUBLE but the schema has BIGINT"),
                q.get(2).toString());
        assertTrue(q.get(2).get("source").asText().endsWith("c.ndjson"), q.get(2).toString());
        assertTrue(
                r.notes().stream()
                        .anyMatch(
                                n ->
                                        n.contains(
                                                "b.ndjson has column 'n' as VARCHAR but the schema"
                                                        + " has BIGINT")),
                r.notes()::toString);
        assertTrue(
                r.notes().stream().anyMatch(n -> n.contains("c.ndjson has column 'n' as DOUBLE")),
                r.notes()::toString);
        try (Duck d = new Duck()) {
            assertEquals(List.of("id INTEGER", "n BIGINT"), d.describe(q(out)));
        }
        // without room for bad records the conversion fails on the first, saying why, and writes
        // nothing
        FormatException e =
                assertThrows(
                        FormatException.class,
                        () ->
                                Conversion.of(a, b)
                                        .output(Output.file(dir.resolve("none.parquet")))
                                        .commit());
        assertTrue(
                e.getMessage()
                        .contains("b.ndjson line 1: field \"n\": \"n/a\" does not fit BIGINT"),
                e.getMessage());
        assertTrue(!dir.resolve("none.parquet").toFile().exists());
    }

    @Test
    void wideningWithinALaterInputIsReportedToo() {
        Path a = write(dir, "a.csv", "id,v\n1,x\n");
        Path b = write(dir, "b.csv", "id,v\n2,4\n3,abc\n");
        ConversionReport r =
                Conversion.of(a, b)
                        .output(Output.file(dir.resolve("o.parquet")))
                        .threads(1)
                        .commit();
        assertEquals(3, r.rowsWritten());
        assertEquals(DataType.STRING, r.schema().field("v").orElseThrow().type());
        List<SchemaChange> v = r.changes().stream().filter(c -> c.column().equals("v")).toList();
        assertEquals(1, v.size(), r.changes()::toString);
        assertTrue(v.get(0).reason().contains("4 at " + b + " line 2"), v.get(0)::toString);
    }

    @Test
    void aTextColumnKeepsALaterInputsNumbersAsWritten() {
        Path a = write(dir, "a.csv", "zip,n\n00501,1\n");
        Path b = write(dir, "b.ndjson", "{\"zip\":10115,\"n\":2}\n{\"zip\":1.50,\"n\":3}\n");
        Path out = dir.resolve("o.parquet");
        ConversionReport r = Conversion.of(a, b).output(Output.file(out)).threads(1).commit();
        assertEquals(DataType.STRING, r.schema().field("zip").orElseThrow().type());
        assertEquals(3, r.rowsWritten());
        assertTrue(
                r.notes().stream().noneMatch(n -> n.contains("quarantined")), r.notes()::toString);
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("00501"), List.of("10115"), List.of("1.50")),
                    d.rows("SELECT zip FROM " + q(out) + " ORDER BY n"));
        }
    }

    @Test
    void aColumnOnlyNullsFilledTakesTheTypeOfALaterInput() {
        Path a = write(dir, "a.ndjson", "{\"id\":1,\"t\":null}\n");
        Path b = write(dir, "b.ndjson", "{\"id\":2,\"t\":\"2026-11-21 10:00:00\"}\n");
        ConversionReport r =
                Conversion.of(a, b).output(Output.file(dir.resolve("o.parquet"))).commit();
        assertEquals(DataType.TIMESTAMP_NTZ, r.schema().field("t").orElseThrow().type());
        assertEquals(2, r.rowsWritten());
    }

    @Test
    void strictAndAddColumnsRefuseWideningButAddColumnsAddsColumns() {
        Path a = write(dir, "a.csv", "id,n\n1,5\n");
        Path b = write(dir, "b.csv", "ID,N,Extra\n2,5000000000,x\n3,6,y\n");
        ConversionReport add =
                Conversion.of(a, b)
                        .policy(SchemaPolicy.ADD_COLUMNS)
                        .output(Output.file(dir.resolve("a.parquet")))
                        .quarantine(Output.file(dir.resolve("qa.ndjson")))
                        .errorBudget(ErrorBudget.unlimited())
                        .threads(1)
                        .commit();
        assertEquals(List.of("id", "n", "Extra"), names(add.schema()));
        assertEquals(DataType.INT, add.schema().field("n").orElseThrow().type());
        assertEquals(1, add.rowsQuarantined());
        assertTrue(
                add.notes().stream().anyMatch(n -> n.contains("needs the WIDEN schema policy")),
                add.notes()::toString);
    }

    // ------------------------------------------------------------------ every kind written

    @Test
    void byteShortAndFloatColumnsOfAnExplicitSchemaAreWrittenWithTheirParquetTypes()
            throws IOException {
        Path in =
                write(
                        dir,
                        "in.csv",
                        bomCrlf(
                                "b,s,f,d",
                                "1,-2,1.5,2026-01-02 10:00:00",
                                "-128,32767,-0.25,2026-01-03T01:00:00",
                                "300,1,1,2026-01-04 00:00:00",
                                "1,40000,1,2026-01-05 00:00:00",
                                "1,1,1e39,2026-01-06 00:00:00"));
        Path json =
                write(
                        dir,
                        "in.ndjson",
                        "{\"b\":127,\"s\":-32768,\"f\":3.25,\"d\":\"2026-02-01T00:00:00\"}\n"
                                + "{\"b\":128,\"s\":1,\"f\":1,\"d\":\"2026-02-02T00:00:00\"}\n");
        StructType schema =
                DataType.struct(
                        Field.of("b", DataType.BYTE),
                        Field.of("s", DataType.SHORT),
                        Field.of("f", DataType.FLOAT),
                        Field.of("d", DataType.TIMESTAMP_NTZ));
        Path out = dir.resolve("o.parquet");
        Path bad = dir.resolve("bad.ndjson");
        ConversionReport r =
                Conversion.of(in, json)
                        .schema(schema)
                        .output(Output.file(out))
                        .quarantine(Output.file(bad))
                        .errorBudget(ErrorBudget.unlimited())
                        .threads(1)
                        .commit();
        assertEquals(3, r.rowsWritten());
        assertEquals(4, r.rowsQuarantined());
        List<String> reasons =
                Fixtures.quarantine(bad).stream().map(n -> n.get("reason").asText()).toList();
        assertTrue(reasons.get(0).contains("\"300\" does not fit TINYINT"), reasons::toString);
        assertTrue(reasons.get(1).contains("\"40000\" does not fit SMALLINT"), reasons::toString);
        assertTrue(reasons.get(2).contains("does not fit FLOAT"), reasons::toString);
        assertTrue(reasons.get(3).contains("128 does not fit TINYINT"), reasons::toString);

        MessageType footer = ParquetReadBack.read(out).schema();
        assertEquals(
                PrimitiveTypeName.INT32,
                footer.getType("b").asPrimitiveType().getPrimitiveTypeName());
        assertEquals(
                LogicalTypeAnnotation.intType(8, true),
                footer.getType("b").getLogicalTypeAnnotation());
        assertEquals(
                LogicalTypeAnnotation.intType(16, true),
                footer.getType("s").getLogicalTypeAnnotation());
        assertEquals(
                PrimitiveTypeName.FLOAT,
                footer.getType("f").asPrimitiveType().getPrimitiveTypeName());
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of("b TINYINT", "s SMALLINT", "f FLOAT", "d TIMESTAMP"),
                    d.describe(q(out)));
            assertEquals(
                    List.of(
                            List.of("-128", "32767", "-0.25", "2026-01-03 01:00:00"),
                            List.of("1", "-2", "1.5", "2026-01-02 10:00:00"),
                            List.of("127", "-32768", "3.25", "2026-02-01 00:00:00")),
                    d.rows("SELECT * FROM " + q(out) + " ORDER BY b, s"));
            // the statistics of a FLOAT column are floats
            assertEquals(
                    "-0.25",
                    d.one(
                            "SELECT stats_min_value FROM parquet_metadata("
                                    + q(out)
                                    + ") WHERE path_in_schema = 'f'"));
        }
    }

    @Test
    void avroFloatIsFloatAndAvroIntFillsByteAndShortColumns() throws IOException {
        org.apache.avro.Schema avro =
                new org.apache.avro.Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"R\","
                                        + "\"fields\":[{\"name\":\"ID\",\"type\":\"int\"},{\"name\":\"f\",\"type\":\"float\"}]}");
        Path in = dir.resolve("in.avro");
        try (org.apache.avro.file.DataFileWriter<org.apache.avro.generic.GenericRecord> w =
                new org.apache.avro.file.DataFileWriter<>(
                        new org.apache.avro.generic.GenericDatumWriter<>(avro))) {
            w.create(avro, in.toFile());
            for (int i : new int[] {1, 200, 40_000}) {
                org.apache.avro.generic.GenericRecord r =
                        new org.apache.avro.generic.GenericData.Record(avro);
                r.put("ID", i);
                r.put("f", i / 4.0f);
                w.append(r);
            }
        }
        assertEquals(
                DataType.struct(
                        Field.required("ID", DataType.INT), Field.required("f", DataType.FLOAT)),
                Conversion.of(in).inferSchema());
        Path out = dir.resolve("o.parquet");
        ConversionReport r =
                Conversion.of(in)
                        .schema(
                                Schema.of(
                                        Field.of("id", DataType.SHORT),
                                        Field.of("f", DataType.FLOAT)))
                        .output(Output.file(out))
                        .quarantine(Output.file(dir.resolve("q")))
                        .errorBudget(ErrorBudget.unlimited())
                        .commit();
        assertEquals(2, r.rowsWritten());
        assertEquals(1, r.rowsQuarantined());
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("1", "0.25"), List.of("200", "50.0")),
                    d.rows("SELECT id, f FROM " + q(out) + " ORDER BY id"));
            assertEquals(List.of("id SMALLINT", "f FLOAT"), d.describe(q(out)));
        }
    }

    @Test
    void spellingsMeetAcrossTheChunksOfSeveralWorkers() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300_000; i++) {
            // about 10 MiB: the first chunks hold one spelling, the last only the other
            String key = i < 150_000 ? "UserName" : "username";
            sb.append("{\"id\":")
                    .append(i)
                    .append(",\"")
                    .append(key)
                    .append("\":\"u")
                    .append(i % 100)
                    .append("\"}\n");
        }
        Path in = write(dir, "in.ndjson", sb.toString());
        Path out = dir.resolve("o.parquet");
        ConversionReport r =
                Conversion.of(in)
                        .output(Output.file(out))
                        .threads(3)
                        .sampleRows(1_000_000)
                        .commit();
        assertEquals(List.of("id", "UserName"), names(r.schema()));
        assertEquals(300_000, r.rowsWritten());
        try (Duck d = new Duck()) {
            assertEquals(
                    "0", d.one("SELECT count(*) FROM " + q(out) + " WHERE \"UserName\" IS NULL"));
        }
    }

    @Test
    void byteShortAndFloatSurvivePartitionedWrites() {
        StringBuilder sb = new StringBuilder("p,b,s,f\n");
        for (int i = 0; i < 200; i++) {
            sb.append(i % 7)
                    .append(',')
                    .append(i % 100)
                    .append(',')
                    .append(i * 10)
                    .append(',')
                    .append(i / 4.0)
                    .append('\n');
        }
        Path in = write(dir, "in.csv", sb.toString());
        StructType schema =
                DataType.struct(
                        Field.of("p", DataType.INT),
                        Field.of("b", DataType.BYTE),
                        Field.of("s", DataType.SHORT),
                        Field.of("f", DataType.FLOAT));
        Path out = dir.resolve("out");
        ConversionReport r =
                Conversion.of(in)
                        .schema(schema)
                        .partitionBy("p")
                        .output(Output.directory(out))
                        .threads(2)
                        .commit();
        assertEquals(200, r.rowsWritten());
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("200", "9900", "199000", "4975.0")),
                    d.rows(
                            "SELECT count(*), sum(b), sum(s),"
                                    + " sum(f) FROM read_parquet('"
                                    + out
                                    + "/**/*.parquet', hive_partitioning = true)"));
        }
    }
}
