package dev.tarn.lake.pipeline.sink;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Map;

/**
 * An HTTP endpoint that receives rows as NDJSON in POST requests.
 *
 * @param url where to POST
 * @param mode how rows are chosen ({@link SinkMode#REPLACE}: every row of the version; {@link
 *     SinkMode#APPEND}: the rows added since the last version sent)
 * @param headers extra request headers
 * @param batchRows at most this many rows per request
 */
public record WebhookSinkSpec(URI url, SinkMode mode, Map<String, String> headers, int batchRows)
        implements SinkSpec {
    public WebhookSinkSpec {
        requireNonNull(url, "url is null");
        requireNonNull(mode, "mode is null");
        headers = Map.copyOf(headers);
        if (batchRows <= 0) {
            throw new IllegalArgumentException("batchRows must be positive");
        }
    }
}
