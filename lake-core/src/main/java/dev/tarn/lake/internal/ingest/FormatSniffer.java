package dev.tarn.lake.internal.ingest;

import dev.tarn.lake.catalog.Format;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Tells an object's format from its name and its first bytes. Content decides between text and
 * binary and between JSON shapes; the name decides among text formats that content alone cannot
 * tell apart (a CSV with one column).
 */
public final class FormatSniffer {
    /** How many leading bytes the sniffer looks at. */
    public static final int HEAD = 64 * 1024;

    private static final Map<String, String> BINARY_TYPES =
            Map.ofEntries(
                    Map.entry("png", "image/png"),
                    Map.entry("jpg", "image/jpeg"),
                    Map.entry("jpeg", "image/jpeg"),
                    Map.entry("gif", "image/gif"),
                    Map.entry("webp", "image/webp"),
                    Map.entry("pdf", "application/pdf"),
                    Map.entry("mp4", "video/mp4"),
                    Map.entry("mov", "video/quicktime"),
                    Map.entry("mp3", "audio/mpeg"),
                    Map.entry("wav", "audio/wav"),
                    Map.entry("zip", "application/zip"),
                    Map.entry("gz", "application/gzip"),
                    Map.entry("zst", "application/zstd"),
                    Map.entry("onnx", "application/octet-stream"));

    private FormatSniffer() {}

    /** A detected format and the content type that goes with it. */
    public record Detected(Format format, String contentType) {}

    public static Detected detect(String name, byte[] head, int length) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        String ext = extension(lower);
        String compression = null;
        if (ext.equals("gz") || ext.equals("zst")) {
            compression = ext;
            ext = extension(lower.substring(0, lower.length() - ext.length() - 1));
        }
        if (compression != null) {
            // Compressed text: the bytes say nothing; the inner name does (events.ndjson.gz).
            Format inner =
                    switch (ext) {
                        case "ndjson", "jsonl" -> Format.NDJSON;
                        case "json" -> Format.JSON;
                        case "csv" -> Format.CSV;
                        case "tsv", "tab" -> Format.TSV;
                        default -> Format.BINARY;
                    };
            return new Detected(
                    inner, compression.equals("gz") ? "application/gzip" : "application/zstd");
        }
        if (startsWith(head, length, "PAR1")) {
            return new Detected(Format.PARQUET, "application/vnd.apache.parquet");
        }
        if (length >= 4 && head[0] == 'O' && head[1] == 'b' && head[2] == 'j' && head[3] == 1) {
            return new Detected(Format.AVRO, "application/avro");
        }
        if (length > 0 && !isText(head, length)) {
            return new Detected(Format.BINARY, binaryType(ext, lower));
        }
        Format f = textFormat(ext, head, length);
        return new Detected(
                f,
                switch (f) {
                    case NDJSON -> "application/x-ndjson";
                    case JSON -> "application/json";
                    case CSV -> "text/csv";
                    case TSV -> "text/tab-separated-values";
                    default -> "text/plain";
                });
    }

    private static Format textFormat(String ext, byte[] head, int length) {
        String text = new String(head, 0, length, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{")) {
            return looksLikeNdjson(trimmed) || ext.equals("ndjson") || ext.equals("jsonl")
                    ? Format.NDJSON
                    : Format.JSON;
        }
        if (trimmed.startsWith("[") && !ext.equals("csv") && !ext.equals("tsv")) {
            return Format.JSON;
        }
        switch (ext) {
            case "csv":
                return Format.CSV;
            case "tsv":
            case "tab":
                return Format.TSV;
            default:
                break;
        }
        if (consistentDelimiter(text, '\t')) {
            return Format.TSV;
        }
        if (consistentDelimiter(text, ',')
                || consistentDelimiter(text, ';')
                || consistentDelimiter(text, '|')) {
            return Format.CSV;
        }
        return Format.TEXT;
    }

    /**
     * Two or more lines that each hold a JSON object: NDJSON. A pretty-printed object fails the
     * second test.
     */
    private static boolean looksLikeNdjson(String text) {
        String[] lines = text.split("\r?\n", 6);
        int objects = 0;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty()) {
                continue;
            }
            if (!l.startsWith("{")) {
                return false;
            }
            if (i < lines.length - 1 && !l.endsWith("}")) {
                return false; // a complete line that does not close its object: a multi-line
                // document
            }
            objects++;
        }
        return objects >= 2;
    }

    /**
     * The delimiter appears, the same number of times (outside quotes), on each of the first
     * complete lines.
     */
    private static boolean consistentDelimiter(String text, char delimiter) {
        String[] lines = text.split("\r?\n", 11);
        int complete = Math.min(lines.length - 1, 10); // the last piece may be cut off by the head
        if (lines.length == 1 || (lines.length == 2 && lines[1].isEmpty())) {
            complete = 1;
        }
        int expected = -1;
        int seen = 0;
        for (int i = 0; i < complete; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            int n = countOutsideQuotes(lines[i], delimiter);
            if (n == 0 || (expected >= 0 && n != expected)) {
                return false;
            }
            expected = n;
            seen++;
        }
        return seen >= 1 && expected > 0;
    }

    private static int countOutsideQuotes(String line, char delimiter) {
        int n = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == delimiter && !quoted) {
                n++;
            }
        }
        return n;
    }

    /** Valid UTF-8 without NUL bytes (a multi-byte character cut off by the head's end is fine). */
    static boolean isText(byte[] head, int length) {
        for (int i = 0; i < length; i++) {
            if (head[i] == 0) {
                return false;
            }
        }
        CharsetDecoder d =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(head, 0, length);
        CharBuffer out = CharBuffer.allocate(length + 1);
        var result = d.decode(in, out, false);
        if (result.isError()) {
            return false;
        }
        // Bytes left over are a character cut off: fine where the head cut it, an error at the
        // object's real end.
        return !in.hasRemaining() || length >= HEAD;
    }

    private static String binaryType(String ext, String name) {
        String t = BINARY_TYPES.get(ext);
        if (t != null) {
            return t;
        }
        String guess = URLConnection.guessContentTypeFromName(name);
        return guess != null ? guess : "application/octet-stream";
    }

    private static boolean startsWith(byte[] head, int length, String magic) {
        if (length < magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (head[i] != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static String extension(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        return dot > slash + 1 ? name.substring(dot + 1) : "";
    }
}
