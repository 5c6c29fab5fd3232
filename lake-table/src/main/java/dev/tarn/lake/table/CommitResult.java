package dev.tarn.lake.table;

import java.time.Instant;

/**
 * A committed version, or from {@link TableChange#apply()} the version a commit would write.
 *
 * @param attempts how many versions the commit tried before it won one (1 when nobody raced it); 0
 *     when nothing was written: a preview from {@code apply()} ({@code version} is the one a commit
 *     would take if nobody raced it), or nothing to commit (a row delete matching no rows: {@code
 *     version} is the unchanged current version)
 */
public record CommitResult(
        long version,
        Instant timestamp,
        String operation,
        int filesAdded,
        int filesRemoved,
        int attempts) {}
