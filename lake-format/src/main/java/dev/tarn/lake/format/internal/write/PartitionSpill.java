package dev.tarn.lake.format.internal.write;

import dev.tarn.lake.format.internal.encode.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Partitioned output in bounded memory, whatever the number of partition values and their order:
 * each worker serializes its rows into a buffer; a full buffer is sorted by partition (stably, so
 * one worker keeps the input's order) and written to a run file on local temp disk with an index of
 * where each partition's rows are. At the end, each partition is written once, from its segments in
 * every run, by one writer at a time per thread: about one file per partition per conversion (more
 * only when a partition passes the target file size), instead of one open writer per value or one
 * small file per flush.
 */
public final class PartitionSpill {
    private static final Comparator<List<String>> KEY_ORDER =
            (a, b) -> {
                for (int i = 0; i < a.size(); i++) {
                    String x = a.get(i), y = b.get(i);
                    int c = x == null ? (y == null ? 0 : -1) : y == null ? 1 : x.compareTo(y);
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            };

    /** Sorted rows of one buffer: on disk, or kept in memory when nothing had to be spilled. */
    private static final class Run {
        final Path file;
        final byte[] memory;
        final Map<List<String>, long[]> index; // key -> {offset, length, rows}

        Run(Path file, byte[] memory, Map<List<String>, long[]> index) {
            this.file = file;
            this.memory = memory;
            this.index = index;
        }
    }

    private final long bufferBytes;
    private final List<Run> runs = new ArrayList<>();
    private final List<Buffer> buffers = new ArrayList<>();
    private Path dir;
    private boolean anySpilled;
    private long spilledBytes;
    private int spilledRuns;

    /**
     * @param memoryBytes the memory all workers' buffers may hold together
     */
    public PartitionSpill(long memoryBytes, int workers) {
        this.bufferBytes = Math.max(1 << 20, memoryBytes / Math.max(1, workers));
    }

    /** The spill memory for this JVM: an eighth of the heap, between 8 and 256 MiB. */
    public static long defaultMemory() {
        return Math.max(8L << 20, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8));
    }

    /** A buffer for one worker's rows. */
    public synchronized Buffer buffer() {
        Buffer b = new Buffer();
        buffers.add(b);
        return b;
    }

    /** Bytes written to run files so far (for tests and reports). */
    public synchronized long spilledBytes() {
        return spilledBytes;
    }

    public synchronized int spilledRuns() {
        return spilledRuns;
    }

    /**
     * One worker's rows, serialized in arrival order, with each row's partition. Used by one
     * thread.
     */
    final class Buffer {
        private final ByteBuf bytes = new ByteBuf(1 << 16);
        private final Map<List<String>, Integer> ids = new HashMap<>();
        private final List<List<String>> keys = new ArrayList<>();
        private int[] rowKey = new int[1024];
        private int[] rowStart = new int[1024];
        private int rows;
        private boolean sealed;

        void add(List<String> key, Object[] row) {
            Integer id = ids.get(key);
            if (id == null) {
                id = keys.size();
                ids.put(key, id);
                keys.add(key);
            }
            if (rows == rowKey.length) {
                rowKey = java.util.Arrays.copyOf(rowKey, rows * 2);
                rowStart = java.util.Arrays.copyOf(rowStart, rows * 2);
            }
            rowKey[rows] = id;
            rowStart[rows] = bytes.n;
            rows++;
            SpillRows.writeValue(bytes, row);
            if (bytes.n + 8L * rows >= bufferBytes) {
                spill(true);
            }
        }

        /**
         * The rows so far, in partition order; written to disk unless this is the last run and none
         * was spilled.
         */
        private void spill(boolean full) {
            if (rows == 0) {
                return;
            }
            int[] count = new int[keys.size()];
            for (int i = 0; i < rows; i++) {
                count[rowKey[i]]++;
            }
            Integer[] order = new Integer[keys.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> KEY_ORDER.compare(keys.get(a), keys.get(b)));
            // each key's rows, in arrival order, one key after another
            long[] keyStart = new long[keys.size()];
            long[] keyLen = new long[keys.size()];
            for (int i = 0; i < rows; i++) {
                int end = i + 1 < rows ? rowStart[i + 1] : bytes.n;
                keyLen[rowKey[i]] += end - rowStart[i];
            }
            long at = 0;
            Map<List<String>, long[]> index = new HashMap<>();
            for (Integer k : order) {
                if (count[k] > 0) {
                    keyStart[k] = at;
                    index.put(keys.get(k), new long[] {at, keyLen[k], count[k]});
                    at += keyLen[k];
                }
            }
            byte[] sorted = new byte[Math.toIntExact(at)];
            long[] fill = keyStart.clone();
            for (int i = 0; i < rows; i++) {
                int end = i + 1 < rows ? rowStart[i + 1] : bytes.n;
                int len = end - rowStart[i];
                System.arraycopy(bytes.a, rowStart[i], sorted, (int) fill[rowKey[i]], len);
                fill[rowKey[i]] += len;
            }
            rows = 0;
            bytes.reset();
            if (bytes.a.length > bufferBytes * 2) {
                bytes.a = new byte[1 << 16];
            }
            addRun(sorted, index, full);
        }

        void seal() {
            if (!sealed) {
                sealed = true;
                spill(false);
            }
        }
    }

    private void addRun(byte[] sorted, Map<List<String>, long[]> index, boolean full) {
        synchronized (this) {
            if (!full && !anySpilled) {
                runs.add(new Run(null, sorted, index));
                return;
            }
            anySpilled = true;
        }
        Path f;
        try {
            f = Files.createTempFile(dir(), "run-", ".bin");
            Files.write(f, sorted);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot spill partitioned rows to local temp disk: " + e.getMessage(), e);
        }
        synchronized (this) {
            spilledBytes += sorted.length;
            spilledRuns++;
            runs.add(new Run(f, null, index));
        }
    }

    private synchronized Path dir() throws IOException {
        if (dir == null) {
            ProcessHandle self = ProcessHandle.current();
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            removeStale(tmp);
            dir =
                    Files.createTempDirectory(
                            tmp, PREFIX + self.pid() + "-" + startMillis(self) + "-");
        }
        return dir;
    }

    /**
     * Run directories are named {@code tarn-partitions-PID-STARTMILLIS-RANDOM}, so that a later run
     * can tell.
     */
    static final String PREFIX = "tarn-partitions-";

    /**
     * Deletes the run directories of conversions whose process is gone (killed before it could
     * delete them: runs can be gigabytes). A directory is stale when no process has its pid, or the
     * one that has it started at another time (the pid was reused). Names without a pid and start
     * are left alone.
     */
    static int removeStale(Path tmp) {
        int removed = 0;
        try (var dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path d : dirs) {
                String[] parts = d.getFileName().toString().substring(PREFIX.length()).split("-");
                long pid;
                long start;
                try {
                    pid = Long.parseLong(parts[0]);
                    start = parts.length > 2 ? Long.parseLong(parts[1]) : -1;
                } catch (NumberFormatException e) {
                    continue;
                }
                if (start < 0) {
                    continue;
                }
                boolean alive =
                        ProcessHandle.of(pid)
                                .map(p -> Math.abs(startMillis(p) - start) <= 1000)
                                .orElse(false);
                if (!alive) {
                    try (var files = Files.list(d)) {
                        for (Path f : files.toList()) {
                            Files.deleteIfExists(f);
                        }
                        Files.deleteIfExists(d);
                        removed++;
                    } catch (IOException e) {
                        // another process removes it at the same time, or it cannot be removed:
                        // tried next time
                    }
                }
            }
        } catch (IOException e) {
            // nothing to clean, or not readable: not a reason to fail a conversion
        }
        return removed;
    }

    private static long startMillis(ProcessHandle p) {
        return p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Writes every partition, each through one roller (files rolled at the target size), partitions
     * spread over {@code threads} threads. Every buffer must be sealed.
     */
    public void writeAll(int threads, IntFunction<FileRoller> rollers) {
        for (Buffer b : buffers) {
            b.seal();
        }
        TreeSet<List<String>> all = new TreeSet<>(KEY_ORDER);
        for (Run r : runs) {
            all.addAll(r.index.keySet());
        }
        List<List<String>> keys = new ArrayList<>(all);
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int n = Math.max(1, Math.min(threads, keys.size()));
        List<FileRoller> used = new ArrayList<>();
        Thread[] ts = new Thread[n];
        for (int t = 0; t < n; t++) {
            FileRoller roller = rollers.apply(t);
            used.add(roller);
            ts[t] =
                    new Thread(
                            () -> {
                                try (Channels ch = new Channels()) {
                                    int k;
                                    while (failure.get() == null
                                            && (k = next.getAndIncrement()) < keys.size()) {
                                        List<String> key = keys.get(k);
                                        for (Run r : runs) {
                                            long[] seg = r.index.get(key);
                                            if (seg != null) {
                                                writeSegment(r, seg, ch, roller);
                                            }
                                        }
                                        roller.closeOpen();
                                    }
                                    if (failure.get() == null) {
                                        roller.finish();
                                    }
                                } catch (Throwable e) {
                                    failure.compareAndSet(null, e);
                                }
                            },
                            "tarn-format-partitions-" + t);
            ts[t].setDaemon(true);
            ts[t].start();
        }
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, e);
            }
        }
        Throwable f = failure.get();
        if (f != null) {
            for (FileRoller r : used) {
                r.abort();
            }
            if (f instanceof RuntimeException) {
                throw (RuntimeException) f;
            }
            if (f instanceof Error) {
                throw (Error) f;
            }
            throw new IllegalStateException("writing partitions failed: " + f, f);
        }
    }

    /** Open run files of one writing thread. */
    private final class Channels implements AutoCloseable {
        final Map<Path, FileChannel> open = new HashMap<>();

        FileChannel of(Path p) throws IOException {
            FileChannel c = open.get(p);
            if (c == null) {
                c = FileChannel.open(p, StandardOpenOption.READ);
                open.put(p, c);
            }
            return c;
        }

        @Override
        public void close() {
            for (FileChannel c : open.values()) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // read only
                }
            }
        }
    }

    private static void writeSegment(Run r, long[] seg, Channels ch, FileRoller roller)
            throws IOException {
        byte[] b;
        int pos;
        int end;
        if (r.memory != null) {
            b = r.memory;
            pos = (int) seg[0];
        } else {
            b = new byte[Math.toIntExact(seg[1])];
            ByteBuffer bb = ByteBuffer.wrap(b);
            FileChannel c = ch.of(r.file);
            long at = seg[0];
            while (bb.hasRemaining()) {
                int k = c.read(bb, at + bb.position());
                if (k < 0) {
                    throw new IOException("run file " + r.file + " is shorter than its index");
                }
            }
            pos = 0;
        }
        end = pos + (int) seg[1];
        int[] p = {pos};
        for (long i = 0; i < seg[2]; i++) {
            roller.write((Object[]) SpillRows.readValue(b, p));
        }
        if (p[0] != end) {
            throw new IllegalStateException("partition segment misread: " + p[0] + " != " + end);
        }
    }

    /** Deletes the run files (after success or failure). */
    public synchronized void discard() {
        runs.clear();
        if (dir != null) {
            try (java.util.stream.Stream<Path> s = Files.list(dir)) {
                s.forEach(
                        f -> {
                            try {
                                Files.deleteIfExists(f);
                            } catch (IOException ignored) {
                                // temp files
                            }
                        });
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // temp files
            }
            dir = null;
        }
    }
}
