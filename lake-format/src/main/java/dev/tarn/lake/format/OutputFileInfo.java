package dev.tarn.lake.format;

import java.util.Map;

/**
 * One Parquet file a conversion made visible.
 *
 * @param location the path (local outputs) or the object key (store outputs)
 * @param relative the path relative to the output root, with Hive partition directories ({@code
 *     country=DE/part-...})
 * @param rows rows in the file
 * @param bytes file size
 * @param rowGroups number of row groups
 * @param partition partition column values (empty when not partitioned); a null value is the Hive
 *     default partition
 */
public record OutputFileInfo(
        String location,
        String relative,
        long rows,
        long bytes,
        int rowGroups,
        Map<String, String> partition) {}
