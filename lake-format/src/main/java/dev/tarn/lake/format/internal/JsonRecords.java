package dev.tarn.lake.format.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Type inference over the Jackson tokens of JSON records (conversion is done by {@link FastJson}). One instance per
 * worker (not thread-safe). JSON strings are never read as numbers, only as text, dates or timestamps; records that
 * are not objects or nest deeper than {@link #MAX_DEPTH} levels are skipped by inference (and quarantined by the
 * conversion).
 */
final class JsonRecords {
    static final int MAX_DEPTH = 64;

    private final NumText num = new NumText();

    JsonRecords() {
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
