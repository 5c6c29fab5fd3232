package dev.tarn.lake.format;

import dev.tarn.lake.exceptions.ObjectExistsException;
import dev.tarn.lake.exceptions.ObjectNotFoundException;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.ObjectWriter;
import dev.tarn.lake.storage.PendingWrite;
import dev.tarn.lake.storage.WriteMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory {@link ObjectStore} honouring the staged-write contract, for tests. */
final class MemoryStore implements ObjectStore {
    final Map<String, byte[]> objects = new TreeMap<>();
    final AtomicInteger open = new AtomicInteger();

    @Override
    public String location() {
        return "mem://test";
    }

    @Override
    public synchronized InputStream get(String key) {
        byte[] b = objects.get(key);
        if (b == null) {
            throw new ObjectNotFoundException(key);
        }
        return new ByteArrayInputStream(b);
    }

    @Override
    public synchronized InputStream get(String key, long offset, long length) {
        byte[] b = objects.get(key);
        if (b == null) {
            throw new ObjectNotFoundException(key);
        }
        int from = (int) Math.min(offset, b.length);
        return new ByteArrayInputStream(b, from, (int) Math.min(length, b.length - from));
    }

    @Override
    public synchronized Optional<ObjectStat> stat(String key) {
        byte[] b = objects.get(key);
        return b == null
                ? Optional.empty()
                : Optional.of(new ObjectStat(key, b.length, Instant.EPOCH, "e" + b.length));
    }

    @Override
    public ObjectWriter newWriter(String key, WriteMode mode) {
        open.incrementAndGet();
        return new ObjectWriter() {
            final ByteArrayOutputStream buf = new ByteArrayOutputStream();
            boolean done;

            @Override
            public String key() {
                return key;
            }

            @Override
            public void write(int b) {
                buf.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                buf.write(b, off, len);
            }

            @Override
            public ObjectStat commit() {
                synchronized (MemoryStore.this) {
                    if (mode == WriteMode.CREATE && objects.containsKey(key)) {
                        close();
                        throw new ObjectExistsException(key);
                    }
                    objects.put(key, buf.toByteArray());
                    done = true;
                    open.decrementAndGet();
                    return stat(key).orElseThrow();
                }
            }

            @Override
            public void close() {
                if (!done) {
                    done = true;
                    open.decrementAndGet();
                }
            }
        };
    }

    // no @Override: the SPI's listing methods differ between lake-core snapshots (with or without a
    // limit)
    public synchronized List<ObjectStat> list(String prefix, String startAfter, int limit) {
        List<ObjectStat> all = list(prefix, startAfter);
        return all.size() <= limit ? all : all.subList(0, limit);
    }

    public synchronized List<ObjectStat> list(String prefix, String startAfter) {
        List<ObjectStat> out = new ArrayList<>();
        for (String k : objects.keySet()) {
            if (k.startsWith(prefix) && (startAfter == null || k.compareTo(startAfter) > 0)) {
                out.add(stat(k).orElseThrow());
            }
        }
        return out;
    }

    @Override
    public synchronized boolean delete(String key) {
        return objects.remove(key) != null;
    }

    @Override
    public List<PendingWrite> pendingWrites() {
        return List.of();
    }

    @Override
    public void abandon(PendingWrite write) {}
}
