package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 (Deliver 6 and 8) on the table path: real-world JSON shapes and a partitioned table of
 * many values in random order, converted with {@code newConvert} and read back by Delta Kernel.
 */
class JsonShapesConvertTest {
    @TempDir Path tmp;
    Lake lake;

    @BeforeEach
    void open() {
        lake = Lake.open(tmp.resolve("lake"));
    }

    @AfterEach
    void close() {
        lake.close();
    }

    private static String row(Map<String, Object> values, List<String> schema) {
        List<String> out = new ArrayList<>();
        for (String col : schema) {
            String name = col.substring(0, col.indexOf(':'));
            out.add(name + "=" + values.get(name));
        }
        return String.join(",", out);
    }

    @Test
    void prettyPrintedGeoJsonOver64KiB() throws Exception {
        StringBuilder sb =
                new StringBuilder("{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n");
        for (int i = 0; i < 1500; i++) {
            sb.append("    {\n      \"type\": \"Feature\",\n      \"id\": ")
                    .append(i)
                    .append(",\n      \"properties\": {\n        \"name\": \"site ")
                    .append(i)
                    .append("\"\n      },\n      \"geometry\": {\n        \"type\": \"Point\",\n")
                    .append("        \"coordinates\": [\n          ")
                    .append(i % 90)
                    .append(".5,\n          1.25\n")
                    .append("        ]\n      }\n    }")
                    .append(i < 1499 ? ",\n" : "\n");
        }
        sb.append("  ]\n}\n");
        assertTrue(sb.length() > 64 << 10);
        DatasetId raw = DatasetId.parse("raw/sites");
        DatasetId table = DatasetId.parse("processed/sites");
        lake.ingest(raw)
                .bytes(sb.toString().getBytes(StandardCharsets.UTF_8), "sites.geojson")
                .commit();
        ConvertResult r = Tables.of(lake).newConvert(raw, table).commit();
        assertEquals(1500, r.rowsWritten());
        assertTrue(String.join("\n", r.notes()).contains("\"features\""), r.notes().toString());
        KernelReader.Result k = KernelReader.read(tmp.resolve("lake/processed/sites"), null);
        assertEquals(1500, k.rows().size());
        assertEquals(
                List.of("type", "id", "properties", "geometry"),
                k.schema().stream().map(s -> s.substring(0, s.indexOf(':'))).toList());
        assertTrue(k.schema().get(1).startsWith("id:integer"), k.schema().toString());
        List<String> ids = new ArrayList<>();
        for (String row : k.rows()) {
            assertTrue(row.startsWith("type=Feature,id="), row);
            ids.add(row.substring("type=Feature,id=".length(), row.indexOf(",properties=")));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            expected.add(Integer.toString(i));
        }
        Collections.sort(ids);
        Collections.sort(expected);
        assertEquals(expected, ids);
    }

    @Test
    void dataMemberOfADocument() throws Exception {
        StringBuilder sb = new StringBuilder("{\n  \"data\": [\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            sb.append("    {\n      \"id\": ")
                    .append(i)
                    .append(",\n      \"city\": \"c")
                    .append(i % 17)
                    .append("\",\n      \"delta\": ")
                    .append(i % 2 == 0 ? -i : i)
                    .append("\n    }")
                    .append(i < 1999 ? ",\n" : "\n");
            Map<String, Object> m = new HashMap<>();
            m.put("id", i);
            m.put("city", "c" + i % 17);
            m.put("delta", i % 2 == 0 ? -i : i);
            rows.add(m);
        }
        sb.append("  ],\n  \"count\": 2000\n}\n");
        DatasetId raw = DatasetId.parse("raw/export");
        DatasetId table = DatasetId.parse("processed/export");
        lake.ingest(raw)
                .bytes(sb.toString().getBytes(StandardCharsets.UTF_8), "export.json")
                .commit();
        ConvertResult r = Tables.of(lake).newConvert(raw, table).commit();
        assertEquals(2000, r.rowsWritten());
        KernelReader.Result k = KernelReader.read(tmp.resolve("lake/processed/export"), null);
        List<String> expected = new ArrayList<>();
        for (Map<String, Object> m : rows) {
            expected.add(row(m, k.schema()));
        }
        Collections.sort(expected);
        assertEquals(expected, k.rows());
    }

    @Test
    void tenThousandRowsOverFiveHundredPartitionValuesInRandomOrder() throws Exception {
        Random rnd = new Random(42);
        List<String> lines = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String region = "r" + (i % 500);
            int amount = rnd.nextInt(1000);
            lines.add("{\"id\":" + i + ",\"region\":\"" + region + "\",\"amount\":" + amount + "}");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i);
            m.put("region", region);
            m.put("amount", amount);
            rows.add(m);
        }
        Collections.shuffle(lines, rnd);
        DatasetId raw = DatasetId.parse("raw/orders");
        DatasetId table = DatasetId.parse("processed/orders");
        lake.ingest(raw)
                .bytes(
                        (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8),
                        "orders.ndjson")
                .commit();
        ConvertResult r = Tables.of(lake).newConvert(raw, table).partitionBy("region").commit();
        assertEquals(10_000, r.rowsWritten());
        Snapshot s = Tables.of(lake).load(table).snapshot();
        Map<String, Integer> perValue = new HashMap<>();
        s.files().forEach(f -> perValue.merge(f.partitionValues().get("region"), 1, Integer::sum));
        assertEquals(500, perValue.size());
        int max = perValue.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(max <= 2, "at most 2 files per partition value, got " + max);
        KernelReader.Result k = KernelReader.read(tmp.resolve("lake/processed/orders"), null);
        assertEquals(List.of("region"), k.partitionColumns());
        List<String> expected = new ArrayList<>();
        for (Map<String, Object> m : rows) {
            expected.add(row(m, k.schema()));
        }
        Collections.sort(expected);
        assertEquals(expected, k.rows());
    }
}
