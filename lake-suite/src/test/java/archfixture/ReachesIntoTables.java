package archfixture;

import dev.tarn.lake.Lake;
import dev.tarn.lake.table.internal.DefaultTables;

/** As {@link ReachesIntoCore}, for another module's internals: lake-table's. */
public final class ReachesIntoTables {
    private ReachesIntoTables() {}

    public static Object tablesOf(Lake lake) {
        return new DefaultTables(lake);
    }
}
