package dev.tarn.lake.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.table.Convert;
import dev.tarn.lake.table.ConvertResult;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.Snapshot;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.testing.corpus.ExportCorpus;
import dev.tarn.lake.testing.corpus.ExportFile;
import dev.tarn.lake.testing.corpus.Shape;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.DuckDbTypes;
import dev.tarn.lake.types.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each shape real exports have (lake-testing's {@link ExportCorpus}: naive timestamps with {@code
 * T} and with a space, dates, headers in another case, a GeoJSON FeatureCollection over 64 KiB,
 * {@code {"data":[...]}}, integers of both signs, a later file widening int to long and int to
 * double, 10,000 rows over 500 partition values in random order) is ingested as it comes, converted
 * into a table, and read back by Delta Kernel: exactly the expected column types, and every record
 * with its values and their Java types (an INTEGER read as a long is a difference).
 */
class RealWorldShapesTest {
    @TempDir Path tmp;

    static List<Shape> shapes() {
        return new ExportCorpus(2026).all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void eachShapeBecomesATableDeltaKernelReadsExactly(Shape shape) throws Exception {
        Path root = tmp.resolve("lake");
        DatasetId raw = DatasetId.of("raw", shape.name());
        DatasetId table = DatasetId.of("processed", shape.name());
        try (Lake lake = Lake.builder().location(root).createIfMissing(true).open()) {
            for (ExportFile f : shape.files()) {
                lake.ingest(raw).bytes(f.bytes(), f.name()).commit();
            }
            Convert convert = Tables.of(lake).newConvert(raw, table);
            if (shape.partitionBy() != null) {
                convert.partitionBy(shape.partitionBy());
            }
            ConvertResult r = convert.commit();
            assertEquals(shape.rows().size(), r.rowsWritten(), r.toString());
            assertEquals(0, r.rowsQuarantined(), r.toString());
            if (shape.jsonPath() != null) {
                assertTrue(
                        r.notes().stream().anyMatch(n -> n.contains(shape.jsonPath())),
                        r.notes().toString());
            }

            Snapshot s = Tables.of(lake).load(table).snapshot();
            // the expected types are spelled as DuckDB's DESCRIBE shows them ("time" quoted):
            // compare as types
            Map<String, DataType> expected = new LinkedHashMap<>();
            shape.columns().forEach((name, type) -> expected.put(name, DuckDbTypes.parse(type)));
            Map<String, DataType> types = new LinkedHashMap<>();
            for (Field f : s.schema().fields()) {
                types.put(f.name(), f.type());
            }
            assertEquals(expected, types, "column names (first spelling) and types");

            if (shape.partitionBy() != null) {
                // about one file per partition value per run, at most two
                Map<Object, Integer> filesPerValue = new HashMap<>();
                for (DataFile f : s.files()) {
                    filesPerValue.merge(
                            f.partitionValues().get(shape.partitionBy()), 1, Integer::sum);
                }
                long values =
                        shape.rows().stream()
                                .map(x -> x.get(shape.partitionBy()))
                                .distinct()
                                .count();
                assertEquals(values, filesPerValue.size());
                assertTrue(
                        filesPerValue.values().stream().allMatch(n -> n <= 2),
                        filesPerValue.toString());
            }
        }

        KernelValues.Result k = KernelValues.read(root.resolve("processed").resolve(shape.name()));
        assertEquals(
                canonical(shape.rows()), canonical(k.rows()), "every record, value and Java type");
    }

    /**
     * The rows as a sorted list of canonical texts: maps key-sorted at every level, each value with
     * its class.
     */
    private static List<String> canonical(List<Map<String, Object>> rows) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            out.add(canonicalValue(r));
        }
        out.sort(null);
        return out;
    }

    private static String canonicalValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, String> sorted = new TreeMap<>();
            m.forEach(
                    (k, x) -> {
                        if (x != null) {
                            sorted.put(String.valueOf(k), canonicalValue(x));
                        }
                    });
            return sorted.toString();
        }
        if (v instanceof List<?> l) {
            List<String> items = new ArrayList<>();
            l.forEach(x -> items.add(canonicalValue(x)));
            return items.toString();
        }
        return v == null ? "null" : v.getClass().getSimpleName() + ":" + v;
    }
}
