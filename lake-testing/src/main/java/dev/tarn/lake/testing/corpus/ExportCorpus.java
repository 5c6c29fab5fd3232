package dev.tarn.lake.testing.corpus;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Generated files with the shapes real exports have, each with the types and records Tarn must make
 * of it: naive timestamps (with {@code T} and with a space), dates, headers that differ in case
 * between files (with a BOM and CRLF line ends), a pretty-printed GeoJSON FeatureCollection over 64
 * KiB, a {@code {"data":[...]}} document, integers of both signs, a later file that widens int to
 * long and int to double, and 10,000 rows over 500 partition values in random order. Deterministic:
 * the same seed gives the same bytes.
 */
public final class ExportCorpus {
    private final long seed;

    public ExportCorpus(long seed) {
        this.seed = seed;
    }

    /** Every shape, in a stable order. */
    public List<Shape> all() {
        return List.of(
                naiveTimestampsWithT(),
                naiveTimestampsWithSpace(),
                dates(),
                headerCase(),
                geoJson(),
                dataDocument(),
                mixedSignIntegers(),
                widening(),
                partitions());
    }

    /**
     * A weather export: CSV with a BOM and CRLF, observation times without an offset, {@code
     * T}-separated.
     */
    public Shape naiveTimestampsWithT() {
        Random r = new Random(seed);
        StringBuilder csv = new StringBuilder("station,observed_at,temp_c\r\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        LocalDateTime t = LocalDateTime.of(2010, 1, 1, 1, 0);
        for (int i = 0; i < 48; i++) {
            String station = "ST" + (100 + r.nextInt(5));
            double temp = (r.nextInt(160) - 40) / 4.0;
            csv.append(station).append(',').append(t).append(":00,").append(temp).append("\r\n");
            rows.add(row("station", station, "observed_at", t, "temp_c", temp));
            t = t.plusHours(1);
        }
        return shape(
                "weather",
                List.of(ExportFile.text("weather.csv", csv.toString(), true)),
                cols("station VARCHAR", "observed_at TIMESTAMP", "temp_c DOUBLE"),
                rows);
    }

    /** Stock prices: NDJSON, trade times without offset written with a space. */
    public Shape naiveTimestampsWithSpace() {
        Random r = new Random(seed + 1);
        StringBuilder json = new StringBuilder();
        List<Map<String, Object>> rows = new ArrayList<>();
        LocalDateTime t = LocalDateTime.of(2026, 11, 21, 9, 30);
        for (int i = 0; i < 40; i++) {
            String sym = i % 2 == 0 ? "ACME" : "INIT";
            double price = 100 + r.nextInt(4000) / 8.0;
            int volume = 100 * (1 + r.nextInt(500));
            String ts = t.toLocalDate() + " " + t.toLocalTime() + ":00";
            json.append("{\"symbol\":\"")
                    .append(sym)
                    .append("\",\"ts\":\"")
                    .append(ts)
                    .append("\",\"price\":")
                    .append(price)
                    .append(",\"volume\":")
                    .append(volume)
                    .append("}\n");
            rows.add(row("symbol", sym, "ts", t, "price", price, "volume", volume));
            t = t.plusMinutes(1);
        }
        return shape(
                "prices",
                List.of(ExportFile.text("prices.ndjson", json.toString(), false)),
                cols("symbol VARCHAR", "ts TIMESTAMP", "price DOUBLE", "volume INTEGER"),
                rows);
    }

    /** Daily closes: CSV with ISO dates. */
    public Shape dates() {
        Random r = new Random(seed + 2);
        StringBuilder csv = new StringBuilder("trade_date,close\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        LocalDate d = LocalDate.of(2024, 2, 26);
        for (int i = 0; i < 30; i++) {
            double close = 50 + r.nextInt(800) / 16.0;
            csv.append(d).append(',').append(close).append('\n');
            rows.add(row("trade_date", d, "close", close));
            d = d.plusDays(1);
        }
        return shape(
                "closes",
                List.of(ExportFile.text("closes.csv", csv.toString(), false)),
                cols("trade_date DATE", "close DOUBLE"),
                rows);
    }

    /**
     * Two exports of one dataset from different tools: {@code ID,Name,Score} then {@code
     * id,name,score}.
     */
    public Shape headerCase() {
        List<Map<String, Object>> rows = new ArrayList<>();
        StringBuilder a = new StringBuilder("ID,Name,Score\n");
        StringBuilder b = new StringBuilder("id,name,score\r\n");
        for (int i = 1; i <= 20; i++) {
            StringBuilder to = i <= 10 ? a : b;
            String name = "user " + i;
            double score = i * 1.5;
            to.append(i)
                    .append(',')
                    .append(name)
                    .append(',')
                    .append(score)
                    .append(i <= 10 ? "\n" : "\r\n");
            rows.add(row("ID", i, "Name", name, "Score", score));
        }
        return shape(
                "scores",
                List.of(
                        ExportFile.text("scores-2026-01.csv", a.toString(), false),
                        ExportFile.text("scores-2026-02.csv", b.toString(), true)),
                cols("ID INTEGER", "Name VARCHAR", "Score DOUBLE"),
                rows);
    }

    /** An earthquake feed: one pretty-printed GeoJSON FeatureCollection of over 64 KiB. */
    public Shape geoJson() {
        Random r = new Random(seed + 3);
        StringBuilder g =
                new StringBuilder(
                        "{\n  \"type\": \"FeatureCollection\",\n  \"metadata\": {\n"
                                + "    \"generated\": 1764720000000,\n    \"title\": \"Earthquakes\"\n  },\n  \"features\": [\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        int n = 400;
        for (int i = 0; i < n; i++) {
            double mag = r.nextInt(80) / 10.0 + 0.5;
            String place =
                    (1 + r.nextInt(90)) + " km " + (r.nextBoolean() ? "N" : "SW") + " of Town " + i;
            long time = 1764720000000L + i * 60_000L;
            double lon = -180 + r.nextInt(36000) / 100.0, lat = -90 + r.nextInt(18000) / 100.0;
            double depth = r.nextInt(700) / 4.0;
            String id = "ev" + (10000 + i);
            g.append(
                            "    {\n      \"type\": \"Feature\",\n      \"properties\": {\n        \"mag\": ")
                    .append(mag)
                    .append(",\n        \"place\": \"")
                    .append(place)
                    .append("\",\n        \"time\": ")
                    .append(time)
                    .append(
                            "\n      },\n      \"geometry\": {\n        \"type\": \"Point\",\n        \"coordinates\": [\n"
                                    + "          ")
                    .append(lon)
                    .append(",\n          ")
                    .append(lat)
                    .append(",\n          ")
                    .append(depth)
                    .append("\n        ]\n      },\n      \"id\": \"")
                    .append(id)
                    .append("\"\n    }")
                    .append(i + 1 < n ? ",\n" : "\n");
            rows.add(
                    row(
                            "type",
                            "Feature",
                            "properties",
                            row("mag", mag, "place", place, "time", time),
                            "geometry",
                            row("type", "Point", "coordinates", List.of(lon, lat, depth)),
                            "id",
                            id));
        }
        g.append("  ]\n}\n");
        Map<String, String> columns =
                cols(
                        "type VARCHAR",
                        "properties STRUCT(mag DOUBLE, place VARCHAR, \"time\" BIGINT)",
                        "geometry STRUCT(\"type\" VARCHAR, coordinates DOUBLE[])",
                        "id VARCHAR");
        return document("quakes", "quakes.geojson", g, columns, rows, "features");
    }

    /** An API dump: {@code {"data":[...], "meta":{...}}}, pretty-printed, times with an offset. */
    public Shape dataDocument() {
        Random r = new Random(seed + 4);
        StringBuilder j = new StringBuilder("{\n  \"data\": [\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        int n = 60;
        Instant t = Instant.parse("2026-01-02T03:04:05Z");
        for (int i = 0; i < n; i++) {
            double amount = r.nextInt(100000) / 4.0;
            String name = "order-" + i;
            j.append("    {\n      \"id\": ")
                    .append(i + 1)
                    .append(",\n      \"name\": \"")
                    .append(name)
                    .append("\",\n      \"amount\": ")
                    .append(amount)
                    .append(",\n      \"created\": \"")
                    .append(t.atOffset(java.time.ZoneOffset.ofHours(2)))
                    .append("\"\n    }")
                    .append(i + 1 < n ? ",\n" : "\n");
            rows.add(row("id", i + 1, "name", name, "amount", amount, "created", t));
            t = t.plusSeconds(3601);
        }
        j.append("  ],\n  \"meta\": {\n    \"count\": ")
                .append(n)
                .append(",\n    \"next\": null\n  }\n}\n");
        Map<String, String> columns =
                cols(
                        "id INTEGER",
                        "name VARCHAR",
                        "amount DOUBLE",
                        "created TIMESTAMP WITH TIME ZONE");
        return document("orders", "orders.json", j, columns, rows, "data");
    }

    /**
     * Ledger movements: NDJSON integers of both signs (DuckDB's own inference makes them HUGEINT).
     */
    public Shape mixedSignIntegers() {
        Random r = new Random(seed + 5);
        StringBuilder json = new StringBuilder();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String account = "acc-" + (i % 7);
            int delta = r.nextInt(20001) - 10000;
            json.append("{\"account\":\"")
                    .append(account)
                    .append("\",\"delta\":")
                    .append(delta)
                    .append("}\n");
            rows.add(row("account", account, "delta", delta));
        }
        return shape(
                "ledger",
                List.of(ExportFile.text("ledger.ndjson", json.toString(), false)),
                cols("account VARCHAR", "delta INTEGER"),
                rows);
    }

    /**
     * Sensor counters: a first file of small integers, a later one whose {@code n} exceeds 32 bits
     * (int to long) and whose {@code v} has fractions (int to double).
     */
    public Shape widening() {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            a.append("{\"sensor\":\"s")
                    .append(i)
                    .append("\",\"n\":")
                    .append(i * 1000)
                    .append(",\"v\":")
                    .append(i)
                    .append("}\n");
            rows.add(row("sensor", "s" + i, "n", (long) i * 1000, "v", (double) i));
        }
        for (int i = 0; i < 10; i++) {
            long n = 3_000_000_000L + i;
            double v = i + 0.25;
            b.append("{\"sensor\":\"s")
                    .append(i)
                    .append("\",\"n\":")
                    .append(n)
                    .append(",\"v\":")
                    .append(v)
                    .append("}\n");
            rows.add(row("sensor", "s" + i, "n", n, "v", v));
        }
        return shape(
                "counters",
                List.of(
                        ExportFile.text("counters-1.ndjson", a.toString(), false),
                        ExportFile.text("counters-2.ndjson", b.toString(), false)),
                cols("sensor VARCHAR", "n BIGINT", "v DOUBLE"),
                rows);
    }

    /** Clickstream: 10,000 rows over 500 region values, in random order, partitioned by region. */
    public Shape partitions() {
        Random r = new Random(seed + 6);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            order.add(i);
        }
        Collections.shuffle(order, r);
        StringBuilder csv = new StringBuilder("event_id,region,value\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i : order) {
            String region = String.format(Locale.ROOT, "r%03d", (i * 7919) % 500);
            double value = (i % 1000) / 8.0;
            csv.append(i).append(',').append(region).append(',').append(value).append('\n');
            rows.add(row("event_id", i, "region", region, "value", value));
        }
        return new Shape(
                "clicks",
                List.of(ExportFile.text("clicks.csv", csv.toString(), false)),
                cols("event_id INTEGER", "region VARCHAR", "value DOUBLE"),
                rows,
                "region",
                null);
    }

    /** A shape with neither a partition column nor a JSON path to its records (most exports). */
    private static Shape shape(
            String name,
            List<ExportFile> files,
            Map<String, String> columns,
            List<Map<String, Object>> rows) {
        return new Shape(name, files, columns, rows, null, null);
    }

    /** A shape of one JSON document whose records are the array at {@code jsonPath}. */
    private static Shape document(
            String name,
            String fileName,
            CharSequence text,
            Map<String, String> columns,
            List<Map<String, Object>> rows,
            String jsonPath) {
        return new Shape(
                name,
                List.of(ExportFile.text(fileName, text.toString(), false)),
                columns,
                rows,
                null,
                jsonPath);
    }

    /** Columns, each written as its name, a space and its type: {@code "id INTEGER"}. */
    private static Map<String, String> cols(String... nameAndType) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String c : nameAndType) {
            int space = c.indexOf(' ');
            m.put(c.substring(0, space), c.substring(space + 1));
        }
        return m;
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
