package dev.tarn.lake.cli;

import dev.tarn.lake.table.DeltaTypes;
import dev.tarn.lake.table.RowPredicate;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.DecimalType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.PrimitiveType;
import dev.tarn.lake.types.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code --where} language of {@code lake delete}: comparisons of a column with a literal,
 * combined with AND, OR, NOT and parentheses. {@code col = 1}, {@code col != 'x'}, {@code <, <=, >,
 * >=}, {@code col IS [NOT] NULL}, {@code col [NOT] IN (1, 2)}. Literals are typed by the column:
 * numbers, 'strings' ('' for a quote), true/false, dates as 'YYYY-MM-DD', timestamps as
 * 'YYYY-MM-DDTHH:MM:SSZ' (or without zone: UTC).
 */
final class WherePredicate {
    /**
     * Nesting (parentheses and NOT) and comparisons allowed in one predicate. The parser and the
     * predicate it builds are recursive, so a hostile {@code ((((...))))} would otherwise end in a
     * StackOverflowError; real predicates are far below both limits.
     */
    static final int MAX_DEPTH = 100;

    static final int MAX_COMPARISONS = 1_000;

    private final String text;
    private int depth;
    private int comparisons;
    private final Schema schema;
    private final List<String> tokens = new ArrayList<>();
    private int pos;

    private WherePredicate(String text, Schema schema) {
        this.text = text;
        this.schema = schema;
        tokenize();
    }

    static RowPredicate parse(String text, Schema schema) {
        WherePredicate p = new WherePredicate(text, schema);
        if (p.tokens.isEmpty()) {
            throw new UsageException("--where is empty; e.g. --where \"user_id = 42\"");
        }
        RowPredicate r = p.or();
        if (p.pos < p.tokens.size()) {
            throw p.error("unexpected '" + p.tokens.get(p.pos) + "'");
        }
        return r;
    }

    private void tokenize() {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder b = new StringBuilder("'");
                i++;
                while (true) {
                    if (i >= text.length()) {
                        throw new UsageException("--where: unterminated string in " + shown(text));
                    }
                    char d = text.charAt(i++);
                    if (d == '\'') {
                        if (i < text.length() && text.charAt(i) == '\'') {
                            b.append('\'');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        b.append(d);
                    }
                }
                tokens.add(b.toString());
            } else if (c == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0) {
                    throw new UsageException("--where: unterminated quoted name in " + shown(text));
                }
                tokens.add("\"" + text.substring(i + 1, end));
                i = end + 1;
            } else if ("(),".indexOf(c) >= 0) {
                tokens.add(String.valueOf(c));
                i++;
            } else if ("=!<>".indexOf(c) >= 0) {
                int j = i + 1;
                while (j < text.length() && "=<>".indexOf(text.charAt(j)) >= 0) {
                    j++;
                }
                tokens.add(text.substring(i, j));
                i = j;
            } else {
                int j = i;
                while (j < text.length()
                        && !Character.isWhitespace(text.charAt(j))
                        && "(),=!<>'\"".indexOf(text.charAt(j)) < 0) {
                    j++;
                }
                tokens.add(text.substring(i, j));
                i = j;
            }
        }
    }

    private RowPredicate or() {
        RowPredicate left = and();
        while (keyword("OR")) {
            left = left.or(and());
        }
        return left;
    }

    private RowPredicate and() {
        RowPredicate left = unary();
        while (keyword("AND")) {
            left = left.and(unary());
        }
        return left;
    }

    private RowPredicate unary() {
        if (pos < tokens.size()
                && (tokens.get(pos).equalsIgnoreCase("NOT") || tokens.get(pos).equals("("))) {
            if (++depth > MAX_DEPTH) {
                throw error("nested more than " + MAX_DEPTH + " levels deep (parentheses and NOT)");
            }
            try {
                if (keyword("NOT")) {
                    return unary().negate();
                }
                symbol("(");
                RowPredicate inner = or();
                expect(")");
                return inner;
            } finally {
                depth--;
            }
        }
        if (++comparisons > MAX_COMPARISONS) {
            throw error(
                    "more than " + MAX_COMPARISONS + " comparisons; use IN (...) for many values");
        }
        return comparison();
    }

    private RowPredicate comparison() {
        String token = next("a column name");
        String name = token.startsWith("\"") ? token.substring(1) : token;
        Field field =
                schema.field(name)
                        .orElseThrow(
                                () ->
                                        error(
                                                "no column '"
                                                        + name
                                                        + "'; columns: "
                                                        + String.join(", ", schema.columnNames())));
        if (keyword("IS")) {
            boolean not = keyword("NOT");
            if (!keyword("NULL")) {
                throw error("expected NULL after IS");
            }
            RowPredicate p = RowPredicate.isNull(name);
            return not ? p.negate() : p;
        }
        boolean not = keyword("NOT");
        if (keyword("IN")) {
            expect("(");
            List<Object> values = new ArrayList<>();
            do {
                values.add(literal(field));
            } while (symbol(","));
            expect(")");
            RowPredicate p = RowPredicate.in(name, values.toArray());
            return not ? p.negate() : p;
        }
        if (not) {
            throw error("expected IN after NOT");
        }
        String op = next("a comparison (=, !=, <, <=, >, >=)");
        Object value = literal(field);
        return switch (op) {
            case "=", "==" -> RowPredicate.eq(name, value);
            case "!=", "<>" ->
                    RowPredicate.eq(name, value).negate().and(RowPredicate.isNull(name).negate());
            case "<" -> RowPredicate.lt(name, value);
            case "<=" -> RowPredicate.le(name, value);
            case ">" -> RowPredicate.gt(name, value);
            case ">=" -> RowPredicate.ge(name, value);
            default -> throw error("'" + op + "' is not a comparison (=, !=, <, <=, >, >=)");
        };
    }

    /** A literal as the column's values are: the predicate then compares like with like. */
    private Object literal(Field field) {
        String t = next("a value");
        boolean quoted = t.startsWith("'");
        String v = quoted ? t.substring(1) : t;
        DataType type = field.type();
        try {
            if (type instanceof DecimalType) {
                return new BigDecimal(v);
            }
            if (type instanceof PrimitiveType p) {
                switch (p) {
                    case BYTE, SHORT, INT, LONG, FLOAT, DOUBLE:
                        return new BigDecimal(v);
                    case BOOLEAN:
                        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                            return Boolean.valueOf(v.toLowerCase(Locale.ROOT));
                        }
                        throw error(field.name() + " is boolean: compare it with true or false");
                    case DATE:
                        return LocalDate.parse(v);
                    case TIMESTAMP:
                        try {
                            return Instant.parse(v);
                        } catch (DateTimeParseException e) {
                            return LocalDateTime.parse(v.replace(' ', 'T'))
                                    .toInstant(ZoneOffset.UTC);
                        }
                    case TIMESTAMP_NTZ:
                        // a wall-clock value, compared as it is written (no zone applies)
                        return LocalDateTime.parse(v.replace(' ', 'T'));
                    case STRING:
                        if (!quoted) {
                            throw error(
                                    field.name() + " is a string: quote the value, '" + v + "'");
                        }
                        return v;
                    default:
                        break;
                }
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw error(
                    "'" + v + "' is not a " + DeltaTypes.name(type) + " value for " + field.name());
        }
        throw error(
                "column "
                        + field.name()
                        + " of type "
                        + DeltaTypes.name(type)
                        + " cannot be compared yet");
    }

    private boolean keyword(String word) {
        if (pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(word)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean symbol(String s) {
        if (pos < tokens.size() && tokens.get(pos).equals(s)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String s) {
        if (!symbol(s)) {
            throw error("expected '" + s + "'");
        }
    }

    private String next(String what) {
        if (pos >= tokens.size()) {
            throw error("expected " + what + " at the end");
        }
        return tokens.get(pos++);
    }

    private UsageException error(String what) {
        return new UsageException("--where \"" + shown(text) + "\": " + what);
    }

    /**
     * The predicate as an error shows it: on one line, and cut if long, so that the message stays
     * readable.
     */
    private static String shown(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= 120
                ? oneLine
                : oneLine.substring(0, 100) + "... (" + text.length() + " chars)";
    }
}
