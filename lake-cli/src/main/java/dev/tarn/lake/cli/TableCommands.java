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
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands over tables: convert, history, lineage, optimize, vacuum, delete, restore. */
final class TableCommands {
    private TableCommands() {}

    static final List<String> COMMIT_KEYS =
            List.of("table", "version", "timestamp", "operation", "filesAdded", "filesRemoved");
    static final List<String> DELETE_KEYS =
            List.of(
                    "table",
                    "version",
                    "timestamp",
                    "operation",
                    "filesAdded",
                    "filesRemoved",
                    "predicate",
                    "rowsDeleted");

    /**
     * The numDeletedRows metric of the delete committed as {@code version}, or null if its commit
     * lacks it.
     */
    private static Long deletedRows(Table t, long version) {
        for (HistoryEntry h : t.history(1)) {
            if (h.version() == version
                    && TableViews.typed(h.metrics().get("numDeletedRows")) instanceof Long n) {
                return n;
            }
        }
        return null;
    }

    /**
     * {@code lake convert raw/DATASET processed/TABLE}. Its options, like every command's, are
     * lines of help text: --partition-by, --schema and --mode are alike in shape to convert-file's
     * --partition-by, --max-errors and --quarantine (they look repeated), not in content.
     */
    @Command(
            name = "convert",
            header = "convert a raw dataset's new objects into a table (exactly once)",
            description = {
                "Converts the objects of a raw dataset (NDJSON, JSON, CSV, TSV, Avro, Parquet) that the table",
                "has not consumed yet into the table (Delta Lake), creating it on first use. Exactly once: a second",
                "run, or one racing it in another process, finds the objects converted. Bad records go to",
                "ZONE/TABLE/_quarantine/ with their reasons. Each commit records its source, the source's catalog",
                "version and the objects it read ('lake lineage'). Parquet objects are copied as they are into an",
                "unpartitioned table (no --partition-by, no --schema); one a table cannot hold fails the run."
            })
    static final class ConvertCmd extends CliCommand {
        static final List<String> KEYS =
                List.of(
                        "source",
                        "table",
                        "converted",
                        "tableVersion",
                        "sourceVersion",
                        "objects",
                        "rowsWritten",
                        "rowsQuarantined",
                        "quarantine",
                        "notes");

        @Parameters(
                index = "0",
                paramLabel = "SOURCE",
                converter = Converters.Dataset.class,
                description = "the raw dataset, e.g. raw/clicks")
        DatasetId source;

        @Parameters(
                index = "1",
                paramLabel = "TABLE",
                converter = Converters.Dataset.class,
                description = "the table, e.g. processed/clicks")
        DatasetId target;

        @Option(
                names = "--partition-by",
                paramLabel = "COL",
                description = "Hive-style partitioning of a new table (repeatable)")
        List<String> partitionBy = new ArrayList<>();

        @Option(
                names = "--schema",
                paramLabel = "F.avsc",
                description = "an explicit Avro schema; records that do not fit are quarantined")
        Path schema;

        @Option(
                names = "--mode",
                paramLabel = "MODE",
                description = "append (default: new objects) or overwrite (all objects, replacing)")
        String mode;

        @Option(
                names = "--policy",
                paramLabel = "P",
                description = {
                    "how the table's schema may change for this data: strict (default: records with a new column or a",
                    "wider value are quarantined), add-columns (new nullable columns), widen (also wider types, through",
                    "Delta's typeWidening: int to long or double, float to double, date to timestamp without time zone,",
                    "decimals to more digits)"
                })
        String policy;

        @Option(names = "--evolve", arity = "0", description = "the same as --policy widen")
        boolean evolve;

        @Option(
                names = "--json-path",
                paramLabel = "A.B",
                description = {
                    "the array of records inside JSON documents (e.g. features; default: detected, and named in a note)"
                })
        String jsonPath;

        @Option(
                names = "--max-errors",
                paramLabel = "N|P%",
                converter = Converters.Budget.class,
                description = {
                    "bad records the run may quarantine before it fails with nothing committed (default 10%)"
                })
        dev.tarn.lake.format.ErrorBudget budget;

        @Option(
                names = "--max-columns",
                paramLabel = "N",
                description = {
                    "the most columns a record may have (default 10000); a wider record fails the run, naming the",
                    "object, the line and the limit"
                })
        String maxColumns;

        @Override
        int run() {
            Convert.Mode mode = Convert.Mode.APPEND;
            if (this.mode != null) {
                String m = this.mode.toLowerCase(Locale.ROOT);
                if (!m.equals("append") && !m.equals("overwrite")) {
                    throw new UsageException(
                            "--mode is append or overwrite, not '" + this.mode + "'");
                }
                mode = m.equals("append") ? Convert.Mode.APPEND : Convert.Mode.OVERWRITE;
            }
            try (Lake lake = ctx.openExisting()) {
                Convert c =
                        Tables.of(lake)
                                .newConvert(source, target)
                                .mode(mode)
                                .partitionBy(partitionBy.toArray(String[]::new));
                if (schema != null) {
                    c.schema(schema);
                }
                if (budget != null) {
                    c.errorBudget(budget);
                }
                if (maxColumns != null) {
                    c.maxColumns(
                            Converters.convert(
                                    new Converters.Positive(), "--max-columns", maxColumns));
                }
                if (evolve) {
                    c.evolveSchema();
                }
                if (policy != null) {
                    if (evolve) {
                        throw new UsageException("--evolve is --policy widen; give one of them");
                    }
                    c.schemaPolicy(ConvertFileCommand.policy(policy));
                }
                if (jsonPath != null) {
                    c.jsonPath(ConvertFileCommand.jsonPath(jsonPath));
                }
                ConvertResult r;
                try {
                    r = ProgressBar.around(ctx, c::progress, c::commit);
                } catch (dev.tarn.lake.exceptions.FormatException e) {
                    throw ConvertFileCommand.inCliTerms(e, false);
                }
                var m = TableViews.ConvertView.of(r);
                StringBuilder notes = new StringBuilder();
                for (String n : r.notes()) {
                    notes.append("note: ").append(n).append('\n');
                }
                String text =
                        notes
                                + (r.converted()
                                        ? "converted "
                                                + r.objects().size()
                                                + " object(s) of "
                                                + source
                                                + " into "
                                                + target
                                                + " version "
                                                + r.tableVersion()
                                                + ": "
                                                + r.rowsWritten()
                                                + " rows"
                                                + (r.rowsQuarantined() > 0
                                                        ? ", "
                                                                + r.rowsQuarantined()
                                                                + " quarantined in "
                                                                + r.quarantine()
                                                        : "")
                                                + "\n"
                                        : "nothing new in "
                                                + source
                                                + " for "
                                                + target
                                                + " (converted up to catalog version "
                                                + r.sourceVersion()
                                                + ")\n");
                ctx.record(m, KEYS, text);
            }
            return Main.OK;
        }
    }

    /** {@code lake history ZONE/TABLE}. */
    @Command(
            name = "history",
            header = "a table's versions, or the catalog's commits: time, operation, user",
            description = {
                "The table's versions, newest first: version, time, operation, user, parameters, metrics.",
                "Without a table: the catalog's commits, newest first: version, time, operation, user and",
                "parameters (the dataset, and the reason given to rm, drop or purge)."
            })
    static final class HistoryCmd extends CliCommand {
        static final List<String> KEYS =
                List.of("version", "timestamp", "operation", "user", "parameters", "metrics");

        /** Parsed by the command, so that a second argument is reported before a bad name. */
        @Parameters(paramLabel = "ZONE/TABLE", arity = "0..1")
        String table;

        @Option(names = "--limit", paramLabel = "N", description = "the newest N versions only")
        String limitText;

        @Override
        int run() {
            int limit = limitText != null ? positive("--limit", limitText) : Integer.MAX_VALUE;
            if (table == null) {
                return catalog(ctx, limit);
            }
            try (Lake lake = ctx.openExisting()) {
                List<TableViews.HistoryView> rows = new ArrayList<>();
                for (HistoryEntry h : Tables.of(lake).load(DatasetId.parse(table)).history(limit)) {
                    rows.add(TableViews.HistoryView.of(h));
                }
                ctx.list(
                        rows,
                        KEYS,
                        List.of(
                                Columns.Column.right("VERSION", r -> String.valueOf(r.version())),
                                Columns.Column.left("TIME", r -> Text.time(r.timestamp())),
                                Columns.Column.left("OPERATION", r -> LsCommand.str(r.operation())),
                                Columns.Column.left("USER", r -> LsCommand.str(r.user())),
                                Columns.Column.left("METRICS", r -> Text.kv(r.metrics()))),
                        "no history");
            }
            return Main.OK;
        }
    }

    /**
     * {@code lake history}: the catalog's commits, newest first, with their user and parameters
     * (and reasons).
     */
    private static int catalog(Context ctx, int limit) {
        try (Lake lake = ctx.openExisting()) {
            List<TableViews.CatalogCommitView> rows = new ArrayList<>();
            for (dev.tarn.lake.catalog.CatalogCommit c : lake.history(limit)) {
                rows.add(TableViews.CatalogCommitView.of(c));
            }
            ctx.list(
                    rows,
                    CATALOG_KEYS,
                    List.of(
                            Columns.Column.right("VERSION", r -> String.valueOf(r.version())),
                            Columns.Column.left("TIME", r -> Text.time(r.timestamp())),
                            Columns.Column.left("OPERATION", r -> LsCommand.str(r.operation())),
                            Columns.Column.left("USER", r -> Text.oneLine(LsCommand.str(r.user()))),
                            Columns.Column.left(
                                    "PARAMETERS", r -> Text.oneLine(Text.kv(r.parameters())))),
                    "no history");
        }
        return Main.OK;
    }

    static final List<String> CATALOG_KEYS =
            List.of("version", "timestamp", "operation", "user", "parameters");

    /**
     * {@code lake lineage ZONE/TABLE}: which sources, at which versions, fed each version of a
     * table.
     */
    @Command(
            name = "lineage",
            header = "the sources (and their versions and objects) of each table version",
            description = {
                "For each table version that read from other datasets: the source dataset, the version of it",
                "that was read (catalog@N or table@N) and the raw objects converted."
            })
    static final class LineageCmd extends CliCommand {
        static final List<String> KEYS =
                List.of("version", "timestamp", "operation", "source", "sourceVersion", "objects");

        @Parameters(paramLabel = "ZONE/TABLE", converter = Converters.Dataset.class)
        DatasetId table;

        @Override
        int run() throws Exception {
            try (Lake lake = ctx.openExisting()) {
                Table t = Tables.of(lake).load(table);
                List<TableViews.LineageView> rows = new ArrayList<>();
                List<HistoryEntry> history = new ArrayList<>(t.history());
                java.util.Collections.reverse(history); // oldest first
                for (HistoryEntry h : history) {
                    String source = h.parameters().get("source");
                    if (source == null) {
                        continue;
                    }
                    String objects = h.parameters().getOrDefault("sourceObjects", "[]");
                    rows.add(
                            new TableViews.LineageView(
                                    h.version(),
                                    h.timestamp(),
                                    h.operation(),
                                    source,
                                    TableViews.typed(h.parameters().get("sourceVersion")),
                                    CliJson.stringList(objects)));
                }
                String saved = t.snapshot(0).properties().get("tarn.lineage");
                if (saved != null) {
                    var node = CliJson.MAPPER.readTree(saved);
                    node.path("sources")
                            .fields()
                            .forEachRemaining(
                                    e -> {
                                        rows.add(
                                                0,
                                                new TableViews.LineageView(
                                                        0L,
                                                        t.snapshot(0).timestamp(),
                                                        "SAVE AS TABLE",
                                                        e.getKey(),
                                                        TableViews.typed(e.getValue().asText()),
                                                        List.of()));
                                    });
                }
                ctx.list(
                        rows,
                        KEYS,
                        List.of(
                                Columns.Column.right("VERSION", r -> String.valueOf(r.version())),
                                Columns.Column.left("OPERATION", r -> LsCommand.str(r.operation())),
                                Columns.Column.left("SOURCE", r -> LsCommand.str(r.source())),
                                Columns.Column.right("AT", r -> LsCommand.str(r.sourceVersion())),
                                Columns.Column.left("OBJECTS", r -> objects(r.objects()))),
                        "no recorded sources");
            }
            return Main.OK;
        }
    }

    /**
     * The first objects a version read, then how many more: a conversion of thousands stays one
     * line.
     */
    static String objects(List<?> objects) {
        int shown = Math.min(3, objects.size());
        String first =
                String.join(
                        ", ", objects.subList(0, shown).stream().map(Object::toString).toList());
        return objects.size() > shown
                ? first + " and " + TableViews.count(objects.size() - shown) + " more"
                : first;
    }

    /**
     * {@code lake optimize ZONE/TABLE}: compacts small files. Its declaration, a description of
     * three lines and the table argument, is alike in shape to vacuum's (they look repeated), not
     * in content.
     */
    @Command(
            name = "optimize",
            header = "compact a table's small files",
            description = {
                "Compacts small files into larger ones (a new version; the data does not change), and says",
                "how many files and bytes it replaced with how many: 'optimize: 4,882 files → 201, 23.0 MiB →",
                "1.9 MiB'. The paths of the files replaced and written are in --output json."
            })
    static final class OptimizeCmd extends CliCommand {
        @Parameters(paramLabel = "ZONE/TABLE", converter = Converters.Dataset.class)
        DatasetId id;

        @Override
        int run() {
            try (Lake lake = ctx.openExisting()) {
                Table t = Tables.of(lake).load(id);
                var before = t.snapshot();
                var r = t.newCompaction().commit();
                var m = TableViews.CompactionView.of(id.toString(), r, before, t);
                ctx.record(m, Views.fieldNames(TableViews.CompactionView.class), m.text());
            }
            return Main.OK;
        }
    }

    /**
     * {@code --retain}: a duration as everywhere else ({@code 90m}, {@code 36h}, {@code 7d}), or a
     * bare number of hours as it always took.
     */
    static Duration retention(String text) {
        if (text.trim().matches("\\d+")) {
            return Duration.ofHours(nonNegative("--retain", text.trim()));
        }
        try {
            return Text.duration(text);
        } catch (UsageException e) {
            throw new UsageException(
                    "--retain '"
                            + text
                            + "' is not a duration; write e.g. 90m, 36h, 7d (a bare"
                            + " number is hours)");
        }
    }

    /**
     * {@code lake vacuum ZONE/TABLE [--retain DURATION] [--dry-run]}. Its declaration is alike in
     * shape to optimize's (they look repeated), not in content.
     */
    @Command(
            name = "vacuum",
            header = "delete files no version within the retention needs",
            description = {
                "Deletes files that no table version within the retention (default 7d) needs: the files of",
                "removed and rewritten data, and files of writers that died before committing. Lists the first",
                "10 files; --output json lists them all."
            })
    static final class VacuumCmd extends CliCommand {
        @Parameters(paramLabel = "ZONE/TABLE", converter = Converters.Dataset.class)
        DatasetId id;

        @Option(
                names = "--retain",
                paramLabel = "DURATION",
                description = {
                    "keep what versions of the last DURATION need (default 7d; e.g. 0s, 90m, 36h, 7d; a bare number is",
                    "hours, as in --retain 168)"
                })
        String retainText;

        @Option(
                names = "--dry-run",
                arity = "0",
                description = "list what would be deleted, delete nothing")
        boolean dryRun;

        @Override
        int run() {
            Duration retain = retainText != null ? retention(retainText) : Duration.ofDays(7);
            try (Lake lake = ctx.openExisting()) {
                var v = Tables.of(lake).load(id).newVacuum().retention(retain);
                VacuumResult r = dryRun ? v.apply() : v.commit();
                var m = TableViews.VacuumView.of(id.toString(), r, retain);
                StringBuilder text =
                        new StringBuilder(
                                (r.dryRun() ? "would delete " : "deleted ")
                                        + TableViews.count(r.deletedFiles().size())
                                        + " file(s), "
                                        + Text.size(r.deletedBytes())
                                        + " from "
                                        + id
                                        + " (retention "
                                        + TableViews.duration(retain)
                                        + ")\n");
                TableViews.listed(text, r.deletedFiles());
                ctx.record(m, Views.fieldNames(TableViews.VacuumView.class), text.toString());
            }
            return Main.OK;
        }
    }

    /**
     * {@code lake delete ZONE/TABLE --where PREDICATE}: rewrites the files holding matching rows.
     */
    @Command(
            name = "delete",
            header =
                    "delete the rows --where PREDICATE matches, rewriting the files that hold them",
            description = {
                "Deletes the rows matching PREDICATE by rewriting the files that hold them (a new version).",
                "The old files stay for time travel until 'lake vacuum' removes them: erasure is complete then.",
                "PREDICATE: comparisons of a column with a value, joined with AND, OR, NOT and parentheses:",
                "  user_id = 42     country IN ('DE', 'FR')     ts < '2026-01-01T00:00:00Z'",
                "  email IS NULL    NOT (amount >= 10.5 AND status != 'paid')",
                "Strings, dates and timestamps are quoted; numbers and true/false are not.",
                "The table's history records PREDICATE as the delete's predicate."
            })
    static final class DeleteCmd extends CliCommand {
        @Parameters(paramLabel = "ZONE/TABLE", converter = Converters.Dataset.class)
        DatasetId id;

        @Option(
                names = "--where",
                paramLabel = "PREDICATE",
                description = "which rows to delete (required)")
        String where;

        @Override
        int run() {
            if (where == null) {
                throw new UsageException(
                        "delete needs --where PREDICATE (e.g. --where \"user_id = 42\");"
                                + " to empty a table, use --where \"true\"-like conditions deliberately");
            }
            try (Lake lake = ctx.openExisting()) {
                Table t = Tables.of(lake).load(id);
                var predicate = WherePredicate.parse(where, t.snapshot().schema());
                CommitResult c = t.newRowDelete().rows(predicate, where).commit();
                var m =
                        new TableViews.DeleteView(
                                TableViews.CommitView.of(id, c),
                                where,
                                c.attempts() == 0 ? Long.valueOf(0L) : deletedRows(t, c.version()));
                if (c.attempts() == 0) {
                    ctx.record(
                            m,
                            DELETE_KEYS,
                            "no row of "
                                    + id
                                    + " matches "
                                    + where
                                    + ": 0 rows deleted, nothing committed (the table stays at version "
                                    + c.version()
                                    + ")\n");
                    return Main.OK;
                }
                ctx.record(
                        m,
                        DELETE_KEYS,
                        "deleted "
                                + (m.rowsDeleted() == null
                                        ? "the rows"
                                        : TableViews.count(m.rowsDeleted()) + " row(s)")
                                + " of "
                                + id
                                + " where "
                                + where
                                + ": version "
                                + c.version()
                                + " ("
                                + c.filesRemoved()
                                + " file(s) rewritten; run 'lake"
                                + " vacuum' after the retention to erase the old files)\n");
            }
            return Main.OK;
        }
    }

    /** {@code lake restore ZONE/TABLE VERSION}. */
    @Command(
            name = "restore",
            header = "make a past version the newest again",
            description =
                    "Makes the table's content at VERSION the newest version again (history is kept).")
    static final class RestoreCmd extends CliCommand {
        @Parameters(index = "0", paramLabel = "ZONE/TABLE", converter = Converters.Dataset.class)
        DatasetId id;

        @Parameters(index = "1", paramLabel = "VERSION", converter = Converters.NonNegative.class)
        long version;

        @Override
        int run() {
            try (Lake lake = ctx.openExisting()) {
                CommitResult c = Tables.of(lake).load(id).restore(version);
                ctx.record(
                        TableViews.CommitView.of(id, c),
                        COMMIT_KEYS,
                        "restored "
                                + id
                                + " to version "
                                + version
                                + " as version "
                                + c.version()
                                + "\n");
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
        return Converters.convert(new Converters.NonNegative(), what, text);
    }
}
