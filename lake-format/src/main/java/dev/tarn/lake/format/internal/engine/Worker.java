package dev.tarn.lake.format.internal.engine;

import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.internal.convert.BadRecord;
import dev.tarn.lake.format.internal.convert.Plan;
import dev.tarn.lake.format.internal.convert.Values;
import dev.tarn.lake.format.internal.infer.TypeAcc;
import dev.tarn.lake.format.internal.read.AvroRows;
import dev.tarn.lake.format.internal.read.Chunk;
import dev.tarn.lake.format.internal.read.Csv;
import dev.tarn.lake.format.internal.read.FastJson;
import dev.tarn.lake.format.internal.read.NumText;
import dev.tarn.lake.format.internal.read.Site;
import dev.tarn.lake.format.internal.read.Src;
import dev.tarn.lake.format.internal.read.Swar;
import dev.tarn.lake.format.internal.read.Utf8;
import dev.tarn.lake.format.internal.write.FileRoller;
import dev.tarn.lake.types.DataType;
import java.io.IOException;
import java.util.Arrays;
import org.apache.avro.generic.GenericRecord;

/**
 * One worker thread of a {@link Pipeline}: takes chunks from the queue and parses their records,
 * either observing types ({@link Pipeline.Mode#INFER}) or converting them to rows and writing them
 * through its own file roller (or the shared one) ({@link Pipeline.Mode#CONVERT}). Records that
 * cannot be converted go to the quarantine.
 */
final class Worker implements Runnable {
    private final Pipeline pipeline;
    final int id;
    final FastJson fast;
    final NumText num = new NumText();
    final Site site = new Site("");
    final Utf8 utf8 = new Utf8();
    final long[] nulls;
    final Object[][] batch = new Object[Pipeline.BATCH][];
    int batched;
    FileRoller roller;
    Csv csv;
    Src csvSrc;

    /**
     * The record being read: where it starts and ends in its chunk, and the line it starts on (then
     * the next's).
     */
    private int recordStart;

    private int recordEnd;
    private long recordLine;

    /** The number of the CSV record being read within its input: see nextCsvRecord. */
    private long csvRecord;

    TypeAcc acc;
    TypeAcc[] colAccs;

    Worker(Pipeline pipeline, int id) {
        this.pipeline = pipeline;
        this.id = id;
        boolean convert = pipeline.mode == Pipeline.Mode.CONVERT;
        this.nulls = new long[convert ? pipeline.schema.asStruct().fields().size() : 0];
        this.fast =
                convert ? new FastJson(pipeline.plan, pipeline.exact) : new FastJson(null, false);
        this.fast.maxColumns = pipeline.maxColumns;
    }

    @Override
    public void run() {
        try {
            while (true) {
                Chunk c = pipeline.queue.take();
                if (c.kind == Chunk.POISON) {
                    break;
                }
                if (pipeline.stop) {
                    pipeline.giveBack(c);
                    continue;
                }
                process(c);
                if (pipeline.mode == Pipeline.Mode.INFER) {
                    pipeline.inference.chunkDone(c.seq);
                } else {
                    flush(); // rows may point into the chunk's buffer: write them before it is
                    // reused
                }
                pipeline.giveBack(c);
            }
            flush();
            if (roller != null && !pipeline.stop) {
                roller.finish(); // the last row group and the footer, written on this thread, in
                // parallel
            }
        } catch (Throwable t) {
            pipeline.fail(t);
            // keep draining so the producer is not blocked
            try {
                while (pipeline.queue.take().kind != Chunk.POISON) {
                    // discard
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void process(Chunk c) throws IOException {
        site.source = c.src.name();
        if (pipeline.mode == Pipeline.Mode.INFER) {
            acc = TypeAcc.root(c.first);
            pipeline.inference.chunkStarted(c.seq, acc, c.src);
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
                for (int i = 0; i < c.spans && !pipeline.stop; i++) {
                    int a = c.spanStart[i], b = c.spanEnd[i];
                    site.line = c.spanLine[i];
                    site.record = c.spanRecord[i];
                    site.offset = c.spanOffset[i];
                    if (sampleDone(c.src)) {
                        break;
                    }
                    if (c.spanError[i] != null) {
                        if (pipeline.mode == Pipeline.Mode.CONVERT) {
                            pipeline.rowsRead.increment();
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

    /**
     * Lines of NDJSON; as for CSV, inference and conversion run separate loops for the JIT's sake.
     */
    private void ndjson(Chunk c) throws IOException {
        if (pipeline.mode == Pipeline.Mode.CONVERT) {
            ndjsonConvert(c);
        } else {
            ndjsonInfer(c);
        }
    }

    private void ndjsonInfer(Chunk c) {
        recordLine = c.startLine;
        int pos = 0;
        while (!pipeline.stop && (pos = nextLine(c, pos)) >= 0) {
            if (sampleDone(c.src)) {
                return;
            }
            inferRecord(c, recordStart, recordEnd);
        }
    }

    private void ndjsonConvert(Chunk c) throws IOException {
        recordLine = c.startLine;
        int pos = 0;
        while (!pipeline.stop && (pos = nextLine(c, pos)) >= 0) {
            convertRecord(c, recordStart, recordEnd);
        }
    }

    /**
     * Finds the next non-blank NDJSON line of the chunk at or after {@code pos} and points the site
     * at it (it spans {@link #recordStart} to {@link #recordEnd}, without its line end); returns
     * the position after its line end, or -1 at the end of the chunk.
     */
    private int nextLine(Chunk c, int pos) {
        byte[] b = c.buf;
        while (pos < c.len) {
            int e = Swar.indexOfNewline(b, pos, c.len);
            int end = e > pos && b[e - 1] == '\r' ? e - 1 : e;
            long line = recordLine++;
            if (!blank(b, pos, end)) {
                recordStart = pos;
                recordEnd = end;
                site.line = line;
                site.record = line;
                site.offset = c.base + pos;
                return e + 1;
            }
            pos = e + 1;
        }
        return -1;
    }

    /** INFER with a sample limit: counts the record; true once the input's sample is complete. */
    private boolean sampleDone(Src s) {
        if (pipeline.mode != Pipeline.Mode.INFER || pipeline.recordLimit <= 0) {
            return false;
        }
        if (s.inferred.incrementAndGet() > pipeline.recordLimit) {
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
        if (pipeline.mode == Pipeline.Mode.CONVERT) {
            convertRecord(c, from, to);
        } else {
            inferRecord(c, from, to);
        }
    }

    private void convertRecord(Chunk c, int from, int to) throws IOException {
        pipeline.rowsRead.increment();
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

    // inference and conversion each get a loop of their own: one shared loop would be compiled for
    // inference,
    // then thrown away and compiled again, larger, when conversion takes the other branch
    private void csv(Chunk c) {
        if (pipeline.mode == Pipeline.Mode.INFER) {
            csvInfer(c);
        } else {
            csvConvert(c);
        }
    }

    /** The CSV parser for this input's dialect (kept while chunks of the same input follow). */
    private void csvFor(Src s) {
        if (csv == null || csvSrc != s) {
            csv = new Csv(s.csv);
            csvSrc = s;
        }
    }

    /**
     * Parses the next CSV record of the chunk at or after {@code pos}, past blank lines, and points
     * the site at it ({@link #recordStart} is where it starts); returns the position after it, or
     * -1 at the end of the chunk. The caller adds the record's {@code csv.newlines} to {@link
     * #recordLine} when it is done with it.
     */
    private int nextCsvRecord(Chunk c, int pos) {
        while (pos < c.len) {
            recordStart = pos;
            pos = csv.parseRecord(c.buf, pos, c.len, c.base, c.src.name());
            if (csv.count == 0 && csv.error == null) {
                recordLine += csv.newlines;
                continue;
            }
            csvRecord++;
            site.line = recordLine;
            site.record = csvRecord;
            site.offset = c.base + recordStart;
            return pos;
        }
        return -1;
    }

    private void csvInfer(Chunk c) {
        Src s = c.src;
        csvFor(s);
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
        recordLine = c.startLine;
        csvRecord = c.startRecord;
        int pos = 0;
        while (!pipeline.stop && (pos = nextCsvRecord(c, pos)) >= 0) {
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
            recordLine += csv.newlines;
        }
    }

    private void csvConvert(Chunk c) {
        Src s = c.src;
        csvFor(s);
        int cols = s.header.length;
        recordLine = c.startLine;
        csvRecord = c.startRecord;
        int pos = 0;
        while (!pipeline.stop && (pos = nextCsvRecord(c, pos)) >= 0) {
            int start = recordStart;
            pipeline.rowsRead.increment();
            if (csv.error != null) {
                bad(c, start, pos, csv.error, false);
            } else if (csv.count != cols) {
                bad(c, start, pos, "expected " + cols + " fields, found " + csv.count, false);
            } else {
                try {
                    Object[] row = new Object[pipeline.plan.names.length];
                    int[] map = s.colToField;
                    Plan[] kids = pipeline.plan.children;
                    for (int i = 0; i < cols; i++) {
                        int fi = map[i];
                        if (fi < 0) {
                            if (!csv.isNull(i)) {
                                throw BadRecord.misfit(
                                        "unknown column \""
                                                + s.header[i]
                                                + "\" (not in the schema)");
                            }
                            continue;
                        }
                        if (csv.isNull(i)) {
                            continue;
                        }
                        DataType.Kind kind = kids[fi].kind;
                        Object v =
                                kind == DataType.Kind.STRING ? csv.binary(i) : csv.quick(i, kind);
                        row[fi] =
                                v != null
                                        ? v
                                        : Values.fromText(
                                                csv.string(i), kids[fi], num, pipeline.exact);
                    }
                    emit(row);
                } catch (BadRecord br) {
                    bad(c, start, pos, br.getMessage(), br.misfit);
                }
            }
            recordLine += csv.newlines;
        }
    }

    private void avro(Chunk c) {
        long record = c.startRecord;
        for (GenericRecord r : c.records) {
            record++;
            pipeline.rowsRead.increment();
            site.line = record;
            site.record = record;
            site.offset = -1;
            try {
                emit(AvroRows.row(r, pipeline.plan));
            } catch (BadRecord br) {
                if (br.misfit && pipeline.allowRestart) {
                    throw new Pipeline.Restart(
                            c.src.name() + " record " + record + ": " + br.getMessage());
                }
                quarantine(c.src.name(), record, record, -1, r.toString(), br.getMessage());
            }
        }
    }

    private void emit(Object[] row) {
        if (pipeline.required != null) {
            for (int i = 0; i < pipeline.required.length; i++) {
                if (pipeline.required[i] && row[i] == null) {
                    throw BadRecord.misfit(
                            "required field \"" + pipeline.plan.names[i] + "\" is null or missing");
                }
            }
        }
        if (pipeline.nestedRequired != null) {
            pipeline.nestedRequired.check(row);
        }
        for (int i = 0; i < row.length; i++) {
            if (row[i] == null) {
                nulls[i]++;
            }
        }
        batch[batched++] = row;
        if (batched == Pipeline.BATCH) {
            flush();
        }
    }

    private void flush() {
        if (pipeline.mode != Pipeline.Mode.CONVERT || batched == 0) {
            return;
        }
        if (pipeline.shared != null) {
            synchronized (pipeline.shared.lock) {
                for (int i = 0; i < batched; i++) {
                    pipeline.shared.write(batch[i]);
                }
            }
        } else {
            if (roller == null) {
                roller = pipeline.rollers.apply(id);
                synchronized (pipeline.ownRollers) {
                    pipeline.ownRollers.add(roller);
                }
            }
            for (int i = 0; i < batched; i++) {
                roller.write(batch[i]);
            }
        }
        pipeline.rowsWritten.add(batched);
        Arrays.fill(batch, 0, batched, null);
        batched = 0;
    }

    private void bad(Chunk c, int from, int to, String reason, boolean misfit) {
        if (pipeline.mode != Pipeline.Mode.CONVERT) {
            return;
        }
        if (misfit && pipeline.allowRestart) {
            throw new Pipeline.Restart(site.describe() + ": " + reason);
        }
        int end = to;
        while (end > from && (c.buf[end - 1] == '\n' || c.buf[end - 1] == '\r')) {
            end--;
        }
        String raw = utf8.decode(c.buf, from, end - from, site.offset, c.src.name());
        quarantine(
                c.src.name(),
                site.line,
                site.record,
                site.offset,
                raw,
                misfit ? withConflict(c.src, reason) : reason);
    }

    /**
     * A misfit in a column whose type in this input the schema could not take says why it could
     * not.
     */
    private String withConflict(Src src, String reason) {
        if (src.conflicts.isEmpty() || !reason.startsWith("field \"")) {
            return reason;
        }
        int e = reason.indexOf("\": ", 7);
        String why = e < 0 ? null : src.conflicts.get(reason.substring(7, e));
        return why == null ? reason : reason + " (" + why + ")";
    }

    private void quarantine(
            String source, long line, long record, long offset, String raw, String reason) {
        long n = pipeline.quarantined.incrementAndGet();
        if (pipeline.quarantine == null) {
            throw new FormatException(
                    source
                            + " line "
                            + line
                            + ": "
                            + reason
                            + ". No bad record is allowed by default",
                    FormatException.Remedy.ERROR_BUDGET,
                    ": set Conversion.quarantine(...) and Conversion.errorBudget(...) to set bad records aside"
                            + " instead.");
        }
        pipeline.quarantine.write(source, line, record, offset, raw, reason);
        if (pipeline.budget.exceededByCount(n)) {
            throw new Pipeline.BudgetExceeded(
                    "error budget exceeded ("
                            + pipeline.budget
                            + "): "
                            + n
                            + " bad records, the last at "
                            + source
                            + " line "
                            + line
                            + ": "
                            + reason);
        }
    }
}
