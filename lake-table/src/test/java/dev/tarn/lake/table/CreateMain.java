package dev.tarn.lake.table;

import dev.tarn.lake.Lake;
import java.nio.file.Path;

/** Creates a table if it does not exist and prints its id. Args: lakeDir table. */
public final class CreateMain {
    public static void main(String[] args) {
        try (Lake lake = Lake.open(Path.of(args[0]))) {
            Table t =
                    Tables.of(lake)
                            .newCreate(args[1])
                            .schema(ConcurrentCreateTest.SCHEMA)
                            .partitionBy("day")
                            .ifNotExists()
                            .commit();
            System.out.println("ID " + t.snapshot().tableId());
        }
    }
}
