package dev.tarn.lake.event;

import static java.util.Objects.requireNonNull;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.internal.subscription.Delivery;
import dev.tarn.lake.internal.subscription.RunningSubscription;
import dev.tarn.lake.internal.subscription.SubscriptionConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Configures a durable subscription to the lake's change feed (from {@link Lake#subscribe}): the
 * events of its datasets are delivered to its handler at least once, in order per source, and its
 * position is committed in the lake after each handler returns, so a restart (in any process)
 * resumes there.
 *
 * <pre>{@code
 * try (Subscription s = lake.subscribe("kpi-alerts")
 *         .datasets("analytics/revenue")
 *         .handler(event -> alert(event))
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>A handler that throws is called again after a growing delay; after {@link #maxAttempts} calls
 * the event goes to the subscription's dead letters (queryable as {@code tarn.dead_letters}) and
 * delivery goes on. One process delivers at a time: the subscription's lease (under {@code
 * _tarn/leases/subscriptions/<name>/}) is held by the delivering process, and another one started
 * for the same subscription waits as a standby until it expires. A subscription needs READ on its
 * datasets (on the lake when it names none).
 */
public final class SubscriptionBuilder {
    private final Lake lake;
    private final String name;
    private final List<DatasetId> datasets = new ArrayList<>();
    private EventHandler handler;
    private int maxAttempts = 5;
    private Duration backoffInitial = Duration.ofMillis(200);
    private Duration backoffMax = Duration.ofSeconds(30);
    private Duration lease = Duration.ofSeconds(30);
    private Duration pollInterval = Duration.ofMillis(250);
    private int commitEvery = 1;

    /**
     * Use {@link Lake#subscribe(String)}.
     *
     * @throws dev.tarn.lake.exceptions.IllegalNameException if the name breaks the naming rule
     */
    public SubscriptionBuilder(Lake lake, String name) {
        this.lake = requireNonNull(lake, "lake");
        this.name = Names.check("subscription", name);
    }

    /** Delivers only events that change these datasets ({@code zone/name}); all when not called. */
    public SubscriptionBuilder datasets(String... datasets) {
        for (String d : datasets) {
            this.datasets.add(DatasetId.parse(d));
        }
        return this;
    }

    /** Delivers only events that change these datasets; all when not called. */
    public SubscriptionBuilder datasets(List<DatasetId> datasets) {
        this.datasets.addAll(datasets);
        return this;
    }

    /** What to do with each event (needed by {@link #start()} and {@link #drain()}). */
    public SubscriptionBuilder handler(EventHandler handler) {
        this.handler = requireNonNull(handler, "handler");
        return this;
    }

    /** Calls of the handler for one event before it is dead-lettered (default 5). */
    public SubscriptionBuilder maxAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + attempts);
        }
        this.maxAttempts = attempts;
        return this;
    }

    /**
     * The wait after the first failed attempt, doubled after each further one up to {@code max}
     * (defaults 200 ms and 30 s); each wait is between half of that and all of it (jitter).
     */
    public SubscriptionBuilder backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "backoff needs 0 < initial <= max: " + initial + ", " + max);
        }
        this.backoffInitial = initial;
        this.backoffMax = max;
        return this;
    }

    /**
     * How long the delivering process holds the subscription without renewing (default 30 s): a
     * standby takes over this long after the holder died. The holder renews every third of it,
     * between events; a handler that runs longer than it can lose the subscription to a standby.
     */
    public SubscriptionBuilder lease(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the lease time must be positive: " + ttl);
        }
        this.lease = ttl;
        return this;
    }

    /**
     * Commits the subscription's position after every {@code events} handled events, and whenever
     * the events read so far run out (default 1: after each one). Each commit is one durable write
     * to the lake's store, so a larger number delivers faster; the price is that after a crash up
     * to that many events whose handler had returned are delivered again (delivery is at least once
     * either way).
     */
    public SubscriptionBuilder commitEvery(int events) {
        if (events < 1) {
            throw new IllegalArgumentException("commitEvery must be at least 1: " + events);
        }
        this.commitEvery = events;
        return this;
    }

    /** How often to look for new events, and for a free lease while standby (default 250 ms). */
    public SubscriptionBuilder pollInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the poll interval must be positive: " + interval);
        }
        this.pollInterval = interval;
        return this;
    }

    /**
     * Starts delivering in a background thread (or waiting as a standby while another process
     * delivers). Close the subscription to stop.
     *
     * @throws dev.tarn.lake.exceptions.PermissionDeniedException without READ on the datasets
     */
    public Subscription start() {
        return new RunningSubscription(lake, config(true));
    }

    /**
     * Delivers the events there are now in this thread (taking the lease, and giving it up after),
     * then returns. Delivers nothing if another process holds the lease.
     */
    public DrainReport drain() {
        Delivery d = new Delivery(lake, config(true));
        try {
            if (!d.tryActivate()) {
                return new DrainReport(0, 0, d.state(true).position(), false);
            }
            int delivered = 0;
            int dead = 0;
            while (true) {
                Delivery.Counts c = d.deliverAvailable();
                delivered += c.delivered();
                dead += c.deadLettered();
                if (c.total() == 0 || !d.active()) {
                    break;
                }
            }
            return new DrainReport(delivered, dead, d.position(), true);
        } finally {
            d.release();
        }
    }

    /** The subscription's committed position and counts, without delivering. */
    public SubscriptionState state() {
        Delivery.authorize(dev.tarn.lake.spi.LakeInternals.of(lake), datasets);
        return new Delivery(lake, config(false)).state(true);
    }

    /** The subscription's dead letters (those on datasets this handle may read). */
    public List<DeadLetter> deadLetters() {
        return new Delivery(lake, config(false)).deadLetters();
    }

    /**
     * Calls the handler once for a dead letter's event; on success the dead letter is removed.
     *
     * @throws Exception what the handler threw (the dead letter stays)
     */
    public void replay(DeadLetter letter) throws Exception {
        new Delivery(lake, config(true)).replay(letter);
    }

    /** Removes a dead letter without delivering it. */
    public void discard(DeadLetter letter) {
        new Delivery(lake, config(false)).discard(letter);
    }

    private SubscriptionConfig config(boolean needsHandler) {
        if (needsHandler && handler == null) {
            throw new IllegalStateException(
                    "subscription " + name + " has no handler: call handler(event -> ...) first");
        }
        return new SubscriptionConfig(
                name,
                datasets,
                handler,
                maxAttempts,
                backoffInitial,
                backoffMax,
                lease,
                pollInterval,
                commitEvery);
    }
}
