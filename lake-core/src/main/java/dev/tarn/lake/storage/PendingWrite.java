package dev.tarn.lake.storage;

import java.time.Instant;

/**
 * A write that was begun and never finished.
 *
 * @param id the store's handle for it (a temp file name, an upload id)
 * @param key the key it was meant for, when known, else null
 * @param size bytes staged so far
 * @param startedAt when it was begun (or last touched)
 * @param ownerAlive true if the writer may still be working on it (its process is alive, or it
 *     cannot be told); false only when the store knows the writer is gone
 */
public record PendingWrite(
        String id, String key, long size, Instant startedAt, boolean ownerAlive) {}
