package dev.tarn.lake.storage;

import dev.tarn.lake.exceptions.ObjectExistsException;

/** What a write does when the key already exists. */
public enum WriteMode {
    /** Replace the existing object atomically. */
    OVERWRITE,
    /**
     * Put-if-absent: fail with {@link ObjectExistsException} if the key exists. Exclusive across
     * processes.
     */
    CREATE
}
