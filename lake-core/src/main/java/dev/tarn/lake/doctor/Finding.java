package dev.tarn.lake.doctor;

/**
 * One problem found by the doctor.
 *
 * @param kind what sort of problem
 * @param key the object key or pending-write id concerned
 * @param detail a sentence saying what is wrong and what to do
 * @param repaired whether a repair removed it
 */
public record Finding(Kind kind, String key, String detail, boolean repaired) {
    public enum Kind {
        /**
         * A file in a dataset's folder that no catalog entry references (e.g. from a writer that
         * died).
         */
        UNREFERENCED_OBJECT,
        /** A catalog object whose bytes are gone. */
        MISSING_OBJECT,
        /** A catalog object whose size differs from the record. */
        SIZE_MISMATCH,
        /** A catalog object whose bytes no longer hash to the recorded SHA-256. */
        CHECKSUM_MISMATCH,
        /** A write that was started and never finished (a temp file, an unfinished upload). */
        LEFTOVER_TEMP,
        /** A file in the lake that belongs to no zone or dataset of the catalog. */
        STRAY_FILE,
        /** A log (the catalog's or a table's) has an entry missing, with later entries after it. */
        LOG_GAP,
        /** A log entry that is truncated, garbled or otherwise cannot be read. */
        CORRUPT_LOG_ENTRY,
        /**
         * A checkpoint (or the hint naming the newest one) that is missing, unreadable or disagrees
         * with the log.
         */
        BAD_CHECKPOINT,
        /** A data file of a table's current version whose bytes are gone. */
        MISSING_DATA_FILE,
        /**
         * A data file of a table's current version whose size differs from the size its log
         * records.
         */
        DATA_FILE_SIZE_MISMATCH,
        /**
         * A data file of a table's current version with its recorded size whose bytes are not a
         * readable file.
         */
        CORRUPT_DATA_FILE,
        /**
         * A file in a table's folder that no log entry references (a writer stopped before
         * committing it).
         */
        ORPHANED_DATA_FILE,
        /**
         * A zone or dataset whose name collides with a name the SQL engine reserves, so SQL cannot
         * show it.
         */
        RESERVED_NAME,
        /** Something the repair could not recover; the detail says what was lost and from where. */
        UNRECOVERABLE
    }
}
