package dev.tarn.lake.stream;

/**
 * The sequence numbers of a batch of records, both ends included.
 *
 * @param first the first record's sequence number
 * @param last the last record's sequence number ({@code first - 1} for an empty batch)
 */
public record SequenceRange(long first, long last) {
    public SequenceRange {
        if (last < first - 1) {
            throw new IllegalArgumentException(
                    "range ends before it starts: " + first + ".." + last);
        }
    }

    /** How many records the range holds. */
    public long count() {
        return last - first + 1;
    }
}
