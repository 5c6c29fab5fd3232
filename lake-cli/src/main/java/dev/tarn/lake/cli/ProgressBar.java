package dev.tarn.lake.cli;

import dev.tarn.lake.ingest.IngestProgress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place with CR. Nothing is drawn for ingests that finish within
 * {@link #DELAY_NANOS}, and at most ten redraws a second; {@link #finish()} clears the line. Only used when stderr is
 * a terminal.
 */
final class ProgressBar implements IngestProgress {
    static final long DELAY_NANOS = 500_000_000L;
    private static final long INTERVAL_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final long delayNanos;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintStream err) {
        this(err, DELAY_NANOS);
    }

    ProgressBar(PrintStream err, long delayNanos) {
        this.err = err;
        this.delayNanos = delayNanos;
    }

    @Override
    public void onProgress(long bytesDone, long bytesTotal, int objectsDone, int objectsTotal) {
        long now = System.nanoTime();
        if (now - start < delayNanos || (drawn && now - lastDraw < INTERVAL_NANOS)) {
            return;
        }
        lastDraw = now;
        drawn = true;
        err.print("\r" + line(bytesDone, bytesTotal, objectsDone, objectsTotal) + "\u001b[K");
        err.flush();
    }

    static String line(long bytesDone, long bytesTotal, int objectsDone, int objectsTotal) {
        StringBuilder b = new StringBuilder("ingesting ");
        if (bytesTotal > 0) {
            double f = Math.min(1.0, (double) bytesDone / bytesTotal);
            int fill = (int) Math.round(f * WIDTH);
            b.append('[').append("#".repeat(fill)).append(" ".repeat(WIDTH - fill)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%", (int) (f * 100))).append(' ')
                    .append(Text.size(bytesDone)).append(" / ").append(Text.size(bytesTotal));
        } else {
            b.append(Text.size(bytesDone));
        }
        b.append(", ").append(objectsDone).append('/').append(objectsTotal).append(" objects");
        return b.toString();
    }

    void finish() {
        if (drawn) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }
}
