package dev.tarn.lake.internal.subscription;

import dev.tarn.lake.Lake;
import dev.tarn.lake.event.DeadLetter;
import dev.tarn.lake.event.Subscription;
import dev.tarn.lake.event.SubscriptionState;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A subscription delivering in a background thread: it tries to take the lease every poll interval
 * while standby, and, while active, delivers what the feed has and then waits a poll interval. An
 * error of the store or the feed (not an exception of the handler, which is retried and
 * dead-lettered), or an {@link Error} the handler threw, is kept for {@link #lastError()}, and
 * delivery tries again from the committed position after a poll interval.
 */
public final class RunningSubscription implements Subscription {
    private final SubscriptionConfig config;
    private final Delivery delivery;
    private final Thread thread;
    private final AtomicReference<Throwable> lastError = new AtomicReference<>();
    private volatile boolean closed;

    public RunningSubscription(Lake lake, SubscriptionConfig config) {
        this.config = config;
        this.delivery = new Delivery(lake, config);
        Delivery.authorize(
                dev.tarn.lake.spi.LakeInternals.of(lake),
                config.datasets()); // fail here, not later
        this.thread = new Thread(this::run, "tarn-subscription-" + config.name());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!delivery.stopping()) {
            try {
                if (!delivery.active() && !delivery.tryActivate()) {
                    delivery.idle(config.pollInterval());
                    continue;
                }
                if (delivery.deliverAvailable().total() == 0 && delivery.keepLease()) {
                    delivery.idle(config.pollInterval());
                }
                lastError.set(null);
            } catch (RuntimeException | Error e) {
                lastError.set(e);
                delivery.idle(config.pollInterval());
            }
        }
    }

    /** The last error of the store or feed, if the last round failed. */
    public Throwable lastError() {
        return lastError.get();
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public SubscriptionState state() {
        return delivery.state(closed);
    }

    @Override
    public List<DeadLetter> deadLetters() {
        return delivery.deadLetters();
    }

    @Override
    public void replay(DeadLetter letter) throws Exception {
        delivery.replay(letter);
    }

    @Override
    public void discard(DeadLetter letter) {
        delivery.discard(letter);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        delivery.stop();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delivery.release();
    }
}
