package dev.tarn.lake.ingest;

import dev.tarn.lake.catalog.LakeObject;

/**
 * The outcome for one object of an ingest.
 *
 * @param status stored, or a duplicate of bytes the dataset already held
 * @param originalName the name it came with
 * @param source where it came from
 * @param object the stored object; for a duplicate, the existing object with the same bytes
 */
public record IngestedObject(Status status, String originalName, String source, LakeObject object) {
    public enum Status {
        STORED,
        DUPLICATE
    }
}
