package dev.tarn.lake.table;

import dev.tarn.lake.Lake;
import dev.tarn.lake.storage.WriteMode;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A writer that appends until it is killed: writes a data file (a copy of a template), commits it,
 * again. Args: lakeDir table templateKey records.
 *
 * <p>Prints {@code READY} once the table is loaded, then {@code V n} after commit {@code n}
 * returned. {@code System.out} flushes on every {@code println}, so each line reaches the log file
 * in one write as soon as it is printed: a line in the log is a commit that landed, and {@link
 * KillWriterTest} checks the table against the last one.
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
                long v =
                        t.newAppend()
                                .addFile(DataFile.builder(rel).recordCount(records).build())
                                .commit()
                                .version();
                System.out.println("V " + v);
            }
        }
    }
}
