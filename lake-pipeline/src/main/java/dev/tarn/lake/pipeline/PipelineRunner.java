package dev.tarn.lake.pipeline;

import dev.tarn.lake.Lake;
import dev.tarn.lake.pipeline.internal.Plan;
import dev.tarn.lake.pipeline.internal.RunnerLease;
import dev.tarn.lake.pipeline.internal.StepState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A pipeline running in the background ({@link Pipeline#start}): a pass over its steps every
 * interval, while it holds the pipeline's lease ({@code _tarn/leases/pipelines/NAME/}); a runner
 * without it stands by and takes over once the holder's lease expires. A failed step is retried
 * with exponential backoff (1 s doubling up to a minute) while the others go on. Close it to stop.
 */
public final class PipelineRunner implements AutoCloseable {
    private static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
    private static final Duration BACKOFF_MAX = Duration.ofMinutes(1);

    private final Pipeline pipeline;
    private final Lake lake;
    private final Duration interval;
    private final Duration leaseTime;
    private final Thread thread;
    private final AtomicLong passes = new AtomicLong();
    private final AtomicReference<PipelineRunResult> last = new AtomicReference<>();
    private final AtomicReference<RuntimeException> lastFailure = new AtomicReference<>();
    private volatile boolean closed;
    private volatile RunnerLease lease;
    private final Plan initial;

    PipelineRunner(Pipeline pipeline, Lake lake, Duration interval, Duration leaseTime) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the interval must be positive");
        }
        this.pipeline = pipeline;
        this.lake = lake;
        this.interval = interval;
        this.leaseTime = leaseTime;
        this.initial = pipeline.checked(); // a bad file fails here, not in the background
        this.thread = new Thread(this::loop, "tarn-pipeline-" + pipeline.name());
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        String base = pipeline.holder(0);
        // checked once, not on every pass (planning the SQL costs more than a pass with nothing to
        // do), and again after a failure
        Plan plan = initial;
        try {
            while (!closed) {
                try {
                    if (lease == null) {
                        lease =
                                RunnerLease.tryAcquire(lake, pipeline.name(), base, leaseTime)
                                        .orElse(null);
                    } else if (!lease.renew()) {
                        lease = null; // taken over after it expired: stand by again
                    }
                    if (lease != null) {
                        RunnerLease held = lease;
                        if (plan == null) {
                            plan = pipeline.checked();
                        }
                        PipelineRunResult r =
                                pipeline.pass(plan, base + "@" + held.epoch(), due(held));
                        last.set(r);
                        passes.incrementAndGet();
                        if (r.failed()) {
                            plan = null; // the lake may have changed under the file: check again
                        }
                    }
                } catch (RuntimeException e) {
                    lastFailure.set(e); // the file became invalid, the store failed: try again
                    plan = null;
                }
                sleep(lease != null ? interval : standby());
            }
        } finally {
            RunnerLease l = lease;
            if (l != null) {
                l.release();
            }
        }
    }

    /** A standby looks for the lease a few times per lease time, and not slower than passes. */
    private Duration standby() {
        Duration third = leaseTime.dividedBy(4);
        return third.compareTo(interval) < 0 ? third : interval;
    }

    private Predicate<StepState> due(RunnerLease held) {
        return s -> {
            if (!held.renew()) {
                throw new IllegalStateException("lost the pipeline's lease");
            }
            if (s.failures() == 0) {
                return true;
            }
            long wait = BACKOFF_BASE.toMillis() << Math.min(20, s.failures() - 1);
            wait = Math.min(wait, BACKOFF_MAX.toMillis());
            return System.currentTimeMillis() >= s.lastErrorAt() + wait;
        };
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Whether this runner holds the pipeline's lease (it is the one that works). */
    public boolean isActive() {
        RunnerLease l = lease;
        return l != null && l.isHeld();
    }

    /** Passes done since the start. */
    public long passes() {
        return passes.get();
    }

    /** The last pass's result, if one was done. */
    public Optional<PipelineRunResult> lastResult() {
        return Optional.ofNullable(last.get());
    }

    /** The last error that ended a pass before its steps ran (an invalid file, a store failure). */
    public Optional<RuntimeException> lastFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    /** Stops after the step in progress, and gives the lease up. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofMinutes(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
