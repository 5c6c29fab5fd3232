package archfixture;

import dev.tarn.lake.Lake;
import dev.tarn.lake.internal.DefaultLake;

/**
 * What ModuleBoundariesTest must catch: a class outside lake-core that uses lake-core's internals.
 * It lives in the test sources, outside {@code dev.tarn.lake}, so the real rule never sees it.
 */
public final class ReachesIntoCore {
    private ReachesIntoCore() {}

    public static boolean isDefault(Lake lake) {
        return lake instanceof DefaultLake;
    }
}
