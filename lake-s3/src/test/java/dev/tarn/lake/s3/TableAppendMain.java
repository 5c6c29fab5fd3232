package dev.tarn.lake.s3;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Another process appending to a table in an S3 lake: waits for a go file, then appends N one-row files, one commit
 * each, and prints how many commits it made. Args: location table writerName n goFile.
 */
public final class TableAppendMain {
    private TableAppendMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Lake lake = Lake.open(args[0])) {
            Table table = Tables.of(lake).load(DatasetId.parse(args[1]));
            System.out.println("ready");
            System.out.flush();
            Path go = Path.of(args[4]);
            while (!Files.exists(go)) {
                Thread.sleep(5);
            }
            int n = Integer.parseInt(args[3]);
            for (int i = 0; i < n; i++) {
                S3TableConcurrencyTest.appendOneRow(lake, table, args[2], i);
            }
            System.out.println("committed " + n);
        }
    }
}
