package dev.tarn.lake.internal.subscription;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.event.ChangeEvent;
import dev.tarn.lake.event.ChangeFeed;
import dev.tarn.lake.event.DeadLetter;
import dev.tarn.lake.event.FeedCursor;
import dev.tarn.lake.event.SubscriptionState;
import dev.tarn.lake.exceptions.PermissionDeniedException;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.spi.DeadLetters;
import dev.tarn.lake.spi.LakeInternals;
import dev.tarn.lake.spi.Lease;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers a subscription's events while this process holds its lease: polls the change feed from
 * the committed position, calls the handler for each event (again, with exponential backoff, when
 * it throws), sets an event that failed every attempt aside as a dead letter, and commits the
 * position past each event after its handler returned, under the lease's epoch.
 *
 * <p>Not thread-safe: one delivering thread; {@link #stop()} and the state getters may be called
 * from others.
 */
public final class Delivery {
    /** Events read from the feed at a time. */
    private static final int BATCH = 1000;

    private final Lake lake;
    private final LakeInternals internals;
    private final SubscriptionConfig config;
    private final StateLog log;
    private final String holder = Lease.defaultHolder();
    private final Object sleeper = new Object();

    private volatile boolean stopping;
    private volatile Lease lease;
    private volatile StateLog.Entry committed = StateLog.Entry.NONE;

    /** Handled past {@link #committed}, not yet committed ({@code commitEvery} above 1). */
    private StateLog.Entry pending;

    private int pendingEvents;
    private volatile Instant lastRenewal = Instant.EPOCH;
    private ChangeFeed feed;

    public Delivery(Lake lake, SubscriptionConfig config) {
        this.lake = lake;
        this.internals = LakeInternals.of(lake);
        this.config = config;
        this.log = new StateLog(internals, config.name());
    }

    /** The lease's name: {@code subscriptions/<name>}. */
    public static String leaseName(String subscription) {
        return "subscriptions/" + subscription;
    }

    /**
     * The checks before delivering or touching the subscription's state: READ on each of its
     * datasets, or on the lake when it has none (it then reads every event the handle may read).
     */
    public static void authorize(LakeInternals internals, List<DatasetId> datasets) {
        if (datasets.isEmpty()) {
            internals.authorize(Privilege.READ, "lake");
        }
        for (DatasetId d : datasets) {
            internals.authorize(Privilege.READ, d.toString());
        }
    }

    /** Whether this handle may read every dataset of the event (to see its dead letter). */
    public static boolean mayRead(LakeInternals internals, ChangeEvent event) {
        try {
            if (event.datasets().isEmpty()) {
                internals.authorize(Privilege.ADMIN, "lake");
            }
            for (DatasetId d : event.datasets()) {
                internals.authorize(Privilege.READ, d.toString());
            }
            return true;
        } catch (PermissionDeniedException e) {
            return false;
        }
    }

    /**
     * Takes the lease if it is free and loads the committed state, claiming it with an entry of
     * this epoch (so that a previous holder's late write cannot move the position any more). False
     * if another process holds the lease.
     */
    public boolean tryActivate() {
        if (lease != null && lease.isHeld()) {
            return true;
        }
        authorize(internals, config.datasets());
        var taken = Lease.tryAcquire(internals, leaseName(config.name()), holder, config.lease());
        if (taken.isEmpty()) {
            return false;
        }
        Lease l = taken.get();
        StateLog.Entry newest = log.newest();
        StateLog.Committed claim =
                log.commit(
                        newest,
                        new StateLog.Entry(
                                -1,
                                l.epoch(),
                                newest.position(),
                                newest.delivered(),
                                newest.deadLettered(),
                                internals.clock().instant()));
        if (claim.outcome() == StateLog.Outcome.FENCED) {
            l.release();
            return false;
        }
        committed = claim.entry();
        lastRenewal = internals.clock().instant();
        lease = l;
        feed = null;
        return true;
    }

    /** Whether this process delivers now. */
    public boolean active() {
        Lease l = lease;
        return l != null && l.isHeld();
    }

    /**
     * Delivers the events there are now, in order, until none is left, the lease is lost or {@link
     * #stop()} is called; returns how many events it handled or dead-lettered.
     */
    public Counts deliverAvailable() {
        try {
            return deliverBatches();
        } catch (RuntimeException | Error e) {
            dropPending(
                    0, 0); // it read past events that were not committed: read from the position
            throw e;
        }
    }

    private Counts deliverBatches() {
        int delivered = 0;
        int dead = 0;
        while (!stopping && lease != null) {
            if (feed == null) {
                feed = lake.events().datasets(config.datasets()).since(committed.position());
            }
            List<ChangeEvent> events = feed.poll(BATCH);
            if (events.isEmpty()) {
                break;
            }
            for (ChangeEvent e : events) {
                if (stopping || !keepLease()) {
                    return dropPending(delivered, dead);
                }
                Boolean ok = deliver(e);
                if (ok == null) {
                    return dropPending(delivered, dead);
                }
                if (ok) {
                    delivered++;
                } else {
                    dead++;
                }
            }
            if (pending != null && !commitPending()) {
                return dropPending(delivered, dead);
            }
        }
        return new Counts(delivered, dead);
    }

    /** How many events a call delivered and dead-lettered. */
    public record Counts(int delivered, int deadLettered) {
        public int total() {
            return delivered + deadLettered;
        }
    }

    /**
     * One event: true if the handler took it, false if it was dead-lettered, null if delivery
     * stopped before its position was committed (stopped or lost the lease; it will be delivered
     * again).
     */
    private Boolean deliver(ChangeEvent e) {
        Exception last = null;
        int attempt = 0;
        while (attempt < config.maxAttempts()) {
            attempt++;
            try {
                config.handler().handle(e);
                last = null;
                break;
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                return null;
            } catch (Exception x) {
                last = x;
            }
            if (attempt < config.maxAttempts() && !pause(backoff(attempt))) {
                return null;
            }
        }
        if (!keepLease()) {
            return null;
        }
        boolean handled = last == null;
        if (!handled) {
            DeadLetters.write(
                    internals,
                    new DeadLetter(
                            config.name(),
                            e,
                            attempt,
                            last.getClass().getName(),
                            last.getMessage() == null ? "" : last.getMessage(),
                            stackHead(last),
                            internals.clock().instant()));
        }
        StateLog.Entry c = pending != null ? pending : committed;
        pending =
                new StateLog.Entry(
                        -1,
                        lease.epoch(),
                        c.position().advance(e),
                        c.delivered() + (handled ? 1 : 0),
                        c.deadLettered() + (handled ? 0 : 1),
                        internals.clock().instant());
        // a dead letter is committed at once: it must not be written twice by a redelivery
        if (++pendingEvents >= config.commitEvery() || !handled) {
            return commitPending() ? handled : null;
        }
        return handled;
    }

    /** Commits the events handled since the last commit; false if the lease was lost. */
    private boolean commitPending() {
        StateLog.Committed result = log.commit(committed, pending);
        pending = null;
        pendingEvents = 0;
        if (result.outcome() == StateLog.Outcome.FENCED) {
            lose();
            return false;
        }
        committed = result.entry();
        return true;
    }

    /**
     * Forgets what was handled but not committed (it is delivered again) and reads again from the
     * committed position next time.
     */
    private Counts dropPending(int delivered, int dead) {
        pending = null;
        pendingEvents = 0;
        feed = null;
        return new Counts(delivered, dead);
    }

    /**
     * The wait after failed attempt {@code attempt}: the initial backoff doubled per attempt, at
     * most the maximum, with "equal jitter" (between half of it and all of it), so that delays
     * still grow from one attempt to the next.
     */
    Duration backoff(int attempt) {
        long initial = config.backoffInitial().toMillis();
        long max = config.backoffMax().toMillis();
        long base = initial << Math.min(attempt - 1, 30);
        base = base <= 0 || base > max ? max : base;
        long half = base / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(base - half + 1));
    }

    /** Waits, renewing the lease; false if stopped or the lease was lost meanwhile. */
    private boolean pause(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (!stopping) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            if (!keepLease()) {
                return false;
            }
            long step = Math.min(left / 1_000_000 + 1, config.lease().toMillis() / 4 + 1);
            synchronized (sleeper) {
                try {
                    sleeper.wait(step);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    /** Waits {@code d} unless stopped; for the idle loop. */
    public void idle(Duration d) {
        if (!stopping) {
            synchronized (sleeper) {
                try {
                    sleeper.wait(Math.max(1, d.toMillis()));
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Renews the lease when a third of its time has passed since the last renewal; false (and this
     * process becomes a standby) if it was lost.
     */
    public boolean keepLease() {
        Lease l = lease;
        if (l == null) {
            return false;
        }
        Instant now = internals.clock().instant();
        if (Duration.between(lastRenewal, now).compareTo(config.lease().dividedBy(3)) < 0
                && l.isHeld()) {
            return true;
        }
        if (!l.renew()) {
            lose();
            return false;
        }
        lastRenewal = now;
        return true;
    }

    private void lose() {
        lease = null;
        feed = null;
    }

    /** Asks the delivering thread to stop after the event it is handling. */
    public void stop() {
        stopping = true;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
    }

    public boolean stopping() {
        return stopping;
    }

    /** Gives the lease up (after the delivering thread has stopped). */
    public void release() {
        Lease l = lease;
        lease = null;
        if (l != null) {
            l.release();
        }
    }

    /** The committed position and counts (read from the store unless this process delivers). */
    public SubscriptionState state(boolean stopped) {
        boolean on = active();
        StateLog.Entry e = on ? committed : log.newest();
        SubscriptionState.Role role =
                on
                        ? SubscriptionState.Role.ACTIVE
                        : stopped ? SubscriptionState.Role.STOPPED : SubscriptionState.Role.STANDBY;
        return new SubscriptionState(
                config.name(),
                e.position(),
                role,
                e.delivered(),
                e.deadLettered(),
                e.committedAt());
    }

    public FeedCursor position() {
        return committed.position();
    }

    /** The subscription's dead letters that this handle may see. */
    public List<DeadLetter> deadLetters() {
        authorize(internals, config.datasets());
        List<DeadLetter> out = new ArrayList<>();
        for (DeadLetter d : DeadLetters.list(internals, config.name())) {
            if (mayRead(internals, d.event())) {
                out.add(d);
            }
        }
        return out;
    }

    /** Calls the handler once for a dead letter; removes it if that succeeds. */
    public void replay(DeadLetter letter) throws Exception {
        checkOwn(letter);
        config.handler().handle(letter.event());
        DeadLetters.delete(internals, letter);
    }

    /** Removes a dead letter. */
    public void discard(DeadLetter letter) {
        checkOwn(letter);
        DeadLetters.delete(internals, letter);
    }

    private void checkOwn(DeadLetter letter) {
        if (!letter.subscription().equals(config.name())) {
            throw new IllegalArgumentException(
                    "the dead letter "
                            + letter.position()
                            + " is of subscription "
                            + letter.subscription()
                            + ", not "
                            + config.name());
        }
        authorize(internals, config.datasets());
        for (DatasetId d : letter.event().datasets()) {
            internals.authorize(Privilege.READ, d.toString());
        }
    }

    /** The first lines of a stack trace, for a dead letter. */
    static String stackHead(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String[] lines = w.toString().split("\\R");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(lines.length, 8); i++) {
            b.append(i == 0 ? "" : "\n").append(lines[i]);
        }
        return b.toString();
    }
}
