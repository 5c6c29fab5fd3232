package dev.tarn.lake.table;

import dev.tarn.lake.Lake;
import dev.tarn.lake.storage.WriteMode;

import java.nio.file.Path;
import java.util.UUID;

/**
 * A writer that appends until it is killed: writes a data file (a copy of a template), commits it, again.
 * Args: lakeDir table templateKey records.
 */
public final class KillMain {
    public static void main(String[] args) {
        try (Lake lake = Lake.open(Path.of(args[0]))) {
            Table t = Tables.of(lake).load(args[1]);
            byte[] template = lake.store().getBytes(args[2]);
            long records = Long.parseLong(args[3]);
            System.out.println("READY");
            while (true) {
                String rel = "part-" + UUID.randomUUID() + ".parquet";
                lake.store().put(t.keyPrefix() + rel, template, WriteMode.CREATE);
                long v = t.newAppend().addFile(DataFile.builder(rel).recordCount(records).build()).commit().version();
                System.out.println("V " + v);
            }
        }
    }
}
