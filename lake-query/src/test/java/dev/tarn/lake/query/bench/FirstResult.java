package dev.tarn.lake.query.bench;

import dev.tarn.lake.Lake;
import dev.tarn.lake.query.Sql;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

/** Opens a lake in a fresh JVM and answers the category query on the processed table. */
public final class FirstResult {
    public static void main(String[] args) {
        long start = ManagementFactory.getRuntimeMXBean().getStartTime();
        long t0 = System.currentTimeMillis();
        try (Lake lake = Lake.open(Path.of(args[0]))) {
            int rows =
                    Sql.of(lake)
                            .query(String.format(QueryBench.Q_CATEGORY, "processed.events"))
                            .rowCount();
            long t1 = System.currentTimeMillis();
            System.out.printf(
                    Locale.ROOT,
                    "%d rows; %.2f s after JVM start, %.2f s in main%n",
                    rows,
                    (t1 - start) / 1e3,
                    (t1 - t0) / 1e3);
        }
    }
}
