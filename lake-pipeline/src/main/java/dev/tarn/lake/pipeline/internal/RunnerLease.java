package dev.tarn.lake.pipeline.internal;

import dev.tarn.lake.Lake;
import java.time.Duration;
import java.util.Optional;

/**
 * The lease that makes one runner of a pipeline the active one across processes. Until the lake's
 * shared lease primitive is in, a runner holds it alone (each process thinks itself active; the
 * progress logs' put-if-absent entries still keep two from recording the same step twice).
 */
public interface RunnerLease {
    boolean renew();

    boolean isHeld();

    long epoch();

    void release();

    static Optional<String> holder(Lake lake, String pipeline) {
        return Optional.empty();
    }

    static Optional<RunnerLease> tryAcquire(Lake lake, String name, String holder, Duration ttl) {
        return Optional.of(
                new RunnerLease() {
                    @Override
                    public boolean renew() {
                        return true;
                    }

                    @Override
                    public boolean isHeld() {
                        return true;
                    }

                    @Override
                    public long epoch() {
                        return 0;
                    }

                    @Override
                    public void release() {}
                });
    }
}
