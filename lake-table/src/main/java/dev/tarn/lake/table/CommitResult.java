package dev.tarn.lake.table;

import java.time.Instant;

/**
 * A committed version.
 *
 * @param attempts how many versions the commit tried before it won one (1 when nobody raced it); 0 when there was
 *                 nothing to commit (a row delete matching no rows): then {@code version} is the unchanged current
 *                 version and nothing was written
 */
public record CommitResult(long version, Instant timestamp, String operation, int filesAdded, int filesRemoved,
                           int attempts) {
}
