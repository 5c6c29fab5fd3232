package dev.tarn.lake.format.internal.engine;

import dev.tarn.lake.format.internal.Swar;
import dev.tarn.lake.format.internal.convert.BadRecord;
import dev.tarn.lake.format.internal.convert.Plan;
import dev.tarn.lake.format.internal.convert.Required;
import dev.tarn.lake.format.internal.convert.Values;
import dev.tarn.lake.format.internal.infer.TypeAcc;
import dev.tarn.lake.format.internal.read.AvroRows;
import dev.tarn.lake.format.internal.read.Chunk;
import dev.tarn.lake.format.internal.read.Csv;
import dev.tarn.lake.format.internal.read.FastJson;
import dev.tarn.lake.format.internal.read.NumText;
import dev.tarn.lake.format.internal.read.Retaining;
import dev.tarn.lake.format.internal.read.Site;
import dev.tarn.lake.format.internal.read.Sources;
import dev.tarn.lake.format.internal.read.Src;
import dev.tarn.lake.format.internal.read.Utf8;
import dev.tarn.lake.format.internal.write.FileRoller;
import dev.tarn.lake.format.internal.write.PartitionSpill;
import dev.tarn.lake.format.internal.write.QuarantineWriter;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.tarn.lake.format.ErrorBudget;
import dev.tarn.lake.format.FormatException;
import dev.tarn.lake.types.DataType;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The reading thread splits inputs into chunks at record boundaries; worker threads parse the chunks and either infer
 * types ({@link Mode#INFER}) or convert and write rows ({@link Mode#CONVERT}). Memory is bounded by a fixed pool of
 * chunk buffers.
 */
public final class Pipeline {
    enum Mode { INFER, CONVERT }

    static final int CHUNK = 4 << 20;
    public static final int MAX_RECORD = 64 << 20;
    static final int BATCH = 512;

    /** Thrown when a value does not fit a schema inferred from a sample: the conversion re-infers over all input. */
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
    private final Mode mode;
    private final int threads;
    private final Charset charset;
    private final long recordLimit; // INFER: stop each input after about this many records
    // the input is closed by produce(); Jackson must not close it at the end of the input, where the error path
    // still reads the rest of a broken document
    private final JsonFactory factory = JsonFactory.builder()
            .disable(com.fasterxml.jackson.core.StreamReadFeature.AUTO_CLOSE_SOURCE).build();

    // CONVERT
    private DataType schema;
    private Plan plan;
    private boolean exact;
    private boolean allowRestart;
    private boolean[] required;
    private Required nestedRequired;
    private ErrorBudget budget;
    private QuarantineWriter quarantine;
    private java.util.function.IntFunction<FileRoller> rollers;
    private FileRoller shared;
    private PartitionSpill spill;
    private java.util.function.IntFunction<FileRoller> partitionWriters;

    // state
    private final BlockingQueue<Chunk> queue;
    private final BlockingQueue<byte[]> pool;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stop;
    final LongAdder rowsRead = new LongAdder();
    final LongAdder rowsWritten = new LongAdder();
    final AtomicLong quarantined = new AtomicLong();
    final AtomicLong doneBytes = new AtomicLong();
    volatile Sources.Counting current;
    private final Map<Long, TypeAcc> chunkAccs = new TreeMap<>();
    private long[] nulls;
    private final List<FileRoller> ownRollers = new ArrayList<>();
    private long seq;

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

    /** Configures conversion: rows are written through one roller per worker, or one shared roller. */
    void convert(DataType schema, boolean exact, boolean allowRestart, boolean[] required, Required nestedRequired,
                 ErrorBudget budget, QuarantineWriter quarantine, java.util.function.IntFunction<FileRoller> rollers,
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

    /** Partitioned rows are spilled by the workers' rollers and written by partition, through these, at the end. */
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

    // ------------------------------------------------------------------ driver

    void run(List<Src> srcs) {
        Thread[] ts = new Thread[threads];
        Worker[] ws = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            ws[i] = new Worker(i);
            ts[i] = new Thread(ws[i], "tarn-format-" + i);
            ts[i].setDaemon(true);
            ts[i].start();
        }
        try {
            for (Src s : srcs) {
                if (stop) {
                    break;
                }
                if (mode == Mode.INFER && s.format == dev.tarn.lake.format.InputFormat.AVRO) {
                    continue;
                }
                produce(s);
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
            abortRollers(ws);
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

    private void abortRollers(Worker[] ws) {
        if (shared != null) {
            shared.abort();
        }
        for (FileRoller r : ownRollers) {
            r.abort();
        }
    }

    /**
     * The merged type accumulator of each input, after an INFER run. Chunk accumulators are merged in chunk order as
     * soon as their predecessors are done, so only the few chunks in flight are held at a time.
     */
    void collectInference(List<Src> srcs) {
        synchronized (chunkAccs) {
            drainInOrder(true);
            for (Src s : srcs) {
                s.acc = merged.get(s);
            }
        }
    }

    private final Map<TypeAcc, Src> accOwner = new java.util.IdentityHashMap<>();
    private final Map<Src, TypeAcc> merged = new java.util.IdentityHashMap<>();
    private final java.util.Set<Long> doneChunks = new java.util.HashSet<>();
    private long nextMerge;

    /** Called with the chunkAccs lock held: folds finished chunks, in order, into their input's accumulator. */
    private void drainInOrder(boolean all) {
        while (true) {
            TypeAcc a = chunkAccs.get(nextMerge);
            if (a == null || (!all && !doneChunks.contains(nextMerge))) {
                if (all && a == null && !chunkAccs.isEmpty()) {
                    nextMerge = ((TreeMap<Long, TypeAcc>) chunkAccs).firstKey();
                    continue;
                }
                return;
            }
            chunkAccs.remove(nextMerge);
            doneChunks.remove(nextMerge);
            Src s = accOwner.remove(a);
            TypeAcc m = merged.get(s);
            if (m == null) {
                merged.put(s, a);
            } else {
                m.merge(a);
            }
            nextMerge++;
        }
    }

    private void chunkInferred(long seq) {
        synchronized (chunkAccs) {
            doneChunks.add(seq);
            drainInOrder(false);
        }
    }

    private void fail(Throwable t) {
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

    private void send(Chunk c) {
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

    private byte[] takeBuffer(int min) {
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

    private void giveBack(Chunk c) {
        if (c.pooled && c.buf != null && c.buf.length == CHUNK) {
            pool.offer(c.buf);
        }
        c.buf = null;
    }

    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped", null, false, false);
        }
    }

    // ------------------------------------------------------------------ producers

    private void produce(Src s) {
        Sources.Opened o = Sources.open(s.input, charset, s.format != dev.tarn.lake.format.InputFormat.AVRO);
        current = o.raw;
        try {
            switch (s.format) {
                case NDJSON:
                case CSV:
                case TSV:
                    produceDelimited(s, o.data);
                    break;
                case JSON:
                    if (s.layout == Src.LINES) {
                        produceDelimited(s, o.data);
                    } else {
                        produceDocuments(s, o.data);
                    }
                    break;
                case AVRO:
                    produceAvro(s, o.data);
                    break;
                default:
                    throw new IllegalStateException("unresolved format " + s.format);
            }
        } catch (Stopped e) {
            // a worker failed; its failure is reported
        } catch (IOException e) {
            throw new UncheckedIOException(s.name() + ": cannot read: " + e.getMessage(), e);
        } finally {
            long n = o.raw.count;
            try {
                o.close();
            } catch (IOException ignored) {
                // reading is over
            }
            current = null;
            doneBytes.addAndGet(n);
        }
    }

    /** NDJSON and CSV: fill buffers, cut at the last record boundary, carry the rest over. */
    private void produceDelimited(Src s, InputStream in) throws IOException {
        boolean csv = s.format == dev.tarn.lake.format.InputFormat.CSV || s.format == dev.tarn.lake.format.InputFormat.TSV;
        byte delim = 0, quote = 0, esc = 0;
        int comment = -1;
        if (csv) {
            comment = Csv.comment(s.csv);
            delim = (byte) (char) s.csv.delimiter();
            quote = (byte) s.csv.quote();
            esc = (byte) s.csv.escape();
        }
        long skip = s.dataStart;
        while (skip > 0) {
            long k = in.skip(skip);
            if (k <= 0) {
                if (in.read() < 0) {
                    break;
                }
                k = 1;
            }
            skip -= k;
        }
        long base = s.dataStart;
        long line = s.dataStartLine;
        long record = 0;
        byte[] carry = null;
        int carryLen = 0;
        Csv.Scan scan = new Csv.Scan();
        boolean eof = false;
        while (!eof && !stop) {
            byte[] buf = takeBuffer(carryLen + 1);
            boolean pooled = buf.length == CHUNK;
            int len = 0;
            if (carryLen > 0) {
                System.arraycopy(carry, 0, buf, 0, carryLen);
                len = carryLen;
            }
            int cut;
            while (true) {
                while (len < buf.length) {
                    int n = in.read(buf, len, buf.length - len);
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    len += n;
                }
                if (eof) {
                    cut = len;
                    scanCount(csv, buf, len, delim, quote, esc, comment, scan);
                    break;
                }
                if (csv) {
                    Csv.scan(buf, 0, len, delim, quote, esc, comment, scan);
                    cut = scan.boundary;
                } else {
                    cut = lastNewline(buf, len) + 1;
                    scan.lines = countNewlines(buf, cut);
                    scan.records = scan.lines;
                }
                if (cut > 0) {
                    break;
                }
                if (buf.length >= MAX_RECORD) {
                    throw new FormatException(s.name() + " line " + line + ": a record longer than "
                            + (MAX_RECORD >> 20) + " MiB" + (csv ? " (is a quote left open?)" : ""));
                }
                byte[] bigger = Arrays.copyOf(buf, buf.length * 2);
                if (pooled) {
                    pool.offer(buf); // the pool keeps its size when a long record needs a bigger buffer
                }
                buf = bigger;
                pooled = false;
            }
            carryLen = len - cut;
            if (carryLen > 0) {
                if (carry == null || carry.length < carryLen) {
                    carry = new byte[Math.max(carryLen, 1 << 16)];
                }
                System.arraycopy(buf, cut, carry, 0, carryLen);
            }
            if (cut > 0) {
                Chunk c = new Chunk(csv ? Chunk.CSV : Chunk.NDJSON, s, seq++);
                c.first = base == s.dataStart;
                c.buf = buf;
                c.pooled = pooled;
                c.len = cut;
                c.base = base + s.bom;
                c.startLine = line;
                c.startRecord = record;
                send(c);
            } else if (pooled) {
                pool.offer(buf);
            }
            base += cut;
            line += scan.lines;
            record += scan.records;
            if (mode == Mode.INFER && recordLimit > 0 && record >= recordLimit) {
                s.sampledRecords = record;
                return;
            }
        }
        s.sampledRecords = record;
        s.exhausted = true;
    }

    private static void scanCount(boolean csv, byte[] buf, int len, byte d, byte q, byte e, int comment,
                                  Csv.Scan scan) {
        if (csv) {
            Csv.scan(buf, 0, len, d, q, e, comment, scan);
            // the tail after the last LF is one more record if not blank (nor a comment)
            long extra = 0;
            for (int i = scan.boundary; i < len && !(comment >= 0 && buf[scan.boundary] == comment); i++) {
                if (buf[i] != '\r' && buf[i] != '\n') {
                    extra = 1;
                    break;
                }
            }
            scan.records += extra;
        } else {
            scan.lines = countNewlines(buf, len);
            scan.records = scan.lines;
        }
    }

    private static int lastNewline(byte[] b, int len) {
        for (int i = len - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static long countNewlines(byte[] b, int len) {
        return Swar.countNewlines(b, len);
    }

    /** JSON documents (array, concatenated, at a path): Jackson finds record boundaries; workers parse records. */
    private void produceDocuments(Src s, InputStream in) throws IOException {
        Retaining rin = new Retaining(in);
        long record = 0;
        Chunk c = null;
        int cLen = 0;
        try (JsonParser p = factory.createParser(rin)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                s.exhausted = true;
                return;
            }
            boolean inArray;
            if (s.layout == Src.PATH) {
                navigate(p, s);
                inArray = true;
                t = p.nextToken();
            } else if (s.layout == Src.ARRAY) {
                if (t != JsonToken.START_ARRAY) {
                    throw new FormatException(s.name() + ": expected a top-level JSON array");
                }
                inArray = true;
                t = p.nextToken();
            } else {
                inArray = false;
            }
            while (!stop) {
                if (t == null || (inArray && t == JsonToken.END_ARRAY)) {
                    break;
                }
                long start = p.currentTokenLocation().getByteOffset();
                long line = p.currentTokenLocation().getLineNr();
                record++;
                String error = null;
                long end;
                try {
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        p.skipChildren();
                    }
                    end = p.currentLocation().getByteOffset();
                } catch (JsonProcessingException e) {
                    error = "invalid JSON: " + e.getOriginalMessage() + " (the rest of the input cannot be parsed)";
                    rin.drain();
                    end = rin.end();
                }
                int n = (int) (end - start);
                if (n > MAX_RECORD) {
                    throw new FormatException(s.name() + " line " + line + ": a record longer than "
                            + (MAX_RECORD >> 20) + " MiB");
                }
                if (c == null || cLen + n > c.buf.length || c.spans >= 8192) {
                    if (c != null) {
                        c.len = cLen;
                        send(c);
                    }
                    c = new Chunk(Chunk.SPANS, s, seq++);
                    c.first = record == 1;
                    c.buf = takeBuffer(n);
                    c.pooled = c.buf.length == CHUNK;
                    c.base = 0;
                    cLen = 0;
                }
                rin.copy(start, end, c.buf, cLen);
                c.addSpan(cLen, cLen + n, line, record, start + s.bom, error);
                cLen += n;
                rin.release(end);
                if (error != null) {
                    break;
                }
                if (mode == Mode.INFER && recordLimit > 0 && record >= recordLimit) {
                    break;
                }
                try {
                    t = p.nextToken();
                } catch (JsonProcessingException e) {
                    long at = p.currentLocation().getByteOffset();
                    rin.drain();
                    long stopAt = rin.end();
                    int m = (int) Math.min(stopAt - at, MAX_RECORD);
                    Chunk e2 = new Chunk(Chunk.SPANS, s, seq++);
                    e2.buf = new byte[Math.max(m, 0)];
                    rin.copy(at, at + m, e2.buf, 0);
                    e2.len = m;
                    e2.addSpan(0, m, p.currentLocation().getLineNr(), record + 1, at + s.bom,
                            "invalid JSON: " + e.getOriginalMessage() + " (the rest of the input cannot be parsed)");
                    if (c != null) {
                        c.len = cLen;
                        send(c);
                        c = null;
                    }
                    send(e2);
                    break;
                }
            }
        }
        if (c != null) {
            c.len = cLen;
            send(c);
        }
        s.sampledRecords = record;
        s.exhausted = true;
    }

    private void navigate(JsonParser p, Src s) throws IOException {
        String[] path = s.jsonPath;
        for (int depth = 0; depth < path.length; depth++) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new FormatException(s.name() + ": expected an object at " + String.join(".",
                        Arrays.copyOf(path, depth)) + " to find \"" + path[depth] + "\"");
            }
            boolean found = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals(path[depth])) {
                    found = true;
                    break;
                }
                p.skipChildren();
            }
            if (!found) {
                throw new FormatException(s.name() + ": no field \"" + String.join(".", Arrays.copyOf(path, depth + 1))
                        + "\" in the document");
            }
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new FormatException(s.name() + ": \"" + String.join(".", path) + "\" is not an array");
        }
    }

    private void produceAvro(Src s, InputStream in) throws IOException {
        if (mode == Mode.INFER) {
            return;
        }
        try (DataFileStream<GenericRecord> r = new DataFileStream<>(in, new GenericDatumReader<>())) {
            List<GenericRecord> batch = new ArrayList<>(BATCH);
            long record = 0;
            while (r.hasNext() && !stop) {
                batch.add(r.next());
                if (batch.size() == 2048) {
                    Chunk c = new Chunk(Chunk.AVRO, s, seq++);
                    c.records = batch;
                    c.startRecord = record;
                    record += batch.size();
                    send(c);
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) {
                Chunk c = new Chunk(Chunk.AVRO, s, seq++);
                c.records = batch;
                c.startRecord = record;
                send(c);
            }
        } catch (org.apache.avro.AvroRuntimeException e) {
            throw new FormatException(s.name() + ": invalid Avro file: " + e.getMessage(), e);
        }
        s.exhausted = true;
    }

    // ------------------------------------------------------------------ workers

    private final class Worker implements Runnable {
        final int id;
        final FastJson fast;
        final NumText num = new NumText();
        final Site site = new Site("");
        final Utf8 utf8 = new Utf8();
        final long[] nulls;
        final Object[][] batch = new Object[BATCH][];
        int batched;
        FileRoller roller;
        Csv csv;
        Src csvSrc;
        TypeAcc acc;
        TypeAcc[] colAccs;

        Worker(int id) {
            this.id = id;
            this.nulls = new long[mode == Mode.CONVERT ? schema.asStruct().fields().size() : 0];
            this.fast = mode == Mode.CONVERT ? new FastJson(plan, exact) : new FastJson(null, false);
            this.fast.maxColumns = maxColumns;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Chunk c = queue.take();
                    if (c.kind == Chunk.POISON) {
                        break;
                    }
                    if (stop) {
                        giveBack(c);
                        continue;
                    }
                    process(c);
                    if (mode == Mode.INFER) {
                        chunkInferred(c.seq);
                    } else {
                        flush(); // rows may point into the chunk's buffer: write them before it is reused
                    }
                    giveBack(c);
                }
                flush();
                if (roller != null && !stop) {
                    roller.finish(); // the last row group and the footer, written on this thread, in parallel
                }
            } catch (Throwable t) {
                fail(t);
                // keep draining so the producer is not blocked
                try {
                    while (queue.take().kind != Chunk.POISON) {
                        // discard
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void process(Chunk c) throws IOException {
            site.source = c.src.name();
            if (mode == Mode.INFER) {
                acc = TypeAcc.root(c.first);
                synchronized (chunkAccs) {
                    chunkAccs.put(c.seq, acc);
                    accOwner.put(acc, c.src);
                }
                colAccs = null;
            }
            switch (c.kind) {
                case Chunk.NDJSON:
                    ndjson(c);
                    break;
                case Chunk.CSV:
                    csv(c);
                    break;
                case Chunk.SPANS:
                    for (int i = 0; i < c.spans && !stop; i++) {
                        int a = c.spanStart[i], b = c.spanEnd[i];
                        site.line = c.spanLine[i];
                        site.record = c.spanRecord[i];
                        site.offset = c.spanOffset[i];
                        if (sampleDone(c.src)) {
                            break;
                        }
                        if (c.spanError[i] != null) {
                            if (mode == Mode.CONVERT) {
                                rowsRead.increment();
                            }
                            bad(c, a, b, c.spanError[i], false);
                            continue;
                        }
                        jsonRecord(c, a, b);
                    }
                    break;
                case Chunk.AVRO:
                    avro(c);
                    break;
                default:
                    throw new IllegalStateException();
            }
        }

        /** Lines of NDJSON; as for CSV, inference and conversion run separate loops for the JIT's sake. */
        private void ndjson(Chunk c) throws IOException {
            if (mode == Mode.CONVERT) {
                ndjsonConvert(c);
            } else {
                ndjsonInfer(c);
            }
        }

        private void ndjsonInfer(Chunk c) {
            byte[] b = c.buf;
            int len = c.len;
            int pos = 0;
            long line = c.startLine;
            while (pos < len && !stop) {
                int e = Swar.indexOfNewline(b, pos, len);
                int end = e;
                if (end > pos && b[end - 1] == '\r') {
                    end--;
                }
                if (!blank(b, pos, end)) {
                    if (sampleDone(c.src)) {
                        return;
                    }
                    site.line = line;
                    site.record = line;
                    site.offset = c.base + pos;
                    inferRecord(c, pos, end);
                }
                pos = e + 1;
                line++;
            }
        }

        private void ndjsonConvert(Chunk c) throws IOException {
            byte[] b = c.buf;
            int len = c.len;
            int pos = 0;
            long line = c.startLine;
            while (pos < len && !stop) {
                int e = Swar.indexOfNewline(b, pos, len);
                int end = e;
                if (end > pos && b[end - 1] == '\r') {
                    end--;
                }
                if (!blank(b, pos, end)) {
                    site.line = line;
                    site.record = line;
                    site.offset = c.base + pos;
                    convertRecord(c, pos, end);
                }
                pos = e + 1;
                line++;
            }
        }

        /** INFER with a sample limit: counts the record; true once the input's sample is complete. */
        private boolean sampleDone(Src s) {
            if (mode != Mode.INFER || recordLimit <= 0) {
                return false;
            }
            if (s.inferred.incrementAndGet() > recordLimit) {
                s.truncated = true;
                return true;
            }
            return false;
        }

        private boolean blank(byte[] b, int from, int to) {
            for (int i = from; i < to; i++) {
                byte x = b[i];
                if (x != ' ' && x != '\t' && x != '\r') {
                    return false;
                }
            }
            return true;
        }

        private void jsonRecord(Chunk c, int from, int to) throws IOException {
            if (mode == Mode.CONVERT) {
                convertRecord(c, from, to);
            } else {
                inferRecord(c, from, to);
            }
        }

        private void convertRecord(Chunk c, int from, int to) throws IOException {
            rowsRead.increment();
            try {
                emit(fast.read(c.buf, from, to, site.offset, c.src.name()));
            } catch (BadRecord br) {
                bad(c, from, to, br.getMessage(), br.misfit);
            }
        }

        private void inferRecord(Chunk c, int from, int to) {
            try {
                fast.infer(c.buf, from, to, site.offset, c.src.name(), acc, site);
            } catch (BadRecord br) {
                // inference skips records the conversion will quarantine
            }
        }

        // inference and conversion each get a loop of their own: one shared loop would be compiled for inference,
        // then thrown away and compiled again, larger, when conversion takes the other branch
        private void csv(Chunk c) {
            if (mode == Mode.INFER) {
                csvInfer(c);
            } else {
                csvConvert(c);
            }
        }

        private void csvInfer(Chunk c) {
            Src s = c.src;
            if (csv == null || csvSrc != s) {
                csv = new Csv(s.csv);
                csvSrc = s;
            }
            int cols = s.header.length;
            if (colAccs == null) {
                colAccs = new TypeAcc[cols];
                acc.beginStruct(null);
                acc.objects = 0;
                acc.present = 0;
                for (int i = 0; i < cols; i++) {
                    colAccs[i] = acc.field(s.header[i]);
                }
            }
            byte[] b = c.buf;
            int len = c.len;
            int pos = 0;
            long line = c.startLine;
            long record = c.startRecord;
            while (pos < len && !stop) {
                int start = pos;
                pos = csv.parseRecord(b, pos, len, c.base, s.name());
                if (csv.count == 0 && csv.error == null) {
                    line += csv.newlines;
                    continue;
                }
                record++;
                site.line = line;
                site.record = record;
                site.offset = c.base + start;
                if (sampleDone(s)) {
                    return;
                }
                if (csv.error == null && csv.count == cols) {
                    acc.objects++;
                    acc.present++;
                    String[] f = csv.strings();
                    for (int i = 0; i < cols; i++) {
                        if (f[i] == null) {
                            colAccs[i].observeNull();
                        } else {
                            colAccs[i].observeText(f[i], num, site);
                        }
                    }
                }
                line += csv.newlines;
            }
        }

        private void csvConvert(Chunk c) {
            Src s = c.src;
            if (csv == null || csvSrc != s) {
                csv = new Csv(s.csv);
                csvSrc = s;
            }
            int cols = s.header.length;
            byte[] b = c.buf;
            int len = c.len;
            int pos = 0;
            long line = c.startLine;
            long record = c.startRecord;
            while (pos < len && !stop) {
                int start = pos;
                pos = csv.parseRecord(b, pos, len, c.base, s.name());
                if (csv.count == 0 && csv.error == null) {
                    line += csv.newlines;
                    continue;
                }
                record++;
                site.line = line;
                site.record = record;
                site.offset = c.base + start;
                rowsRead.increment();
                if (csv.error != null) {
                    bad(c, start, pos, csv.error, false);
                } else if (csv.count != cols) {
                    bad(c, start, pos, "expected " + cols + " fields, found " + csv.count, false);
                } else {
                    try {
                        Object[] row = new Object[plan.names.length];
                        int[] map = s.colToField;
                        Plan[] kids = plan.children;
                        for (int i = 0; i < cols; i++) {
                            int fi = map[i];
                            if (fi < 0) {
                                if (!csv.isNull(i)) {
                                    throw BadRecord.misfit("unknown column \"" + s.header[i] + "\" (not in the schema)");
                                }
                                continue;
                            }
                            if (csv.isNull(i)) {
                                continue;
                            }
                            DataType.Kind kind = kids[fi].kind;
                            Object v = kind == DataType.Kind.STRING ? csv.binary(i) : csv.quick(i, kind);
                            row[fi] = v != null ? v : Values.fromText(csv.string(i), kids[fi], num, exact);
                        }
                        emit(row);
                    } catch (BadRecord br) {
                        bad(c, start, pos, br.getMessage(), br.misfit);
                    }
                }
                line += csv.newlines;
            }
        }

        private void avro(Chunk c) {
            long record = c.startRecord;
            for (GenericRecord r : c.records) {
                record++;
                rowsRead.increment();
                site.line = record;
                site.record = record;
                site.offset = -1;
                try {
                    emit(AvroRows.row(r, plan));
                } catch (BadRecord br) {
                    if (br.misfit && allowRestart) {
                        throw new Restart(c.src.name() + " record " + record + ": " + br.getMessage());
                    }
                    quarantine(c.src.name(), record, record, -1, r.toString(), br.getMessage());
                }
            }
        }

        private void emit(Object[] row) {
            if (required != null) {
                for (int i = 0; i < required.length; i++) {
                    if (required[i] && row[i] == null) {
                        throw BadRecord.misfit("required field \"" + plan.names[i] + "\" is null or missing");
                    }
                }
            }
            if (nestedRequired != null) {
                nestedRequired.check(row);
            }
            for (int i = 0; i < row.length; i++) {
                if (row[i] == null) {
                    nulls[i]++;
                }
            }
            batch[batched++] = row;
            if (batched == BATCH) {
                flush();
            }
        }

        private void flush() {
            if (mode != Mode.CONVERT || batched == 0) {
                return;
            }
            if (shared != null) {
                synchronized (shared.lock) {
                    for (int i = 0; i < batched; i++) {
                        shared.write(batch[i]);
                    }
                }
            } else {
                if (roller == null) {
                    roller = rollers.apply(id);
                    synchronized (ownRollers) {
                        ownRollers.add(roller);
                    }
                }
                for (int i = 0; i < batched; i++) {
                    roller.write(batch[i]);
                }
            }
            rowsWritten.add(batched);
            Arrays.fill(batch, 0, batched, null);
            batched = 0;
        }

        private void bad(Chunk c, int from, int to, String reason, boolean misfit) {
            if (mode != Mode.CONVERT) {
                return;
            }
            if (misfit && allowRestart) {
                throw new Restart(site.describe() + ": " + reason);
            }
            int end = to;
            while (end > from && (c.buf[end - 1] == '\n' || c.buf[end - 1] == '\r')) {
                end--;
            }
            String raw = utf8.decode(c.buf, from, end - from, site.offset, c.src.name());
            quarantine(c.src.name(), site.line, site.record, site.offset, raw,
                    misfit ? withConflict(c.src, reason) : reason);
        }

        /** A misfit in a column whose type in this input the schema could not take says why it could not. */
        private String withConflict(Src src, String reason) {
            if (src.conflicts.isEmpty() || !reason.startsWith("field \"")) {
                return reason;
            }
            int e = reason.indexOf("\": ", 7);
            String why = e < 0 ? null : src.conflicts.get(reason.substring(7, e));
            return why == null ? reason : reason + " (" + why + ")";
        }

        private void quarantine(String source, long line, long record, long offset, String raw, String reason) {
            long n = quarantined.incrementAndGet();
            if (quarantine == null) {
                throw new FormatException(source + " line " + line + ": " + reason
                        + ". No bad record is allowed by default", FormatException.Remedy.ERROR_BUDGET,
                        ": set Conversion.quarantine(...) and Conversion.errorBudget(...) to set bad records aside"
                        + " instead.");
            }
            quarantine.write(source, line, record, offset, raw, reason);
            if (budget.exceededByCount(n)) {
                throw new BudgetExceeded("error budget exceeded (" + budget + "): " + n + " bad records, the last at "
                        + source + " line " + line + ": " + reason);
            }
        }
    }

}
