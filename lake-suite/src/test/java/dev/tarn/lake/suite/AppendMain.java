package dev.tarn.lake.suite;

import dev.tarn.lake.Lake;
import dev.tarn.lake.storage.WriteMode;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;
import java.util.function.LongConsumer;

/**
 * A child JVM appending to a table of the lake its parent names (see {@link ChildJvm}): N commits
 * of one file each, printing "V version" per commit. Args: TABLE WRITER N TEMPLATE_KEY
 * RECORDS_PER_FILE.
 */
public final class AppendMain {
    private AppendMain() {}

    public static void main(String[] args) throws Exception {
        try (Lake lake = LakeLocation.openFromSystemProperties()) {
            Table t = Tables.of(lake).load(args[0]);
            ChildJvm.readyThenAwaitGo();
            appendLoop(
                    lake,
                    t,
                    args[1],
                    Integer.parseInt(args[2]),
                    args[3],
                    Long.parseLong(args[4]),
                    v -> System.out.println("V " + v));
        }
    }

    /**
     * Each commit adds a copy of a template Parquet file under the writer's partition: a file per
     * commit, written through the store like any writer's, without converting anything (the commits
     * are what is under test).
     */
    static void appendLoop(
            Lake lake,
            Table t,
            String writer,
            int n,
            String templateKey,
            long records,
            LongConsumer committed) {
        byte[] template = lake.store().getBytes(templateKey);
        for (int i = 0; i < n; i++) {
            String rel = "w=" + writer + "/part-" + i + ".parquet";
            lake.store().put(t.keyPrefix() + rel, template, WriteMode.CREATE);
            DataFile f = DataFile.builder(rel).partition("w", writer).recordCount(records).build();
            committed.accept(t.newAppend().addFile(f).commit().version());
        }
    }
}
