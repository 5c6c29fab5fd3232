package dev.tarn.lake.event;

import java.util.List;

/**
 * A running subscription (from {@link SubscriptionBuilder#start()}): a background thread that
 * delivers the lake's events to its handler while this process holds the subscription's lease, and
 * waits as a standby while another process does. {@link #close()} stops it and gives the lease up.
 */
public interface Subscription extends AutoCloseable {
    /** The subscription's name. */
    String name();

    /** Its committed position and counts, and whether this process is delivering. */
    SubscriptionState state();

    /** Its dead letters, oldest first (those on datasets this handle may read). */
    List<DeadLetter> deadLetters();

    /**
     * Calls the handler once more for a dead letter's event; on success the dead letter is removed.
     *
     * @throws Exception what the handler threw (the dead letter stays)
     */
    void replay(DeadLetter letter) throws Exception;

    /** Removes a dead letter without delivering it. */
    void discard(DeadLetter letter);

    /** Stops delivering (waiting for the event being handled) and releases the lease. */
    @Override
    void close();
}
