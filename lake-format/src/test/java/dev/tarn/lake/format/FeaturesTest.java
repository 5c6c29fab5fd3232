package dev.tarn.lake.format;

import static dev.tarn.lake.format.Fixtures.q;
import static dev.tarn.lake.format.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import dev.tarn.lake.format.internal.encode.ParquetReadBack;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.SchemaPolicy;
import dev.tarn.lake.types.StructType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compressed inputs, Avro, explicit schemas and policies, partitioning, rolling, codecs, progress.
 */
class FeaturesTest {
    @TempDir Path dir;

    private static final String ROWS =
            "{\"id\":1,\"c\":\"DE\"}\n{\"id\":2,\"c\":\"US\"}\n{\"id\":3,\"c\":\"DE\"}\n";

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(b)) {
            o.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    private static byte[] zstd(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream o = new ZstdOutputStream(b)) {
            o.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    @Test
    void gzipAndZstdInputsAreDecompressed() throws IOException {
        Path gz = write(dir, "a.ndjson.gz", gzip(ROWS));
        Path zst = write(dir, "b.csv.zst", zstd("id,c\n4,FR\n5,JP\n"));
        ConversionReport r =
                Conversion.of(gz, zst).output(Output.directory(dir.resolve("out"))).commit();
        assertEquals(5, r.rowsWritten());
        try (Duck d = new Duck()) {
            assertEquals("15", d.one("SELECT sum(id) FROM '" + dir.resolve("out") + "/*.parquet'"));
        }
    }

    private static final Schema AVRO =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"E\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"name\",\"type\":[\"null\",\"string\"],\"default\":null},"
                                    + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                                    + "{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":9,\"scale\":2}},"
                                    + "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
                                    + "{\"name\":\"geo\",\"type\":{\"type\":\"record\",\"name\":\"G\",\"fields\":[{\"name\":\"lat\",\"type\":\"double\"}]}}"
                                    + "]}");

    @Test
    void avroContainerFilesConvert() throws IOException {
        Path in = dir.resolve("e.avro");
        try (DataFileWriter<GenericRecord> w =
                new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(AVRO))) {
            w.create(AVRO, in.toFile());
            for (int i = 0; i < 3; i++) {
                GenericRecord g = new GenericData.Record(AVRO.getField("geo").schema());
                g.put("lat", 1.5 * i);
                GenericRecord r = new GenericData.Record(AVRO);
                r.put("id", (long) i);
                r.put("name", i == 1 ? null : "n" + i);
                r.put("ts", 1_700_000_000_000L + i);
                r.put(
                        "amount",
                        java.nio.ByteBuffer.wrap(
                                java.math.BigInteger.valueOf(12345 + i).toByteArray()));
                r.put("tags", List.of("a", "b" + i));
                r.put("geo", g);
                w.append(r);
            }
        }
        Path out = dir.resolve("e.parquet");
        ConversionReport r = Conversion.of(in).output(Output.file(out)).commit();
        assertEquals(3, r.rowsWritten());
        try (Duck d = new Duck()) {
            d.exec("SET TimeZone='UTC'");
            assertEquals(
                    List.of(
                            "id BIGINT",
                            "name VARCHAR",
                            "ts TIMESTAMP WITH TIME ZONE",
                            "amount DECIMAL(9,2)",
                            "tags VARCHAR[]",
                            "geo STRUCT(lat DOUBLE)"),
                    d.describe(q(out)));
            assertEquals(
                    java.util.Arrays.asList(
                            "1",
                            null,
                            "2023-11-14 22:13:20.001+00",
                            "123.46",
                            "[a, b1]",
                            "{'lat': 1.5}"),
                    d.rows("SELECT * FROM " + q(out) + " WHERE id = 1").get(0));
        }
    }

    @Test
    void avroMapsBecomeParquetMaps() throws IOException {
        Schema schema =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"M\",\"fields\":["
                                        + "{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"attrs\",\"type\":{\"type\":\"map\",\"values\":\"long\"}}]}");
        Path in = dir.resolve("m.avro");
        try (DataFileWriter<GenericRecord> w =
                new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
            w.create(schema, in.toFile());
            GenericRecord r = new GenericData.Record(schema);
            r.put("id", 1);
            r.put("attrs", new java.util.TreeMap<>(java.util.Map.of("a", 1L, "b", 2L)));
            w.append(r);
        }
        Path out = dir.resolve("m.parquet");
        Conversion.of(in).output(Output.file(out)).commit();
        try (Duck d = new Duck()) {
            assertEquals(List.of("id INTEGER", "attrs MAP(VARCHAR, BIGINT)"), d.describe(q(out)));
            assertEquals("3", d.one("SELECT attrs['a'] + attrs['b'] FROM " + q(out)));
        }
    }

    @Test
    void explicitAvscSchemaQuarantinesRecordsThatDoNotFit() throws IOException {
        Path avsc =
                write(
                        dir,
                        "s.avsc",
                        "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                                + "{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"c\",\"type\":[\"null\",\"string\"]}]}");
        Path in =
                write(
                        dir,
                        "in.ndjson",
                        ROWS
                                + "{\"id\":\"four\",\"c\":\"x\"}\n{\"id\":5,\"extra\":1}\n{\"c\":\"no id\"}\n");
        Path bad = dir.resolve("bad.ndjson");
        ConversionReport r =
                Conversion.of(in)
                        .schema(avsc)
                        .output(Output.file(dir.resolve("o.parquet")))
                        .quarantine(Output.file(bad))
                        .errorBudget(ErrorBudget.unlimited())
                        .commit();
        assertEquals(3, r.rowsWritten());
        assertEquals(3, r.rowsQuarantined());
        List<String> reasons =
                Fixtures.quarantine(bad).stream().map(n -> n.get("reason").asText()).toList();
        assertTrue(reasons.get(0).contains("\"four\" does not fit INTEGER"), reasons::toString);
        assertTrue(reasons.get(1).contains("unknown field \"extra\""), reasons::toString);
        assertTrue(reasons.get(2).contains("required field \"id\""), reasons::toString);
    }

    @Test
    void policiesAcrossFiles() {
        Path a = write(dir, "a.ndjson", "{\"id\":1,\"v\":1}\n");
        Path b = write(dir, "b.ndjson", "{\"id\":2,\"v\":2.5,\"new\":\"x\"}\n");
        Path bad = dir.resolve("bad.ndjson");

        ConversionReport widen =
                Conversion.of(a, b).output(Output.directory(dir.resolve("w"))).commit();
        assertEquals(DataType.DOUBLE, widen.schema().field("v").orElseThrow().type());
        assertTrue(widen.schema().field("new").isPresent());

        ConversionReport add =
                Conversion.of(a, b)
                        .policy(SchemaPolicy.ADD_COLUMNS)
                        .output(Output.directory(dir.resolve("a")))
                        .quarantine(Output.file(bad))
                        .errorBudget(ErrorBudget.unlimited())
                        .commit();
        assertEquals(DataType.INT, add.schema().field("v").orElseThrow().type());
        assertTrue(add.schema().field("new").isPresent());
        assertEquals(1, add.rowsQuarantined());
        assertTrue(
                add.changes().stream().anyMatch(c -> c.column().equals("new") && c.from() == null));

        ConversionReport strict =
                Conversion.of(a, b)
                        .policy(SchemaPolicy.STRICT)
                        .output(Output.directory(dir.resolve("s")))
                        .quarantine(Output.file(dir.resolve("bad2.ndjson")))
                        .errorBudget(ErrorBudget.unlimited())
                        .commit();
        assertEquals(
                List.of("id", "v"), strict.schema().fields().stream().map(Field::name).toList());
        assertEquals(1, strict.rowsWritten());
        assertEquals(1, strict.rowsQuarantined());
    }

    @Test
    void explicitSchemaWithAddColumnsKeepsDeclaredTypes() {
        StructType declared = DataType.struct(Field.of("id", DataType.LONG));
        Path in = write(dir, "in.ndjson", "{\"id\":1,\"x\":true}\n");
        ConversionReport r =
                Conversion.of(in)
                        .schema(declared)
                        .policy(SchemaPolicy.ADD_COLUMNS)
                        .output(Output.file(dir.resolve("o.parquet")))
                        .commit();
        assertEquals(DataType.LONG, r.schema().field("id").orElseThrow().type());
        assertEquals(DataType.BOOLEAN, r.schema().field("x").orElseThrow().type());
    }

    @Test
    void hivePartitioning() {
        Path in =
                write(dir, "in.ndjson", ROWS + "{\"id\":4,\"c\":null}\n{\"id\":5,\"c\":\"a/b\"}\n");
        Path out = dir.resolve("out");
        ConversionReport r =
                Conversion.of(in).partitionBy("c").output(Output.directory(out)).commit();
        assertEquals(4, r.files().size());
        assertTrue(Files.isDirectory(out.resolve("c=DE")));
        assertTrue(Files.isDirectory(out.resolve("c=__HIVE_DEFAULT_PARTITION__")));
        assertTrue(Files.isDirectory(out.resolve("c=a%2Fb")));
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("1", "DE"), List.of("3", "DE")),
                    d.rows(
                            "SELECT id, c FROM read_parquet('"
                                    + out
                                    + "/**/*.parquet', hive_partitioning=true) WHERE c = 'DE' ORDER BY id"));
        }
    }

    @Test
    void filesRollAtTheTargetSizeAndHoldManyRowGroups() throws IOException {
        StringBuilder sb = new StringBuilder();
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < 60_000; i++) {
            sb.append("{\"i\":")
                    .append(i)
                    .append(",\"s\":\"")
                    .append(Long.toHexString(rnd.nextLong()))
                    .append(Long.toHexString(rnd.nextLong()))
                    .append("\"}\n");
        }
        Path in = write(dir, "big.ndjson", sb.toString());
        Path out = dir.resolve("out");
        ConversionReport r =
                Conversion.of(in)
                        .threads(1)
                        .targetFileSize(256 << 10)
                        .rowGroup(5_000, 1 << 20)
                        .compression(Compression.SNAPPY)
                        .output(Output.directory(out))
                        .commit();
        assertTrue(r.files().size() >= 3, "files: " + r.files().size());
        long rows = 0;
        int multi = 0;
        for (OutputFileInfo f : r.files()) {
            rows += f.rows();
            multi += f.rowGroups() >= 2 ? 1 : 0;
            assertEquals(Files.size(Path.of(f.location())), f.bytes());
        }
        // every file but the last one of the roll holds several row groups
        assertTrue(multi >= r.files().size() - 1, r.files()::toString);
        assertEquals(60_000, rows);
        ParquetReadBack.Contents c = ParquetReadBack.read(Path.of(r.files().get(0).location()));
        assertEquals("SNAPPY", c.codec());
        try (Duck d = new Duck()) {
            assertEquals("60000", d.one("SELECT count(DISTINCT i) FROM '" + out + "/*.parquet'"));
        }
    }

    @Test
    void everyCodecIsReadableByDuckDb() {
        for (Compression c : Compression.values()) {
            Path out = dir.resolve("c-" + c + ".parquet");
            Conversion.of(write(dir, "in.ndjson", ROWS))
                    .compression(c)
                    .output(Output.file(out))
                    .commit();
            try (Duck d = new Duck()) {
                assertEquals("6", d.one("SELECT sum(id) FROM " + q(out)), c.toString());
            }
        }
    }

    @Test
    void progressReportsBytesAndRows() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append("{\"i\":").append(i).append("}\n");
        }
        Path in = write(dir, "in.ndjson", sb.toString());
        List<Progress> seen = new CopyOnWriteArrayList<>();
        Conversion.of(in)
                .progress(seen::add)
                .output(Output.file(dir.resolve("o.parquet")))
                .commit();
        Progress last = seen.get(seen.size() - 1);
        assertEquals("done", last.phase());
        assertEquals(20_000, last.rowsDone());
        assertEquals(last.bytesTotal(), last.bytesDone());
        assertEquals(Double.valueOf(1.0), last.fraction().orElseThrow());
    }

    @Test
    void outputOfManyThreadsHoldsEveryRowOnce() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            sb.append("{\"i\":")
                    .append(i)
                    .append(",\"pad\":\"")
                    .append("x".repeat(i % 40))
                    .append("\"}\n");
        }
        Path in = write(dir, "in.ndjson", sb.toString());
        Path out = dir.resolve("out");
        ConversionReport r = Conversion.of(in).threads(3).output(Output.directory(out)).commit();
        assertEquals(200_000, r.rowsWritten());
        try (Duck d = new Duck()) {
            assertEquals(
                    List.of(List.of("200000", "200000", "0", "199999")),
                    d.rows(
                            "SELECT count(*), count(DISTINCT i), min(i), max(i) FROM '"
                                    + out
                                    + "/*.parquet'"));
        }
        List<Path> names = new ArrayList<>();
        try (var w = Files.list(out)) {
            w.forEach(names::add);
        }
        assertTrue(
                names.stream().allMatch(p -> p.getFileName().toString().endsWith(".parquet")),
                names::toString);
    }
}
