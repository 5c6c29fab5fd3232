package dev.tarn.lake.format.internal.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.format.internal.write.Staged;
import dev.tarn.lake.format.parquet.ParquetCodecs;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.StructType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The column encoder against two independent readers (parquet-java's record reader and DuckDB),
 * with the footer's statistics checked against values computed here from the rows written.
 */
class RowFileTest {
    @TempDir Path dir;

    private static final DataType DEC9 = DataType.decimal(9, 2);
    private static final DataType DEC18 = DataType.decimal(18, 3);
    private static final DataType DEC30 = DataType.decimal(30, 4);

    // ------------------------------------------------------------------ tests

    @Test
    void flatTypesReadBackEqualWithCorrectStatisticsPerRowGroup() throws Exception {
        StructType schema =
                DataType.struct(
                        Field.of("s", DataType.STRING),
                        Field.of("i", DataType.INT),
                        Field.of("l", DataType.LONG),
                        Field.of("d", DataType.DOUBLE),
                        Field.of("b", DataType.BOOLEAN),
                        Field.of("day", DataType.DATE),
                        Field.of("dec9", DEC9),
                        Field.of("dec18", DEC18),
                        Field.of("dec30", DEC30),
                        Field.of("raw", DataType.BINARY),
                        Field.of("id", DataType.STRING));
        Random rnd = new Random(7);
        List<Object[]> rows = new ArrayList<>();
        for (int n = 0; n < 50_000; n++) {
            rows.add(
                    new Object[] {
                        maybe(rnd, text(rnd)),
                        maybe(rnd, rnd.nextInt(2001) - 1000),
                        maybe(rnd, rnd.nextLong()),
                        maybe(
                                rnd,
                                rnd.nextInt(10) == 0
                                        ? (rnd.nextBoolean() ? -0.0 : 0.0)
                                        : rnd.nextGaussian() * 1e6),
                        maybe(rnd, rnd.nextBoolean()),
                        maybe(rnd, rnd.nextInt(40000) - 20000),
                        maybe(rnd, BigDecimal.valueOf(rnd.nextInt(2_000_000) - 1_000_000, 2)),
                        maybe(rnd, BigDecimal.valueOf(rnd.nextLong() / 1000, 3)),
                        maybe(
                                rnd,
                                new BigDecimal(
                                        new BigInteger(96, rnd)
                                                .subtract(BigInteger.ONE.shiftLeft(95)),
                                        4)),
                        maybe(rnd, bytes(rnd)),
                        // distinct, as a Binary slice of a larger array (as the parsers hand over
                        // text)
                        slice("id-" + n + "-" + rnd.nextInt())
                    });
        }
        ParquetRows.Settings s = new ParquetRows.Settings();
        s.rowGroupRows = 20_000;
        s.noDictionary = java.util.Set.of("id");
        Path f = write(schema, rows, s);

        assertEquals(normalize(schema, rows), readBack(f));
        checkStatistics(f, schema, rows, 20_000);
        try (ParquetFileReader r = reader(f)) {
            assertEquals(3, r.getFooter().getBlocks().size());
            for (BlockMetaData b : r.getFooter().getBlocks()) {
                assertTrue(
                        chunk(b, "s").getEncodings().contains(Encoding.PLAIN_DICTIONARY),
                        "low-cardinality text");
                assertFalse(
                        chunk(b, "id").getEncodings().contains(Encoding.PLAIN_DICTIONARY),
                        "disabled by name");
                assertFalse(
                        chunk(b, "l").hasDictionaryPage(),
                        "random longs: the dictionary does not pay");
                assertTrue(chunk(b, "i").hasDictionaryPage(), "2001 distinct ints in 20k rows");
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT count(*), count(s), min(s), max(s), sum(i), sum(l::HUGEINT), "
                                        + "sum(dec9), sum(dec30), count(DISTINCT id), count(b) FILTER (WHERE b) FROM '"
                                        + f
                                        + "'")) {
            rs.next();
            assertEquals(rows.size(), rs.getLong(1));
            assertEquals(rows.stream().filter(r -> r[0] != null).count(), rs.getLong(2));
            Comparator<String> utf8 =
                    Comparator.comparing(
                            x -> x.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned);
            assertEquals(
                    rows.stream().map(r -> (String) r[0]).filter(x -> x != null).min(utf8).get(),
                    rs.getString(3));
            assertEquals(
                    rows.stream().map(r -> (String) r[0]).filter(x -> x != null).max(utf8).get(),
                    rs.getString(4));
            assertEquals(
                    rows.stream().filter(r -> r[1] != null).mapToLong(r -> (Integer) r[1]).sum(),
                    rs.getLong(5));
            assertEquals(
                    rows.stream()
                            .filter(r -> r[2] != null)
                            .map(r -> BigInteger.valueOf((Long) r[2]))
                            .reduce(BigInteger.ZERO, BigInteger::add)
                            .toString(),
                    rs.getString(6));
            assertEquals(
                    0,
                    rows.stream()
                            .filter(r -> r[6] != null)
                            .map(r -> (BigDecimal) r[6])
                            .reduce(BigDecimal.ZERO, BigDecimal::add)
                            .compareTo(rs.getBigDecimal(7)));
            assertEquals(
                    0,
                    rows.stream()
                            .filter(r -> r[8] != null)
                            .map(r -> (BigDecimal) r[8])
                            .reduce(BigDecimal.ZERO, BigDecimal::add)
                            .compareTo(rs.getBigDecimal(8)));
            assertEquals(rows.size(), rs.getLong(9));
            assertEquals(
                    rows.stream().filter(r -> Boolean.TRUE.equals(r[4])).count(), rs.getLong(10));
        }
    }

    @Test
    void dictionaryThatOverflowsMidChunkFallsBackToPlain() throws Exception {
        StructType schema =
                DataType.struct(Field.of("s", DataType.STRING), Field.of("n", DataType.LONG));
        List<Object[]> rows = new ArrayList<>();
        for (int k = 0; k < 45_000; k++) {
            // repeated values for more than two pages (the dictionary pays), then distinct ones
            // until it overflows
            boolean repeated = k < 45_000 / 2;
            rows.add(
                    new Object[] {
                        repeated ? "v" + (k % 10) : "distinct value number " + k,
                        repeated ? (long) (k % 7) : 1_000_000L + k
                    });
        }
        ParquetRows.Settings s = new ParquetRows.Settings();
        s.dictionaryBytes = 64 << 10;
        Path f = write(schema, rows, s);

        assertEquals(normalize(schema, rows), readBack(f));
        checkStatistics(f, schema, rows, Integer.MAX_VALUE);
        try (ParquetFileReader r = reader(f)) {
            assertEquals(1, r.getFooter().getBlocks().size());
            for (String col : List.of("s", "n")) {
                ColumnChunkMetaData c = chunk(r.getFooter().getBlocks().get(0), col);
                assertTrue(c.hasDictionaryPage(), col);
                assertTrue(
                        c.getEncodings().contains(Encoding.PLAIN_DICTIONARY),
                        col + " " + c.getEncodings());
                assertTrue(c.getEncodings().contains(Encoding.PLAIN), col + " " + c.getEncodings());
            }
        }
        assertEquals(
                List.of(List.of("45000", "22510", "distinct value number 22500", "v9", "1044999")),
                duck(
                        "SELECT count(*), count(DISTINCT s), min(s), max(s), max(n) FROM '"
                                + f
                                + "'"));
    }

    @Test
    void distinctLongStringsNeverUseTheDictionary() throws Exception {
        StructType schema = DataType.struct(Field.of("s", DataType.STRING));
        List<Object[]> rows = new ArrayList<>();
        Random rnd = new Random(3);
        for (int k = 0; k < 3_000; k++) {
            char[] c = new char[1 + rnd.nextInt(5000)];
            Arrays.fill(c, (char) ('a' + rnd.nextInt(26)));
            rows.add(new Object[] {k + new String(c) + "\u00e9\u4e16\uD83D\uDE00"});
        }
        rows.add(new Object[] {""});
        Path f = write(schema, rows, new ParquetRows.Settings());
        assertEquals(normalize(schema, rows), readBack(f));
        checkStatistics(f, schema, rows, Integer.MAX_VALUE);
        try (ParquetFileReader r = reader(f)) {
            ColumnChunkMetaData c = chunk(r.getFooter().getBlocks().get(0), "s");
            assertFalse(c.hasDictionaryPage());
            // ~7.5 MB of text in 1 MiB pages
            assertTrue(
                    r.readOffsetIndex(c).getPageCount() >= 6,
                    "pages: " + r.readOffsetIndex(c).getPageCount());
            assertEquals("", ((Binary) c.getStatistics().genericGetMin()).toStringUsingUTF8());
        }
    }

    @Test
    void plainTextBoundsOrderBytesUnsignedIncludingTiesInTheFirstEightBytes() throws Exception {
        StructType schema = DataType.struct(Field.of("s", DataType.STRING));
        String[] values = {
            "abcdefgh1",
            "abcdefgh0",
            "abcdefg",
            "a\u0000",
            "a",
            "a\u0000\u0000\u0000\u0000\u0000\u0000\u0000b",
            "\u00ff\u00ff",
            "\u00ffa",
            "zzzzzzzzzzzz",
            "zzzzzzzzzzzzz",
            "zzzzzzzz",
            "b"
        };
        for (int rotate = 0; rotate < values.length; rotate++) {
            List<Object[]> rows = new ArrayList<>();
            for (int k = 0; k < values.length; k++) {
                rows.add(new Object[] {values[(k + rotate) % values.length]});
            }
            ParquetRows.Settings s = new ParquetRows.Settings();
            s.noDictionary = java.util.Set.of("s");
            Path f = write(schema, rows, s);
            checkStatistics(f, schema, rows, Integer.MAX_VALUE);
            try (ParquetFileReader r = reader(f)) {
                Statistics<?> st = chunk(r.getFooter().getBlocks().get(0), "s").getStatistics();
                assertEquals("a", ((Binary) st.genericGetMin()).toStringUsingUTF8());
                assertEquals("\u00ff\u00ff", ((Binary) st.genericGetMax()).toStringUsingUTF8());
            }
        }
    }

    @Test
    void allNullColumnsHaveNullCountsAndNoBounds() throws Exception {
        StructType schema =
                DataType.struct(
                        Field.of("s", DataType.STRING),
                        Field.of("i", DataType.INT),
                        Field.of("d", DataType.DOUBLE),
                        Field.of("g", DataType.struct(Field.of("x", DataType.LONG))),
                        Field.of("t", DataType.list(DataType.STRING)),
                        Field.of("k", DataType.INT));
        List<Object[]> rows = new ArrayList<>();
        for (int k = 0; k < 1_000; k++) {
            rows.add(
                    new Object[] {
                        null,
                        null,
                        null,
                        k % 2 == 0 ? null : new Object[] {null},
                        k % 3 == 0 ? null : new Object[0],
                        k
                    });
        }
        Path f = write(schema, rows, new ParquetRows.Settings());
        assertEquals(normalize(schema, rows), readBack(f));
        try (ParquetFileReader r = reader(f)) {
            for (ColumnChunkMetaData c : r.getFooter().getBlocks().get(0).getColumns()) {
                if (c.getPath().toDotString().equals("k")) {
                    continue;
                }
                Statistics<?> st = c.getStatistics();
                assertEquals(1_000, st.getNumNulls(), c.getPath().toDotString());
                assertFalse(st.hasNonNullValue(), c.getPath().toDotString());
            }
        }
        assertEquals(
                List.of(List.of("1000", "0", "500", "666", "0")),
                duck(
                        "SELECT count(*), count(s), count(g), count(t), sum(len(t)) FROM '"
                                + f
                                + "'"));
    }

    @Test
    void nestedStructsAndListsReadBackWithTheirLevels() throws Exception {
        StructType point =
                DataType.struct(
                        Field.of("x", DataType.INT),
                        Field.of("names", DataType.list(DataType.STRING)));
        StructType schema =
                DataType.struct(
                        Field.of("id", DataType.INT),
                        Field.of(
                                "geo",
                                DataType.struct(
                                        Field.of("city", DataType.STRING),
                                        Field.of(
                                                "pt",
                                                DataType.struct(
                                                        Field.of("lat", DataType.DOUBLE),
                                                        Field.of("lon", DataType.DOUBLE))))),
                        Field.of("tags", DataType.list(DataType.STRING)),
                        Field.of("pts", DataType.list(point)),
                        Field.of("matrix", DataType.list(DataType.list(DataType.LONG))));
        Random rnd = new Random(11);
        List<Object[]> rows = new ArrayList<>();
        for (int id = 0; id < 30_000; id++) {
            rows.add(
                    new Object[] {
                        id,
                        maybe(
                                rnd,
                                new Object[] {
                                    maybe(rnd, "city" + rnd.nextInt(50)),
                                    maybe(
                                            rnd,
                                            new Object[] {
                                                maybe(rnd, rnd.nextInt(100) + 0.5),
                                                maybe(rnd, -rnd.nextInt(100) - 0.25)
                                            })
                                }),
                        maybe(rnd, list(rnd, 4, () -> maybe(rnd, "t" + rnd.nextInt(5)))),
                        maybe(
                                rnd,
                                list(
                                        rnd,
                                        3,
                                        () ->
                                                maybe(
                                                        rnd,
                                                        new Object[] {
                                                            maybe(rnd, rnd.nextInt(9)),
                                                            maybe(
                                                                    rnd,
                                                                    list(
                                                                            rnd,
                                                                            3,
                                                                            () ->
                                                                                    maybe(
                                                                                            rnd,
                                                                                            "n"
                                                                                                    + rnd
                                                                                                            .nextInt(
                                                                                                                    3))))
                                                        }))),
                        maybe(
                                rnd,
                                list(
                                        rnd,
                                        3,
                                        () ->
                                                maybe(
                                                        rnd,
                                                        list(
                                                                rnd,
                                                                3,
                                                                () ->
                                                                        maybe(
                                                                                rnd,
                                                                                (long)
                                                                                        rnd.nextInt(
                                                                                                1000))))))
                    });
        }
        ParquetRows.Settings s = new ParquetRows.Settings();
        s.rowGroupRows = 12_000;
        Path f = write(schema, rows, s);

        assertEquals(normalize(schema, rows), readBack(f));
        checkStatistics(f, schema, rows, 12_000);
        try (ParquetFileReader r = reader(f)) {
            BlockMetaData b = r.getFooter().getBlocks().get(0);
            OffsetIndex oi = r.readOffsetIndex(chunk(b, "matrix.list.element.list.element"));
            assertTrue(oi.getPageCount() > 1, "pages split at row boundaries");
            for (int p = 1; p < oi.getPageCount(); p++) {
                assertTrue(oi.getFirstRowIndex(p) > oi.getFirstRowIndex(p - 1));
            }
        }
        // DuckDB renders each value as JSON; the same rendering of the rows written must come out
        List<List<String>> got =
                duck(
                        "SELECT to_json(geo), to_json(tags), to_json(pts), to_json(matrix) FROM '"
                                + f
                                + "' ORDER BY id");
        assertEquals(rows.size(), got.size());
        for (int k = 0; k < rows.size(); k++) {
            Object[] row = rows.get(k);
            List<String> want = new ArrayList<>();
            want.add(json(schema.fields().get(1).type(), row[1]));
            want.add(json(schema.fields().get(2).type(), row[2]));
            want.add(json(schema.fields().get(3).type(), row[3]));
            want.add(json(schema.fields().get(4).type(), row[4]));
            assertEquals(want, got.get(k), "row " + k);
        }
    }

    @Test
    void writesTheDataSizeAndRowGroupCountTheRollerUses() throws Exception {
        StructType schema = DataType.struct(Field.of("s", DataType.STRING));
        ParquetRows.Settings s = new ParquetRows.Settings();
        s.rowGroupRows = 1_000;
        Path target = dir.resolve("g.parquet");
        Staged.Local st = Staged.Local.create(dir.resolve("g.tmp"), target);
        RowFile w = new RowFile(st, schema, s, Map.of(), new ParquetCodecs(3));
        long flushed = 0;
        for (int k = 0; k < 5_500; k++) {
            w.write(new Object[] {"value " + k});
            if (k == 4_999) {
                flushed = w.dataSize();
            }
            assertTrue(w.dataSize() > 4, "the magic and what is buffered");
        }
        assertTrue(w.dataSize() > flushed, "buffered rows count");
        w.close();
        st.commit();
        assertEquals(6, w.rowGroups());
        try (ParquetFileReader r = reader(target)) {
            assertEquals(6, r.getFooter().getBlocks().size());
            // five row groups were on disk (nothing buffered) after 5,000 rows
            assertEquals(r.getFooter().getBlocks().get(5).getStartingPos(), flushed);
            assertEquals(
                    "tarn",
                    r.getFooter().getFileMetaData().getKeyValueMetaData().get("writer.model.name"));
            // a writer name parquet-java can parse, so it trusts the text statistics
            assertEquals(
                    "tarn lake-format version " + dev.tarn.lake.Tarn.VERSION + " (build tarn)",
                    r.getFooter().getFileMetaData().getCreatedBy());
            assertNotEquals("dev", dev.tarn.lake.Tarn.VERSION, "the build's own version");
        }
    }

    // ------------------------------------------------------------------ writing and reading

    private Path write(DataType schema, List<Object[]> rows, ParquetRows.Settings s)
            throws Exception {
        Path target = dir.resolve("t" + System.nanoTime() + ".parquet");
        Staged.Local st = Staged.Local.create(dir.resolve(target.getFileName() + ".tmp"), target);
        ParquetCodecs codecs = new ParquetCodecs(3);
        RowFile w = new RowFile(st, schema, s, Map.of(), codecs);
        for (Object[] r : rows) {
            w.write(r);
        }
        w.close();
        st.commit();
        codecs.close();
        return target;
    }

    private static ParquetFileReader reader(Path f) throws Exception {
        return ParquetFileReader.open(
                new LocalInputFile(f),
                ParquetReadOptions.builder(new PlainParquetConfiguration())
                        .withCodecFactory(new ParquetCodecs(3))
                        .build());
    }

    private static ColumnChunkMetaData chunk(BlockMetaData b, String path) {
        return b.getColumns().stream()
                .filter(c -> c.getPath().toDotString().equals(path))
                .findFirst()
                .orElseThrow();
    }

    private static List<List<String>> duck(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<List<String>> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
            return out;
        }
    }

    /** Rows as read by parquet-java's example record model, in the shape of {@link #normalize}. */
    private static List<List<Object>> readBack(Path f) throws Exception {
        ParquetReadBack.Contents c = ParquetReadBack.read(f);
        List<List<Object>> out = new ArrayList<>();
        for (Group g : c.rows()) {
            out.add(fromGroup(g, c.schema()));
        }
        return out;
    }

    private static List<Object> fromGroup(Group g, GroupType t) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < t.getFieldCount(); i++) {
            out.add(g.getFieldRepetitionCount(i) == 0 ? null : fromField(g, i, t.getType(i)));
        }
        return out;
    }

    private static Object fromField(Group g, int i, Type t) {
        if (!t.isPrimitive()) {
            Group sub = g.getGroup(i, 0);
            if (t.getLogicalTypeAnnotation()
                    instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
                GroupType item = t.asGroupType().getType(0).asGroupType();
                List<Object> items = new ArrayList<>();
                for (int k = 0; k < sub.getFieldRepetitionCount(0); k++) {
                    Group it = sub.getGroup(0, k);
                    items.add(
                            it.getFieldRepetitionCount(0) == 0
                                    ? null
                                    : fromField(it, 0, item.getType(0)));
                }
                return items;
            }
            return fromGroup(sub, t.asGroupType());
        }
        PrimitiveType p = t.asPrimitiveType();
        LogicalTypeAnnotation la = p.getLogicalTypeAnnotation();
        int scale =
                la instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation
                        ? ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) la).getScale()
                        : -1;
        switch (p.getPrimitiveTypeName()) {
            case INT32:
                return scale >= 0
                        ? BigDecimal.valueOf(g.getInteger(i, 0), scale)
                        : (Object) g.getInteger(i, 0);
            case INT64:
                return scale >= 0
                        ? BigDecimal.valueOf(g.getLong(i, 0), scale)
                        : (Object) g.getLong(i, 0);
            case DOUBLE:
                return g.getDouble(i, 0);
            case BOOLEAN:
                return g.getBoolean(i, 0);
            case FIXED_LEN_BYTE_ARRAY:
                return new BigDecimal(new BigInteger(g.getBinary(i, 0).getBytes()), scale);
            default:
                return la == null
                        ? List.of(Arrays.toString(g.getBinary(i, 0).getBytes()))
                        : g.getString(i, 0);
        }
    }

    /** The rows written, in the shape read back: lists for structs and lists, plain Java values. */
    private static List<List<Object>> normalize(DataType schema, List<Object[]> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (Object[] r : rows) {
            @SuppressWarnings("unchecked")
            List<Object> l = (List<Object>) norm(schema, r);
            out.add(l);
        }
        return out;
    }

    private static Object norm(DataType t, Object v) {
        if (v == null) {
            return null;
        }
        switch (t.kind()) {
            case STRUCT:
                {
                    List<Object> l = new ArrayList<>();
                    Object[] a = (Object[]) v;
                    for (int i = 0; i < a.length; i++) {
                        l.add(norm(t.asStruct().fields().get(i).type(), a[i]));
                    }
                    return l;
                }
            case LIST:
                {
                    List<Object> l = new ArrayList<>();
                    for (Object e : (Object[]) v) {
                        l.add(norm(t.asList().element(), e));
                    }
                    return l;
                }
            case STRING:
                return v instanceof Binary ? ((Binary) v).toStringUsingUTF8() : v;
            case BINARY:
                return List.of(Arrays.toString((byte[]) v));
            case DECIMAL:
                {
                    BigDecimal d = (BigDecimal) v;
                    return d.setScale(t.asDecimal().scale());
                }
            default:
                return v;
        }
    }

    // ------------------------------------------------------------------ statistics

    /**
     * Footer min/max/null count of every column chunk against the values of that row group's rows.
     */
    private static void checkStatistics(Path f, DataType schema, List<Object[]> rows, int groupRows)
            throws Exception {
        try (ParquetFileReader r = reader(f)) {
            List<BlockMetaData> blocks = r.getFooter().getBlocks();
            for (int b = 0; b < blocks.size(); b++) {
                Map<String, Acc> want = new LinkedHashMap<>();
                leaves(schema, "", want);
                int from = (int) Math.min((long) b * groupRows, rows.size());
                int to = (int) Math.min((long) (b + 1) * groupRows, rows.size());
                assertEquals(to - from, blocks.get(b).getRowCount());
                for (int k = from; k < to; k++) {
                    collect(schema, rows.get(k), "", want);
                }
                for (ColumnChunkMetaData c : blocks.get(b).getColumns()) {
                    String path = c.getPath().toDotString();
                    Acc a = want.get(path);
                    Statistics<?> st = c.getStatistics();
                    assertEquals(a.nulls, st.getNumNulls(), path);
                    assertEquals(a.min != null, st.hasNonNullValue(), path);
                    if (a.min != null) {
                        assertEquals(
                                0,
                                a.cmp.compare(a.min, value(a.type, st.genericGetMin())),
                                path + " min");
                        assertEquals(
                                0,
                                a.cmp.compare(a.max, value(a.type, st.genericGetMax())),
                                path + " max");
                    }
                    ColumnIndex ci = r.readColumnIndex(c);
                    assertNotNull(ci, path + " column index");
                    assertEquals(
                            a.nulls,
                            ci.getNullCounts().stream().mapToLong(Long::longValue).sum(),
                            path);
                }
            }
        }
    }

    private static final class Acc {
        final DataType type;
        final Comparator<Object> cmp;
        long nulls;
        Object min;
        Object max;

        @SuppressWarnings("unchecked")
        Acc(DataType type) {
            this.type = type;
            switch (type.kind()) {
                case STRING:
                    cmp =
                            Comparator.comparing(
                                    o -> ((String) o).getBytes(StandardCharsets.UTF_8),
                                    Arrays::compareUnsigned);
                    break;
                case BINARY:
                    cmp = (x, y) -> Arrays.compareUnsigned((byte[]) x, (byte[]) y);
                    break;
                case DOUBLE:
                    // the two zeros are the same bound
                    cmp =
                            (x, y) ->
                                    (Double) x == (double) (Double) y
                                            ? 0
                                            : Double.compare((Double) x, (Double) y);
                    break;
                default:
                    cmp = (x, y) -> ((Comparable<Object>) x).compareTo(y);
            }
        }

        void add(Object v) {
            if (v == null) {
                nulls++;
                return;
            }
            if (min == null || cmp.compare(v, min) < 0) {
                min = v;
            }
            if (max == null || cmp.compare(v, max) > 0) {
                max = v;
            }
        }
    }

    private static void leaves(DataType t, String path, Map<String, Acc> out) {
        switch (t.kind()) {
            case STRUCT:
                for (Field f : t.asStruct().fields()) {
                    leaves(f.type(), path.isEmpty() ? f.name() : path + "." + f.name(), out);
                }
                break;
            case LIST:
                leaves(t.asList().element(), path + ".list.element", out);
                break;
            default:
                out.put(path, new Acc(t));
        }
    }

    private static void collect(DataType t, Object v, String path, Map<String, Acc> out) {
        switch (t.kind()) {
            case STRUCT:
                for (int i = 0; i < t.asStruct().fields().size(); i++) {
                    Field f = t.asStruct().fields().get(i);
                    collect(
                            f.type(),
                            v == null ? null : ((Object[]) v)[i],
                            path.isEmpty() ? f.name() : path + "." + f.name(),
                            out);
                }
                break;
            case LIST:
                {
                    Object[] a = (Object[]) v;
                    if (a == null || a.length == 0) {
                        collect(t.asList().element(), null, path + ".list.element", out);
                    } else {
                        for (Object e : a) {
                            collect(t.asList().element(), e, path + ".list.element", out);
                        }
                    }
                    break;
                }
            case STRING:
                out.get(path).add(v instanceof Binary ? ((Binary) v).toStringUsingUTF8() : v);
                break;
            case DECIMAL:
                out.get(path)
                        .add(v == null ? null : ((BigDecimal) v).setScale(t.asDecimal().scale()));
                break;
            default:
                out.get(path).add(v);
        }
    }

    /** A footer bound as the Java value it stands for. */
    private static Object value(DataType t, Object bound) {
        switch (t.kind()) {
            case STRING:
                return ((Binary) bound).toStringUsingUTF8();
            case BINARY:
                return ((Binary) bound).getBytes();
            case DECIMAL:
                if (bound instanceof Integer) {
                    return BigDecimal.valueOf((Integer) bound, t.asDecimal().scale());
                }
                if (bound instanceof Long) {
                    return BigDecimal.valueOf((Long) bound, t.asDecimal().scale());
                }
                return new BigDecimal(
                        new BigInteger(((Binary) bound).getBytes()), t.asDecimal().scale());
            default:
                return bound;
        }
    }

    // ------------------------------------------------------------------ data

    private static Object maybe(Random rnd, Object v) {
        return rnd.nextInt(8) == 0 ? null : v;
    }

    private static Object[] list(Random rnd, int max, java.util.function.Supplier<Object> item) {
        Object[] a = new Object[rnd.nextInt(max + 1)];
        for (int i = 0; i < a.length; i++) {
            a[i] = item.get();
        }
        return a;
    }

    private static final String[] WORDS = {
        "",
        "a",
        "abc",
        "\u00e9t\u00e9",
        "\u65e5\u672c",
        "\uD83D\uDE00 smile",
        "Z",
        "\u0000nul",
        "zz top",
        "\u00ff\u00fe",
        "Montr\u00e9al",
        "\u0141\u00f3d\u017a"
    };

    private static String text(Random rnd) {
        int k = rnd.nextInt(WORDS.length + 2);
        if (k == WORDS.length) {
            return "long " + "x".repeat(4_000 * rnd.nextInt(6));
        }
        if (k == WORDS.length + 1) {
            return "w" + rnd.nextInt(300);
        }
        return WORDS[k];
    }

    private static byte[] bytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(6)];
        rnd.nextBytes(b);
        return b;
    }

    private static Binary slice(String s) {
        byte[] b = ("<<" + s + ">>").getBytes(StandardCharsets.UTF_8);
        return Binary.fromReusedByteArray(b, 2, b.length - 4);
    }

    /**
     * DuckDB's {@code to_json} rendering of a value (ASCII text, doubles with short exact forms).
     */
    private static String json(DataType t, Object v) {
        return v == null ? null : inner(t, v);
    }

    private static String inner(DataType t, Object v) {
        if (v == null) {
            return "null";
        }
        switch (t.kind()) {
            case STRUCT:
                {
                    StringBuilder sb = new StringBuilder("{");
                    Object[] a = (Object[]) v;
                    for (int i = 0; i < a.length; i++) {
                        sb.append(i == 0 ? "" : ",")
                                .append('"')
                                .append(t.asStruct().fields().get(i).name())
                                .append("\":")
                                .append(inner(t.asStruct().fields().get(i).type(), a[i]));
                    }
                    return sb.append('}').toString();
                }
            case LIST:
                {
                    StringBuilder sb = new StringBuilder("[");
                    Object[] a = (Object[]) v;
                    for (int i = 0; i < a.length; i++) {
                        sb.append(i == 0 ? "" : ",").append(inner(t.asList().element(), a[i]));
                    }
                    return sb.append(']').toString();
                }
            case STRING:
                return "\"" + v + "\"";
            default:
                return v.toString();
        }
    }
}
