package dev.tarn.lake.format.internal.read;

import dev.tarn.lake.format.internal.convert.BadRecord;
import dev.tarn.lake.format.internal.convert.Plan;
import dev.tarn.lake.format.internal.convert.Values;
import dev.tarn.lake.format.internal.infer.Temporal;
import dev.tarn.lake.format.internal.infer.TypeAcc;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.parquet.io.api.Binary;

/**
 * A JSON record reader working on UTF-8 bytes, one record (an NDJSON line, an array element) at a
 * time: it infers types ({@link #infer}) and converts records to rows ({@link #read}),
 * schema-directed, with text going to Parquet as the input's own bytes. Syntax errors, non-object
 * records, duplicate keys and nesting deeper than {@link #MAX_DEPTH} are bad records; values that
 * do not fit the schema are misfits. Invalid UTF-8 inside strings is an error naming the byte
 * offset. JSON strings are never read as numbers, only as text, dates or timestamps. One instance
 * per worker.
 *
 * <p>Over 500 lines on purpose: inference, conversion and the compact text of nested values all
 * walk the record with one byte cursor ({@code b}, {@code pos}, {@code end}) and its primitives
 * (white space, strings, numbers, syntax errors). Split into classes, each part would either repeat
 * those primitives or reach the cursor through calls and shared state in the module's hottest loop
 * (parsing is over a third of a JSON conversion's time, see docs/benchmarks.md); kept together, the
 * JIT sees the cursor as fields of one object.
 */
public final class FastJson {
    private static final int MAX_NUMBER = 1000;

    /** Records nested deeper than this are bad records. */
    static final int MAX_DEPTH = 64;

    /**
     * What each one-letter escape stands for, indexed by its letter (0 where the letter is none).
     */
    private static final byte[] SIMPLE_ESCAPES = new byte[128];

    static {
        String letters = "\"\\/bfnrt", meaning = "\"\\/\b\f\n\r\t";
        for (int i = 0; i < letters.length(); i++) {
            SIMPLE_ESCAPES[letters.charAt(i)] = (byte) meaning.charAt(i);
        }
    }

    private final Plan root;
    private final boolean exact;
    private final NumText num = new NumText();
    private final Utf8 utf8 = new Utf8();
    private final Ascii ascii = new Ascii();
    private byte[] b;
    private int pos;
    private int end;
    private int start;
    private long base;
    private String source;
    private byte[] tmp = new byte[256];

    /**
     * The most fields an object (and the objects observed into one accumulator together) may have:
     * beyond it the conversion fails, before inference holds an accumulator per field (200,000 keys
     * took 6 GB).
     */
    public int maxColumns = Integer.MAX_VALUE;

    public FastJson(Plan root, boolean exact) {
        this.root = root;
        this.exact = exact;
    }

    /**
     * Reads the record in {@code buf[from, to)}; {@code base} is the input offset of {@code
     * buf[from]}.
     */
    public Object[] read(byte[] buf, int from, int to, long base, String source) {
        this.b = buf;
        this.pos = from;
        this.end = to;
        this.start = from;
        this.base = base;
        this.source = source;
        ws();
        if (pos >= end) {
            throw syntax("empty record");
        }
        byte c = b[pos];
        if (c != '{') {
            String what =
                    c == '['
                            ? "an array"
                            : c == '"'
                                    ? "a string"
                                    : c == 't' || c == 'f'
                                            ? "a boolean"
                                            : c == 'n'
                                                    ? "null"
                                                    : c == '-' || (c >= '0' && c <= '9')
                                                            ? "a number"
                                                            : null;
            if (what == null) {
                throw syntax("unexpected character " + show(c));
            }
            throw BadRecord.bad("record is not a JSON object but " + what);
        }
        pos++;
        Object[] row = struct(root, 0);
        ws();
        if (pos < end) {
            throw BadRecord.bad(
                    "unexpected content after the JSON object at column " + (pos - start + 1));
        }
        return row;
    }

    // ------------------------------------------------------------------ inference

    /**
     * Observes the record in {@code buf[from, to)} into {@code acc} (the record struct's
     * accumulator). Bad records throw {@link BadRecord} and should be skipped by the caller: the
     * conversion quarantines them.
     */
    public void infer(
            byte[] buf, int from, int to, long base, String source, TypeAcc acc, Site site) {
        this.b = buf;
        this.pos = from;
        this.end = to;
        this.start = from;
        this.base = base;
        this.source = source;
        ws();
        if (pos >= end || b[pos] != '{') {
            throw BadRecord.bad("record is not a JSON object");
        }
        observe(acc, site, 0);
        ws();
        if (pos < end) {
            throw BadRecord.bad("unexpected content after the JSON object");
        }
    }

    /**
     * After a member or element during inference: true when a ',' follows (another one comes),
     * false at {@code close}; anything else is a syntax error.
     */
    private boolean another(char close) {
        ws();
        byte d = peek();
        pos++;
        if (d == ',') {
            return true;
        }
        if (d == close) {
            return false;
        }
        pos--;
        throw syntax("expected ',' or '" + close + "'");
    }

    private void observe(TypeAcc acc, Site site, int depth) {
        byte c = peek();
        switch (c) {
            case 'n':
                literal("null");
                acc.observeNull();
                return;
            case 't':
                literal("true");
                acc.observeBool("true", site);
                return;
            case 'f':
                literal("false");
                acc.observeBool("false", site);
                return;
            case '"':
                {
                    pos++;
                    int s = pos;
                    int i = s;
                    boolean asciiOnly = true;
                    while (i < end && b[i] != '"' && b[i] != '\\' && (b[i] < 0 || b[i] >= 0x20)) {
                        if (b[i] < 0) {
                            asciiOnly = false;
                        }
                        i++;
                    }
                    String text;
                    if (i < end && b[i] == '"') {
                        pos = i + 1;
                        if (asciiOnly) {
                            acc.observeAscii(b, s, i - s, ascii.of(b, s, i - s), site);
                            return;
                        }
                        text = utf8.decode(b, s, i - s, base + (s - start), source);
                    } else {
                        int len = unescape();
                        text = new String(tmp, 0, len, StandardCharsets.UTF_8);
                    }
                    acc.observeString(text, site);
                    return;
                }
            case '{':
                {
                    pos++;
                    if (depth >= MAX_DEPTH) {
                        throw BadRecord.bad("nesting deeper than " + MAX_DEPTH + " levels");
                    }
                    acc.beginStruct(site);
                    ws();
                    if (peek() == '}') {
                        pos++;
                        return;
                    }
                    while (true) {
                        ws();
                        if (peek() != '"') {
                            throw syntax("expected a field name");
                        }
                        pos++;
                        String key = stringValue();
                        if (key.isEmpty()) {
                            throw BadRecord.bad(EMPTY_KEY);
                        }
                        TypeAcc f = acc.field(key);
                        if (acc.fields.size() - (acc.aliases == null ? 0 : acc.aliases.size())
                                > maxColumns) {
                            throw new dev.tarn.lake.exceptions.FormatException(
                                    (site != null ? site.describe() : source)
                                            + ": more than "
                                            + maxColumns
                                            + " fields ("
                                            + (acc.path.isEmpty() ? "columns" : "in " + acc.path)
                                            + "), the column limit (raise it with --max-columns)");
                        }
                        ws();
                        if (peek() != ':') {
                            throw syntax("expected ':'");
                        }
                        pos++;
                        ws();
                        observe(f, site, depth + 1);
                        if (!another('}')) {
                            return;
                        }
                    }
                }
            case '[':
                {
                    pos++;
                    if (depth >= MAX_DEPTH) {
                        throw BadRecord.bad("nesting deeper than " + MAX_DEPTH + " levels");
                    }
                    TypeAcc e = acc.beginList(site);
                    ws();
                    if (peek() == ']') {
                        pos++;
                        return;
                    }
                    while (true) {
                        ws();
                        observe(e, site, depth + 1);
                        if (!another(']')) {
                            return;
                        }
                    }
                }
            default:
                {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        int s = pos;
                        skipNumber();
                        CharSequence text = ascii.of(b, s, pos - s);
                        if (num.analyze(text) == NumText.NOT_A_NUMBER) {
                            acc.observeString(text, site); // -0 stays text
                        } else {
                            acc.observeNumber(num, text, site);
                        }
                        return;
                    }
                    throw syntax("unexpected character " + show(c));
                }
        }
    }

    // ------------------------------------------------------------------ structure

    private Object[] struct(Plan plan, int depth) {
        if (depth >= MAX_DEPTH) {
            throw BadRecord.bad("nesting deeper than " + MAX_DEPTH + " levels");
        }
        String[] names = plan.names;
        byte[][] nameBytes = plan.nameBytes();
        int n = names.length;
        Object[] row = new Object[n];
        long seen = 0;
        boolean[] seenWide = n > 64 ? new boolean[n] : null;
        int guess = 0;
        boolean loose = false;
        ws();
        if (peek() == '}') {
            pos++;
            return row;
        }
        while (true) {
            ws();
            if (peek() != '"') {
                throw syntax("expected a field name");
            }
            pos++;
            looseKey = null;
            int i = fieldIndex(plan, nameBytes, guess);
            loose |= looseKey != null;
            ws();
            if (peek() != ':') {
                throw syntax("expected ':'");
            }
            pos++;
            ws();
            if (seenWide == null) {
                long bit = 1L << i;
                if ((seen & bit) != 0) {
                    throw duplicate(plan, i, loose);
                }
                seen |= bit;
            } else {
                if (seenWide[i]) {
                    throw duplicate(plan, i, loose);
                }
                seenWide[i] = true;
            }
            row[i] = value(plan.children[i], depth + 1);
            guess = i + 1;
            ws();
            byte c = peek();
            pos++;
            if (c == ',') {
                continue;
            }
            if (c == '}') {
                return row;
            }
            pos--;
            throw syntax("expected ',' or '}'");
        }
    }

    /**
     * Reads a field name (after its opening quote) and finds it in the plan; unknown names are
     * misfits.
     */
    private int fieldIndex(Plan plan, byte[][] nameBytes, int guess) {
        int s = pos;
        int i = s;
        boolean plain = true;
        while (i < end) {
            byte c = b[i];
            if (c == '"') {
                break;
            }
            if (c == '\\' || c < 0x20) {
                plain = false;
                break;
            }
            i++;
        }
        if (plain && i < end) {
            int len = i - s;
            pos = i + 1;
            if (len == 0) {
                throw BadRecord.bad(EMPTY_KEY);
            }
            if (guess < nameBytes.length && equal(nameBytes[guess], s, len)) {
                return guess;
            }
            for (int k = 0; k < nameBytes.length; k++) {
                if (equal(nameBytes[k], s, len)) {
                    return k;
                }
            }
            String name = utf8.decode(b, s, len, base + (s - start), source);
            int k = plan.indexOf(name);
            if (k < 0) {
                throw unknown(plan, name);
            }
            looseKey = name; // the same column spelled in another case
            return k;
        }
        String name = stringValue();
        int k = plan.indexOf(name);
        if (k < 0) {
            throw unknown(plan, name);
        }
        if (!name.equals(plan.names[k])) {
            looseKey = name;
        }
        return k;
    }

    /** Why a record with an empty key is bad: a column needs a name. */
    static final String EMPTY_KEY = "an empty key (\"\") cannot name a column";

    /**
     * The key last read by {@link #fieldIndex} when it matched a field spelled in another case,
     * else null.
     */
    private String looseKey;

    private BadRecord duplicate(Plan plan, int i, boolean loose) {
        if (!loose) {
            return BadRecord.bad("duplicate key \"" + plan.names[i] + "\" in " + plan.describe());
        }
        return BadRecord.bad(
                "keys \""
                        + plan.names[i]
                        + "\" and \""
                        + (looseKey != null ? looseKey : plan.names[i])
                        + "\" in "
                        + plan.describe()
                        + " differ only in case (column names must be unique regardless of case)");
    }

    private static BadRecord unknown(Plan plan, String name) {
        return BadRecord.misfit(
                "unknown field \""
                        + (plan.path.isEmpty() ? name : plan.path + "." + name)
                        + "\" (not in the schema)");
    }

    private boolean equal(byte[] name, int s, int len) {
        return name.length == len && Swar.equal(name, 0, b, s, len);
    }

    private Object value(Plan plan, int depth) {
        if (pos >= end) {
            throw syntax("unexpected end of record");
        }
        byte c = b[pos];
        switch (c) {
            case 'n':
                literal("null");
                return null;
            case 't':
                literal("true");
                return bool(plan, true);
            case 'f':
                literal("false");
                return bool(plan, false);
            case '"':
                pos++;
                return string(plan);
            case '{':
                pos++;
                if (plan.kind == dev.tarn.lake.types.DataType.Kind.STRUCT) {
                    return struct(plan, depth);
                }
                if (plan.kind == dev.tarn.lake.types.DataType.Kind.MAP) {
                    return map(plan, depth);
                }
                if (plan.kind == dev.tarn.lake.types.DataType.Kind.STRING) {
                    return compact('{', depth);
                }
                throw BadRecord.misfit(plan.describe() + ": an object does not fit " + plan.type);
            case '[':
                pos++;
                if (plan.kind == dev.tarn.lake.types.DataType.Kind.LIST) {
                    return list(plan, depth);
                }
                if (plan.kind == dev.tarn.lake.types.DataType.Kind.STRING) {
                    return compact('[', depth);
                }
                throw BadRecord.misfit(plan.describe() + ": an array does not fit " + plan.type);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number(plan);
                }
                throw syntax("unexpected character " + show(c));
        }
    }

    /** An object (after its brace) as map entries {@code {key, value}}, in the order written. */
    private Object[] map(Plan plan, int depth) {
        if (depth >= MAX_DEPTH) {
            throw BadRecord.bad("nesting deeper than " + MAX_DEPTH + " levels");
        }
        Object[] buf = new Object[8];
        int n = 0;
        java.util.HashSet<String> keys = new java.util.HashSet<>();
        ws();
        if (peek() == '}') {
            pos++;
            return new Object[0];
        }
        while (true) {
            ws();
            if (peek() != '"') {
                throw syntax("expected a field name");
            }
            pos++;
            String key = stringValue();
            if (!keys.add(key)) {
                throw BadRecord.bad("duplicate key \"" + key + "\" in " + plan.describe());
            }
            ws();
            if (peek() != ':') {
                throw syntax("expected ':'");
            }
            pos++;
            ws();
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = new Object[] {key, value(plan.element, depth + 1)};
            ws();
            byte c = peek();
            pos++;
            if (c == ',') {
                continue;
            }
            if (c == '}') {
                return n == buf.length ? buf : Arrays.copyOf(buf, n);
            }
            pos--;
            throw syntax("expected ',' or '}'");
        }
    }

    private Object[] list(Plan plan, int depth) {
        if (depth >= MAX_DEPTH) {
            throw BadRecord.bad("nesting deeper than " + MAX_DEPTH + " levels");
        }
        Object[] buf = new Object[8];
        int n = 0;
        ws();
        if (peek() == ']') {
            pos++;
            return new Object[0];
        }
        while (true) {
            ws();
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = value(plan.element, depth + 1);
            ws();
            byte c = peek();
            pos++;
            if (c == ',') {
                continue;
            }
            if (c == ']') {
                return n == buf.length ? buf : Arrays.copyOf(buf, n);
            }
            pos--;
            throw syntax("expected ',' or ']'");
        }
    }

    private Object bool(Plan plan, boolean v) {
        switch (plan.kind) {
            case BOOLEAN:
                return v;
            case STRING:
                return v ? "true" : "false";
            default:
                throw BadRecord.misfit(plan.describe() + ": " + v + " does not fit " + plan.type);
        }
    }

    // ------------------------------------------------------------------ strings

    /** A string value (after its opening quote) converted to the plan's type. */
    private Object string(Plan plan) {
        int s = pos;
        int i = Swar.skipPlainString(b, s, end);
        boolean asciiOnly = true;
        while (i < end) {
            byte c = b[i];
            if (c == '"' || c == '\\' || (c >= 0 && c < 0x20)) {
                break;
            }
            if (c < 0) {
                asciiOnly = false;
            }
            i++;
        }
        byte[] src;
        int off;
        int len;
        if (i < end && b[i] == '"') {
            if (!asciiOnly) {
                utf8.validate(b, s, i - s, base + (s - start), source);
            }
            src = b;
            off = s;
            len = i - s;
            pos = i + 1;
        } else {
            len = unescape();
            src = tmp;
            off = 0;
            asciiOnly = false;
        }
        switch (plan.kind) {
            case STRING:
                // input bytes are referenced, not copied: the worker writes the row before the
                // chunk is reused
                return src == b
                        ? Binary.fromReusedByteArray(src, off, len)
                        : Binary.fromConstantByteArray(Arrays.copyOfRange(src, off, off + len));
            case DATE:
                {
                    long d = Temporal.parseDate(src, off, len);
                    if (d != Temporal.FAIL) {
                        return (int) d;
                    }
                    break;
                }
            case TIMESTAMP:
                {
                    long v = Temporal.parseTimestampTz(src, off, len);
                    if (v != Temporal.FAIL) {
                        return v;
                    }
                    break;
                }
            case TIMESTAMP_NTZ:
                {
                    long v = Temporal.parseTimestampLocal(src, off, len);
                    if (v != Temporal.FAIL) {
                        return v;
                    }
                    break;
                }
            case BINARY:
                try {
                    return java.util.Base64.getDecoder()
                            .decode(Arrays.copyOfRange(src, off, off + len));
                } catch (IllegalArgumentException e) {
                    throw BadRecord.misfit(plan.describe() + ": not base64: " + e.getMessage());
                }
            default:
                break;
        }
        String shown =
                new String(src, off, Math.min(len, 40), StandardCharsets.UTF_8)
                        + (len > 40 ? "..." : "");
        throw BadRecord.misfit(plan.describe() + ": \"" + shown + "\" does not fit " + plan.type);
    }

    /** A string (after its opening quote) as Java text. */
    private String stringValue() {
        int s = pos;
        int i = s;
        while (i < end && b[i] != '"' && b[i] != '\\' && (b[i] < 0 || b[i] >= 0x20)) {
            i++;
        }
        if (i < end && b[i] == '"') {
            pos = i + 1;
            return utf8.decode(b, s, i - s, base + (s - start), source);
        }
        int len = unescape();
        return new String(tmp, 0, len, StandardCharsets.UTF_8);
    }

    /**
     * Decodes a string with escapes (from its first byte after the quote) into {@link #tmp};
     * returns its length.
     */
    private int unescape() {
        int w = 0;
        int s = pos;
        while (true) {
            if (pos >= end) {
                throw syntax("unterminated string");
            }
            byte c = b[pos];
            if (c == '"') {
                pos++;
                break;
            }
            if (c >= 0 && c < 0x20) {
                throw syntax("control character in a string");
            }
            if (c != '\\') {
                w = put(w, c);
                pos++;
                continue;
            }
            if (pos + 1 >= end) {
                throw syntax("unterminated string");
            }
            byte e = b[pos + 1];
            pos += 2;
            byte simple = e >= 0 ? SIMPLE_ESCAPES[e] : 0;
            if (simple != 0) {
                w = put(w, simple);
                continue;
            }
            switch (e) {
                case 'u':
                    {
                        int cp = hex4();
                        if (cp >= 0xD800 && cp <= 0xDBFF) {
                            if (pos + 1 < end && b[pos] == '\\' && b[pos + 1] == 'u') {
                                pos += 2;
                                int lo = hex4();
                                if (lo < 0xDC00 || lo > 0xDFFF) {
                                    throw BadRecord.bad(
                                            "a \\u escape is a lone surrogate, not a character");
                                }
                                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                            } else {
                                throw BadRecord.bad(
                                        "a \\u escape is a lone surrogate, not a character");
                            }
                        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                            throw BadRecord.bad(
                                    "a \\u escape is a lone surrogate, not a character");
                        }
                        w = putCodePoint(w, cp);
                        break;
                    }
                default:
                    pos -= 1;
                    throw syntax("invalid escape \\" + (char) (e & 0xff));
            }
        }
        // validate the raw (non-escape) bytes once
        utf8.validate(tmp, 0, w, base + (s - start), source);
        return w;
    }

    private int hex4() {
        if (pos + 4 > end) {
            throw syntax("truncated \\u escape");
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(b[pos + k], 16);
            if (d < 0) {
                throw syntax("invalid \\u escape");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return v;
    }

    private int putCodePoint(int w, int cp) {
        if (cp < 0x80) {
            return put(w, (byte) cp);
        }
        if (cp < 0x800) {
            w = put(w, (byte) (0xC0 | (cp >> 6)));
            return put(w, (byte) (0x80 | (cp & 0x3F)));
        }
        if (cp < 0x10000) {
            w = put(w, (byte) (0xE0 | (cp >> 12)));
            w = put(w, (byte) (0x80 | ((cp >> 6) & 0x3F)));
            return put(w, (byte) (0x80 | (cp & 0x3F)));
        }
        w = put(w, (byte) (0xF0 | (cp >> 18)));
        w = put(w, (byte) (0x80 | ((cp >> 12) & 0x3F)));
        w = put(w, (byte) (0x80 | ((cp >> 6) & 0x3F)));
        return put(w, (byte) (0x80 | (cp & 0x3F)));
    }

    private int put(int w, byte c) {
        if (w == tmp.length) {
            tmp = Arrays.copyOf(tmp, w * 2);
        }
        tmp[w] = c;
        return w + 1;
    }

    // ------------------------------------------------------------------ numbers

    // grammar facts of the last scanned number
    private int nIntStart;
    private int nIntDigits;
    private boolean nInteger;
    private boolean nExponent;

    /** Checks the JSON number grammar from {@code pos}; returns the index after the number. */
    private int scanNumber() {
        int s = pos;
        int i = s;
        if (b[i] == '-') {
            i++;
        }
        int intStart = i;
        if (i < end && b[i] == '0') {
            i++;
        } else if (i < end && b[i] >= '1' && b[i] <= '9') {
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
        } else {
            pos = i;
            throw syntax("invalid number");
        }
        int intDigits = i - intStart;
        boolean integer = true;
        boolean exponent = false;
        if (i < end && b[i] == '.') {
            integer = false;
            i++;
            int f = i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == f) {
                pos = i;
                throw syntax("invalid number");
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            integer = false;
            exponent = true;
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int e = i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == e) {
                pos = i;
                throw syntax("invalid number");
            }
        }
        if (i < end && b[i] >= '0' && b[i] <= '9') {
            pos = i;
            throw syntax("leading zeros are not allowed");
        }
        if (i - s > MAX_NUMBER) {
            throw syntax("number longer than " + MAX_NUMBER + " characters");
        }
        nIntStart = intStart;
        nIntDigits = intDigits;
        nInteger = integer;
        nExponent = exponent;
        return i;
    }

    /** Moves past a number, checking its grammar. */
    private void skipNumber() {
        pos = scanNumber();
    }

    private Object number(Plan plan) {
        int s = pos;
        int i = scanNumber();
        int intStart = nIntStart;
        int intDigits = nIntDigits;
        boolean integer = nInteger;
        boolean exponent = nExponent;
        int len = i - s;
        pos = i;
        boolean neg = b[s] == '-';
        switch (plan.kind) {
            case INT:
            case LONG:
                if (integer && intDigits <= 18) {
                    if (exact && neg && intDigits == 1 && b[intStart] == '0') {
                        break; // -0 is kept as text by inference
                    }
                    long v = 0;
                    for (int k = intStart; k < i; k++) {
                        v = v * 10 + (b[k] - '0');
                    }
                    v = neg ? -v : v;
                    if (plan.kind == dev.tarn.lake.types.DataType.Kind.LONG) {
                        return v;
                    }
                    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                        return (int) v;
                    }
                } else if (integer
                        && intDigits == 19
                        && plan.kind == dev.tarn.lake.types.DataType.Kind.LONG) {
                    try {
                        return Long.parseLong(new String(b, s, len, StandardCharsets.ISO_8859_1));
                    } catch (NumberFormatException e) {
                        break;
                    }
                }
                break;
            case DOUBLE:
                {
                    if (!exponent && len <= 17) {
                        double quick = NumText.simpleDouble(b, s, i);
                        if (!Double.isNaN(quick)) {
                            return quick;
                        }
                    }
                    String t = new String(b, s, len, StandardCharsets.ISO_8859_1);
                    if (exact && (len > 15 || exponent)) {
                        int k = num.analyze(t);
                        if (k == NumText.FRACTION
                                ? !num.roundTrip
                                : k == NumText.INTEGER ? !num.exactDouble : true) {
                            break;
                        }
                    }
                    return Double.parseDouble(t);
                }
            case BYTE:
            case SHORT:
                if (integer && intDigits <= 5) {
                    long v = 0;
                    for (int k = intStart; k < i; k++) {
                        v = v * 10 + (b[k] - '0');
                    }
                    v = neg ? -v : v;
                    if (Values.fitsSmall(v, plan.kind)) {
                        return (int) v;
                    }
                }
                break;
            case FLOAT:
                {
                    Float f = Values.toFloat(new String(b, s, len, StandardCharsets.ISO_8859_1));
                    if (f != null) {
                        return f;
                    }
                    break;
                }
            case DECIMAL:
                return Values.decimal(
                        new BigDecimal(new String(b, s, len, StandardCharsets.ISO_8859_1)),
                        plan.type);
            case STRING:
                return Binary.fromConstantByteArray(Arrays.copyOfRange(b, s, i));
            default:
                break;
        }
        throw BadRecord.misfit(
                plan.describe()
                        + ": "
                        + new String(b, s, Math.min(len, 40), StandardCharsets.ISO_8859_1)
                        + " does not fit "
                        + plan.type);
    }

    // ------------------------------------------------------------------ JSON text of nested values

    /** An object or array (after its opening bracket) as compact JSON text, for a text column. */
    private Binary compact(char open, int depth) {
        StringBuilder sb = new StringBuilder(64).append(open);
        compactRest(sb, open, depth + 1);
        return Binary.fromString(sb.toString());
    }

    private void compactRest(StringBuilder sb, char open, int depth) {
        if (depth >= MAX_DEPTH) {
            throw BadRecord.bad("nesting deeper than " + MAX_DEPTH + " levels");
        }
        char close = open == '{' ? '}' : ']';
        ws();
        if (peek() == close) {
            pos++;
            sb.append(close);
            return;
        }
        while (true) {
            ws();
            if (open == '{') {
                if (peek() != '"') {
                    throw syntax("expected a field name");
                }
                pos++;
                rawString(sb);
                ws();
                if (peek() != ':') {
                    throw syntax("expected ':'");
                }
                pos++;
                sb.append(':');
                ws();
            }
            compactValue(sb, depth);
            ws();
            byte c = peek();
            pos++;
            if (c == ',') {
                sb.append(',');
                continue;
            }
            if (c == close) {
                sb.append(close);
                return;
            }
            pos--;
            throw syntax("expected ',' or '" + close + "'");
        }
    }

    private void compactValue(StringBuilder sb, int depth) {
        byte c = peek();
        switch (c) {
            case 'n':
                literal("null");
                sb.append("null");
                return;
            case 't':
                literal("true");
                sb.append("true");
                return;
            case 'f':
                literal("false");
                sb.append("false");
                return;
            case '"':
                pos++;
                rawString(sb);
                return;
            case '{':
            case '[':
                pos++;
                sb.append((char) c);
                compactRest(sb, (char) c, depth + 1);
                return;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    int s = pos;
                    skipNumber();
                    sb.append(new String(b, s, pos - s, StandardCharsets.ISO_8859_1));
                    return;
                }
                throw syntax("unexpected character " + show(c));
        }
    }

    /** Copies a string token (after its opening quote) as JSON, escapes unchanged. */
    private void rawString(StringBuilder sb) {
        int s = pos - 1;
        int i = pos;
        while (i < end && b[i] != '"') {
            if (b[i] == '\\') {
                i++;
            } else if (b[i] >= 0 && b[i] < 0x20) {
                pos = i;
                throw syntax("control character in a string");
            }
            i++;
        }
        if (i >= end) {
            throw syntax("unterminated string");
        }
        pos = i + 1;
        sb.append(utf8.decode(b, s, pos - s, base + (s - start), source));
    }

    // ------------------------------------------------------------------ lexing

    private void ws() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            pos++;
        }
    }

    private byte peek() {
        if (pos >= end) {
            throw syntax("unexpected end of record");
        }
        return b[pos];
    }

    private void literal(String word) {
        int n = word.length();
        if (pos + n > end) {
            throw syntax("unexpected end of record");
        }
        for (int k = 0; k < n; k++) {
            if (b[pos + k] != word.charAt(k)) {
                throw syntax("unexpected character " + show(b[pos]));
            }
        }
        pos += n;
        if (pos < end) {
            byte c = b[pos];
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                throw syntax("unexpected character " + show(c));
            }
        }
    }

    private BadRecord syntax(String what) {
        return BadRecord.bad(
                "invalid JSON: " + what + " at column " + (Math.min(pos, end) - start + 1));
    }

    private static String show(byte c) {
        if (c >= 0x20 && c < 0x7f) {
            return "'" + (char) c + "'";
        }
        return String.format("0x%02X", c & 0xff);
    }

    /** An ASCII view of bytes as a CharSequence, for the temporal parser. */
    private static final class Ascii implements CharSequence {
        private byte[] a;
        private int off;
        private int len;

        Ascii of(byte[] a, int off, int len) {
            this.a = a;
            this.off = off;
            this.len = len;
            return this;
        }

        @Override
        public int length() {
            return len;
        }

        @Override
        public char charAt(int index) {
            return (char) (a[off + index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int s, int e) {
            return new String(a, off + s, e - s, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return new String(a, off, len, StandardCharsets.ISO_8859_1);
        }
    }
}
