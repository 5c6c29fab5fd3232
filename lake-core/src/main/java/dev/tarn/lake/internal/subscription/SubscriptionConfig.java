package dev.tarn.lake.internal.subscription;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.event.EventHandler;
import java.time.Duration;
import java.util.List;

/** What {@link dev.tarn.lake.event.SubscriptionBuilder} collected. */
public record SubscriptionConfig(
        String name,
        List<DatasetId> datasets,
        EventHandler handler,
        int maxAttempts,
        Duration backoffInitial,
        Duration backoffMax,
        Duration lease,
        Duration pollInterval,
        int commitEvery) {
    public SubscriptionConfig {
        datasets = List.copyOf(datasets);
    }
}
