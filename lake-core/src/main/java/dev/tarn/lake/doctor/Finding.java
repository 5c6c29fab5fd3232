package dev.tarn.lake.doctor;

/**
 * One problem found by the doctor.
 *
 * @param kind     what sort of problem
 * @param key      the object key or pending-write id concerned
 * @param detail   a sentence saying what is wrong and what to do
 * @param repaired whether a repair removed it
 */
public record Finding(Kind kind, String key, String detail, boolean repaired) {
    public enum Kind {
        /** A file in a dataset's folder that no catalog entry references (e.g. from a writer that died). */
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
        STRAY_FILE
    }
}
