package dev.tarn.lake.cli;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/** Writes maps, lists, strings, numbers, booleans and nulls as JSON, indented by two spaces, keys in map order. */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0);
        return b.append('\n').toString();
    }

    /** One value at an indent level, with no newline after it: for output written a piece at a time. */
    static void write(StringBuilder b, Object v, int indent, boolean padFirst) {
        if (padFirst) {
            pad(b, indent);
        }
        write(b, v, indent);
    }

    private static void write(StringBuilder b, Object v, int indent) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Instant t) {
            string(b, t.toString());
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            b.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            b.append(Double.isFinite(d) ? n.toString() : "null");
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                b.append("{}");
                return;
            }
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(first ? "\n" : ",\n");
                first = false;
                pad(b, indent + 1);
                string(b, String.valueOf(e.getKey()));
                b.append(": ");
                write(b, e.getValue(), indent + 1);
            }
            b.append('\n');
            pad(b, indent);
            b.append('}');
        } else if (v instanceof Collection<?> c) {
            if (c.isEmpty()) {
                b.append("[]");
                return;
            }
            b.append('[');
            boolean first = true;
            for (Object o : c) {
                b.append(first ? "\n" : ",\n");
                first = false;
                pad(b, indent + 1);
                write(b, o, indent + 1);
            }
            b.append('\n');
            pad(b, indent);
            b.append(']');
        } else if (v.getClass().isRecord() || v instanceof java.util.Optional<?>) {
            // A record's toString (CompactionResult[removedFiles=[...]]) is Java text, not data: a record reaching
            // here is a bug of the command, which must map it to a Map first (Views, TableViews).
            throw new IllegalStateException("no JSON form for a " + v.getClass().getSimpleName()
                    + "; map it to its fields first");
        } else {
            string(b, v.toString()); // paths, dates, UUIDs: their text is their value
        }
    }

    private static void pad(StringBuilder b, int indent) {
        b.append("  ".repeat(indent));
    }

    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
