package dev.tarn.lake.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * A dataset as the catalog knows it at one version.
 *
 * @param id zone and name
 * @param kind objects or table
 * @param format the format of its objects ({@code ndjson}, {@code csv}...), {@code mixed}, or null
 *     when empty
 * @param objects number of objects
 * @param bytes their total size
 * @param createdAt when the dataset was created
 * @param lastModified when its data or properties last changed
 * @param lastVersion the catalog version of that change
 * @param owner who owns it (settable), null if unset
 * @param description free text (settable), null if unset
 * @param tags key/values (settable)
 */
public record Dataset(
        DatasetId id,
        DatasetKind kind,
        String format,
        long objects,
        long bytes,
        Instant createdAt,
        Instant lastModified,
        long lastVersion,
        String owner,
        String description,
        Map<String, String> tags) {
    public Dataset {
        tags = Map.copyOf(tags);
    }
}
