package dev.tarn.lake.internal.catalog;

import dev.tarn.lake.internal.LakeContext;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * What {@code apply()} of a catalog operation shows: the plan its {@code commit()} would hand to
 * {@link LakeContext#commit}, run against the newest catalog and applied in memory only. Nothing is
 * written, so the preview and a commit right after it see the same state and plan the same actions.
 */
final class CatalogPreview {
    private CatalogPreview() {}

    /**
     * The catalog state the plan leads to; the newest state itself when the plan has nothing to do.
     */
    static CatalogState of(LakeContext lake, Function<CatalogState, List<CatalogAction>> plan) {
        CatalogState base = lake.catalogLog().refresh();
        List<CatalogAction> planned = plan.apply(base);
        if (planned.isEmpty()) {
            return base;
        }
        Instant now = lake.clock().instant();
        Instant ts = now.isAfter(base.timestamp()) ? now : base.timestamp().plusMillis(1);
        return base.apply(
                base.version() + 1,
                ts,
                planned); // refuses a plan that breaks an invariant, as commit does
    }
}
