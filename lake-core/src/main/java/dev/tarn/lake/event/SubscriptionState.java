package dev.tarn.lake.event;

import java.time.Instant;

/**
 * Where a subscription stands, as its committed state and this process see it.
 *
 * @param name the subscription
 * @param position past the last event it committed (delivered or dead-lettered)
 * @param role whether this process delivers (holds the subscription's lease) or waits
 * @param delivered events handled successfully, over the subscription's whole life
 * @param deadLettered events set aside after their last failed attempt, over its whole life
 * @param committedAt when the position was last committed, or null if never
 */
public record SubscriptionState(
        String name,
        FeedCursor position,
        Role role,
        long delivered,
        long deadLettered,
        Instant committedAt) {

    /** What a process does for a subscription. */
    public enum Role {
        /** It holds the subscription's lease and delivers. */
        ACTIVE,
        /** Another process holds the lease; this one takes over when it expires. */
        STANDBY,
        /** Not delivering here (closed, never started, or a drain that has returned). */
        STOPPED
    }

    public boolean active() {
        return role == Role.ACTIVE;
    }
}
