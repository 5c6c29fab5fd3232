package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.query.ExportFormat;
import dev.tarn.lake.query.SavedTable;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.query.SqlOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lake sql "QUERY"} runs a query, or a script of several ({@code "SELECT 1 AS a; SELECT 2 AS
 * b"}): every statement is checked before any runs, then each runs and prints its result in order.
 * {@code lake sql} alone reads statements ending with ';' from stdin, with a prompt when a person
 * is typing. {@code --save ZONE/TABLE} saves a query's result as a table. Results are written as
 * they are read, in constant memory (the table output keeps the rows it shows, and counts the
 * rest).
 */
@Command(
        name = "sql",
        header = "run SQL over the lake (no query: read statements from stdin)",
        customSynopsis = {
            "lake sql [OPTIONS] [\"QUERY[; QUERY...]\"]",
            "          lake sql --save ZONE/TABLE \"QUERY\"",
            "          lake sql                 (statements ending with ';' from stdin; a prompt on a terminal)"
        },
        description = {
            "Runs SQL over the lake: every dataset is a relation zone.dataset (raw.clicks), raw files read as",
            "they lie, tables of object metadata for other datasets, tarn.objects for every object.",
            "Only queries run (SELECT, WITH, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN), over the lake's",
            "datasets by name; anything else, and reading files by path, is refused (exit 1).",
            "A script of several statements is checked whole first (one refused: none runs, exit 1), then",
            "each prints its result in order: a blank line between them in table and csv output; with",
            "-o json an array of {statement, sql, columns, rows, rowCount}, one per statement.",
            "In a session: .tables lists the relations, .quit leaves; exit 1 if any statement failed.",
            "",
            "Rows are written as they are read, in constant memory (the table shows the first 40 rows and",
            "counts the rest). STRUCT, MAP and LIST values print as JSON; timestamps as ISO 8601 in UTC",
            "(2026-01-02T03:04:05.123000Z) in every output. Ctrl-C cancels the running statement."
        })
final class SqlCommand extends CliCommand {
    /**
     * DuckDB's memory limit when --memory-limit is not given: a command-line process shares the
     * machine with others, and its memory (outside the JVM's heap) plus the JVM's stays under 1 GiB
     * with this.
     */
    static final String DEFAULT_MEMORY = "512MiB";

    @Parameters(
            index = "0",
            paramLabel = "QUERY",
            arity = "0..1",
            description = "one or more statements separated by ';'")
    String query;

    /** A second argument is refused by the command, saying to quote the query. */
    @Parameters(index = "1..*", arity = "0..*", hidden = true)
    List<String> extra = new ArrayList<>();

    @Option(
            names = "--save",
            paramLabel = "ZONE/TABLE",
            converter = Converters.Dataset.class,
            description =
                    "save the query's result as a new table, its lineage the datasets it read")
    DatasetId target;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = {
                "write the result to FILE instead: csv, json (NDJSON) or parquet, by its extension or --output",
                "csv|json; the file appears whole or not at all; never inside the lake (refused, exit 1)"
            })
    String out;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = Converters.Time.class,
            description =
                    "cancel a statement that runs longer (30s, 5m, 1h; default: none); exit 1")
    Duration timeout;

    @Option(
            names = "--max-rows",
            paramLabel = "N",
            description = "fail (exit 1) once a result has more than N rows, after writing N")
    String maxRowsText;

    @Option(
            names = "--memory-limit",
            paramLabel = "SIZE",
            converter = Converters.Size.class,
            description = {
                "DuckDB's memory (default 512MiB; larger work spills to the cache directory, ~/.cache/tarn/sql)"
            })
    String memory = DEFAULT_MEMORY;

    @Option(
            names = "--skip-bad-objects",
            arity = "0",
            description = {
                "leave out the objects of raw datasets that cannot be read (mixed line endings, a row with too many",
                "fields, truncated JSON), reading each once in full to check it; stderr names each one left out",
                "(with -o json, one line {\"skippedObjects\":[...]}). Without it a query over such a dataset fails",
                "naming the objects and why (exit 1)"
            })
    boolean skipBadObjects;

    @Override
    int run() throws IOException {
        List<String> pos = new ArrayList<>();
        if (query != null) {
            pos.add(query);
            pos.addAll(extra);
        }
        if (pos.size() > 1) {
            throw new UsageException("sql takes one query; quote it: lake sql \"SELECT ...\"");
        }
        if (out != null && pos.isEmpty()) {
            throw new UsageException("--out needs a query: lake sql \"SELECT ...\" --out FILE");
        }
        if (target != null && pos.isEmpty()) {
            throw new UsageException(
                    "--save needs a query: lake sql --save ZONE/TABLE \"SELECT ...\"");
        }
        if (target != null && out != null) {
            throw new UsageException(
                    "--save and --out cannot be used together: a result goes to a table or a file");
        }
        SqlOptions options = options();
        long maxRows = maxRows();
        try (Lake lake = ctx.openExisting()) {
            Sql sql = Sql.of(lake, options);
            try {
                if (!pos.isEmpty()) {
                    List<String> statements = sql.statements(pos.get(0));
                    if (statements.size() > 1 && (out != null || target != null)) {
                        throw new UsageException(
                                (out != null ? "--out" : "--save")
                                        + " takes the result of one query;"
                                        + " this script holds "
                                        + statements.size()
                                        + " statements");
                    }
                    if (target != null) {
                        return saveAs(ctx, sql, statements.get(0), target);
                    }
                    if (out != null) {
                        return export(ctx, sql, statements.get(0), Path.of(out));
                    }
                    script(ctx, sql, statements, maxRows);
                    return Main.OK;
                }
                return session(ctx, lake, sql, maxRows);
            } finally {
                skipped(ctx, sql);
            }
        } catch (QueryException e) {
            error(ctx, CliTerms.message(e, e.getMessage()));
            return Main.FAILURE;
        }
    }

    /**
     * A failed statement's error on stderr. DuckDB's message is printed whole: its first line after
     * "lake: ", and the lines after it (its hints, "Did you mean ...?", and where in the statement
     * it failed) as they are, so that the caret under the statement still points at the place.
     */
    static void error(Context ctx, String message) {
        ctx.out.flush();
        String m = message == null || message.isBlank() ? "query failed" : message.strip();
        boolean first = true;
        for (String line : m.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            ctx.err.println(
                    first ? "lake: " + Text.visible(line) : Text.visible(line.stripTrailing()));
            first = false;
        }
        ctx.err.flush();
    }

    /**
     * What {@code --save} prints: the table saved, its version and rows, and what it read at which
     * version.
     */
    record SavedView(String table, long version, long rows, List<Read> lineage) {
        /** A dataset the query read and its version then ({@code catalog@N} or {@code table@N}). */
        record Read(String dataset, String read) {}
    }

    /**
     * {@code --save ZONE/TABLE}: the query's result as a new table, with the datasets it read as
     * lineage.
     */
    private static int saveAs(Context ctx, Sql sql, String query, DatasetId target) {
        SavedTable saved = sql.saveAsTable(query, target);
        List<SavedView.Read> lineage = new ArrayList<>();
        new java.util.TreeMap<>(saved.lineage())
                .forEach((dataset, version) -> lineage.add(new SavedView.Read(dataset, version)));
        switch (ctx.output) {
            case JSON ->
                    ctx.out.print(
                            CliJson.write(
                                    new SavedView(
                                            saved.table().toString(),
                                            saved.version(),
                                            saved.rows(),
                                            lineage)));
            case CSV ->
                    ctx.out.print(
                            Csv.write(
                                    List.of("table", "version", "rows", "lineage"),
                                    List.of(
                                            Map.of(
                                                    "table",
                                                    saved.table().toString(),
                                                    "version",
                                                    saved.version(),
                                                    "rows",
                                                    saved.rows(),
                                                    "lineage",
                                                    lineage.stream()
                                                            .map(l -> l.dataset() + "@" + l.read())
                                                            .toList()))));
            case TABLE ->
                    ctx.out.println(
                            "saved "
                                    + saved.table()
                                    + " (version "
                                    + saved.version()
                                    + "): "
                                    + saved.rows()
                                    + (saved.rows() == 1 ? " row" : " rows")
                                    + (lineage.isEmpty()
                                            ? ""
                                            : ", read from "
                                                    + String.join(
                                                            ", ",
                                                            lineage.stream()
                                                                    .map(
                                                                            l ->
                                                                                    l.dataset()
                                                                                            + " ("
                                                                                            + l
                                                                                                    .read()
                                                                                            + ")")
                                                                    .toList())));
        }
        return Main.OK;
    }

    /**
     * The statements of a script, each run and printed in order: in the table and CSV outputs,
     * results one after the other with a blank line between; in JSON, one statement prints its rows
     * (an array of objects, as always) and several print an array of documents, one per statement
     * ({@link SqlRows#DOCUMENT}). A statement that fails ends the script: the error names it, and
     * the statements after it do not run.
     */
    private static void script(Context ctx, Sql sql, List<String> statements, long maxRows) {
        boolean several = statements.size() > 1;
        if (several && ctx.output == Context.Output.JSON) {
            ctx.out.print("[\n");
        }
        for (int i = 0; i < statements.size(); i++) {
            if (several && i > 0) {
                ctx.out.print(ctx.output == Context.Output.JSON ? ",\n" : "\n");
            }
            try {
                SqlRows.print(ctx, sql, statements.get(i), maxRows, several ? i + 1 : 0);
            } catch (QueryException e) {
                if (!several) {
                    throw e;
                }
                throw new QueryException(
                        "statement "
                                + (i + 1)
                                + " of "
                                + statements.size()
                                + " failed"
                                + (i + 1 < statements.size()
                                        ? " (the "
                                                + (statements.size() - i - 1)
                                                + " after it did not"
                                                + " run)"
                                        : "")
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
        if (several && ctx.output == Context.Output.JSON) {
            ctx.out.print("\n]\n");
        }
        ctx.out.flush();
    }

    /**
     * With --skip-bad-objects, what the statements left out, on stderr so that stdout stays the
     * result: a note per object for people, or with -o json one JSON document, {@code
     * {"skippedObjects":[{"dataset", "object", "reason"}]}}, for programs.
     */
    private static void skipped(Context ctx, Sql sql) {
        List<dev.tarn.lake.query.BadObject> skipped = sql.skippedObjects();
        if (skipped.isEmpty()) {
            return;
        }
        ctx.out.flush();
        if (ctx.output == Context.Output.JSON) {
            Map<String, Object> m =
                    Map.of(
                            "skippedObjects",
                            skipped.stream().map(Views.BadObjectView::of).toList());
            try {
                ctx.err.println(CliJson.MAPPER.writeValueAsString(m)); // one line
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        for (dev.tarn.lake.query.BadObject b : skipped) {
            ctx.err.println(
                    "lake: skipped " + Text.oneLine(b.key()) + ": " + Text.oneLine(b.reason()));
        }
        ctx.err.println(
                "lake: "
                        + skipped.size()
                        + (skipped.size() == 1
                                ? " malformed object was"
                                : " malformed" + " objects were")
                        + " left out (--skip-bad-objects)");
    }

    /**
     * The engine's options from the command line: --timeout, --memory-limit (else {@link
     * #DEFAULT_MEMORY}).
     */
    private SqlOptions options() {
        SqlOptions options =
                SqlOptions.defaults().memoryLimit(memory).skipBadObjects(skipBadObjects);
        if (timeout != null) {
            if (timeout.isZero()) {
                throw new UsageException("--timeout must be more than 0s");
            }
            options = options.timeout(timeout);
        }
        return options;
    }

    private long maxRows() {
        if (maxRowsText == null) {
            return Long.MAX_VALUE;
        }
        String v = maxRowsText;
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
            format =
                    switch (ctx.output) {
                        case JSON -> ExportFormat.JSON;
                        case CSV -> ExportFormat.CSV;
                        case TABLE ->
                                throw new UsageException(
                                        "--out writes csv, json or parquet (by extension or"
                                                + " --output csv|json), not a table");
                    };
        }
        long rows = sql.export(query, out, format);
        ctx.err.println(
                rows
                        + (rows == 1 ? " row" : " rows")
                        + " written to "
                        + out.toAbsolutePath()
                        + " ("
                        + format.name().toLowerCase(java.util.Locale.ROOT)
                        + ")");
        return Main.OK;
    }

    /**
     * Statements from stdin until EOF or .quit; a failed statement is reported and the session goes
     * on.
     */
    private static int session(Context ctx, Lake lake, Sql sql, long maxRows) throws IOException {
        boolean person = ctx.interactiveStderr();
        if (person) {
            ctx.err.println(
                    "Tarn SQL on "
                            + lake.location()
                            + ". End statements with ';'. .tables lists the"
                            + " datasets, .quit leaves.");
        }
        BufferedReader in =
                new BufferedReader(new InputStreamReader(ctx.in, StandardCharsets.UTF_8));
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
            failures +=
                    runStatement(
                            ctx, sql, pending.toString(), maxRows); // the last one may lack its ';'
        }
        return failures == 0 ? Main.OK : Main.FAILURE;
    }

    /**
     * Runs what a session read up to a ';' (a line may hold several statements, each printed as it
     * would be alone) and prints the results or the error; returns 1 if it failed.
     */
    private static int runStatement(Context ctx, Sql sql, String text, long maxRows) {
        try {
            for (String statement : sql.statements(text)) {
                SqlRows.print(ctx, sql, statement, maxRows, 0);
            }
            return 0;
        } catch (QueryException e) {
            error(ctx, CliTerms.message(e, e.getMessage()));
            return 1;
        } finally {
            ctx.out.flush();
        }
    }
}
