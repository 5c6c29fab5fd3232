package dev.tarn.lake.format.internal.engine;

import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.ErrorBudget;
import dev.tarn.lake.format.internal.convert.Plan;
import dev.tarn.lake.format.internal.convert.Required;
import dev.tarn.lake.format.internal.read.Chunk;
import dev.tarn.lake.format.internal.read.Sources;
import dev.tarn.lake.format.internal.read.Src;
import dev.tarn.lake.format.internal.write.FileRoller;
import dev.tarn.lake.format.internal.write.PartitionSpill;
import dev.tarn.lake.format.internal.write.QuarantineWriter;
import dev.tarn.lake.types.DataType;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Schedules one pass over the inputs: the calling thread reads them into chunks ({@link
 * InputReader}), worker threads ({@link Worker}) parse the chunks and either infer types ({@link
 * Mode#INFER}, merged by {@link ChunkInference}) or convert and write rows ({@link Mode#CONVERT}).
 * This class holds what they share: the queue, a fixed pool of chunk buffers (which bounds memory),
 * the first failure and the counters. What becomes of the written files (commit or discard) is the
 * {@link Engine}'s decision.
 */
public final class Pipeline {
    enum Mode {
        INFER,
        CONVERT
    }

    static final int CHUNK = 4 << 20;
    static final int BATCH = 512;

    /**
     * Thrown when a value does not fit a schema inferred from a sample: the conversion re-infers
     * over all input.
     */
    static final class Restart extends RuntimeException {
        Restart(String message) {
            super(message, null, false, false);
        }
    }

    /** Thrown when the count error budget is exceeded. */
    static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded(String message) {
            super(message, null, false, false);
        }
    }

    // configuration
    final Mode mode;
    private final int threads;
    final Charset charset;
    final long recordLimit; // INFER: stop each input after about this many records

    // CONVERT
    DataType schema;
    Plan plan;
    boolean exact;
    boolean allowRestart;
    boolean[] required;
    Required nestedRequired;
    ErrorBudget budget;
    QuarantineWriter quarantine;
    java.util.function.IntFunction<FileRoller> rollers;
    FileRoller shared;
    private PartitionSpill spill;
    private java.util.function.IntFunction<FileRoller> partitionWriters;

    // state
    final BlockingQueue<Chunk> queue;
    private final BlockingQueue<byte[]> pool;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    volatile boolean stop;
    final LongAdder rowsRead = new LongAdder();
    final LongAdder rowsWritten = new LongAdder();
    final AtomicLong quarantined = new AtomicLong();
    final AtomicLong doneBytes = new AtomicLong();
    volatile Sources.Counting current;
    final ChunkInference inference = new ChunkInference();
    private long[] nulls;
    final List<FileRoller> ownRollers = new ArrayList<>();

    /** The most fields a JSON record (or the records of an input together) may have: FastJson. */
    int maxColumns = Integer.MAX_VALUE;

    Pipeline(Mode mode, int threads, Charset charset, long recordLimit) {
        this.mode = mode;
        this.threads = Math.max(1, threads);
        this.charset = charset;
        this.recordLimit = recordLimit;
        this.queue = new ArrayBlockingQueue<>(this.threads * 2);
        int buffers = this.threads * 3 + 1;
        this.pool = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers; i++) {
            pool.add(new byte[CHUNK]);
        }
    }

    /**
     * Configures conversion: rows are written through one roller per worker, or one shared roller.
     */
    void convert(
            DataType schema,
            boolean exact,
            boolean allowRestart,
            boolean[] required,
            Required nestedRequired,
            ErrorBudget budget,
            QuarantineWriter quarantine,
            java.util.function.IntFunction<FileRoller> rollers,
            FileRoller shared) {
        this.nestedRequired = nestedRequired;
        this.schema = schema;
        this.plan = new Plan(schema, "");
        this.exact = exact;
        this.allowRestart = allowRestart;
        this.required = required;
        this.budget = budget;
        this.quarantine = quarantine;
        this.rollers = rollers;
        this.shared = shared;
        this.nulls = new long[schema.asStruct().fields().size()];
    }

    /**
     * Partitioned rows are spilled by the workers' rollers and written by partition, through these,
     * at the end.
     */
    void partitions(PartitionSpill spill, java.util.function.IntFunction<FileRoller> writers) {
        this.spill = spill;
        this.partitionWriters = writers;
    }

    long[] nullCounts() {
        return nulls;
    }

    long currentBytes() {
        Sources.Counting c = current;
        return doneBytes.get() + (c == null ? 0 : c.count);
    }

    void run(List<Src> srcs) {
        Thread[] ts = new Thread[threads];
        Worker[] ws = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            ws[i] = new Worker(this, i);
            ts[i] = new Thread(ws[i], "tarn-format-" + i);
            ts[i].setDaemon(true);
            ts[i].start();
        }
        InputReader reader = new InputReader(this);
        try {
            for (Src s : srcs) {
                if (stop) {
                    break;
                }
                if (mode == Mode.INFER && s.format == dev.tarn.lake.format.InputFormat.AVRO) {
                    continue;
                }
                reader.produce(s);
            }
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            for (int i = 0; i < threads; i++) {
                putEnd();
            }
            for (Thread t : ts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail(e);
                }
            }
        }
        Throwable f = failure.get();
        if (f != null) {
            abortRollers();
            if (f instanceof RuntimeException) {
                throw (RuntimeException) f;
            }
            if (f instanceof Error) {
                throw (Error) f;
            }
            throw new FormatException("conversion failed: " + f, f);
        }
        if (mode == Mode.CONVERT) {
            for (Worker w : ws) {
                for (int i = 0; i < nulls.length; i++) {
                    nulls[i] += w.nulls[i];
                }
            }
            if (shared != null) {
                shared.touch();
                shared.finish();
            }
            for (FileRoller r : ownRollers) {
                r.finish(); // no-op for rollers their worker already finished
            }
            if (spill != null) {
                spill.writeAll(threads, partitionWriters);
            }
        }
    }

    private void abortRollers() {
        if (shared != null) {
            shared.abort();
        }
        for (FileRoller r : ownRollers) {
            r.abort();
        }
    }

    void fail(Throwable t) {
        failure.compareAndSet(null, t);
        stop = true;
    }

    private void putEnd() {
        while (true) {
            try {
                if (queue.offer(Chunk.END, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void send(Chunk c) {
        try {
            while (!queue.offer(c, 100, TimeUnit.MILLISECONDS)) {
                if (stop) {
                    throw new Stopped();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    byte[] takeBuffer(int min) {
        if (min > CHUNK) {
            return new byte[min];
        }
        try {
            while (true) {
                byte[] b = pool.poll(100, TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
                if (stop) {
                    throw new Stopped();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    void giveBack(Chunk c) {
        if (c.pooled && c.buf != null && c.buf.length == CHUNK) {
            pool.offer(c.buf);
        }
        c.buf = null;
    }

    /**
     * A chunk buffer that goes back to the pool (a larger one, made for a long record, does not).
     */
    void recycle(byte[] buf) {
        pool.offer(buf);
    }

    /** Ends the reading when a worker failed: its failure is the one reported. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped", null, false, false);
        }
    }
}
