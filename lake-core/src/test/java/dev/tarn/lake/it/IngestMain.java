package dev.tarn.lake.it;

import dev.tarn.lake.Lake;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A separate JVM to be killed in the middle of an ingest: {@code endless LAKE DATASET} ingests a
 * stream that never ends, printing "writing" once the first bytes are read. (The multi-writer
 * tests, threads and JVMs on one lake, are lake-suite's, on every backend.)
 */
public final class IngestMain {
    public static void main(String[] args) throws Exception {
        if (!args[0].equals("endless")) {
            throw new IllegalArgumentException(args[0]);
        }
        try (Lake lake = Lake.open(Path.of(args[1]))) {
            InputStream endless =
                    new InputStream() {
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
    }
}
