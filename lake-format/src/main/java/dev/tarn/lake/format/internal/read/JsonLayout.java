package dev.tarn.lake.format.internal.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tarn.lake.exceptions.FormatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides how a JSON input holds its records, by streaming through its structure (never holding a
 * document):
 *
 * <ul>
 *   <li>a top-level array: its elements are the records;
 *   <li>several documents, each whole on its own line: newline-delimited (read in parallel, line by
 *       line);
 *   <li>several documents otherwise (spread over lines, or sharing one): concatenated documents;
 *   <li>a single object with exactly one member that is an array of objects (GeoJSON {@code
 *       features}, {@code data}, {@code results}, ...): that array's elements;
 *   <li>a single object without such a member: one record;
 *   <li>a single object with two or more: refused, naming the candidates, since any choice could be
 *       wrong.
 * </ul>
 *
 * A single document is walked to its end (its members may come in any order), which for a large
 * document is one extra pass of the parser over the input; several documents are decided from the
 * first ones.
 */
public final class JsonLayout {
    /** Documents looked at to confirm that each sits whole on its own line. */
    private static final int CONFIRM_DOCUMENTS = 1000;

    private static final long CONFIRM_BYTES = 4L << 20;

    public final int layout;

    /** For {@link Src#PATH}: the member holding the records. */
    public final String[] path;

    public final String note;

    private JsonLayout(int layout, String[] path, String note) {
        this.layout = layout;
        this.path = path;
        this.note = note;
    }

    /**
     * Thrown when a single document holds several arrays of objects; {@link #candidates} names
     * them.
     */
    public static final class Ambiguous extends FormatException {
        public final List<String> candidates;

        Ambiguous(String message, List<String> candidates) {
            super(message);
            this.candidates = List.copyOf(candidates);
        }
    }

    /**
     * @param in the decompressed input without BOM
     * @param unwrap false when the caller said the documents themselves are the records
     */
    public static JsonLayout detect(String source, InputStream in, boolean unwrap)
            throws IOException {
        JsonFactory f = JsonFactory.builder().build();
        try (JsonParser p = f.createParser(in)) {
            JsonToken t;
            try {
                t = p.nextToken();
            } catch (IOException e) {
                return new JsonLayout(
                        Src.LINES,
                        null,
                        "JSON layout newline-delimited (the first line is not valid JSON)");
            }
            if (t == null) {
                return new JsonLayout(Src.LINES, null, null);
            }
            if (t == JsonToken.START_ARRAY) {
                return new JsonLayout(Src.ARRAY, null, "JSON layout top-level array");
            }
            if (t != JsonToken.START_OBJECT) {
                // scalars: records that are not objects, reported one by one
                return new JsonLayout(Src.LINES, null, "JSON layout newline-delimited");
            }
            long startLine = p.currentTokenLocation().getLineNr();
            List<String> candidates = new ArrayList<>();
            long endLine;
            try {
                members(p, candidates);
                endLine = p.currentLocation().getLineNr();
            } catch (IOException e) {
                // a broken first document: if it began and broke on its first line, lines are the
                // records (and the
                // bad one is reported on its own); otherwise it is one document that cannot be read
                long at = p.currentLocation().getLineNr();
                return at == startLine
                        ? new JsonLayout(Src.LINES, null, "JSON layout newline-delimited")
                        : new JsonLayout(Src.CONCAT, null, "JSON layout concatenated documents");
            }
            JsonToken next;
            try {
                next = p.nextToken();
            } catch (IOException e) {
                next = JsonToken.NOT_AVAILABLE; // something follows the first document, unreadable:
                // not a single one
            }
            if (next == null) {
                return single(source, candidates, unwrap, startLine != endLine);
            }
            if (next == JsonToken.NOT_AVAILABLE
                    || startLine != endLine
                    || p.currentTokenLocation().getLineNr() == endLine) {
                return new JsonLayout(Src.CONCAT, null, "JSON layout concatenated documents");
            }
            return confirmLines(p, endLine);
        }
    }

    private static JsonLayout single(
            String source, List<String> candidates, boolean unwrap, boolean multiLine) {
        String shape =
                multiLine ? "a single JSON document spread over lines" : "a single JSON document";
        if (!unwrap || candidates.isEmpty()) {
            return new JsonLayout(Src.CONCAT, null, shape + ": one record");
        }
        if (candidates.size() == 1) {
            String c = candidates.get(0);
            return new JsonLayout(
                    Src.PATH,
                    new String[] {c},
                    "records read from the array \""
                            + c
                            + "\" of "
                            + shape
                            + " (its only array of objects; the JSON path can name another)");
        }
        StringBuilder names = new StringBuilder();
        for (String c : candidates) {
            names.append(names.length() == 0 ? "" : ", ").append('"').append(c).append('"');
        }
        throw new Ambiguous(
                source
                        + ": the JSON document holds "
                        + candidates.size()
                        + " arrays of objects ("
                        + names
                        + "); say which one holds the records",
                candidates);
    }

    /**
     * Walks the members of the object just opened, noting those that are arrays starting with an
     * object.
     */
    private static void members(JsonParser p, List<String> candidates) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                JsonToken first = p.nextToken();
                if (first == JsonToken.START_OBJECT && !candidates.contains(name)) {
                    candidates.add(name);
                }
                if (first != JsonToken.END_ARRAY) {
                    p.skipChildren(); // the first element, if it is an object or array
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + t);
        }
    }

    /**
     * Several documents, the first alone on its line: newline-delimited if the next ones are too.
     */
    private static JsonLayout confirmLines(JsonParser p, long prevEnd) {
        try {
            for (int i = 0;
                    i < CONFIRM_DOCUMENTS
                            && p.currentTokenLocation().getByteOffset() < CONFIRM_BYTES;
                    i++) {
                long start = p.currentTokenLocation().getLineNr();
                if (start == prevEnd) {
                    return new JsonLayout(Src.CONCAT, null, "JSON layout concatenated documents");
                }
                p.skipChildren();
                long end = p.currentLocation().getLineNr();
                if (end != start) {
                    return new JsonLayout(Src.CONCAT, null, "JSON layout concatenated documents");
                }
                prevEnd = end;
                if (p.nextToken() == null) {
                    break;
                }
            }
        } catch (IOException e) {
            // a bad line among good ones: newline-delimited, the bad record is reported on its own
        }
        return new JsonLayout(Src.LINES, null, "JSON layout newline-delimited");
    }
}
