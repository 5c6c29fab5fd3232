package dev.tarn.lake.format.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * JSON records: type inference over tokens, and schema-directed conversion of one record into a row. One instance
 * per worker (not thread-safe).
 *
 * <p>Defined outcomes: a record must be a JSON object (anything else is quarantined); a key repeated in one object
 * quarantines the record; nesting deeper than {@link #MAX_DEPTH} quarantines it; JSON strings are never read as
 * numbers, only as text, dates or timestamps.
 */
final class JsonRecords {
    static final int MAX_DEPTH = 64;

    final JsonFactory factory;
    private final NumText num = new NumText();
    private final boolean exact;
    private final Plan root;
    private final boolean closed;

    /**
     * @param root   the plan of the record struct (null for inference only)
     * @param exact  true for an inferred schema: values must fit without loss (a double column rejects a value whose
     *               double is not exact); false for an explicit schema, where a declared DOUBLE takes any number
     * @param closed true when keys absent from the schema are a misfit (always, in this version)
     */
    JsonRecords(JsonFactory factory, Plan root, boolean exact, boolean closed) {
        this.factory = factory;
        this.root = root;
        this.exact = exact;
        this.closed = closed;
    }

    static JsonFactory newFactory() {
        return JsonFactory.builder().build();
    }

    // ---------------------------------------------------------------- inference

    /** Observes one record; the parser is on the record's first token. */
    void infer(JsonParser p, TypeAcc acc, Site site) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw BadRecord.bad("record is not a JSON object but " + describe(p.currentToken()));
        }
        inferValue(p, acc, site, 0);
    }

    private void inferValue(JsonParser p, TypeAcc acc, Site site, int depth) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case VALUE_NULL:
                acc.observeNull();
                break;
            case VALUE_TRUE:
            case VALUE_FALSE:
                acc.observeBool(t == JsonToken.VALUE_TRUE ? "true" : "false", site);
                break;
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: {
                String text = p.getText();
                if (num.analyze(text) == NumText.NOT_A_NUMBER) {
                    // e.g. -0: keep it exactly by treating the column as text
                    acc.observeString(text, site);
                } else {
                    acc.observeNumber(num, text, site);
                }
                break;
            }
            case VALUE_STRING:
                acc.observeString(p.getText(), site);
                break;
            case START_OBJECT: {
                if (depth >= MAX_DEPTH) {
                    throw BadRecord.bad("nesting deeper than " + MAX_DEPTH + " levels");
                }
                acc.beginStruct(site);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    TypeAcc f = acc.field(p.currentName());
                    p.nextToken();
                    inferValue(p, f, site, depth + 1);
                }
                break;
            }
            case START_ARRAY: {
                if (depth >= MAX_DEPTH) {
                    throw BadRecord.bad("nesting deeper than " + MAX_DEPTH + " levels");
                }
                TypeAcc e = acc.beginList(site);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    inferValue(p, e, site, depth + 1);
                }
                break;
            }
            default:
                throw BadRecord.bad("unexpected " + t);
        }
    }

    // ---------------------------------------------------------------- conversion

    /** Converts one record; the parser is on its START_OBJECT. */
    Object[] read(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw BadRecord.bad("record is not a JSON object but " + describe(p.currentToken()));
        }
        return readStruct(p, root, 0);
    }

    private Object[] readStruct(JsonParser p, Plan plan, int depth) throws IOException {
        if (depth >= MAX_DEPTH) {
            throw BadRecord.bad("nesting deeper than " + MAX_DEPTH + " levels");
        }
        int n = plan.names.length;
        Object[] row = new Object[n];
        long seen = 0;
        boolean[] seenWide = n > 64 ? new boolean[n] : null;
        String[] names = plan.names;
        int guess = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            // records usually list their fields in schema order: try the next one before hashing
            int i = guess < n && name.equals(names[guess]) ? guess : plan.indexOf(name);
            guess = i + 1;
            p.nextToken();
            if (i < 0) {
                if (closed) {
                    throw BadRecord.misfit("unknown field \"" + (plan.path.isEmpty() ? name : plan.path + "." + name)
                            + "\" (not in the schema)");
                }
                p.skipChildren();
                continue;
            }
            if (seenWide == null) {
                long bit = 1L << i;
                if ((seen & bit) != 0) {
                    throw BadRecord.bad("duplicate key \"" + name + "\" in " + plan.describe());
                }
                seen |= bit;
            } else {
                if (seenWide[i]) {
                    throw BadRecord.bad("duplicate key \"" + name + "\" in " + plan.describe());
                }
                seenWide[i] = true;
            }
            row[i] = readValue(p, plan.children[i], depth + 1);
        }
        return row;
    }

    private Object readValue(JsonParser p, Plan plan, int depth) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        switch (plan.kind) {
            case STRING:
                if (t == JsonToken.VALUE_STRING) {
                    return utf8(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), plan);
                }
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    return p.getText();
                }
                if (t == JsonToken.VALUE_TRUE) {
                    return "true";
                }
                if (t == JsonToken.VALUE_FALSE) {
                    return "false";
                }
                if (depth >= MAX_DEPTH) {
                    throw BadRecord.bad("nesting deeper than " + MAX_DEPTH + " levels");
                }
                return toJsonText(p);
            case BOOLEAN:
                if (t == JsonToken.VALUE_TRUE) {
                    return Boolean.TRUE;
                }
                if (t == JsonToken.VALUE_FALSE) {
                    return Boolean.FALSE;
                }
                break;
            case INT:
                if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                    if (exact && isNegZero(p)) {
                        break;
                    }
                    return p.getIntValue();
                }
                break;
            case LONG:
                if (t == JsonToken.VALUE_NUMBER_INT) {
                    JsonParser.NumberType nt = p.getNumberType();
                    if (nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG) {
                        if (exact && isNegZero(p)) {
                            break;
                        }
                        return p.getLongValue();
                    }
                }
                break;
            case DOUBLE:
                if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                    if (exact) {
                        String text = p.getText();
                        int k = num.analyze(text);
                        if (k == NumText.FRACTION ? !num.roundTrip : k == NumText.INTEGER ? !num.exactDouble : true) {
                            break;
                        }
                        return Double.parseDouble(text);
                    }
                    return p.getDoubleValue();
                }
                break;
            case DECIMAL:
                if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                    return Values.decimal(new BigDecimal(p.getText()), plan.type);
                }
                break;
            case DATE:
                if (t == JsonToken.VALUE_STRING) {
                    long d = Temporal.parseDate(p.getText());
                    if (d != Temporal.FAIL) {
                        return (int) d;
                    }
                }
                break;
            case TIMESTAMP:
                if (t == JsonToken.VALUE_STRING) {
                    long v = Temporal.parseTimestampTz(p.getText());
                    if (v != Temporal.FAIL) {
                        return v;
                    }
                }
                break;
            case TIMESTAMP_LOCAL:
                if (t == JsonToken.VALUE_STRING) {
                    long v = Temporal.parseTimestampLocal(p.getText());
                    if (v != Temporal.FAIL) {
                        return v;
                    }
                }
                break;
            case BINARY:
                if (t == JsonToken.VALUE_STRING) {
                    try {
                        return p.getBinaryValue();
                    } catch (IOException e) {
                        throw BadRecord.misfit(plan.describe() + ": not base64: " + e.getMessage());
                    }
                }
                break;
            case STRUCT:
                if (t == JsonToken.START_OBJECT) {
                    return readStruct(p, plan, depth);
                }
                break;
            case LIST:
                if (t == JsonToken.START_ARRAY) {
                    if (depth >= MAX_DEPTH) {
                        throw BadRecord.bad("nesting deeper than " + MAX_DEPTH + " levels");
                    }
                    Object[] buf = new Object[8];
                    int n = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (n == buf.length) {
                            buf = Arrays.copyOf(buf, n * 2);
                        }
                        buf[n++] = readValue(p, plan.element, depth + 1);
                    }
                    return n == buf.length ? buf : Arrays.copyOf(buf, n);
                }
                break;
            default:
                break;
        }
        throw BadRecord.misfit(plan.describe() + ": " + preview(p) + " does not fit " + plan.type);
    }

    private final java.nio.charset.CharsetEncoder encoder = java.nio.charset.StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);

    /** UTF-8 bytes of decoded JSON text, straight from the parser's buffer; a lone surrogate escape is refused. */
    private org.apache.parquet.io.api.Binary utf8(char[] c, int off, int len, Plan plan) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            char ch = c[off + i];
            if (ch >= 0x80) {
                try {
                    java.nio.ByteBuffer bb = encoder.reset().encode(java.nio.CharBuffer.wrap(c, off, len));
                    byte[] b = new byte[bb.remaining()];
                    bb.get(b);
                    return org.apache.parquet.io.api.Binary.fromConstantByteArray(b);
                } catch (java.nio.charset.CharacterCodingException e) {
                    throw BadRecord.bad(plan.describe() + ": a \\u escape is a lone surrogate, not a character");
                }
            }
            out[i] = (byte) ch;
        }
        return org.apache.parquet.io.api.Binary.fromConstantByteArray(out);
    }

    private static boolean isNegZero(JsonParser p) throws IOException {
        return p.getTextLength() == 2 && p.getText().equals("-0");
    }

    private String toJsonText(JsonParser p) throws IOException {
        StringWriter w = new StringWriter(64);
        try (JsonGenerator g = factory.createGenerator(w)) {
            g.copyCurrentStructure(p);
        }
        return w.toString();
    }

    private static String preview(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            return "an object";
        }
        if (t == JsonToken.START_ARRAY) {
            return "an array";
        }
        String s = p.getText();
        if (s.length() > 40) {
            s = s.substring(0, 40) + "...";
        }
        return t == JsonToken.VALUE_STRING ? '"' + s + '"' : s;
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        switch (t) {
            case START_ARRAY: return "an array";
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT: case VALUE_NUMBER_FLOAT: return "a number";
            case VALUE_TRUE: case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            default: return t.toString();
        }
    }
}
