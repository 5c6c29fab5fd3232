package dev.tarn.lake.cli;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CSV with a header row and RFC 4180 quoting: a field containing a comma, a double quote, CR or LF
 * is enclosed in double quotes, and its double quotes are doubled. Records end with LF. Nested maps
 * are written as {@code k=v;k=v}, lists as {@code a;b}, null as an empty field.
 */
final class Csv {
    private Csv() {}

    static String write(List<String> header, List<? extends Map<String, ?>> rows) {
        StringBuilder b = new StringBuilder();
        line(b, header.stream().map(h -> (Object) h).toList());
        for (Map<String, ?> r : rows) {
            line(b, header.stream().map(h -> (Object) r.get(h)).toList());
        }
        return b.toString();
    }

    /**
     * As {@link #write}, for output records (their values by key as {@link Views#fields} reads
     * them).
     */
    static String records(List<String> header, List<? extends Record> rows) {
        return write(header, rows.stream().map(Views::fields).toList());
    }

    private static void line(StringBuilder b, List<Object> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(field(text(fields.get(i))));
        }
        b.append('\n');
    }

    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Instant t) {
            return t.toString();
        }
        if (v instanceof Record r) {
            return text(Views.fields(r));
        }
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream()
                    .map(e -> e.getKey() + "=" + text(e.getValue()))
                    .collect(Collectors.joining(";"));
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(Csv::text).collect(Collectors.joining(";"));
        }
        return v.toString();
    }

    static String field(String s) {
        if (s.indexOf(',') < 0
                && s.indexOf('"') < 0
                && s.indexOf('\n') < 0
                && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
