package dev.tarn.lake.stream;

import dev.tarn.lake.catalog.DatasetId;
import java.time.Duration;
import java.util.List;

/**
 * An open stream of small records into a raw dataset (from {@link
 * dev.tarn.lake.Lake#stream(String)}): the Firehose role. Records are appended one at a time from
 * any number of threads, made durable in a local write-ahead spool with one fsync per batch (group
 * commit), rolled into well-sized NDJSON objects when the buffer reaches {@link
 * StreamBuilder#maxBytes} or {@link StreamBuilder#maxAge}, and committed to the catalog.
 *
 * <pre>{@code
 * try (EventStream s = lake.stream("raw/events").partitionBy("event_type").open()) {
 *     long seq = s.append("{\"event_type\":\"click\",\"user\":42}");
 *     s.awaitDurable(seq);            // or s.flush() for everything appended so far
 * }                                   // close(): rolls what is buffered and commits it
 * }</pre>
 *
 * <p>Guarantees: a record whose sequence number was acknowledged durable ({@link #flush}, {@link
 * #awaitDurable}) reaches the lake exactly once, also after the process is killed (the next open of
 * a stream of the same dataset, or {@code lake doctor --repair}, recovers the spool); a record
 * never acknowledged reaches it at most once; an object is never visible in part. Sequence numbers
 * are gap-free per stream name and continue across reopenings of a named stream.
 *
 * <p>Every record must be one JSON value (a pretty-printed document is stored on one line); a
 * record that is not is refused with {@link dev.tarn.lake.exceptions.FormatException} and nothing
 * is appended. Appends after {@link #close()} throw {@link IllegalStateException}.
 */
public interface EventStream extends AutoCloseable {

    /** The raw dataset the stream writes to. */
    DatasetId dataset();

    /** The stream's name: the spool it owns and the prefix of the objects it writes. */
    String name();

    /**
     * Appends one record, a JSON document in UTF-8; returns its sequence number. Returns once the
     * record is buffered, before it is durable.
     *
     * @throws dev.tarn.lake.exceptions.FormatException if the bytes are not one JSON value
     */
    long append(byte[] json);

    /** Appends one record given as JSON text. */
    long append(String json);

    /**
     * Appends a Java object or map, serialised as JSON (as {@link
     * dev.tarn.lake.ingest.Ingest#records} does).
     */
    long appendRecord(Object record);

    /**
     * Appends a batch of records atomically with respect to validation: if any of them is not one
     * JSON value, none is appended and the exception names its index. The records get consecutive
     * sequence numbers.
     */
    SequenceRange appendAll(List<byte[]> records);

    /** Returns when every record appended before the call is durable in the spool. */
    void flush();

    /**
     * Returns when the record with sequence number {@code seq} (and every earlier one) is durable.
     */
    void awaitDurable(long seq);

    /**
     * As {@link #awaitDurable(long)}, giving up after {@code timeout}; returns whether it became
     * durable.
     */
    boolean awaitDurable(long seq, Duration timeout);

    /** The highest sequence number known durable, or {@code firstSequence - 1} if none yet. */
    long durableSequence();

    /**
     * Rolls what is buffered now into objects and commits them, without waiting for {@code
     * maxBytes} or {@code maxAge}; returns when they are committed (and appended to the table, with
     * {@link StreamBuilder#intoTable}).
     */
    void roll();

    /** Counts so far: records appended, durable and committed, objects and bytes written. */
    StreamStats stats();

    /**
     * Flushes, rolls and commits what is buffered, brings the table up to date (with {@link
     * StreamBuilder#intoTable}), and releases the spool. If committing fails the records stay in
     * the spool, durable, for the next open to recover, and the failure is thrown.
     */
    @Override
    void close();
}
