package dev.tarn.lake.internal.stream;

import dev.tarn.lake.Lake;
import dev.tarn.lake.stream.EventStream;

/** Opens streams: recovery of the dataset's spools, then a running stream. */
public final class StreamEngine {
    private StreamEngine() {}

    public static EventStream open(Lake lake, StreamConfig config) {
        throw new UnsupportedOperationException("streams are being built");
    }
}
