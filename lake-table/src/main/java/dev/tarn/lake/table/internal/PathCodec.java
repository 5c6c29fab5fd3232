package dev.tarn.lake.table.internal;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * Data file paths in the log are relative URIs (RFC 2396): a file at {@code d=a b/x.parquet} is
 * written {@code d=a%20b/x.parquet}, and a Hive-escaped {@code d=a%3Ab} becomes {@code d=a%253Ab}.
 */
public final class PathCodec {
    private PathCodec() {}

    /** Percent-encodes every byte but unreserved characters, '/', '=' and a few safe marks. */
    public static String encode(String path) {
        StringBuilder b = new StringBuilder();
        for (byte x : path.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '/'
                    || c == '='
                    || c == '+'
                    || c == ','
                    || c == '!'
                    || c == '*'
                    || c == '\''
                    || c == '('
                    || c == ')'
                    || c == '@'
                    || c == '$'
                    || c == ';'
                    || c == '&') {
                b.append((char) c);
            } else {
                b.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    /**
     * Decodes a relative path of the log; absolute URIs are not supported (Tarn tables are
     * self-contained).
     */
    public static String decode(String uriPath) {
        try {
            URI u = new URI(uriPath);
            if (u.isAbsolute()) {
                throw new IllegalArgumentException(
                        "absolute data file paths are not supported: " + uriPath);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("data file path is not a valid URI: " + uriPath, e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] in = uriPath.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length) {
                out.write(
                        Integer.parseInt(new String(in, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
