package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.query.ExportFormat;
import dev.tarn.lake.query.QueryException;
import dev.tarn.lake.query.QueryResult;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.query.SqlOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lake sql "QUERY"} runs one query; {@code lake sql} alone reads statements ending with ';' from stdin, with a
 * prompt when a person is typing. Results are written as they are read, in constant memory (the table output keeps
 * the rows it shows, and counts the rest).
 */
final class SqlCommand implements Command {
    /**
     * DuckDB's memory limit when --memory-limit is not given: a command-line process shares the machine with
     * others, and its memory (outside the JVM's heap) plus the JVM's stays under 1 GiB with this.
     */
    static final String DEFAULT_MEMORY = "512MiB";

    @Override
    public String name() {
        return "sql";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.value("--out"), Args.Opt.value("--timeout"), Args.Opt.value("--max-rows"),
                Args.Opt.value("--memory-limit"), Args.Opt.flag("--skip-bad-objects"));
    }

    @Override
    public int run(Context ctx, Args args) throws IOException {
        List<String> pos = args.positionals();
        if (pos.size() > 1) {
            throw new UsageException("sql takes one query; quote it: lake sql \"SELECT ...\"");
        }
        String out = args.value("--out");
        if (out != null && pos.isEmpty()) {
            throw new UsageException("--out needs a query: lake sql \"SELECT ...\" --out FILE");
        }
        SqlOptions options = options(args);
        long maxRows = maxRows(args);
        try (Lake lake = ctx.openExisting()) {
            Sql sql = Sql.of(lake, options);
            try {
                if (!pos.isEmpty()) {
                    if (out != null) {
                        return export(ctx, sql, pos.get(0), Path.of(out));
                    }
                    print(ctx, sql, pos.get(0), maxRows);
                    return Main.OK;
                }
                return session(ctx, lake, sql, maxRows);
            } finally {
                skipped(ctx, sql);
            }
        }
    }

    /**
     * With --skip-bad-objects, what the statements left out, on stderr so that stdout stays the result: a note per
     * object for people, or with -o json one JSON document, {@code {"skippedObjects":[{"dataset", "object",
     * "reason"}]}}, for programs.
     */
    private static void skipped(Context ctx, Sql sql) {
        List<dev.tarn.lake.query.BadObject> skipped = sql.skippedObjects();
        if (skipped.isEmpty()) {
            return;
        }
        ctx.out.flush();
        if (ctx.output == Context.Output.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("skippedObjects", skipped.stream().map(Views::badObject).toList());
            try {
                ctx.err.println(CliJson.MAPPER.writeValueAsString(m)); // one line
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        for (dev.tarn.lake.query.BadObject b : skipped) {
            ctx.err.println("lake: skipped " + Text.oneLine(b.key()) + ": " + Text.oneLine(b.reason()));
        }
        ctx.err.println("lake: " + skipped.size() + (skipped.size() == 1 ? " malformed object was" : " malformed"
                + " objects were") + " left out (--skip-bad-objects)");
    }

    /** The engine's options from the command line: --timeout, --memory-limit (else {@link #DEFAULT_MEMORY}). */
    private static SqlOptions options(Args args) {
        String memory = args.has("--memory-limit") ? args.value("--memory-limit") : DEFAULT_MEMORY;
        if (!memory.matches("\\d+(\\.\\d+)?\\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)")) {
            throw new UsageException("--memory-limit '" + memory + "' is not a size such as 512MiB or 2GiB");
        }
        SqlOptions options = SqlOptions.defaults().memoryLimit(memory).skipBadObjects(args.has("--skip-bad-objects"));
        if (args.has("--timeout")) {
            Duration timeout = Text.duration(args.value("--timeout"));
            if (timeout.isZero()) {
                throw new UsageException("--timeout must be more than 0s");
            }
            options = options.timeout(timeout);
        }
        return options;
    }

    private static long maxRows(Args args) {
        if (!args.has("--max-rows")) {
            return Long.MAX_VALUE;
        }
        String v = args.value("--max-rows");
        try {
            long n = Long.parseLong(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new UsageException("--max-rows '" + v + "' is not a number of rows (1 or more)");
    }

    private static int export(Context ctx, Sql sql, String query, Path out) {
        ExportFormat format = ExportFormat.forFileName(out.getFileName().toString());
        if (ctx.outputGiven) {
            format = switch (ctx.output) {
                case JSON -> ExportFormat.JSON;
                case CSV -> ExportFormat.CSV;
                case TABLE -> throw new UsageException("--out writes csv, json or parquet (by extension or"
                        + " --output csv|json), not a table");
            };
        }
        long rows = sql.export(query, out, format);
        ctx.err.println(rows + (rows == 1 ? " row" : " rows") + " written to " + out.toAbsolutePath() + " ("
                + format.name().toLowerCase(java.util.Locale.ROOT) + ")");
        return Main.OK;
    }

    /** Statements from stdin until EOF or .quit; a failed statement is reported and the session goes on. */
    private static int session(Context ctx, Lake lake, Sql sql, long maxRows) throws IOException {
        boolean person = ctx.interactiveStderr();
        if (person) {
            ctx.err.println("Tarn SQL on " + lake.location() + ". End statements with ';'. .tables lists the"
                    + " datasets, .quit leaves.");
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(ctx.in, StandardCharsets.UTF_8));
        StringBuilder pending = new StringBuilder();
        int failures = 0;
        while (true) {
            if (person) {
                ctx.err.print(pending.length() == 0 ? "tarn> " : "  ...> ");
                ctx.err.flush();
            }
            String line = in.readLine();
            if (line == null) {
                break;
            }
            String trimmed = line.strip();
            if (pending.length() == 0 && trimmed.startsWith(".")) {
                if (trimmed.equals(".quit") || trimmed.equals(".exit")) {
                    break;
                }
                if (trimmed.equals(".tables")) {
                    for (Dataset d : lake.catalog().datasets()) {
                        ctx.out.println(d.id().zone() + "." + d.id().name());
                    }
                    ctx.out.flush();
                    continue;
                }
                ctx.err.println("lake: unknown command " + trimmed + " (.tables, .quit)");
                continue;
            }
            pending.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = pending.toString();
                pending.setLength(0);
                failures += runStatement(ctx, sql, statement, maxRows);
            }
        }
        if (!pending.toString().isBlank()) {
            failures += runStatement(ctx, sql, pending.toString(), maxRows); // the last one may lack its ';'
        }
        return failures == 0 ? Main.OK : Main.FAILURE;
    }

    /** Runs one statement of a session and prints its result or its error; returns 1 if it failed. */
    private static int runStatement(Context ctx, Sql sql, String statement, long maxRows) {
        try {
            print(ctx, sql, statement, maxRows);
            return 0;
        } catch (QueryException e) {
            ctx.out.flush();
            ctx.err.println("lake: " + Text.oneLine(e.getMessage()));
            return 1;
        } finally {
            ctx.out.flush();
        }
    }

    /**
     * Runs a query and writes its rows as they come. With --max-rows N, a query returning more fails after its first
     * N rows were written (its output is then incomplete, which exit 1 says).
     */
    static void print(Context ctx, Sql sql, String query, long maxRows) {
        try (ResultSet rs = sql.resultSet(query)) {
            ResultSetMetaData md = rs.getMetaData();
            List<QueryResult.Column> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(new QueryResult.Column(md.getColumnLabel(i), md.getColumnTypeName(i)));
            }
            RowWriter w = switch (ctx.output) {
                case TABLE -> new TableRows(ctx, columns);
                case CSV -> new CsvRows(ctx, columns);
                case JSON -> new JsonRows(ctx, columns);
            };
            long n = 0;
            while (rs.next()) {
                if (n >= maxRows) {
                    w.end(n);
                    throw new QueryException("the query returns more than " + maxRows + " rows (--max-rows); the"
                            + " first " + maxRows + " were written");
                }
                List<Object> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(plain(rs.getObject(i)));
                }
                w.row(row);
                n++;
                if ((n & 1023) == 0 && ctx.out.checkError()) {
                    throw new CatCommand.StdoutClosedException(new IOException("stdout closed"));
                }
            }
            w.end(n);
        } catch (SQLException e) {
            throw new QueryException("reading the result failed: " + e.getMessage(), e);
        }
    }

    /** Output written a row at a time. */
    private interface RowWriter {
        void row(List<Object> values);

        void end(long rows);
    }

    /** The table people read: the first rows, aligned, and how many there were (what QueryResult prints). */
    private static final class TableRows implements RowWriter {
        private final Context ctx;
        private final List<QueryResult.Column> columns;
        private final List<List<Object>> shown = new ArrayList<>();

        TableRows(Context ctx, List<QueryResult.Column> columns) {
            this.ctx = ctx;
            this.columns = columns;
        }

        @Override
        public void row(List<Object> values) {
            if (shown.size() < QueryResult.SHOWN_ROWS) {
                shown.add(values);
            }
        }

        @Override
        public void end(long rows) {
            ctx.out.println(QueryResult.format(columns, shown, rows));
        }
    }

    private static final class CsvRows implements RowWriter {
        private final Context ctx;

        CsvRows(Context ctx, List<QueryResult.Column> columns) {
            this.ctx = ctx;
            line(columns.stream().map(c -> (Object) c.name()).toList());
        }

        private void line(List<Object> values) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < values.size(); i++) {
                b.append(i == 0 ? "" : ",").append(Csv.field(Csv.text(values.get(i))));
            }
            ctx.out.print(b.append('\n'));
        }

        @Override
        public void row(List<Object> values) {
            line(values);
        }

        @Override
        public void end(long rows) {
            ctx.out.flush();
        }
    }

    /** A JSON array of objects, as {@code Json.write} lays out a list of maps, one row at a time. */
    private static final class JsonRows implements RowWriter {
        private final Context ctx;
        private final List<String> keys;
        private boolean started;

        JsonRows(Context ctx, List<QueryResult.Column> columns) {
            this.ctx = ctx;
            this.keys = columns.stream().map(QueryResult.Column::name).toList();
        }

        @Override
        public void row(List<Object> values) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                m.put(keys.get(i), values.get(i));
            }
            StringBuilder b = new StringBuilder(started ? ",\n" : "[\n");
            started = true;
            Json.write(b, m, 1, true);
            ctx.out.print(b);
        }

        @Override
        public void end(long rows) {
            ctx.out.print(started ? "\n]\n" : "[]\n");
            ctx.out.flush();
        }
    }

    /** SQL values as JSON and CSV show them: numbers and booleans as they are, everything else as text. */
    private static Object plain(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        return v.toString();
    }
}
