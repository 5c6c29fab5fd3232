package dev.tarn.lake.it;

import dev.tarn.lake.Lake;
import dev.tarn.lake.ingest.IngestResult;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A separate JVM for the multi-process tests.
 * <ul>
 *   <li>{@code files LAKE DATASET DIR}: ingests every file of DIR one commit per file, in shuffled order;</li>
 *   <li>{@code tree LAKE DATASET DIR}: ingests DIR as one tree in one commit;</li>
 *   <li>{@code endless LAKE DATASET}: ingests a stream that never ends (to be killed).</li>
 * </ul>
 */
public final class IngestMain {
    public static void main(String[] args) throws Exception {
        try (Lake lake = Lake.open(Path.of(args[1]))) {
            // Multi-writer tests start every writer on one signal: the file named by -Dgo appearing.
            String go = System.getProperty("go");
            if (go != null) {
                System.out.println("ready");
                System.out.flush();
                while (!Files.exists(Path.of(go))) {
                    Thread.sleep(5);
                }
            }
            switch (args[0]) {
                case "files" -> {
                    List<Path> files;
                    try (Stream<Path> s = Files.list(Path.of(args[3]))) {
                        files = new java.util.ArrayList<>(s.sorted().toList());
                    }
                    java.util.Collections.shuffle(files, new java.util.Random(ProcessHandle.current().pid()));
                    int stored = 0;
                    for (Path f : files) {
                        stored += lake.ingest(args[2]).file(f).commit().stored().size();
                    }
                    System.out.println("stored " + stored);
                }
                case "tree" -> {
                    IngestResult r = lake.ingest(args[2]).directory(Path.of(args[3])).commit();
                    System.out.println("stored " + r.stored().size());
                }
                case "endless" -> {
                    InputStream endless = new InputStream() {
                        long n;

                        @Override
                        public int read() {
                            return (int) (n++ & 0x7f);
                        }

                        @Override
                        public int read(byte[] b, int off, int len) {
                            if (n == 0) {
                                System.out.println("writing");
                                System.out.flush();
                            }
                            for (int i = 0; i < len; i++) {
                                b[off + i] = (byte) 'x';
                            }
                            n += len;
                            return len;
                        }
                    };
                    lake.ingest(args[2]).stream(endless, "huge.txt").commit();
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
    }
}
