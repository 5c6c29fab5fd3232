package dev.tarn.lake.catalog;

import java.util.Map;

/**
 * A change to a dataset's properties, committed atomically. Unset properties keep their value.
 *
 * <pre>{@code lake.updateDataset("raw/clicks").owner("web-team").tag("pii", "no").commit();}</pre>
 */
public interface DatasetUpdate extends dev.tarn.lake.PendingUpdate<Dataset> {
    DatasetUpdate owner(String owner);

    DatasetUpdate description(String description);

    /** Sets a tag; a null value removes it. */
    DatasetUpdate tag(String key, String value);

    DatasetUpdate tags(Map<String, String> tags);

    /** The dataset as the change would leave it; changes nothing. */
    @Override
    Dataset apply();

    /** Commits the change and returns the dataset as it now is. */
    @Override
    Dataset commit();
}
