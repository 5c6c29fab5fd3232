package dev.tarn.lake.table;

import java.time.Instant;

/**
 * A committed version.
 *
 * @param attempts how many versions the commit tried before it won one (1 when nobody raced it)
 */
public record CommitResult(long version, Instant timestamp, String operation, int filesAdded, int filesRemoved,
                           int attempts) {
}
