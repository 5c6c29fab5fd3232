package dev.tarn.lake.table;

import java.time.Instant;
import java.util.Map;

/**
 * One version of a table's history, from its commitInfo.
 *
 * @param operation Delta's operation name: {@code CREATE TABLE}, {@code WRITE}, {@code DELETE},
 *     {@code OPTIMIZE}, {@code RESTORE}, ... (null if the commit has no commitInfo)
 * @param parameters operationParameters
 * @param metrics operationMetrics ({@code numFiles}, {@code numOutputRows}, {@code
 *     numRemovedFiles}, ...)
 * @param engineInfo who wrote it, e.g. {@code Tarn/0.1.0}
 */
public record HistoryEntry(
        long version,
        Instant timestamp,
        String operation,
        Map<String, String> parameters,
        Map<String, String> metrics,
        String engineInfo,
        String userName,
        Long readVersion,
        boolean blindAppend) {
    public HistoryEntry {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
