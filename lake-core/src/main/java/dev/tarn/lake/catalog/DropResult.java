package dev.tarn.lake.catalog;

import java.util.List;

/**
 * What a {@link Drop} did.
 *
 * @param dataset the dataset dropped, as the catalog knew it before
 * @param version the catalog version without it
 * @param readers the datasets that read it and were overridden with {@code force} (empty otherwise)
 */
public record DropResult(Dataset dataset, long version, List<String> readers) {
    public DropResult {
        readers = List.copyOf(readers);
    }
}
