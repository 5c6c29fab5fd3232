package dev.tarn.lake.ingest;

import dev.tarn.lake.catalog.DatasetId;
import java.util.List;

/**
 * What an ingest did.
 *
 * @param dataset the dataset
 * @param version the catalog version it committed, or -1 if it stored nothing new (all duplicates)
 * @param objects one entry per object added to the ingest, in the order they were added
 */
public record IngestResult(DatasetId dataset, long version, List<IngestedObject> objects) {
    public IngestResult {
        objects = List.copyOf(objects);
    }

    public List<IngestedObject> stored() {
        return objects.stream().filter(o -> o.status() == IngestedObject.Status.STORED).toList();
    }

    public List<IngestedObject> duplicates() {
        return objects.stream().filter(o -> o.status() == IngestedObject.Status.DUPLICATE).toList();
    }
}
