package dev.tarn.lake.table;

import dev.tarn.lake.Lake;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs on the run-time class path without any Hadoop jar: describes Parquet files from their
 * footers, commits past a checkpoint, and reads the table back from that checkpoint with a fresh
 * lake handle. Args: lakeDir table files...
 */
public final class NoHadoopMain {
    public static void main(String[] args) {
        try {
            Class.forName("org.apache.hadoop.conf.Configuration");
            System.out.println("FAIL Hadoop is on the class path");
            System.exit(2);
        } catch (ClassNotFoundException expected) {
            System.out.println("no Hadoop on the class path");
        }
        try (Lake lake = Lake.open(Path.of(args[0]))) {
            Table t = Tables.of(lake).load(args[1]);
            for (int i = 2; i < args.length; i++) {
                t.newAppend().addFile(t.dataFile(args[i], Map.of())).commit();
            }
            CompactionResult c = t.newCompaction().commit();
            t.newRowDelete().rows(RowPredicate.eq("id", 0)).commit();
            System.out.println(
                    "COMPACTED " + c.removedFiles().size() + " " + c.addedFiles().size());
        }
        try (Lake lake = Lake.open(Path.of(args[0]))) {
            Snapshot s = Tables.of(lake).load(args[1]).snapshot();
            System.out.println(
                    "OK " + s.version() + " " + s.files().size() + " " + s.recordCount());
        }
    }
}
