package dev.tarn.lake.event;

/**
 * What a subscription does with each event. Returning normally acknowledges the event (the
 * subscription's position moves past it); throwing makes the subscription try it again, with
 * backoff, and after its last attempt set it aside as a dead letter.
 *
 * <p>Delivery is at least once: an event whose handler returned but whose position was not yet
 * committed (the process died in between) is delivered again, so handlers should be idempotent
 * (keyed on {@link ChangeEvent#position()}).
 */
@FunctionalInterface
public interface EventHandler {
    void handle(ChangeEvent event) throws Exception;
}
