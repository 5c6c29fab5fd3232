package dev.tarn.lake.pipeline.sink;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A database table reached over JDBC.
 *
 * @param url the JDBC URL ({@code jdbc:sqlite:shop.db}, {@code jdbc:postgresql://host/db})
 * @param table the target table, created if missing
 * @param mode how rows are written
 * @param key the key columns, required for {@link SinkMode#UPSERT}
 * @param properties connection properties ({@code user}, {@code password}...)
 */
public record JdbcSinkSpec(
        String url, String table, SinkMode mode, List<String> key, Map<String, String> properties)
        implements SinkSpec {
    public JdbcSinkSpec {
        requireNonNull(url, "url is null");
        requireNonNull(table, "table is null");
        requireNonNull(mode, "mode is null");
        key = List.copyOf(key);
        properties = Map.copyOf(properties);
    }
}
