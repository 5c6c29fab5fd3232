package dev.tarn.lake.format;

/**
 * Receives progress of a conversion, about every {@code interval} (default 250 ms) and once at the
 * end. Called from a single reporting thread; keep it quick.
 */
@FunctionalInterface
public interface ProgressListener {
    void onProgress(Progress progress);

    ProgressListener NONE = p -> {};
}
