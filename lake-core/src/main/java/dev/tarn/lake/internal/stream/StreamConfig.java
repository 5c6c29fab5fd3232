package dev.tarn.lake.internal.stream;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.stream.StreamCompression;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A stream's settings as {@link dev.tarn.lake.stream.StreamBuilder} collected them; nullable fields
 * were not set.
 */
public record StreamConfig(
        DatasetId dataset,
        long maxBytes,
        Duration maxAge,
        String partitionField,
        boolean partitionByHour,
        StreamCompression compression,
        DatasetId table,
        String name,
        Path spoolDirectory) {}
