package dev.tarn.lake.event;

/**
 * What {@link SubscriptionBuilder#drain()} did.
 *
 * @param delivered events handled successfully
 * @param deadLettered events set aside as dead letters
 * @param position the subscription's committed position afterwards
 * @param leaseHeld false if another process held the subscription's lease, so nothing was delivered
 */
public record DrainReport(
        int delivered, int deadLettered, FeedCursor position, boolean leaseHeld) {}
