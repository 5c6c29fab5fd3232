package example.outside;

import dev.tarn.lake.Lake;
import dev.tarn.lake.spi.LakeInternals;

/** An application's class: outside Tarn's packages, so a lake's internals are not handed to it. */
public final class Application {
    private Application() {}

    public static LakeInternals internalsOf(Lake lake) {
        return LakeInternals.of(lake);
    }
}
