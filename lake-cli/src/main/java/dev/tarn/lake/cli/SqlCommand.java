package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.query.ExportFormat;
import dev.tarn.lake.query.QueryException;
import dev.tarn.lake.query.QueryResult;
import dev.tarn.lake.query.Sql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lake sql "QUERY"} runs one query; {@code lake sql} alone reads statements ending with ';' from stdin, with a
 * prompt when a person is typing.
 */
final class SqlCommand implements Command {
    @Override
    public String name() {
        return "sql";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.value("--out"));
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
        try (Lake lake = ctx.openExisting()) {
            Sql sql = Sql.of(lake);
            if (!pos.isEmpty()) {
                if (out != null) {
                    return export(ctx, sql, pos.get(0), Path.of(out));
                }
                print(ctx, sql.query(pos.get(0)));
                return Main.OK;
            }
            return session(ctx, lake, sql);
        }
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
    private static int session(Context ctx, Lake lake, Sql sql) throws IOException {
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
                failures += runStatement(ctx, sql, statement);
            }
        }
        if (!pending.toString().isBlank()) {
            failures += runStatement(ctx, sql, pending.toString()); // the last statement may lack its ';'
        }
        return failures == 0 ? Main.OK : Main.FAILURE;
    }

    /** Runs one statement of a session and prints its result or its error; returns 1 if it failed. */
    private static int runStatement(Context ctx, Sql sql, String statement) {
        try {
            print(ctx, sql.query(statement));
            return 0;
        } catch (QueryException e) {
            ctx.out.flush();
            ctx.err.println("lake: " + Text.oneLine(e.getMessage()));
            return 1;
        } finally {
            ctx.out.flush();
        }
    }

    static void print(Context ctx, QueryResult r) {
        if (ctx.output == Context.Output.TABLE) {
            ctx.out.println(r);
            return;
        }
        List<String> keys = r.columnNames();
        List<Map<String, Object>> rows = new ArrayList<>(r.rowCount());
        for (List<Object> row : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                m.put(keys.get(i), plain(row.get(i)));
            }
            rows.add(m);
        }
        ctx.list(rows, keys, List.of(), null);
    }

    /** SQL values as JSON and CSV show them: numbers and booleans as they are, everything else as text. */
    private static Object plain(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        return v.toString();
    }
}
