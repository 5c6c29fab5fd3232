package dev.tarn.lake.pipeline.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Sends a table's version to an HTTP endpoint as NDJSON, {@code batchRows} rows per POST. Each
 * request carries {@code Idempotency-Key: SENDID/VERSION/BATCH} (batches numbered from 0), so a
 * receiver can drop a batch it already took when a send is repeated after a crash, and {@code
 * Tarn-Version}, {@code Tarn-Batch} and {@code Tarn-Last-Batch}. A 5xx answer, a 429 or an I/O
 * error is retried with exponential backoff; any other answer outside 2xx fails the send naming the
 * status.
 */
final class WebhookSink implements Sink {
    static final int ATTEMPTS = 5;
    private static final JsonFactory JSON = new JsonFactory();

    private final WebhookSinkSpec spec;
    private final Duration firstBackoff;
    private final int attempts;
    private final String target;
    private HttpClient client;

    WebhookSink(WebhookSinkSpec spec) {
        this(spec, Duration.ofMillis(250), ATTEMPTS);
    }

    /** With another retry schedule (tests). */
    WebhookSink(WebhookSinkSpec spec, Duration firstBackoff, int attempts) {
        if (spec.mode() == SinkMode.UPSERT) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "webhook sink "
                            + shown(spec.url())
                            + ": mode is replace (every row of a version) or append (the rows"
                            + " added), not upsert");
        }
        String scheme = String.valueOf(spec.url().getScheme()).toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "webhook sink " + spec.url() + ": the URL must be http or https");
        }
        this.spec = spec;
        this.firstBackoff = firstBackoff;
        this.attempts = attempts;
        this.target = shown(spec.url());
    }

    /** The URL without user info or query (which may hold secrets), for messages. */
    static String shown(URI url) {
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return url.getScheme() + "://" + url.getHost() + port + path;
    }

    @Override
    public SinkResult send(SinkRequest request) {
        long version = request.version();
        OptionalLong after = OptionalLong.empty();
        OptionalLong previous = request.previous();
        if (spec.mode() == SinkMode.APPEND) {
            long from = previous.orElse(-1);
            if (from >= version) {
                return new SinkResult(0, true);
            }
            after = OptionalLong.of(from);
        } else if (previous.isPresent() && previous.getAsLong() == version) {
            return new SinkResult(0, true);
        }
        Schema schema = SinkRows.schemaAt(request.lake(), request.table(), version);
        long rows = 0;
        int batch = 0;
        try (SinkRows source =
                SinkRows.open(request.lake(), request.table(), schema, version, after)) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int inBatch = 0;
            boolean more = source.hasNext();
            if (!more && spec.mode() == SinkMode.REPLACE) {
                // an empty version is news to a receiver that replaces: one empty last batch
                post(request, batch, true, body.toByteArray());
                return new SinkResult(0, false);
            }
            while (more) {
                writeRow(body, schema.fields(), source.next());
                rows++;
                inBatch++;
                more = source.hasNext();
                if (inBatch == spec.batchRows() || !more) {
                    post(request, batch++, !more, body.toByteArray());
                    body.reset();
                    inBatch = 0;
                }
            }
        }
        return new SinkResult(rows, false);
    }

    private static void writeRow(ByteArrayOutputStream out, List<Field> fields, Object[] row) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            for (int i = 0; i < row.length; i++) {
                g.writeFieldName(fields.get(i).name());
                writeValue(g, fields.get(i), row[i]);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
    }

    private static void writeValue(JsonGenerator g, Field f, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (SinkRows.isNested(f.type())) {
            g.writeRawValue(v.toString()); // JSON text already
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                g.writeString(d.toString()); // JSON has no NaN or Infinity
            } else {
                g.writeNumber(d);
            }
        } else if (v instanceof Float d) {
            if (d.isNaN() || d.isInfinite()) {
                g.writeString(d.toString());
            } else {
                g.writeNumber(d);
            }
        } else if (v instanceof Number n) {
            g.writeNumber(n.longValue());
        } else if (v instanceof byte[] b) {
            g.writeBinary(b); // base64
        } else {
            g.writeString(v.toString()); // text, and ISO-8601 dates and timestamps
        }
    }

    private void post(SinkRequest request, int batch, boolean last, byte[] body) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(spec.url())
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/x-ndjson");
        for (Map.Entry<String, String> h : spec.headers().entrySet()) {
            b.setHeader(h.getKey(), h.getValue());
        }
        HttpRequest http =
                b.setHeader(
                                "Idempotency-Key",
                                request.sendId() + "/" + request.version() + "/" + batch)
                        .setHeader("Tarn-Version", Long.toString(request.version()))
                        .setHeader("Tarn-Batch", Integer.toString(batch))
                        .setHeader("Tarn-Last-Batch", Boolean.toString(last))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        Duration backoff = firstBackoff;
        String lastFailure = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                sleep(backoff);
                backoff =
                        backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                                ? Duration.ofSeconds(30)
                                : backoff.multipliedBy(2);
            }
            try {
                HttpResponse<String> r =
                        client().send(
                                        http,
                                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = r.statusCode();
                if (status >= 200 && status < 300) {
                    return;
                }
                String answer = "HTTP " + status + answerText(r.body());
                if (status >= 500 || status == 429) {
                    lastFailure = answer;
                    continue;
                }
                throw new TarnException(
                        ErrorCode.SINK_FAILED,
                        "webhook sink "
                                + target
                                + ": POST of batch "
                                + batch
                                + " of version "
                                + request.version()
                                + " was refused: "
                                + answer);
            } catch (IOException e) {
                lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TarnException(
                        ErrorCode.SINK_FAILED, "webhook sink " + target + ": interrupted", e);
            }
        }
        throw new TarnException(
                ErrorCode.SINK_FAILED,
                "webhook sink "
                        + target
                        + ": POST of batch "
                        + batch
                        + " of version "
                        + request.version()
                        + " failed "
                        + attempts
                        + " times; last: "
                        + lastFailure);
    }

    private static String answerText(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String s = body.strip().replaceAll("\\s+", " ");
        return " (" + (s.length() > 200 ? s.substring(0, 200) + "..." : s) + ")";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TarnException(ErrorCode.SINK_FAILED, "webhook sink: interrupted", e);
        }
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client =
                    HttpClient.newBuilder()
                            .connectTimeout(Duration.ofSeconds(10))
                            .followRedirects(HttpClient.Redirect.NORMAL)
                            .build();
        }
        return client;
    }

    @Override
    public void close() {
        // HttpClient has no close before Java 21; its threads end with it
        client = null;
    }
}
