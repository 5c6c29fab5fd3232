package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.LakeBuilder;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a command runs with: streams, environment, and the global options. */
final class Context {
    enum Output {
        TABLE,
        JSON,
        CSV;

        static Output parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "table" -> TABLE;
                case "json" -> JSON;
                case "csv" -> CSV;
                default ->
                        throw new UsageException(
                                "--output '" + s + "' is not one of table, json, csv");
            };
        }
    }

    final InputStream in;
    final OutputStream rawOut;
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;

    String location;

    /**
     * {@code --store-option KEY=VALUE}: options of the lake's object store (S3 endpoint, region,
     * ...).
     */
    final Map<String, String> storeOptions = new java.util.LinkedHashMap<>();

    boolean verbose;
    Output output = Output.TABLE;

    /**
     * Whether --output was given (lake sql --out then takes its format from it rather than the file
     * name).
     */
    boolean outputGiven;

    Context(InputStream in, OutputStream out, OutputStream err, Map<String, String> env) {
        this.in = in;
        this.rawOut = out;
        this.out = new PrintStream(out, false, StandardCharsets.UTF_8);
        this.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        this.env = env;
    }

    /** {@code --lake}, else {@code $TARN_LAKE}, else {@code ./lake-data}. */
    String location() {
        if (location != null) {
            return location;
        }
        String e = env.get("TARN_LAKE");
        return e != null && !e.isBlank() ? e : "lake-data";
    }

    /** The location as people read it: an absolute, normalised path for a directory. */
    String displayLocation() {
        String l = location();
        if (l.startsWith("file:") || l.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return l; // a URI (s3://bucket/prefix) is shown as given
        }
        return Path.of(l).toAbsolutePath().normalize().toString();
    }

    private void checkStoreOptions() {
        if (!storeOptions.isEmpty() && !location().matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new UsageException(
                    "--store-option applies to a lake at a URI such as s3://bucket/prefix, not to"
                            + " the directory "
                            + displayLocation());
        }
    }

    /** Opens the lake; fails with "no lake at ... (run 'lake init')" if there is none. */
    Lake openExisting() {
        checkStoreOptions();
        LakeBuilder b = Lake.builder().location(location()).createIfMissing(false);
        storeOptions.forEach(b::storeOption);
        return b.open();
    }

    /**
     * Opens the lake, creating it with these zones (or the defaults when empty) if there is none.
     */
    Lake openOrCreate(List<String> zones) {
        checkStoreOptions();
        LakeBuilder b = Lake.builder().location(location()).createIfMissing(true);
        storeOptions.forEach(b::storeOption);
        if (!zones.isEmpty()) {
            b.zones(zones.toArray(String[]::new));
        }
        return b.open();
    }

    /**
     * Whether stderr is a terminal people watch: the launcher says so with TARN_TTY=1 ({@code test
     * -t 2}).
     */
    boolean interactiveStderr() {
        String tty = env.get("TARN_TTY");
        if (tty != null) {
            return tty.equals("1");
        }
        String term = env.get("TERM");
        return System.console() != null
                && term != null
                && !term.isEmpty()
                && !term.equals("dumb")
                && env.get("CI") == null;
    }

    void print(String s) {
        out.print(s);
    }

    /**
     * Prints records: a JSON array, CSV with {@code keys} as header, or a table (or {@code empty}
     * if none).
     */
    <R extends Record> void list(
            List<R> rows, List<String> keys, List<Columns.Column<R>> columns, String empty) {
        switch (output) {
            case JSON -> out.print(CliJson.write(rows));
            case CSV -> out.print(Csv.records(keys, rows));
            case TABLE ->
                    out.print(
                            rows.isEmpty() && empty != null
                                    ? empty + "\n"
                                    : Columns.write(columns, rows));
        }
    }

    /**
     * Prints one record: a JSON object, CSV with {@code keys} as header and one row, or the given
     * table text.
     */
    void record(Record record, List<String> keys, String table) {
        switch (output) {
            case JSON -> out.print(CliJson.write(record));
            case CSV -> out.print(Csv.records(keys, List.of(record)));
            case TABLE -> out.print(table);
        }
    }
}
