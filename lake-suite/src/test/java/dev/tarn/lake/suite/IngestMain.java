package dev.tarn.lake.suite;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A child JVM ingesting into the lake its parent names (see {@link ChildJvm}), then printing
 * "stored N".
 *
 * <ul>
 *   <li>{@code files DATASET DIR SEED}: every file of DIR, one commit each, in an order shuffled by
 *       SEED;
 *   <li>{@code tree DATASET DIR}: DIR as one tree, in one commit.
 * </ul>
 */
public final class IngestMain {
    private IngestMain() {}

    public static void main(String[] args) throws Exception {
        DatasetId dataset = DatasetId.parse(args[1]);
        Path dir = Path.of(args[2]);
        try (Lake lake = LakeLocation.openFromSystemProperties()) {
            ChildJvm.readyThenAwaitGo();
            int stored =
                    switch (args[0]) {
                        case "files" -> {
                            int n = 0;
                            for (Path f : shuffled(dir, Long.parseLong(args[3]))) {
                                n += lake.ingest(dataset).file(f).commit().stored().size();
                            }
                            yield n;
                        }
                        case "tree" -> lake.ingest(dataset).directory(dir).commit().stored().size();
                        default -> throw new IllegalArgumentException(args[0]);
                    };
            System.out.println("stored " + stored);
        }
    }

    /**
     * The files of a directory in an order of their own for each seed (the same on every platform).
     */
    static List<Path> shuffled(Path dir, long seed) throws java.io.IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = new ArrayList<>(s.sorted().toList());
        }
        Collections.shuffle(files, new Random(seed));
        return files;
    }
}
