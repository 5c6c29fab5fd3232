package dev.tarn.lake.event;

import java.time.Instant;

/**
 * An event a subscription's handler failed on at every attempt, with its last error. Kept in the
 * lake (under {@code _tarn/subscriptions/<name>/dead-letters/}) until replayed or discarded, and
 * queryable in SQL as {@code tarn.dead_letters}.
 *
 * @param subscription the subscription's name
 * @param event the event
 * @param attempts how many times the handler was called for it
 * @param errorClass the last error's class
 * @param errorMessage its message (may be empty)
 * @param stackHead the first lines of its stack trace
 * @param failedAt when the last attempt failed
 */
public record DeadLetter(
        String subscription,
        ChangeEvent event,
        int attempts,
        String errorClass,
        String errorMessage,
        String stackHead,
        Instant failedAt) {

    /** The event's position, {@code source@version}. */
    public String position() {
        return event.position();
    }

    /** The error as one line: {@code class: message}. */
    public String error() {
        return errorMessage.isEmpty() ? errorClass : errorClass + ": " + errorMessage;
    }
}
