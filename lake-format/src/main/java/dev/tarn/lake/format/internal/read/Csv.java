package dev.tarn.lake.format.internal.read;

import dev.tarn.lake.format.CsvOptions;
import dev.tarn.lake.format.internal.convert.Values;
import dev.tarn.lake.format.internal.infer.Temporal;
import java.util.Arrays;
import java.util.List;

/**
 * A byte-level CSV record parser (RFC 4180 plus what exports do). UTF-8 is ASCII-compatible, so
 * delimiters, quotes and line ends are found on bytes and only field contents are decoded. One
 * instance per worker.
 *
 * <p>Rules: records end at LF; a CR right before the LF is dropped (CRLF). A quote opens a quoted
 * field only at the start of a field; inside, the escape character (the quote itself by default,
 * i.e. {@code ""}) escapes a quote, and delimiters and line ends are data. An unquoted empty field
 * is null; a quoted empty field is the empty string. Empty lines are skipped. Characters between a
 * closing quote and the next delimiter make the record bad.
 */
public final class Csv {
    final byte delim, quote, escape;
    private final long wDelim, wQuote, wEscape;
    private static final long W_NL = Swar.broadcast((byte) '\n');
    private final boolean emptyAsNull;

    /** The comment character, or -1. */
    private final int comment;

    /**
     * Extra null tokens as UTF-8, or null when none are configured (the common case pays one null
     * test per field).
     */
    private final byte[][] nullTokens;

    private final Utf8 utf8 = new Utf8();
    private byte[] scratch = new byte[256];

    // result of the last parseRecord: per field, where its bytes are (record buffer or scratch) or
    // null
    private byte[] rec;
    private long recBase;
    private String source;
    private boolean[] fScratch = new boolean[32];
    private boolean[] fNull = new boolean[32];
    private int[] fStart = new int[32];
    private int[] fLen = new int[32];
    private int sw;

    /** Decoded fields, filled by {@link #strings()}. */
    public String[] fields = new String[32];

    public int count;

    /** LFs inside the record, including its terminator. */
    public int newlines;

    /** Non-null when the record is malformed. */
    public String error;

    public Csv(CsvOptions o) {
        this(
                (byte) (char) o.delimiter(),
                (byte) o.quote(),
                (byte) o.escape(),
                o.emptyStringsAsNull(),
                comment(o),
                o.nullValues());
    }

    public Csv(byte delim, byte quote, byte escape, boolean emptyAsNull) {
        this(delim, quote, escape, emptyAsNull, -1, List.of());
    }

    public Csv(
            byte delim,
            byte quote,
            byte escape,
            boolean emptyAsNull,
            int comment,
            List<String> nullValues) {
        this.comment = comment;
        byte[][] nt = null;
        for (String t : nullValues) {
            if (!t.isEmpty()) {
                nt = nt == null ? new byte[1][] : Arrays.copyOf(nt, nt.length + 1);
                nt[nt.length - 1] = t.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        this.nullTokens = nt;
        this.delim = delim;
        this.quote = quote;
        this.escape = escape;
        this.wDelim = Swar.broadcast(delim);
        this.wQuote = Swar.broadcast(quote);
        this.wEscape = Swar.broadcast(escape);
        this.emptyAsNull = emptyAsNull;
    }

    /** The comment character of {@code o} as a byte value, or -1. */
    public static int comment(CsvOptions o) {
        return o.comment() == null ? -1 : (byte) (char) o.comment();
    }

    private boolean isNullToken(byte[] b, int from, int len) {
        for (byte[] t : nullTokens) {
            if (t.length == len && Arrays.equals(t, 0, len, b, from, from + len)) {
                return true;
            }
        }
        return false;
    }

    public static Boolean parseBool(CharSequence s) {
        int n = s.length();
        if (n == 4
                && (s.charAt(0) | 0x20) == 't'
                && (s.charAt(1) | 0x20) == 'r'
                && (s.charAt(2) | 0x20) == 'u'
                && (s.charAt(3) | 0x20) == 'e') {
            return Boolean.TRUE;
        }
        if (n == 5
                && (s.charAt(0) | 0x20) == 'f'
                && (s.charAt(1) | 0x20) == 'a'
                && (s.charAt(2) | 0x20) == 'l'
                && (s.charAt(3) | 0x20) == 's'
                && (s.charAt(4) | 0x20) == 'e') {
            return Boolean.FALSE;
        }
        return null;
    }

    /**
     * Parses the record at {@code pos}; returns the position after it (after its LF, or {@code
     * end}). Empty lines give {@code count == 0}. {@code base} is the input offset of {@code b[0]}.
     * Field contents are decoded lazily ({@link #string}, {@link #binary}, {@link #strings}).
     */
    public int parseRecord(byte[] b, int pos, int end, long base, String source) {
        count = 0;
        newlines = 0;
        error = null;
        rec = b;
        recBase = base;
        this.source = source;
        sw = 0;
        int i = pos;
        if (i < end && b[i] == '\n') {
            newlines = 1;
            return i + 1;
        }
        if (i + 1 < end && b[i] == '\r' && b[i + 1] == '\n') {
            newlines = 1;
            return i + 2;
        }
        if (comment >= 0 && i < end && b[i] == comment) {
            // a comment line reads like an empty one: no fields, one line
            int nl = Swar.indexOfNewline(b, i, end);
            if (nl >= end) {
                return end;
            }
            newlines = 1;
            return nl + 1;
        }
        while (true) {
            // one field starting at i
            if (i < end && b[i] == quote) {
                int start = ++i;
                int w0 = sw;
                int w = sw;
                boolean closed = false;
                boolean copied = false;
                while (i < end) {
                    if (!copied) {
                        // nothing to copy yet: jump to the next quote, escape or line end
                        i = Swar.indexOfAny(b, i, end, wQuote, wEscape, W_NL);
                        if (i >= end) {
                            break;
                        }
                    }
                    byte c = b[i];
                    if (c == escape && escape != quote && i + 1 < end) {
                        if (!copied) {
                            w = copyInto(b, start, i - start, w0);
                            copied = true;
                        }
                        byte nx = b[i + 1];
                        if (nx == '\n') {
                            newlines++;
                        }
                        w = put(w, nx);
                        i += 2;
                        continue;
                    }
                    if (c == quote) {
                        if (escape == quote && i + 1 < end && b[i + 1] == quote) {
                            if (!copied) {
                                w = copyInto(b, start, i - start, w0);
                                copied = true;
                            }
                            w = put(w, quote);
                            i += 2;
                            continue;
                        }
                        closed = true;
                        break;
                    }
                    if (c == '\n') {
                        newlines++;
                    }
                    if (copied) {
                        w = put(w, c);
                    }
                    i++;
                }
                if (!closed) {
                    error =
                            "unterminated quoted field (a quote opened and never closed before the end of input)";
                    count = 0;
                    return end;
                }
                if (copied) {
                    add(true, w0, w - w0, false);
                    sw = w;
                } else {
                    add(false, start, i - start, emptyAsNull && i == start);
                }
                i++; // closing quote
                if (i < end
                        && b[i] != delim
                        && b[i] != '\n'
                        && !(b[i] == '\r' && i + 1 < end && b[i + 1] == '\n')
                        && !(b[i] == '\r' && i + 1 == end)) {
                    if (error == null) {
                        error =
                                "unexpected character '"
                                        + (char) (b[i] & 0xff)
                                        + "' after a closing quote in field "
                                        + count;
                    }
                    while (i < end && b[i] != delim && b[i] != '\n') {
                        i++;
                    }
                }
            } else {
                int start = i;
                i = Swar.indexOfAny(b, i, end, wDelim, W_NL, W_NL);
                int stop = i;
                if (stop > start && (i == end || b[i] == '\n') && b[stop - 1] == '\r') {
                    stop--;
                }
                add(
                        false,
                        start,
                        stop - start,
                        stop == start || nullTokens != null && isNullToken(b, start, stop - start));
            }
            if (i >= end) {
                return end;
            }
            if (b[i] == delim) {
                i++;
                continue;
            }
            if (b[i] == '\r') {
                i++;
            }
            if (i < end && b[i] == '\n') {
                newlines++;
                return i + 1;
            }
            return i;
        }
    }

    private void add(boolean scratchField, int start, int len, boolean isNull) {
        if (count == fStart.length) {
            int n = count * 2;
            fScratch = Arrays.copyOf(fScratch, n);
            fNull = Arrays.copyOf(fNull, n);
            fStart = Arrays.copyOf(fStart, n);
            fLen = Arrays.copyOf(fLen, n);
        }
        fScratch[count] = scratchField;
        fNull[count] = isNull;
        fStart[count] = start;
        fLen[count] = len;
        count++;
    }

    public boolean isNull(int i) {
        return fNull[i];
    }

    /** Field {@code i} as text (null for NULL); invalid UTF-8 fails naming the offset. */
    public String string(int i) {
        if (fNull[i]) {
            return null;
        }
        return fScratch[i]
                ? utf8.decode(scratch, fStart[i], fLen[i], recBase, source)
                : utf8.decode(rec, fStart[i], fLen[i], recBase + fStart[i], source);
    }

    /**
     * Field {@code i} as a value of {@code kind} straight from its bytes when it has the common
     * canonical shape (plain integer, short plain decimal, ISO date or timestamp), or null: then
     * the text path decides, with the same result for these shapes. Saves decoding most numeric and
     * temporal fields to a String first.
     */
    public Object quick(int i, dev.tarn.lake.types.DataType.Kind kind) {
        byte[] src = fScratch[i] ? scratch : rec;
        int from = fStart[i];
        int len = fLen[i];
        switch (kind) {
            case INT:
                {
                    long v = Values.canonicalLong(src, from, len);
                    return v != Values.NO_LONG && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE
                            ? (Object) (int) v
                            : null;
                }
            case LONG:
                {
                    long v = Values.canonicalLong(src, from, len);
                    return v != Values.NO_LONG ? (Object) v : null;
                }
            case DOUBLE:
                {
                    if (len > 17) {
                        return null;
                    }
                    double d = NumText.simpleDouble(src, from, from + len);
                    return Double.isNaN(d) ? null : (Object) d;
                }
            case DATE:
            case TIMESTAMP:
            case TIMESTAMP_NTZ:
                {
                    if (len < 10 || len > 40) {
                        return null;
                    }
                    long v =
                            kind == dev.tarn.lake.types.DataType.Kind.DATE
                                    ? Temporal.parseDate(src, from, len)
                                    : kind == dev.tarn.lake.types.DataType.Kind.TIMESTAMP
                                            ? Temporal.parseTimestampTz(src, from, len)
                                            : Temporal.parseTimestampLocal(src, from, len);
                    if (v == Temporal.FAIL) {
                        return null;
                    }
                    return kind == dev.tarn.lake.types.DataType.Kind.DATE
                            ? (Object) (int) v
                            : (Object) v;
                }
            default:
                return null;
        }
    }

    /**
     * Field {@code i} as UTF-8 bytes for Parquet (validated; valid until the record's buffer is
     * reused), or null.
     */
    public org.apache.parquet.io.api.Binary binary(int i) {
        if (fNull[i]) {
            return null;
        }
        byte[] src = fScratch[i] ? scratch : rec;
        int from = fStart[i], len = fLen[i];
        for (int k = from, e = from + len; k < e; k++) {
            if (src[k] < 0) {
                utf8.validate(src, from, len, fScratch[i] ? recBase : recBase + from, source);
                break;
            }
        }
        if (fScratch[i]) {
            return org.apache.parquet.io.api.Binary.fromConstantByteArray(
                    Arrays.copyOfRange(src, from, from + len));
        }
        // points into the chunk buffer, which the worker writes out before reusing it; Parquet
        // copies what it keeps
        return org.apache.parquet.io.api.Binary.fromReusedByteArray(src, from, len);
    }

    /** Decodes every field into {@link #fields}. */
    public String[] strings() {
        if (fields.length < count) {
            fields = new String[fStart.length];
        }
        for (int i = 0; i < count; i++) {
            fields[i] = string(i);
        }
        return fields;
    }

    private int copyInto(byte[] b, int off, int len, int w) {
        ensure(w + len + 1);
        System.arraycopy(b, off, scratch, w, len);
        return w + len;
    }

    private int put(int w, byte c) {
        ensure(w + 1);
        scratch[w] = c;
        return w + 1;
    }

    private void ensure(int n) {
        if (n > scratch.length) {
            scratch = Arrays.copyOf(scratch, Math.max(n, scratch.length * 2));
        }
    }

    // ------------------------------------------------------------------ chunk boundaries

    /** Result of {@link #scan}: the last record boundary and what lies before it. */
    public static final class Scan {
        public int boundary;
        public long lines;
        public long records;
    }

    /**
     * Scans {@code b[start, end)} (which begins at a record boundary) with the same quoting rules
     * as the parser and finds the end of the last complete record. Counts LFs and non-empty records
     * before it.
     */
    public static void scan(
            byte[] b, int start, int end, byte delim, byte quote, byte escape, Scan out) {
        scan(b, start, end, delim, quote, escape, -1, out);
    }

    /**
     * As above; lines starting with {@code comment} (when not -1) are neither records nor quoting
     * context.
     */
    public static void scan(
            byte[] b,
            int start,
            int end,
            byte delim,
            byte quote,
            byte escape,
            int comment,
            Scan out) {
        boolean inQuote = false, fieldStart = true, nonEmpty = false;
        long lines = 0, records = 0, linesAtB = 0, recordsAtB = 0;
        int boundary = start;
        long wNl = Swar.broadcast((byte) '\n'),
                wD = Swar.broadcast(delim),
                wQ = Swar.broadcast(quote),
                wE = Swar.broadcast(escape);
        for (int i = start; i < end; i++) {
            if (comment >= 0 && i == boundary && b[i] == comment) {
                int nl = Swar.indexOfNewline(b, i, end);
                if (nl >= end) {
                    break;
                }
                lines++;
                i = nl;
                boundary = nl + 1;
                linesAtB = lines;
                recordsAtB = records;
                continue;
            }
            // skip runs of bytes that cannot change the state
            int j =
                    inQuote
                            ? Swar.indexOfAny(b, i, end, wQ, wE, wNl)
                            : Swar.indexOfAny(b, i, end, wNl, wD, wQ);
            if (j > i) {
                if (!inQuote && !(j == i + 1 && b[i] == '\r')) {
                    fieldStart = false;
                    nonEmpty = true;
                }
                i = j;
                if (i >= end) {
                    break;
                }
            }
            byte c = b[i];
            if (inQuote) {
                if (c == '\n') {
                    lines++;
                } else if (c == escape && escape != quote) {
                    i++;
                    if (i < end && b[i] == '\n') {
                        lines++;
                    }
                } else if (c == quote) {
                    if (escape == quote && i + 1 < end && b[i + 1] == quote) {
                        i++;
                    } else {
                        inQuote = false;
                    }
                }
                continue;
            }
            if (c == '\n') {
                lines++;
                if (nonEmpty) {
                    records++;
                }
                nonEmpty = false;
                fieldStart = true;
                boundary = i + 1;
                linesAtB = lines;
                recordsAtB = records;
            } else if (c == delim) {
                fieldStart = true;
                nonEmpty = true;
            } else if (c == quote && fieldStart) {
                inQuote = true;
                fieldStart = false;
                nonEmpty = true;
            } else if (c != '\r') {
                fieldStart = false;
                nonEmpty = true;
            }
        }
        out.boundary = boundary;
        out.lines = linesAtB;
        out.records = recordsAtB;
    }
}
