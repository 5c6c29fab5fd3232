package dev.tarn.lake.table;

import dev.tarn.lake.Lake;
import dev.tarn.lake.storage.WriteMode;

import java.nio.file.Path;

/**
 * A writer in another process: appends {@code n} commits of one file each (a copy of a template Parquet file) and
 * prints "V version" per commit. Args: lakeDir table writerName n templateKey recordsPerFile.
 */
public final class AppendMain {
    public static void main(String[] args) {
        try (Lake lake = Lake.open(Path.of(args[0]))) {
            Table t = Tables.of(lake).load(args[1]);
            System.out.println("READY");
            appendLoop(lake, t, args[2], Integer.parseInt(args[3]), args[4], Long.parseLong(args[5]),
                    v -> System.out.println("V " + v));
        }
        System.out.println("DONE");
    }

    static void appendLoop(Lake lake, Table t, String writer, int n, String templateKey, long records,
                           java.util.function.LongConsumer committed) {
        byte[] template = lake.store().getBytes(templateKey);
        for (int i = 0; i < n; i++) {
            String rel = "w=" + writer + "/part-" + i + ".parquet";
            lake.store().put(t.keyPrefix() + rel, template, WriteMode.CREATE);
            DataFile f = DataFile.builder(rel).partition("w", writer).recordCount(records).build();
            committed.accept(t.newAppend().addFile(f).commit().version());
        }
    }
}
