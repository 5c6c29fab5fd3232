package dev.tarn.lake.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of the catalog log: who changed the catalog, when, how, and with which parameters
 * ({@code dataset}, {@code reason}...).
 */
public record CatalogCommit(
        long version,
        Instant timestamp,
        String operation,
        String principal,
        Map<String, String> parameters) {
    public CatalogCommit {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
