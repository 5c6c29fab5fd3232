package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.table.CommitResult;
import dev.tarn.lake.table.Convert;
import dev.tarn.lake.table.ConvertResult;
import dev.tarn.lake.table.HistoryEntry;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.table.VacuumResult;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The commands over tables: convert, history, lineage, optimize, vacuum, delete, restore. */
final class TableCommands {
    private TableCommands() {
    }

    static List<Command> all() {
        return List.of(new ConvertCmd(), new HistoryCmd(), new LineageCmd(), new OptimizeCmd(), new VacuumCmd(),
                new DeleteCmd(), new RestoreCmd());
    }

    private static DatasetId table(Args args, int i) {
        return DatasetId.parse(args.positionals().get(i));
    }

    static Map<String, Object> commit(DatasetId id, CommitResult c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table", id.toString());
        m.put("version", c.version());
        m.put("timestamp", c.timestamp());
        m.put("operation", c.operation());
        m.put("filesAdded", c.filesAdded());
        m.put("filesRemoved", c.filesRemoved());
        return m;
    }

    static final List<String> COMMIT_KEYS = List.of("table", "version", "timestamp", "operation", "filesAdded",
            "filesRemoved");
    static final List<String> DELETE_KEYS = List.of("table", "version", "timestamp", "operation", "filesAdded",
            "filesRemoved", "predicate", "rowsDeleted");

    /** The numDeletedRows metric of the delete committed as {@code version}, or null if its commit lacks it. */
    private static Long deletedRows(Table t, long version) {
        for (HistoryEntry h : t.history(1)) {
            if (h.version() == version && TableViews.typed(h.metrics().get("numDeletedRows")) instanceof Long n) {
                return n;
            }
        }
        return null;
    }

    /** {@code lake convert raw/DATASET processed/TABLE}. */
    static final class ConvertCmd implements Command {
        static final List<String> KEYS = List.of("source", "table", "converted", "tableVersion", "sourceVersion",
                "objects", "rowsWritten", "rowsQuarantined", "quarantine", "notes");

        @Override
        public String name() {
            return "convert";
        }

        @Override
        public List<Args.Opt> options() {
            return List.of(Args.Opt.repeated("--partition-by"), Args.Opt.value("--schema"),
                    Args.Opt.value("--mode"), Args.Opt.flag("--evolve"), Args.Opt.value("--max-errors"),
                    Args.Opt.value("--max-columns"), Args.Opt.value("--policy"), Args.Opt.value("--json-path"));
        }

        @Override
        public int run(Context ctx, Args args) {
            args.expectPositionals("SOURCE", "TABLE");
            DatasetId source = table(args, 0);
            DatasetId target = table(args, 1);
            Convert.Mode mode = Convert.Mode.APPEND;
            if (args.has("--mode")) {
                String m = args.value("--mode").toLowerCase(Locale.ROOT);
                if (!m.equals("append") && !m.equals("overwrite")) {
                    throw new UsageException("--mode is append or overwrite, not '" + args.value("--mode") + "'");
                }
                mode = m.equals("append") ? Convert.Mode.APPEND : Convert.Mode.OVERWRITE;
            }
            dev.tarn.lake.format.ErrorBudget budget = args.has("--max-errors")
                    ? ConvertFileCommand.budget(args.value("--max-errors")) : null;
            try (Lake lake = ctx.openExisting()) {
                Convert c = Tables.of(lake).newConvert(source, target).mode(mode)
                        .partitionBy(args.values("--partition-by").toArray(String[]::new));
                if (args.has("--schema")) {
                    c.schema(Path.of(args.value("--schema")));
                }
                if (budget != null) {
                    c.errorBudget(budget);
                }
                if (args.has("--max-columns")) {
                    c.maxColumns(ConvertFileCommand.positiveInt("--max-columns", args.value("--max-columns")));
                }
                if (args.has("--evolve")) {
                    c.evolveSchema();
                }
                if (args.has("--policy")) {
                    if (args.has("--evolve")) {
                        throw new UsageException("--evolve is --policy widen; give one of them");
                    }
                    c.schemaPolicy(ConvertFileCommand.policy(args.value("--policy")));
                }
                if (args.has("--json-path")) {
                    c.jsonPath(ConvertFileCommand.jsonPath(args.value("--json-path")));
                }
                ConvertResult r;
                try {
                    r = ConvertFileCommand.Bar.around(ctx, c::progress, c::commit);
                } catch (dev.tarn.lake.exceptions.FormatException e) {
                    throw ConvertFileCommand.inCliTerms(e, false);
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("source", r.source().toString());
                m.put("table", r.table().toString());
                m.put("converted", r.converted());
                m.put("tableVersion", r.converted() ? r.tableVersion() : null);
                m.put("sourceVersion", r.sourceVersion());
                m.put("objects", r.objects());
                m.put("rowsWritten", r.rowsWritten());
                m.put("rowsQuarantined", r.rowsQuarantined());
                m.put("quarantine", r.quarantine());
                m.put("notes", r.notes());
                StringBuilder notes = new StringBuilder();
                for (String n : r.notes()) {
                    notes.append("note: ").append(n).append('\n');
                }
                String text = notes + (r.converted()
                        ? "converted " + r.objects().size() + " object(s) of " + source + " into " + target
                        + " version " + r.tableVersion() + ": " + r.rowsWritten() + " rows"
                        + (r.rowsQuarantined() > 0 ? ", " + r.rowsQuarantined() + " quarantined in "
                        + r.quarantine() : "") + "\n"
                        : "nothing new in " + source + " for " + target + " (converted up to catalog version "
                        + r.sourceVersion() + ")\n");
                ctx.record(m, KEYS, text);
            }
            return Main.OK;
        }
    }

    /** {@code lake history ZONE/TABLE}. */
    static final class HistoryCmd implements Command {
        static final List<String> KEYS = List.of("version", "timestamp", "operation", "user", "parameters",
                "metrics");

        @Override
        public String name() {
            return "history";
        }

        @Override
        public List<Args.Opt> options() {
            return List.of(Args.Opt.value("--limit"));
        }

        @Override
        public int run(Context ctx, Args args) {
            int limit = args.has("--limit") ? positive("--limit", args.value("--limit")) : Integer.MAX_VALUE;
            if (args.positionals().isEmpty()) {
                return catalog(ctx, limit);
            }
            args.expectPositionals("ZONE/TABLE");
            try (Lake lake = ctx.openExisting()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (HistoryEntry h : Tables.of(lake).load(table(args, 0)).history(limit)) {
                    rows.add(TableViews.history(h));
                }
                ctx.list(rows, KEYS, List.of(
                        dev.tarn.lake.cli.Table.Column.right("VERSION", r -> String.valueOf(r.get("version"))),
                        dev.tarn.lake.cli.Table.Column.left("TIME", r -> Text.time((java.time.Instant) r.get("timestamp"))),
                        dev.tarn.lake.cli.Table.Column.left("OPERATION", r -> LsCommand.str(r.get("operation"))),
                        dev.tarn.lake.cli.Table.Column.left("USER", r -> LsCommand.str(r.get("user"))),
                        dev.tarn.lake.cli.Table.Column.left("METRICS", r -> Text.kv((Map<?, ?>) r.get("metrics")))), "no history");
            }
            return Main.OK;
        }
    }

    /** {@code lake history}: the catalog's commits, newest first, with their user and parameters (and reasons). */
    private static int catalog(Context ctx, int limit) {
        try (Lake lake = ctx.openExisting()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (dev.tarn.lake.catalog.CatalogCommit c : lake.history(limit)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("version", c.version());
                m.put("timestamp", c.timestamp());
                m.put("operation", c.operation());
                m.put("user", c.principal());
                m.put("parameters", new java.util.TreeMap<>(c.parameters()));
                rows.add(m);
            }
            ctx.list(rows, CATALOG_KEYS, List.of(
                    dev.tarn.lake.cli.Table.Column.right("VERSION", r -> String.valueOf(r.get("version"))),
                    dev.tarn.lake.cli.Table.Column.left("TIME", r -> Text.time((java.time.Instant) r.get("timestamp"))),
                    dev.tarn.lake.cli.Table.Column.left("OPERATION", r -> LsCommand.str(r.get("operation"))),
                    dev.tarn.lake.cli.Table.Column.left("USER", r -> Text.oneLine(LsCommand.str(r.get("user")))),
                    dev.tarn.lake.cli.Table.Column.left("PARAMETERS",
                            r -> Text.oneLine(Text.kv((Map<?, ?>) r.get("parameters"))))), "no history");
        }
        return Main.OK;
    }

    static final List<String> CATALOG_KEYS = List.of("version", "timestamp", "operation", "user", "parameters");

    /** {@code lake lineage ZONE/TABLE}: which sources, at which versions, fed each version of a table. */
    static final class LineageCmd implements Command {
        static final List<String> KEYS = List.of("version", "timestamp", "operation", "source", "sourceVersion",
                "objects");

        @Override
        public String name() {
            return "lineage";
        }

        @Override
        public List<Args.Opt> options() {
            return List.of();
        }

        @Override
        public int run(Context ctx, Args args) throws Exception {
            args.expectPositionals("ZONE/TABLE");
            try (Lake lake = ctx.openExisting()) {
                Table t = Tables.of(lake).load(table(args, 0));
                List<Map<String, Object>> rows = new ArrayList<>();
                List<HistoryEntry> history = new ArrayList<>(t.history());
                java.util.Collections.reverse(history); // oldest first
                for (HistoryEntry h : history) {
                    String source = h.parameters().get("source");
                    if (source == null) {
                        continue;
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("version", h.version());
                    m.put("timestamp", h.timestamp());
                    m.put("operation", h.operation());
                    m.put("source", source);
                    m.put("sourceVersion", TableViews.typed(h.parameters().get("sourceVersion")));
                    String objects = h.parameters().getOrDefault("sourceObjects", "[]");
                    m.put("objects", CliJson.stringList(objects));
                    rows.add(m);
                }
                String saved = t.snapshot(0).properties().get("tarn.lineage");
                if (saved != null) {
                    var node = CliJson.MAPPER.readTree(saved);
                    node.path("sources").fields().forEachRemaining(e -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("version", 0L);
                        m.put("timestamp", t.snapshot(0).timestamp());
                        m.put("operation", "SAVE AS TABLE");
                        m.put("source", e.getKey());
                        m.put("sourceVersion", TableViews.typed(e.getValue().asText()));
                        m.put("objects", List.of());
                        rows.add(0, m);
                    });
                }
                ctx.list(rows, KEYS, List.of(
                        dev.tarn.lake.cli.Table.Column.right("VERSION", r -> String.valueOf(r.get("version"))),
                        dev.tarn.lake.cli.Table.Column.left("OPERATION", r -> LsCommand.str(r.get("operation"))),
                        dev.tarn.lake.cli.Table.Column.left("SOURCE", r -> LsCommand.str(r.get("source"))),
                        dev.tarn.lake.cli.Table.Column.right("AT", r -> LsCommand.str(r.get("sourceVersion"))),
                        dev.tarn.lake.cli.Table.Column.left("OBJECTS", r -> objects((List<?>) r.get("objects")))),
                        "no recorded sources");
            }
            return Main.OK;
        }
    }

    /** The first objects a version read, then how many more: a conversion of thousands stays one line. */
    static String objects(List<?> objects) {
        int shown = Math.min(3, objects.size());
        String first = String.join(", ", objects.subList(0, shown).stream().map(Object::toString).toList());
        return objects.size() > shown ? first + " and " + TableViews.count(objects.size() - shown) + " more"
                : first;
    }

    /** {@code lake optimize ZONE/TABLE}: compacts small files. */
    static final class OptimizeCmd implements Command {
        @Override
        public String name() {
            return "optimize";
        }

        @Override
        public List<Args.Opt> options() {
            return List.of();
        }

        @Override
        public int run(Context ctx, Args args) {
            args.expectPositionals("ZONE/TABLE");
            DatasetId id = table(args, 0);
            try (Lake lake = ctx.openExisting()) {
                Table t = Tables.of(lake).load(id);
                var before = t.snapshot();
                var r = t.newCompaction().commit();
                Map<String, Object> m = TableViews.compaction(id.toString(), r, before, t);
                ctx.record(m, TableViews.COMPACTION_KEYS, TableViews.compactionText(m));
            }
            return Main.OK;
        }
    }

    /**
     * {@code --retain}: a duration as everywhere else ({@code 90m}, {@code 36h}, {@code 7d}), or a bare number of
     * hours as it always took.
     */
    static Duration retention(String text) {
        if (text.trim().matches("\\d+")) {
            return Duration.ofHours(nonNegative("--retain", text.trim()));
        }
        try {
            return Text.duration(text);
        } catch (UsageException e) {
            throw new UsageException("--retain '" + text + "' is not a duration; write e.g. 90m, 36h, 7d (a bare"
                    + " number is hours)");
        }
    }

    /** {@code lake vacuum ZONE/TABLE [--retain DURATION] [--dry-run]}. */
    static final class VacuumCmd implements Command {
        @Override
        public String name() {
            return "vacuum";
        }

        @Override
        public List<Args.Opt> options() {
            return List.of(Args.Opt.value("--retain"), Args.Opt.flag("--dry-run"));
        }

        @Override
        public int run(Context ctx, Args args) {
            args.expectPositionals("ZONE/TABLE");
            DatasetId id = table(args, 0);
            Duration retain = args.has("--retain") ? retention(args.value("--retain")) : Duration.ofDays(7);
            try (Lake lake = ctx.openExisting()) {
                var v = Tables.of(lake).load(id).newVacuum().retention(retain);
                VacuumResult r = args.has("--dry-run") ? v.apply() : v.commit();
                Map<String, Object> m = TableViews.vacuum(id.toString(), r, retain);
                StringBuilder text = new StringBuilder((r.dryRun() ? "would delete " : "deleted ")
                        + TableViews.count(r.deletedFiles().size()) + " file(s), " + Text.size(r.deletedBytes())
                        + " from " + id + " (retention " + TableViews.duration(retain) + ")\n");
                TableViews.listed(text, r.deletedFiles());
                ctx.record(m, TableViews.VACUUM_KEYS, text.toString());
            }
            return Main.OK;
        }
    }

    /** {@code lake delete ZONE/TABLE --where PREDICATE}: rewrites the files holding matching rows. */
    static final class DeleteCmd implements Command {
        @Override
        public String name() {
            return "delete";
        }

        @Override
        public List<Args.Opt> options() {
            return List.of(Args.Opt.value("--where"));
        }

        @Override
        public int run(Context ctx, Args args) {
            args.expectPositionals("ZONE/TABLE");
            if (!args.has("--where")) {
                throw new UsageException("delete needs --where PREDICATE (e.g. --where \"user_id = 42\");"
                        + " to empty a table, use --where \"true\"-like conditions deliberately");
            }
            DatasetId id = table(args, 0);
            try (Lake lake = ctx.openExisting()) {
                Table t = Tables.of(lake).load(id);
                var predicate = WherePredicate.parse(args.value("--where"), t.snapshot().schema());
                CommitResult c = t.newRowDelete().rows(predicate, args.value("--where")).commit();
                Map<String, Object> m = commit(id, c);
                m.put("predicate", args.value("--where"));
                m.put("rowsDeleted", c.attempts() == 0 ? 0L : deletedRows(t, c.version()));
                if (c.attempts() == 0) {
                    ctx.record(m, DELETE_KEYS, "no row of " + id + " matches " + args.value("--where")
                            + ": 0 rows deleted, nothing committed (the table stays at version " + c.version()
                            + ")\n");
                    return Main.OK;
                }
                ctx.record(m, DELETE_KEYS, "deleted " + (m.get("rowsDeleted") == null ? "the rows"
                        : TableViews.count((Long) m.get("rowsDeleted")) + " row(s)") + " of " + id + " where "
                        + args.value("--where") + ": version " + c.version() + " (" + c.filesRemoved()
                        + " file(s) rewritten; run 'lake"
                        + " vacuum' after the retention to erase the old files)\n");
            }
            return Main.OK;
        }
    }

    /** {@code lake restore ZONE/TABLE VERSION}. */
    static final class RestoreCmd implements Command {
        @Override
        public String name() {
            return "restore";
        }

        @Override
        public List<Args.Opt> options() {
            return List.of();
        }

        @Override
        public int run(Context ctx, Args args) {
            args.expectPositionals("ZONE/TABLE", "VERSION");
            DatasetId id = table(args, 0);
            long version = nonNegative("VERSION", args.positionals().get(1));
            try (Lake lake = ctx.openExisting()) {
                CommitResult c = Tables.of(lake).load(id).restore(version);
                ctx.record(commit(id, c), COMMIT_KEYS, "restored " + id + " to version " + version + " as version "
                        + c.version() + "\n");
            }
            return Main.OK;
        }
    }

    static int positive(String what, String text) {
        long n = nonNegative(what, text);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new UsageException(what + " must be a positive number, not '" + text + "'");
        }
        return (int) n;
    }

    static long nonNegative(String what, String text) {
        try {
            long n = Long.parseLong(text);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(what + " must be a whole number of 0 or more, not '" + text + "'");
        }
    }
}
