package dev.tarn.lake.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.query.SavedTable;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.testing.TarnExtension;
import dev.tarn.lake.testing.TempLake;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The webhook sink against a real HTTP server: batches, headers, retries, refusals. */
@ExtendWith(TarnExtension.class)
class WebhookSinkTest {
    @TempLake Lake lake;

    /** What the server received: one entry per request, retries included. */
    record Received(Map<String, String> headers, String body) {
        List<String> lines() {
            return body.isEmpty() ? List.of() : List.of(body.split("\n"));
        }
    }

    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private HttpServer server;

    /** A server answering each request with {@code status.applyAsInt(requestNumber)}. */
    private URI serve(IntUnaryOperator status) throws IOException {
        AtomicInteger n = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/hook",
                exchange -> {
                    byte[] body;
                    try (InputStream in = exchange.getRequestBody()) {
                        body = in.readAllBytes();
                    }
                    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
                    headers.put(":method", exchange.getRequestMethod());
                    received.add(new Received(headers, new String(body, StandardCharsets.UTF_8)));
                    int code = status.applyAsInt(n.getAndIncrement());
                    byte[] answer = (code == 200 ? "ok" : "no: try later\n").getBytes();
                    exchange.sendResponseHeaders(code, answer.length);
                    exchange.getResponseBody().write(answer);
                    exchange.close();
                });
        server.start();
        return URI.create(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/hook?token=s3cret");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private SinkResult send(Sink sink, long version, Long previous) {
        return sink.send(
                new SinkRequest(
                        lake,
                        SinkData.ORDERS,
                        version,
                        previous == null ? OptionalLong.empty() : OptionalLong.of(previous),
                        "shop/orders_hook"));
    }

    private static Sink open(URI url, SinkMode mode, int batchRows) {
        return new WebhookSink(
                new WebhookSinkSpec(url, mode, Map.of("Authorization", "Bearer abc"), batchRows),
                Duration.ofMillis(5),
                4);
    }

    @Test
    void replacePostsEveryRowAsNdjsonInBatches() throws Exception {
        URI url = serve(i -> 200);
        SavedTable v0 = SinkData.create(lake, 12_000);
        try (Sink sink = open(url, SinkMode.REPLACE, 5000)) {
            assertEquals(new SinkResult(12_000, false), send(sink, v0.version(), null));
        }
        assertEquals(3, received.size());
        for (int b = 0; b < 3; b++) {
            Map<String, String> h = received.get(b).headers();
            assertEquals("POST", h.get(":method"));
            assertEquals("application/x-ndjson", h.get("Content-Type"));
            assertEquals("Bearer abc", h.get("Authorization"));
            assertEquals("shop/orders_hook/" + v0.version() + "/" + b, h.get("Idempotency-Key"));
            assertEquals(Long.toString(v0.version()), h.get("Tarn-Version"));
            assertEquals(Boolean.toString(b == 2), h.get("Tarn-Last-Batch"));
        }
        assertEquals(
                List.of(5000, 5000, 2000), received.stream().map(r -> r.lines().size()).toList());

        // every row arrives as the lake holds it
        Map<Long, List<Object>> expected =
                SinkData.lakeRows(
                        lake, SinkData.ORDERS, Sql.relationAt(SinkData.ORDERS, v0.version()));
        Map<Long, List<Object>> got = new TreeMap<>();
        for (Received r : received) {
            for (String line : r.lines()) {
                JsonNode row = SinkData.JSON.readTree(line);
                assertEquals(SinkData.COLUMNS, iterable(row.fieldNames()));
                List<Object> values = new ArrayList<>();
                for (String column : SinkData.COLUMNS) {
                    values.add(SinkData.value(column, json(column, row.get(column))));
                }
                got.put((Long) values.get(0), values);
            }
        }
        assertEquals(expected, got);
        // decimals are exact JSON numbers, timestamps ISO-8601, nested values JSON
        JsonNode first = SinkData.JSON.readTree(received.get(0).lines().get(1));
        assertEquals(new BigDecimal("1.26"), first.get("amount").decimalValue());
        assertEquals("2026-03-29T01:30:01.000003", first.get("local_ts").asText());
        assertEquals("2026-10-25T01:00:00.499999Z", first.get("at").asText());
        assertEquals("東京 🚀", first.get("city").asText());
        assertEquals("b1", first.get("meta").get("tags").get(1).asText());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    /** A JSON value as the sink wrote it, back to what {@link SinkData#value} compares. */
    private static Object json(String column, JsonNode v) throws IOException {
        if (v == null || v.isNull()) {
            return null;
        }
        return switch (column) {
            case "meta", "nums", "attrs" -> v.toString();
            case "payload" -> v.binaryValue();
            case "paid" -> v.booleanValue();
            case "id", "qty" -> v.longValue();
            case "score" -> v.doubleValue();
            case "amount" -> v.decimalValue();
            default -> v.asText();
        };
    }

    @Test
    void serverErrorsAreRetriedWithTheSameIdempotencyKey() throws Exception {
        // the first batch is refused twice with 503, then taken
        URI url = serve(i -> i < 2 ? 503 : 200);
        SavedTable v0 = SinkData.create(lake, 30);
        try (Sink sink = open(url, SinkMode.REPLACE, 20)) {
            assertEquals(new SinkResult(30, false), send(sink, v0.version(), null));
        }
        assertEquals(4, received.size());
        assertEquals(
                List.of("/0", "/0", "/0", "/1"),
                received.stream()
                        .map(r -> r.headers().get("Idempotency-Key"))
                        .map(k -> k.substring(k.lastIndexOf('/')))
                        .toList());
        assertEquals(received.get(0).body(), received.get(2).body());
    }

    @Test
    void aClientErrorFailsAtOnceNamingTheStatus() throws Exception {
        URI url = serve(i -> 422);
        SavedTable v0 = SinkData.create(lake, 30);
        Sink sink = open(url, SinkMode.REPLACE, 100);
        TarnException e = assertThrows(TarnException.class, () -> send(sink, v0.version(), null));
        assertEquals(ErrorCode.SINK_FAILED, e.errorCode());
        assertTrue(e.getMessage().contains("HTTP 422 (no: try later)"), e.getMessage());
        assertTrue(e.getMessage().contains("http://127.0.0.1:"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertEquals(1, received.size());
    }

    @Test
    void anEndpointThatIsDownFailsAfterTheRetries() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SavedTable v0 = SinkData.create(lake, 3);
        Sink sink = open(URI.create("http://127.0.0.1:" + port + "/hook"), SinkMode.REPLACE, 100);
        TarnException e = assertThrows(TarnException.class, () -> send(sink, v0.version(), null));
        assertEquals(ErrorCode.SINK_FAILED, e.errorCode());
        assertTrue(
                e.getMessage().contains("failed 4 times; last: ConnectException"), e.getMessage());
    }

    @Test
    void anEmptyVersionIsOneEmptyLastBatch() throws Exception {
        URI url = serve(i -> 200);
        SavedTable v0 = Sql.of(lake).saveAsTable(SinkData.orders(0, 0), SinkData.ORDERS);
        try (Sink sink = open(url, SinkMode.REPLACE, 100)) {
            assertEquals(new SinkResult(0, false), send(sink, v0.version(), null));
            assertEquals(new SinkResult(0, true), send(sink, v0.version(), v0.version()));
        }
        assertEquals(1, received.size());
        assertEquals("", received.get(0).body());
        assertEquals("true", received.get(0).headers().get("Tarn-Last-Batch"));
    }

    @Test
    void appendPostsTheAddedRows() throws Exception {
        URI url = serve(i -> 200);
        SavedTable v0 = SinkData.create(lake, 100);
        SavedTable v1 = SinkData.append(lake, 100, 130);
        SavedTable v2 = SinkData.append(lake, 130, 135);
        try (Sink sink = open(url, SinkMode.APPEND, 1000)) {
            assertEquals(new SinkResult(100, false), send(sink, v0.version(), null));
            assertEquals(new SinkResult(35, false), send(sink, v2.version(), v0.version()));
            assertEquals(new SinkResult(0, true), send(sink, v1.version(), v2.version()));
        }
        assertEquals(2, received.size());
        List<Long> ids = new ArrayList<>();
        for (String line : received.get(1).lines()) {
            ids.add(SinkData.JSON.readTree(line).get("id").longValue());
        }
        Collections.sort(ids);
        assertEquals(35, ids.size());
        assertEquals(100L, ids.get(0));
        assertEquals(134L, ids.get(34));
    }

    @Test
    void upsertAndOtherSchemesAreRefused() {
        TarnException upsert =
                assertThrows(
                        TarnException.class,
                        () ->
                                Sinks.open(
                                        new WebhookSinkSpec(
                                                URI.create("http://h/x"),
                                                SinkMode.UPSERT,
                                                Map.of(),
                                                10)));
        assertEquals(ErrorCode.INVALID_CONFIGURATION, upsert.errorCode());
        TarnException file =
                assertThrows(
                        TarnException.class,
                        () ->
                                Sinks.open(
                                        new WebhookSinkSpec(
                                                URI.create("file:///etc/passwd"),
                                                SinkMode.REPLACE,
                                                Map.of(),
                                                10)));
        assertEquals(ErrorCode.INVALID_CONFIGURATION, file.errorCode());
    }
}
