package dev.tarn.lake.types;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The mapping between DuckDB's SQL types and Tarn's: {@link DataType#sql()} spells a Tarn type for
 * DuckDB, and {@link #parse} reads a type as DuckDB reports it ({@code DESCRIBE}, {@code typeof})
 * into the Tarn type that holds its values. Types Tarn has no exact counterpart for map to the
 * narrowest one that holds every value: {@code HUGEINT} and {@code UBIGINT} to decimals, unsigned
 * integers to the next signed size, {@code UUID}, {@code JSON}, {@code TIME}, {@code INTERVAL} and
 * enums to text, {@code TIMESTAMP_S/MS/NS} to timestamps without time zone.
 */
public final class DuckDbTypes {
    private DuckDbTypes() {}

    /**
     * The Tarn type holding the values of DuckDB type {@code sql}; {@link IllegalArgumentException}
     * if unreadable.
     */
    public static DataType parse(String sql) {
        Parser p = new Parser(sql);
        DataType t = p.type();
        p.skipSpace();
        if (p.pos != sql.length()) {
            throw new IllegalArgumentException(
                    "cannot read DuckDB type '"
                            + sql
                            + "' (unexpected text at "
                            + (p.pos + 1)
                            + ")");
        }
        return t;
    }

    /**
     * Whether DuckDB type {@code sql} maps to a Tarn type that spells back the same (no cast
     * needed).
     */
    public static boolean isExact(String sql) {
        // names may be quoted differently ("time" is a keyword DuckDB quotes, Tarn does not need
        // to): compare types
        return unquoted(parse(sql).sql()).equalsIgnoreCase(unquoted(sql.trim()));
    }

    private static String unquoted(String s) {
        return s.replace("\"", "");
    }

    private static DataType named(String name, String whole) {
        switch (name.toUpperCase(Locale.ROOT)) {
            case "BOOLEAN":
            case "BOOL":
            case "LOGICAL":
                return DataType.BOOLEAN;
            case "TINYINT":
            case "INT1":
                return DataType.BYTE;
            case "SMALLINT":
            case "INT2":
            case "SHORT":
            case "UTINYINT":
                return DataType.SHORT;
            case "INTEGER":
            case "INT":
            case "INT4":
            case "SIGNED":
            case "USMALLINT":
                return DataType.INT;
            case "BIGINT":
            case "INT8":
            case "LONG":
            case "UINTEGER":
                return DataType.LONG;
            case "UBIGINT":
                return DataType.decimal(20, 0);
            case "HUGEINT":
            case "INT128":
            case "UHUGEINT":
            case "UINT128":
            case "VARINT":
            case "BIGNUM":
                return DataType.decimal(DataType.MAX_DECIMAL_PRECISION, 0);
            case "FLOAT":
            case "FLOAT4":
            case "REAL":
                return DataType.FLOAT;
            case "DOUBLE":
            case "FLOAT8":
                return DataType.DOUBLE;
            case "DECIMAL":
            case "NUMERIC":
                return DataType.decimal(18, 3);
            case "VARCHAR":
            case "CHAR":
            case "BPCHAR":
            case "TEXT":
            case "STRING":
            case "UUID":
            case "JSON":
            case "TIME":
            case "TIMETZ":
            case "TIME WITH TIME ZONE":
            case "INTERVAL":
            case "BIT":
            case "BITSTRING":
            case "NULL":
            case "\"NULL\"":
                return DataType.STRING;
            case "BLOB":
            case "BYTEA":
            case "BINARY":
            case "VARBINARY":
                return DataType.BINARY;
            case "DATE":
                return DataType.DATE;
            case "TIMESTAMP":
            case "DATETIME":
            case "TIMESTAMP_S":
            case "TIMESTAMP_MS":
            case "TIMESTAMP_NS":
            case "TIMESTAMP_US":
            case "TIMESTAMP WITHOUT TIME ZONE":
                return DataType.TIMESTAMP_NTZ;
            case "TIMESTAMPTZ":
            case "TIMESTAMP WITH TIME ZONE":
                return DataType.TIMESTAMP;
            default:
                throw new IllegalArgumentException(
                        "cannot read DuckDB type '" + whole + "' (unknown type " + name + ")");
        }
    }

    /** A small recursive-descent reader for DuckDB's type spelling. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        DataType type() {
            skipSpace();
            DataType t = base();
            while (true) {
                skipSpace();
                if (peek('[')) {
                    pos++;
                    while (pos < s.length() && s.charAt(pos) != ']') {
                        pos++;
                    }
                    expect(']');
                    t = DataType.list(t);
                } else {
                    return t;
                }
            }
        }

        private DataType base() {
            String word = word();
            String upper = word.toUpperCase(Locale.ROOT);
            switch (upper) {
                case "STRUCT":
                case "ROW":
                    {
                        expect('(');
                        List<Field> fields = new ArrayList<>();
                        skipSpace();
                        if (!peek(')')) {
                            do {
                                skipSpace();
                                String name = name();
                                DataType ft = type();
                                fields.add(Field.of(name, ft));
                                skipSpace();
                            } while (accept(','));
                        }
                        expect(')');
                        return DataType.struct(fields);
                    }
                case "MAP":
                    {
                        expect('(');
                        DataType k = type();
                        expect(',');
                        DataType v = type();
                        expect(')');
                        return DataType.map(k, v);
                    }
                case "LIST":
                    {
                        expect('(');
                        DataType e = type();
                        expect(')');
                        return DataType.list(e);
                    }
                case "UNION":
                case "ENUM":
                    {
                        skipParens();
                        return DataType.STRING;
                    }
                case "DECIMAL":
                case "NUMERIC":
                    {
                        skipSpace();
                        if (accept('(')) {
                            int p = number();
                            int sc = 0;
                            skipSpace();
                            if (accept(',')) {
                                sc = number();
                            }
                            expect(')');
                            return DataType.decimal(p, sc);
                        }
                        return named(upper, s);
                    }
                case "VARCHAR":
                case "CHAR":
                case "BPCHAR":
                    {
                        skipSpace();
                        if (peek('(')) {
                            skipParens();
                        }
                        return DataType.STRING;
                    }
                case "TIMESTAMP":
                case "TIME":
                    {
                        int save = pos;
                        String rest = s.substring(pos).toUpperCase(Locale.ROOT).stripLeading();
                        for (String tail : new String[] {"WITH TIME ZONE", "WITHOUT TIME ZONE"}) {
                            if (rest.startsWith(tail)) {
                                int skip = s.length() - pos - rest.length();
                                pos += skip + tail.length();
                                return named(upper + " " + tail, s);
                            }
                        }
                        pos = save;
                        return named(upper, s);
                    }
                default:
                    return named(word, s);
            }
        }

        private String name() {
            if (peek('"')) {
                pos++;
                StringBuilder sb = new StringBuilder();
                while (pos < s.length()) {
                    char c = s.charAt(pos++);
                    if (c == '"') {
                        if (peek('"')) {
                            sb.append('"');
                            pos++;
                        } else {
                            return sb.toString();
                        }
                    } else {
                        sb.append(c);
                    }
                }
                throw error("unterminated quoted name");
            }
            return word();
        }

        private String word() {
            skipSpace();
            int start = pos;
            if (peek('"')) {
                return '"' + name() + '"';
            }
            while (pos < s.length()
                    && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a type name");
            }
            return s.substring(start, pos);
        }

        private int number() {
            skipSpace();
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a number");
            }
            return Integer.parseInt(s.substring(start, pos));
        }

        private void skipParens() {
            skipSpace();
            if (!peek('(')) {
                return;
            }
            int depth = 0;
            boolean quoted = false;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '\'') {
                    quoted = !quoted;
                } else if (!quoted && c == '(') {
                    depth++;
                } else if (!quoted && c == ')' && --depth == 0) {
                    return;
                }
            }
            throw error("unbalanced parentheses");
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        private boolean accept(char c) {
            skipSpace();
            if (peek(c)) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!accept(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(
                    "cannot read DuckDB type '" + s + "' (" + what + " at " + (pos + 1) + ")");
        }
    }
}
