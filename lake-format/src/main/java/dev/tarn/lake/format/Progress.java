package dev.tarn.lake.format;

import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of a running conversion.
 *
 * @param bytesDone input bytes consumed so far (as stored, i.e. compressed for .gz/.zst inputs)
 * @param bytesTotal total input bytes, or -1 when unknown (streams)
 * @param rowsDone rows read so far (written + quarantined)
 * @param rowsPerSecond average rate since the start
 * @param elapsed time since the start
 * @param phase what is running: {@code "inferring schema"}, {@code "converting"}, {@code
 *     "committing"}
 */
public record Progress(
        long bytesDone,
        long bytesTotal,
        long rowsDone,
        double rowsPerSecond,
        Duration elapsed,
        String phase) {

    /** Fraction done in [0, 1], if the total is known. */
    public Optional<Double> fraction() {
        return bytesTotal > 0
                ? Optional.of(Math.min(1.0, (double) bytesDone / bytesTotal))
                : Optional.empty();
    }

    /** Estimated time left, from the byte rate so far, if the total is known. */
    public Optional<Duration> eta() {
        if (bytesTotal <= 0 || bytesDone <= 0 || elapsed.isZero()) {
            return Optional.empty();
        }
        double perByte = (double) elapsed.toNanos() / bytesDone;
        return Optional.of(
                Duration.ofNanos((long) (perByte * Math.max(0, bytesTotal - bytesDone))));
    }

    /** Bytes per second since the start. */
    public double bytesPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s > 0 ? bytesDone / s : 0;
    }
}
