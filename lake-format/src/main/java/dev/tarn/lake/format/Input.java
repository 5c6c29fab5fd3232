package dev.tarn.lake.format;

import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A source of raw data. It may be opened more than once (schema inference reads a sample first; a
 * full inference pass may read it again). {@code .gz} and {@code .zst} content is decompressed
 * transparently (detected from the bytes, not the name).
 */
public final class Input {
    private final String name;
    private final Supplier<InputStream> opener;
    private final long size;

    private Input(String name, Supplier<InputStream> opener, long size) {
        this.name = Objects.requireNonNull(name, "name");
        this.opener = opener;
        this.size = size;
    }

    /** A local file. */
    public static Input file(Path path) {
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read input " + path, e);
        }
        return new Input(
                path.toString(),
                () -> {
                    try {
                        return Files.newInputStream(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot open input " + path, e);
                    }
                },
                size);
    }

    /** An object of a store. */
    public static Input object(ObjectStore store, String key) {
        long size = store.stat(key).map(ObjectStat::size).orElse(-1L);
        return new Input(key, () -> store.get(key), size);
    }

    /**
     * Any stream source, named for format detection and reports. {@code opener} must return a fresh
     * stream of the same bytes each time it is called.
     */
    public static Input stream(String name, Supplier<InputStream> opener) {
        return new Input(name, Objects.requireNonNull(opener, "opener"), -1);
    }

    /** Bytes in memory. */
    public static Input bytes(String name, byte[] bytes) {
        byte[] copy = bytes.clone();
        return new Input(name, () -> new ByteArrayInputStream(copy), copy.length);
    }

    /** The name used in reports and quarantine records ({@code source}). */
    public String name() {
        return name;
    }

    /** Size in bytes as stored, or -1 if unknown. */
    public long size() {
        return size;
    }

    /** Opens the raw (possibly compressed) bytes. */
    public InputStream open() {
        return opener.get();
    }

    @Override
    public String toString() {
        return name;
    }
}
