package dev.tarn.lake.s3;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Another process writing to an S3 lake: waits for a go file, ingests every file of a directory (shuffled by a
 * seed) one commit each, and prints how many it stored. Args: location dataset directory seed goFile.
 */
public final class IngestFilesMain {
    private IngestFilesMain() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(Path.of(args[2]))) {
            s.forEach(files::add);
        }
        Collections.sort(files);
        Collections.shuffle(files, new Random(Long.parseLong(args[3])));
        Path go = Path.of(args[4]);
        try (Lake lake = Lake.open(args[0])) {
            DatasetId ds = DatasetId.parse(args[1]);
            System.out.println("ready");
            System.out.flush();
            while (!Files.exists(go)) {
                Thread.sleep(5);
            }
            int stored = 0;
            for (Path f : files) {
                stored += lake.ingest(ds).file(f).commit().stored().size();
            }
            System.out.println("stored " + stored);
        }
    }
}
