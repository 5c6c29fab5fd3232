package dev.tarn.lake.format.internal.read;

import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** A unit of work handed from the reading thread to a worker. */
public final class Chunk {
    public static final int NDJSON = 0, CSV = 1, SPANS = 2, AVRO = 3, POISON = 4;
    public static final Chunk END = new Chunk(POISON, null, -1);

    /**
     * The longest record read at all: a longer one is an error (often a quote left open), not a
     * memory blow-up.
     */
    public static final int MAX_RECORD = 64 << 20;

    public final int kind;
    public final Src src;
    public final long seq;
    public byte[] buf;
    public int len;

    /** Input offset of buf[0]. */
    public long base;

    public long startLine;
    public long startRecord;
    public boolean pooled;

    /** The first chunk of its input. */
    public boolean first;

    // SPANS
    public int spans;
    public int[] spanStart;
    public int[] spanEnd;
    public long[] spanLine;
    public long[] spanRecord;
    public long[] spanOffset;
    public String[] spanError;

    // AVRO
    public List<GenericRecord> records;

    public Chunk(int kind, Src src, long seq) {
        this.kind = kind;
        this.src = src;
        this.seq = seq;
    }

    public void addSpan(int start, int end, long line, long record, long offset, String error) {
        if (spanStart == null) {
            int n = 256;
            spanStart = new int[n];
            spanEnd = new int[n];
            spanLine = new long[n];
            spanRecord = new long[n];
            spanOffset = new long[n];
            spanError = new String[n];
        } else if (spans == spanStart.length) {
            int n = spans * 2;
            spanStart = java.util.Arrays.copyOf(spanStart, n);
            spanEnd = java.util.Arrays.copyOf(spanEnd, n);
            spanLine = java.util.Arrays.copyOf(spanLine, n);
            spanRecord = java.util.Arrays.copyOf(spanRecord, n);
            spanOffset = java.util.Arrays.copyOf(spanOffset, n);
            spanError = java.util.Arrays.copyOf(spanError, n);
        }
        spanStart[spans] = start;
        spanEnd[spans] = end;
        spanLine[spans] = line;
        spanRecord[spans] = record;
        spanOffset[spans] = offset;
        spanError[spans] = error;
        spans++;
    }
}
