package dev.tarn.lake.s3;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import java.nio.charset.StandardCharsets;

/**
 * Opens a lake by location alone, as the CLI and JShell do ({@code lake --lake s3://...}):
 * endpoint, region and credentials come from the environment or system properties. Ingests one
 * object and prints the count.
 */
public final class OpenByLocationMain {
    private OpenByLocationMain() {}

    public static void main(String[] args) {
        try (Lake lake = Lake.open(args[0])) {
            DatasetId ds = DatasetId.parse("raw/from-env");
            lake.ingest(ds)
                    .bytes(args[1].getBytes(StandardCharsets.UTF_8), args[1] + ".txt")
                    .commit();
            System.out.println("objects " + lake.catalog().objects(ds).size());
        } catch (RuntimeException e) {
            System.out.println("error " + e.getMessage());
            System.exit(2);
        }
    }
}
