package dev.tarn.lake.cli;

import dev.tarn.lake.format.Progress;
import dev.tarn.lake.format.ProgressListener;
import dev.tarn.lake.ingest.IngestProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one progress bar of the CLI, for ingest (bytes and objects) and for convert and convert-file
 * (bytes, rows, rate and time left): one line on stderr, redrawn in place with CR. Nothing is drawn
 * for work that finishes within {@link #DELAY_NANOS}, and an ingest redraws at most ten times a
 * second; {@link #finish()} clears the line. Only used when stderr is a terminal.
 */
final class ProgressBar implements IngestProgress, ProgressListener {
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

    /**
     * Runs {@code work} with a bar attached through {@code attach} when stderr is a terminal people
     * watch, and clears the bar's line afterwards.
     */
    static <T> T around(Context ctx, Consumer<ProgressListener> attach, Supplier<T> work) {
        ProgressBar bar = ctx.interactiveStderr() ? new ProgressBar(ctx.err) : null;
        if (bar != null) {
            attach.accept(bar);
        }
        try {
            return work.get();
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
    }

    /** An ingest's progress. */
    @Override
    public void onProgress(long bytesDone, long bytesTotal, int objectsDone, int objectsTotal) {
        long now = System.nanoTime();
        if (now - start < delayNanos || (drawn && now - lastDraw < INTERVAL_NANOS)) {
            return;
        }
        lastDraw = now;
        draw(line(bytesDone, bytesTotal, objectsDone, objectsTotal));
    }

    /** A conversion's progress: the converter says how long it has run and how often to redraw. */
    @Override
    public void onProgress(Progress p) {
        if (p.elapsed().toNanos() < delayNanos) {
            return; // quick conversions finish without a flash of bar
        }
        draw(line(p));
    }

    private void draw(String line) {
        drawn = true;
        err.print("\r" + line + "\u001b[K");
        err.flush();
    }

    static String line(long bytesDone, long bytesTotal, int objectsDone, int objectsTotal) {
        StringBuilder b = new StringBuilder("ingesting ");
        if (bytesTotal > 0) {
            gauge(b, Math.min(1.0, (double) bytesDone / bytesTotal));
            b.append(Text.size(bytesDone)).append(" / ").append(Text.size(bytesTotal));
        } else {
            b.append(Text.size(bytesDone));
        }
        b.append(", ").append(objectsDone).append('/').append(objectsTotal).append(" objects");
        return b.toString();
    }

    static String line(Progress p) {
        StringBuilder b = new StringBuilder(p.phase()).append(' ');
        p.fraction().ifPresent(f -> gauge(b, f));
        b.append(Text.size(p.bytesDone()));
        if (p.bytesTotal() > 0) {
            b.append(" / ").append(Text.size(p.bytesTotal()));
        }
        b.append(
                String.format(
                        Locale.ROOT, ", %,d rows, %,.0f rows/s", p.rowsDone(), p.rowsPerSecond()));
        p.eta().ifPresent(eta -> b.append(", ").append(eta.toSeconds()).append(" s left"));
        return b.toString();
    }

    /** {@code [######### ] 30% }. */
    private static void gauge(StringBuilder b, double fraction) {
        int fill = (int) Math.round(fraction * WIDTH);
        b.append('[')
                .append("#".repeat(fill))
                .append(" ".repeat(WIDTH - fill))
                .append("] ")
                .append(String.format(Locale.ROOT, "%3d%% ", (int) (fraction * 100)));
    }

    void finish() {
        if (drawn) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }
}
