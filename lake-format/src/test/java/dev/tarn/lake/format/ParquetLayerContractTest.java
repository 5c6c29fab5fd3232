package dev.tarn.lake.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tarn.lake.format.parquet.ParquetCodecs;
import dev.tarn.lake.format.parquet.ParquetFiles;
import dev.tarn.lake.format.parquet.RowWriter;
import dev.tarn.lake.format.parquet.Rows;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.StructType;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.format.ColumnIndex;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.OffsetIndex;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the Parquet layer ({@code dev.tarn.lake.format.parquet} and the encoder behind it) relies on
 * in parquet-java, pinned so that an upgrade which changes any of it fails here rather than in a
 * table operation: the classes, constructors and methods it calls, the interfaces it implements (an
 * added abstract method would leave its classes incomplete), the codec, encoding and page-type
 * names it maps by name; and every codec round-tripped both ways through parquet-java's own file
 * reader and writer, with DuckDB's decompressors as the independent check of the compressed bytes
 * (Hadoop's codec classes cannot load on this module's test class path).
 */
class ParquetLayerContractTest {
    @TempDir Path dir;

    @Test
    void theParquetJavaApiTheLayerCalls() throws Exception {
        // the reader (ParquetFiles)
        assertNotNull(Util.class.getMethod("readPageHeader", InputStream.class));
        assertNotNull(ParquetMetadataConverter.class.getConstructor());
        assertNotNull(
                ParquetMetadataConverter.class.getMethod(
                        "readParquetMetadata",
                        InputStream.class,
                        ParquetMetadataConverter.MetadataFilter.class));
        assertNotNull(ParquetMetadataConverter.NO_FILTER);
        assertNotNull(
                DataPageV1.class.getConstructor(
                        BytesInput.class,
                        int.class,
                        int.class,
                        Statistics.class,
                        Encoding.class,
                        Encoding.class,
                        Encoding.class));
        assertNotNull(
                DataPageV2.class.getMethod(
                        "uncompressed",
                        int.class,
                        int.class,
                        int.class,
                        BytesInput.class,
                        BytesInput.class,
                        Encoding.class,
                        BytesInput.class,
                        Statistics.class));
        assertNotNull(
                DictionaryPage.class.getConstructor(BytesInput.class, int.class, Encoding.class));
        assertNotNull(Statistics.class.getMethod("getBuilderForReading", PrimitiveType.class));
        assertNotNull(ColumnIOFactory.class.getMethod("getColumnIO", MessageType.class));
        assertNotNull(
                MessageColumnIO.class.getMethod(
                        "getRecordReader", PageReadStore.class, RecordMaterializer.class));
        assertNotNull(GroupRecordConverter.class.getConstructor(MessageType.class));
        for (String m :
                List.of("getStartingPos", "getTotalSize", "getValueCount", "getCodec", "getPath")) {
            assertNotNull(ColumnChunkMetaData.class.getMethod(m), m);
        }
        // the writer (ParquetFile, Column): parquet-format's Thrift structures and their
        // serialisation
        assertNotNull(
                Util.class.getMethod("writePageHeader", PageHeader.class, OutputStream.class));
        assertNotNull(
                Util.class.getMethod("writeColumnIndex", ColumnIndex.class, OutputStream.class));
        assertNotNull(
                Util.class.getMethod("writeOffsetIndex", OffsetIndex.class, OutputStream.class));
        assertNotNull(
                Util.class.getMethod("writeFileMetaData", FileMetaData.class, OutputStream.class));
        // what the layer implements
        assertEquals(Set.of("getPageReader", "getRowCount"), abstractMethods(PageReadStore.class));
        assertEquals(
                Set.of("readDictionaryPage", "getTotalValueCount", "readPage"),
                abstractMethods(PageReader.class));
        assertEquals(
                Set.of("getCompressor", "getDecompressor", "release"),
                abstractMethods(CompressionCodecFactory.class));
        assertEquals(
                Set.of("compress", "getCodecName", "release"),
                abstractMethods(CompressionCodecFactory.BytesInputCompressor.class));
        assertEquals(
                Set.of("decompress", "release"),
                abstractMethods(CompressionCodecFactory.BytesInputDecompressor.class));
        assertEquals(
                Set.of("getCurrentRecord", "getRootConverter"),
                abstractMethods(RecordMaterializer.class));
        assertEquals(Set.of("getConverter", "start", "end"), abstractMethods(GroupConverter.class));
        assertEquals(Set.of(), abstractMethods(PrimitiveConverter.class));
    }

    @Test
    void theNamesTheLayerMapsByName() {
        for (Compression c : Compression.values()) {
            assertEquals(c.name(), CompressionCodecName.valueOf(c.name()).name());
            assertEquals(c.name(), CompressionCodec.valueOf(c.name()).name());
        }
        Set<String> unmapped = new TreeSet<>();
        for (org.apache.parquet.format.Encoding e : org.apache.parquet.format.Encoding.values()) {
            try {
                Encoding.valueOf(e.name());
            } catch (IllegalArgumentException x) {
                unmapped.add(e.name());
            }
        }
        assertEquals(
                Set.of(),
                unmapped,
                "parquet-format encodings without a parquet-column encoding of that name");
        for (String t : List.of("DICTIONARY_PAGE", "DATA_PAGE", "DATA_PAGE_V2")) {
            assertEquals(t, PageType.valueOf(t).name());
        }
    }

    private static final StructType SCHEMA =
            DataType.struct(
                    Field.of("id", DataType.LONG),
                    Field.of("name", DataType.STRING),
                    Field.of("amount", DataType.decimal(20, 2)),
                    Field.of("day", DataType.DATE),
                    Field.of("at", DataType.TIMESTAMP),
                    Field.of("tags", DataType.map(DataType.STRING, DataType.STRING)),
                    Field.of("xs", DataType.list(DataType.INT)),
                    Field.of(
                            "s",
                            DataType.struct(
                                    Field.of("a", DataType.INT), Field.of("b", DataType.STRING))));

    private static Object[] row(int i) {
        return new Object[] {
            (long) i,
            i % 7 == 0 ? null : "name-" + (i % 50),
            i % 5 == 0 ? null : new BigDecimal(i).movePointLeft(2),
            20_000 + i % 30,
            1_700_000_000_000_000L + i,
            i % 3 == 0
                    ? null
                    : new Object[] {new Object[] {"k", "v" + i}, new Object[] {"n", null}},
            i % 4 == 0 ? new Object[0] : new Object[] {i, null, i + 1},
            i % 6 == 0 ? null : new Object[] {i, "b" + i}
        };
    }

    /** Tarn writes with each codec; parquet-java, with its own codecs, reads it back. */
    @ParameterizedTest
    @EnumSource(Compression.class)
    void eachCodecWrittenByTheLayerIsReadByParquetJava(Compression codec) throws Exception {
        MemoryStore store = new MemoryStore();
        int n = 3000;
        ObjectStat stat;
        try (RowWriter w =
                RowWriter.create(store, "t/f.parquet", SCHEMA, codec, Map.of("origin", "test"))) {
            for (int i = 0; i < n; i++) {
                w.write(row(i));
            }
            stat = w.commit();
        }
        Path file = dir.resolve("f.parquet");
        Files.write(file, store.getBytes("t/f.parquet"));
        ParquetReadOptions opts =
                ParquetReadOptions.builder(new PlainParquetConfiguration())
                        .withCodecFactory(new ParquetCodecs(3))
                        .build();
        List<Object[]> rows = new ArrayList<>();
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), opts)) {
            assertEquals(
                    CompressionCodecName.valueOf(codec.name()),
                    r.getFooter().getBlocks().get(0).getColumns().get(0).getCodec());
            assertEquals(
                    "test", r.getFooter().getFileMetaData().getKeyValueMetaData().get("origin"));
            MessageType schema = r.getFooter().getFileMetaData().getSchema();
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
            PageReadStore pages;
            while ((pages = r.readNextRowGroup()) != null) {
                RecordReader<Object[]> rr =
                        io.getRecordReader(pages, Rows.materializer(schema, SCHEMA));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    rows.add(rr.read());
                }
            }
        }
        assertEquals(n, rows.size());
        for (int i = 0; i < n; i++) {
            assertRow(row(i), rows.get(i), i);
        }
        // DuckDB, with its own codecs, reads the same values
        try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement st = duck.createStatement();
                java.sql.ResultSet rs =
                        st.executeQuery(
                                "SELECT count(*), sum(id), count(name), sum(amount),"
                                        + " sum(len(xs)), sum(s.a) FROM read_parquet('"
                                        + file
                                        + "')")) {
            rs.next();
            long ids = 0;
            long names = 0;
            BigDecimal amounts = BigDecimal.ZERO;
            long lens = 0;
            long as = 0;
            for (int i = 0; i < n; i++) {
                Object[] r = row(i);
                ids += i;
                names += r[1] == null ? 0 : 1;
                amounts = r[2] == null ? amounts : amounts.add((BigDecimal) r[2]);
                lens += ((Object[]) r[6]).length;
                as += r[7] == null ? 0 : (Integer) ((Object[]) r[7])[0];
            }
            assertEquals(n, rs.getLong(1));
            assertEquals(ids, rs.getLong(2));
            assertEquals(names, rs.getLong(3));
            assertEquals(0, amounts.compareTo(rs.getBigDecimal(4)));
            assertEquals(lens, rs.getLong(5));
            assertEquals(as, rs.getLong(6));
        }
        // and the layer's own reader agrees
        ParquetMetadata footer = ParquetFiles.footer(store, stat);
        List<Object[]> own = new ArrayList<>();
        ParquetFiles.forEachRow(store, stat, footer, SCHEMA, own::add);
        for (int i = 0; i < n; i++) {
            assertRow(row(i), own.get(i), i);
        }
    }

    /** parquet-java writes with each codec, V1 and V2 pages; the layer's reader reads it. */
    @ParameterizedTest
    @EnumSource(Compression.class)
    void eachCodecWrittenByParquetJavaIsReadByTheLayer(Compression codec) throws Exception {
        MessageType schema =
                MessageTypeParser.parseMessageType(
                        "message m { required int64 id; optional binary"
                                + " name (STRING); optional group xs (LIST) { repeated group list { optional int32 element; } }"
                                + " optional int64 ms (TIMESTAMP(MILLIS,true)); optional int96 old; optional int64 d (DECIMAL(12,2)); }");
        for (ParquetProperties.WriterVersion version : ParquetProperties.WriterVersion.values()) {
            Path file = dir.resolve(codec + "-" + version + ".parquet");
            SimpleGroupFactory f = new SimpleGroupFactory(schema);
            try (ParquetWriter<Group> w =
                    ExampleParquetWriter.builder(new LocalOutputFile(file))
                            .withType(schema)
                            .withConf(new PlainParquetConfiguration())
                            .withWriterVersion(version)
                            .withCodecFactory(new ParquetCodecs(3))
                            .withCompressionCodec(CompressionCodecName.valueOf(codec.name()))
                            .withPageRowCountLimit(500)
                            .build()) {
                for (int i = 0; i < 2000; i++) {
                    Group g = f.newGroup().append("id", (long) i);
                    if (i % 3 != 0) {
                        g.append("name", "n" + (i % 40));
                    }
                    Group list = g.addGroup("xs");
                    list.addGroup("list").append("element", i);
                    list.addGroup("list");
                    g.append("ms", 1_700_000_000_000L + i);
                    // INT96: nanoseconds of the day, then the Julian day (2440588 is 1970-01-01),
                    // little-endian
                    java.nio.ByteBuffer b =
                            java.nio.ByteBuffer.allocate(12)
                                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    b.putLong(i * 1000L).putInt(2_440_589);
                    g.append("old", Binary.fromConstantByteArray(b.array()));
                    g.append("d", (long) i * 7);
                    w.write(g);
                }
            }
            MemoryStore store = new MemoryStore();
            store.put(
                    "p.parquet", Files.readAllBytes(file), dev.tarn.lake.storage.WriteMode.CREATE);
            ObjectStat stat = store.stat("p.parquet").orElseThrow();
            StructType tarn =
                    DataType.struct(
                            Field.of("id", DataType.LONG),
                            Field.of("name", DataType.STRING),
                            Field.of("xs", DataType.list(DataType.INT)),
                            Field.of("ms", DataType.TIMESTAMP),
                            Field.of("old", DataType.TIMESTAMP),
                            Field.of("d", DataType.decimal(12, 2)));
            List<Object[]> rows = new ArrayList<>();
            ParquetFiles.forEachRow(store, stat, ParquetFiles.footer(store, stat), tarn, rows::add);
            // fields the struct lacks are read and dropped; one the file lacks is null
            List<Object[]> narrow = new ArrayList<>();
            ParquetFiles.forEachRow(
                    store,
                    stat,
                    ParquetFiles.footer(store, stat),
                    DataType.struct(
                            Field.of("missing", DataType.INT), Field.of("name", DataType.STRING)),
                    narrow::add);
            assertEquals(2000, narrow.size());
            assertEquals(null, narrow.get(5)[0]);
            assertEquals("n5", text(narrow.get(5)[1]));
            List<Group> groups = new ArrayList<>();
            ParquetFiles.forEachRow(store, stat, ParquetFiles.footer(store, stat), groups::add);
            assertEquals(2000, groups.size());
            assertEquals(1999L, groups.get(1999).getLong("id", 0));
            assertEquals(2000, rows.size(), codec + " " + version);
            for (int i = 0; i < 2000; i++) {
                Object[] r = rows.get(i);
                assertEquals((long) i, r[0]);
                assertEquals(
                        i % 3 != 0 ? "n" + (i % 40) : null,
                        text(r[1]),
                        codec + " " + version + " row " + i);
                assertArrayEquals(new Object[] {i, null}, (Object[]) r[2]);
                assertEquals((1_700_000_000_000L + i) * 1000, r[3]);
                assertEquals(86_400_000_000L + i, r[4]);
                // a DECIMAL(12,2) in INT64 is stored as the writer stores it: its unscaled Long
                // passes through
                assertEquals(i * 7L, r[5]);
            }
        }
    }

    private static void assertRow(Object[] expected, Object[] actual, int i) {
        assertEquals(expected[0], actual[0], "id of row " + i);
        assertEquals(expected[1], text(actual[1]), "name of row " + i);
        assertEquals(expected[2], actual[2], "amount of row " + i);
        assertEquals(expected[3], actual[3], "day of row " + i);
        assertEquals(expected[4], actual[4], "at of row " + i);
        assertEquals(deep(expected[5]), deep(actual[5]), "tags of row " + i);
        assertEquals(deep(expected[6]), deep(actual[6]), "xs of row " + i);
        assertEquals(deep(expected[7]), deep(actual[7]), "s of row " + i);
    }

    private static String text(Object v) {
        return v == null
                ? null
                : v instanceof org.apache.parquet.io.api.Binary b
                        ? b.toStringUsingUTF8()
                        : v.toString();
    }

    private static String deep(Object v) {
        if (v instanceof Object[] a) {
            List<String> parts = new ArrayList<>();
            for (Object o : a) {
                parts.add(deep(o));
            }
            return parts.toString();
        }
        return text(v);
    }

    private static Set<String> abstractMethods(Class<?> c) {
        Set<String> out = new TreeSet<>();
        for (Method m : c.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers())) {
                out.add(m.getName());
            }
        }
        return out;
    }
}
