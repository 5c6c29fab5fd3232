package dev.tarn.lake.catalog;

import java.util.List;

/**
 * What a {@link Remove} did.
 *
 * @param dataset the dataset
 * @param version the catalog version that no longer lists the objects (the one before still does)
 * @param removed the objects removed, as the catalog knew them
 */
public record RemoveResult(DatasetId dataset, long version, List<LakeObject> removed) {
    public RemoveResult {
        removed = List.copyOf(removed);
    }
}
