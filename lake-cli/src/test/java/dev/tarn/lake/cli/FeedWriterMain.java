package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.table.ConvertResult;
import dev.tarn.lake.table.Tables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A writer process for the change feed's acceptance test: opens the lake, then for each round
 * ingests an object into a dataset every writer shares (the writers race for the catalog), one into
 * its own raw dataset, and converts that into its own table (a table commit). Prints the position
 * of each commit it made ({@code P catalog@12}, {@code P processed/w1@3}). Args: LAKE WRITER
 * ROUNDS.
 */
public final class FeedWriterMain {
    private FeedWriterMain() {}

    public static void main(String[] args) {
        String writer = args[1];
        int rounds = Integer.parseInt(args[2]);
        DatasetId own = DatasetId.parse("raw/" + writer);
        DatasetId table = DatasetId.parse("processed/" + writer);
        try (Lake lake =
                Lake.builder().location(Path.of(args[0])).principal(Principal.of(writer)).open()) {
            for (int r = 0; r < rounds; r++) {
                byte[] line =
                        ("{\"writer\":\"" + writer + "\",\"round\":" + r + "}\n")
                                .getBytes(StandardCharsets.UTF_8);
                long v =
                        lake.ingest("raw/shared")
                                .bytes(line, writer + "-" + r + ".ndjson")
                                .commit()
                                .version();
                System.out.println("P catalog@" + v);
                v = lake.ingest(own).bytes(line, "r" + r + ".ndjson").commit().version();
                System.out.println("P catalog@" + v);
                ConvertResult c = Tables.of(lake).newConvert(own, table).commit();
                System.out.println("P " + table + "@" + c.tableVersion());
                System.out.flush();
            }
        }
    }
}
