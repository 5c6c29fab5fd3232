package dev.tarn.lake.pipeline.internal;

import dev.tarn.lake.Lake;
import dev.tarn.lake.spi.LakeInternals;
import dev.tarn.lake.spi.Lease;
import java.time.Duration;
import java.util.Optional;

/**
 * The lease that makes one runner of a pipeline the active one across processes: the lake's {@link
 * Lease} under {@code _tarn/leases/pipelines/NAME/}, renewed at most a few times per lease time
 * (each renewal is a write to the store) however often a runner asks.
 */
public final class RunnerLease {
    private final Lease lease;
    private final long renewEveryNanos;
    private long renewedAt;

    private RunnerLease(Lease lease, Duration ttl) {
        this.lease = lease;
        this.renewEveryNanos = ttl.toNanos() / 4;
        this.renewedAt = System.nanoTime();
    }

    /** The lease's name for a pipeline. */
    public static String nameOf(String pipeline) {
        return "pipelines/" + pipeline;
    }

    public static Optional<RunnerLease> tryAcquire(
            Lake lake, String pipeline, String holder, Duration ttl) {
        return Lease.tryAcquire(LakeInternals.of(lake), nameOf(pipeline), holder, ttl)
                .map(l -> new RunnerLease(l, ttl));
    }

    /** Who holds the pipeline's lease now, if anybody. */
    public static Optional<String> holder(Lake lake, String pipeline) {
        return Lease.currentHolder(LakeInternals.of(lake), nameOf(pipeline));
    }

    /** Renews if a quarter of the lease time passed since the last renewal; false if lost. */
    public synchronized boolean renew() {
        if (System.nanoTime() - renewedAt < renewEveryNanos) {
            return lease.isHeld();
        }
        if (!lease.renew()) {
            return false;
        }
        renewedAt = System.nanoTime();
        return true;
    }

    public boolean isHeld() {
        return lease.isHeld();
    }

    public long epoch() {
        return lease.epoch();
    }

    public void release() {
        lease.release();
    }
}
