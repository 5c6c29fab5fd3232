package dev.tarn.lake.query.internal;

import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A bounded local cache of lake objects for SQL over a remote store, laid out as the keys are
 * ({@code DIR/raw/clicks/ ingest_date=2026-11-21/a.ndjson}), so that Hive partition directories and
 * source columns read as on a local lake. Tarn never rewrites an object under the same key, so a
 * copy of the right size is the object; the least recently used copies are evicted when the cache
 * outgrows its size, except those the current views read. Copies are written to a temp name and
 * moved into place, so a reader never sees half a file.
 */
final class ObjectCache implements LocalFiles {
    private final ObjectStore store;
    private final Path dir;
    private final long maxBytes;

    /** Cached file → its size, in access order (least recently used first). */
    private final LinkedHashMap<Path, Long> entries = new LinkedHashMap<>(16, 0.75f, true);

    private long bytes;
    private long fetches;
    private long hits;

    ObjectCache(ObjectStore store, Path dir, long maxBytes) {
        this.store = store;
        this.dir = dir;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the SQL cache directory " + dir, e);
        }
    }

    @Override
    public Path root() {
        return dir;
    }

    @Override
    public synchronized Path fileOf(String key) {
        Path file = dir.resolve(key);
        Long known = entries.get(file); // also marks it most recently used
        if (known != null && Files.exists(file)) {
            hits++;
            return file;
        }
        ObjectStat stat =
                store.stat(key)
                        .orElseThrow(
                                () -> new dev.tarn.lake.exceptions.ObjectNotFoundException(key));
        Path tmp =
                file.resolveSibling(
                        "." + file.getFileName() + "." + java.util.UUID.randomUUID() + ".part");
        try (InputStream in = store.get(key)) {
            Files.createDirectories(file.getParent());
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache " + key + " for SQL in " + dir, e);
        }
        try {
            if (Files.size(file) != stat.size()) {
                throw new IllegalStateException(
                        "cached copy of "
                                + key
                                + " has "
                                + Files.size(file)
                                + " bytes, the"
                                + " object "
                                + stat.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.put(file, stat.size());
        bytes += stat.size();
        fetches++;
        return file;
    }

    /** Evicts least recently used copies until the cache fits, keeping those in {@code inUse}. */
    synchronized void trim(Set<Path> inUse) {
        Iterator<Map.Entry<Path, Long>> it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<Path, Long> e = it.next();
            if (inUse.contains(e.getKey())) {
                continue;
            }
            try {
                Files.deleteIfExists(e.getKey());
            } catch (IOException ignored) {
                continue; // try again next time
            }
            bytes -= e.getValue();
            it.remove();
        }
    }

    synchronized long fetches() {
        return fetches;
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long bytes() {
        return bytes;
    }
}
