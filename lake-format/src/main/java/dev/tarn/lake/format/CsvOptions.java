package dev.tarn.lake.format;

/**
 * How delimited text is read. Unset values are detected from the first 64 KiB of the input.
 *
 * <pre>{@code CsvOptions.builder().delimiter(';').header(true).build()}</pre>
 */
public final class CsvOptions {
    private final Character delimiter;
    private final char quote;
    private final char escape;
    private final Boolean header;
    private final boolean emptyStringsAsNull;
    private final Character comment;
    private final java.util.List<String> nullValues;

    private CsvOptions(Builder b) {
        this.comment = b.comment;
        this.nullValues = b.nullValues;
        this.delimiter = b.delimiter;
        this.quote = b.quote;
        this.escape = b.escape == null ? b.quote : b.escape;
        this.header = b.header;
        this.emptyStringsAsNull = b.emptyStringsAsNull;
    }

    public static CsvOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The delimiter, or null to detect it (among {@code , ; TAB |}). */
    public Character delimiter() {
        return delimiter;
    }

    public char quote() {
        return quote;
    }

    /**
     * The escape character inside quoted fields; equal to {@link #quote()} for RFC 4180 doubled
     * quotes.
     */
    public char escape() {
        return escape;
    }

    /** Whether the first record is a header, or null to detect it. */
    public Boolean header() {
        return header;
    }

    /**
     * Whether a quoted empty field ({@code ""}) reads as null like an empty unquoted one. Default
     * false.
     */
    public boolean emptyStringsAsNull() {
        return emptyStringsAsNull;
    }

    /**
     * The character that starts a comment line, or null (the default) when no line is a comment.
     */
    public Character comment() {
        return comment;
    }

    /** Unquoted field values read as null besides the empty field; empty by default. */
    public java.util.List<String> nullValues() {
        return nullValues;
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        Builder b =
                builder()
                        .quote(quote)
                        .escape(escape)
                        .header(header)
                        .emptyStringsAsNull(emptyStringsAsNull)
                        .nullValues(nullValues.toArray(new String[0]));
        if (delimiter != null) {
            b.delimiter(delimiter);
        }
        if (comment != null) {
            b.comment(comment);
        }
        return b;
    }

    CsvOptions withDelimiterIfUnset(char d) {
        if (delimiter != null) {
            return this;
        }
        return toBuilder().delimiter(d).build();
    }

    @Override
    public String toString() {
        return "CsvOptions{delimiter="
                + (delimiter == null ? "detect" : "'" + delimiter + "'")
                + ", quote='"
                + quote
                + "', escape='"
                + escape
                + "', header="
                + (header == null ? "detect" : header)
                + (comment == null ? "" : ", comment='" + comment + "'")
                + (nullValues.isEmpty() ? "" : ", nullValues=" + nullValues)
                + "}";
    }

    public static final class Builder {
        private Character delimiter;
        private char quote = '"';
        private Character escape;
        private Boolean header;
        private boolean emptyStringsAsNull;
        private Character comment;
        private java.util.List<String> nullValues = java.util.List.of();

        public Builder delimiter(char c) {
            check(c, "delimiter");
            this.delimiter = c;
            return this;
        }

        public Builder quote(char c) {
            check(c, "quote");
            this.quote = c;
            return this;
        }

        public Builder escape(char c) {
            check(c, "escape");
            this.escape = c;
            return this;
        }

        /**
         * true: the first record names the columns; false: columns are named column1, column2, ...;
         * null: detect.
         */
        public Builder header(Boolean h) {
            this.header = h;
            return this;
        }

        public Builder emptyStringsAsNull(boolean b) {
            this.emptyStringsAsNull = b;
            return this;
        }

        /**
         * Lines whose first character is {@code c} (at the start of a record, so not inside a
         * quoted field) are skipped; they still count for line numbers.
         */
        public Builder comment(char c) {
            check(c, "comment character");
            this.comment = c;
            return this;
        }

        /**
         * Unquoted fields equal to one of {@code tokens} (exactly, case-sensitive) read as null, as
         * does the empty unquoted field; quoted, the same text stays a string ({@code "NA"}).
         */
        public Builder nullValues(String... tokens) {
            for (String t : tokens) {
                java.util.Objects.requireNonNull(t, "null token");
            }
            this.nullValues = java.util.List.of(tokens);
            return this;
        }

        public CsvOptions build() {
            char esc = escape == null ? quote : escape;
            if (delimiter != null && (delimiter == quote || delimiter == esc)) {
                throw new IllegalArgumentException(
                        "CSV delimiter must differ from quote and escape");
            }
            if (comment != null
                    && (comment == quote || (delimiter != null && comment == (char) delimiter))) {
                throw new IllegalArgumentException(
                        "CSV comment character must differ from quote and delimiter");
            }
            return new CsvOptions(this);
        }

        private static void check(char c, String what) {
            if (c >= 128 || c == '\n' || c == '\r') {
                throw new IllegalArgumentException(
                        "CSV "
                                + what
                                + " must be a single ASCII character other than CR/LF,"
                                + " got U+"
                                + Integer.toHexString(c));
            }
        }
    }
}
