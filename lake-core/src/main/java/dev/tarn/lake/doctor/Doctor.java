package dev.tarn.lake.doctor;

import java.time.Duration;

/**
 * Checks a lake's consistency: the catalog log itself (gaps, damaged entries and checkpoints, read
 * entry by entry so that damage is reported rather than fatal), objects the catalog does not
 * reference, catalog entries whose object is missing or whose bytes differ, and writes that were
 * never finished. {@link #repair()} removes what is safe to remove: unreferenced objects and
 * abandoned writes older than the grace period, or whose writing process is gone; and rebuilds the
 * catalog's damaged files (recovery entries, checkpoints, hints), moving damaged bytes aside. It
 * never removes bytes that any line of any log entry or checkpoint names, and removes no
 * unreferenced object while the log is damaged.
 */
public interface Doctor {
    /**
     * How old an unreferenced object or unfinished write must be before repair removes it (default
     * 1 hour), so that an ingest in progress in another process is not disturbed. Writes whose
     * process is known to be dead are removed at any age.
     */
    Doctor grace(Duration grace);

    /**
     * Whether to re-hash every object against its recorded SHA-256 (default true; false checks
     * sizes only).
     */
    Doctor verifyChecksums(boolean verify);

    /** Looks, changes nothing. */
    DoctorReport check();

    /** Looks, then removes what is safe to remove; the report says what was repaired. */
    DoctorReport repair();
}
