package dev.tarn.lake.cli;

import dev.tarn.lake.format.Compression;
import dev.tarn.lake.format.Conversion;
import dev.tarn.lake.format.ConversionReport;
import dev.tarn.lake.format.CsvOptions;
import dev.tarn.lake.format.ErrorBudget;
import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.format.Output;
import dev.tarn.lake.format.OutputFileInfo;
import dev.tarn.lake.format.Progress;
import dev.tarn.lake.format.ProgressListener;
import dev.tarn.lake.types.SchemaChange;
import dev.tarn.lake.types.SchemaPolicy;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code lake convert-file INPUT... OUTPUT [options]}: a one-off conversion of JSON, CSV or Avro files to Parquet,
 * outside any lake. OUTPUT ending in {@code .parquet} is one file; anything else is a directory of files (rolled at the
 * target size, or Hive-partitioned).
 */
final class ConvertFileCommand implements Command {
    static final List<String> KEYS = List.of("inputs", "output", "files", "rowsRead", "rowsWritten", "rowsQuarantined",
            "quarantine", "schema", "changes", "notes", "seconds");

    @Override
    public String name() {
        return "convert-file";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.value("--format", "-f"), Args.Opt.value("--schema"), Args.Opt.value("--policy"),
                Args.Opt.value("--delimiter"), Args.Opt.flag("--no-header"), Args.Opt.flag("--header"),
                Args.Opt.value("--comment"), Args.Opt.repeated("--null-value"),
                Args.Opt.value("--json-path"), Args.Opt.value("--charset"), Args.Opt.value("--compression"),
                Args.Opt.repeated("--partition-by"), Args.Opt.value("--max-errors"), Args.Opt.value("--quarantine"),
                Args.Opt.value("--threads"), Args.Opt.value("--max-columns"));
    }

    @Override
    public int run(Context ctx, Args args) {
        List<String> pos = args.positionals();
        if (pos.isEmpty()) {
            throw new UsageException("missing INPUT and OUTPUT; see 'lake convert-file --help'");
        }
        if (pos.size() < 2) {
            throw new UsageException("missing OUTPUT (a .parquet file, or a directory); see 'lake convert-file --help'");
        }
        List<Path> inputs = pos.subList(0, pos.size() - 1).stream().map(Path::of).toList();
        for (Path in : inputs) {
            if (!Files.isRegularFile(in)) {
                throw new UsageException(Files.exists(in) ? "INPUT " + in + " is not a file"
                        : "no such file: " + in);
            }
        }
        Path out = Path.of(pos.get(pos.size() - 1));
        boolean single = out.getFileName() != null && out.getFileName().toString().toLowerCase(Locale.ROOT)
                .endsWith(".parquet");
        List<String> partitionBy = args.values("--partition-by");
        if (single && !partitionBy.isEmpty()) {
            throw new UsageException("--partition-by writes a directory of files; give a directory as OUTPUT, not "
                    + out);
        }
        if (single && Files.isDirectory(out)) {
            throw new UsageException("OUTPUT " + out + " is a directory; a file name ending in .parquet writes one file");
        }

        Conversion c = Conversion.of(inputs.toArray(Path[]::new))
                .output(single ? Output.file(out) : Output.directory(out));
        if (args.has("--format")) {
            c.format(format(args.value("--format")));
        }
        if (args.has("--schema")) {
            Path avsc = Path.of(args.value("--schema"));
            if (!Files.isRegularFile(avsc)) {
                throw new UsageException("--schema " + avsc + ": no such file (an Avro schema, .avsc)");
            }
            c.schema(avsc);
        }
        if (args.has("--policy")) {
            c.policy(policy(args.value("--policy")));
        }
        c.csv(csv(args));
        if (args.has("--json-path")) {
            c.jsonPath(jsonPath(args.value("--json-path")));
        }
        if (args.has("--charset")) {
            try {
                c.charset(java.nio.charset.Charset.forName(args.value("--charset")));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--charset '" + args.value("--charset") + "' is not a charset this JVM knows"
                        + " (e.g. UTF-8, ISO-8859-1, windows-1252)");
            }
        }
        if (args.has("--compression")) {
            c.compression(compression(args.value("--compression")));
        }
        if (!partitionBy.isEmpty()) {
            c.partitionBy(partitionBy.toArray(String[]::new));
        }
        if (args.has("--threads")) {
            c.threads(positiveInt("--threads", args.value("--threads")));
        }
        if (args.has("--max-columns")) {
            c.maxColumns(positiveInt("--max-columns", args.value("--max-columns")));
        }
        Path quarantine = args.has("--quarantine") ? Path.of(args.value("--quarantine")) : null;
        if (args.has("--max-errors")) {
            c.errorBudget(budget(args.value("--max-errors")));
            if (quarantine == null) {
                // beside the output, so that bad records are never dropped
                Path abs = out.toAbsolutePath();
                String base = abs.getFileName() == null ? "output"
                        : abs.getFileName().toString().replaceAll("(?i)\\.parquet$", "");
                quarantine = (abs.getParent() == null ? abs : abs.getParent()).resolve(base + ".quarantine.ndjson");
            }
        } else if (quarantine != null) {
            throw new UsageException("--quarantine needs --max-errors (how many bad records the job may set aside"
                    + " before it fails: a count such as 100, or a share such as 1%)");
        }
        if (quarantine != null) {
            c.quarantine(Output.file(quarantine));
        }
        ConversionReport r;
        try {
            r = Bar.around(ctx, c::progress, c::commit);
        } catch (FormatException e) {
            throw inCliTerms(e, true);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", r.inputs());
        m.put("output", out.toString());
        m.put("files", r.files().stream().map(ConvertFileCommand::file).toList());
        m.put("rowsRead", r.rowsRead());
        m.put("rowsWritten", r.rowsWritten());
        m.put("rowsQuarantined", r.rowsQuarantined());
        m.put("quarantine", r.quarantine());
        m.put("schema", columns(r.schema()));
        m.put("changes", r.changes().stream().map(ConvertFileCommand::change).toList());
        m.put("notes", r.notes());
        m.put("seconds", r.duration().toMillis() / 1000.0);
        ctx.record(m, KEYS, r.summary());
        return Main.OK;
    }

    /**
     * The conversion's way past a failure, in this CLI's options rather than the Java API's ({@code convertFile}:
     * whether the command has the file-level options {@code --json-path}, {@code --quarantine}, {@code --charset}).
     */
    static FormatException inCliTerms(FormatException e, boolean convertFile) {
        String hint = switch (e.remedy()) {
            case JSON_PATH -> convertFile ? " with --json-path, e.g. --json-path " + firstQuoted(e.reason())
                    : ": convert the file with lake convert-file --json-path NAME, or store it as NDJSON";
            case ERROR_BUDGET -> ": allow some with --max-errors (a count such as 100, or a share such as 1%) to set"
                    + " bad records aside" + (convertFile ? " in a quarantine (--quarantine FILE)" : " in the"
                    + " table's quarantine") + " instead.";
            case CHARSET -> convertFile ? ", or give its encoding with --charset (e.g. --charset windows-1252)." : ".";
            case NONE -> null;
        };
        return hint == null ? e : new FormatException(e.reason() + hint, e);
    }

    private static String firstQuoted(String s) {
        int a = s.indexOf("(\"");
        int b = a < 0 ? -1 : s.indexOf('"', a + 2);
        return b < 0 ? "NAME" : s.substring(a + 2, b);
    }

    /**
     * The columns written, as {@code describe} gives a schema: {@code [{name, type, nullable}]}, the type in SQL
     * spelling ({@code BIGINT}, {@code VARCHAR[]}, {@code STRUCT(a BIGINT)}).
     */
    static List<Map<String, Object>> columns(dev.tarn.lake.types.StructType schema) {
        if (schema == null) {
            return null;
        }
        return schema.fields().stream().map(f -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", f.name());
            c.put("type", f.type().sql());
            c.put("nullable", f.nullable());
            return c;
        }).toList();
    }

    /** {@code {column, from, to, reason}}: {@code from} is null for an added column. */
    private static Map<String, Object> change(SchemaChange c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("column", c.column());
        m.put("from", c.from() == null ? null : c.from().toString());
        m.put("to", c.to() == null ? null : c.to().toString());
        m.put("reason", c.reason());
        return m;
    }

    private static Map<String, Object> file(OutputFileInfo f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", f.location());
        m.put("rows", f.rows());
        m.put("bytes", f.bytes());
        return m;
    }

    private static InputFormat format(String s) {
        try {
            return InputFormat.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--format '" + s + "' is not one of auto, ndjson, json, csv, tsv, avro");
        }
    }

    /** {@code --json-path A.B}: the names of the path to the records ({@code .}: the document itself). */
    static String[] jsonPath(String p) {
        if (p.isBlank()) {
            throw new UsageException("--json-path is empty; give the path to the records, e.g. features or data.items");
        }
        return p.equals(".") ? new String[0] : p.split("\\.");
    }

    static SchemaPolicy policy(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "strict" -> SchemaPolicy.STRICT;
            case "add-columns", "add_columns" -> SchemaPolicy.ADD_COLUMNS;
            case "widen" -> SchemaPolicy.WIDEN;
            default -> throw new UsageException("--policy '" + s + "' is not one of strict, add-columns, widen");
        };
    }

    private static Compression compression(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "zstd" -> Compression.ZSTD;
            case "snappy" -> Compression.SNAPPY;
            case "gzip" -> Compression.GZIP;
            case "none", "uncompressed" -> Compression.UNCOMPRESSED;
            default -> throw new UsageException("--compression '" + s + "' is not one of zstd, snappy, gzip, none");
        };
    }

    private static CsvOptions csv(Args args) {
        CsvOptions.Builder b = CsvOptions.defaults().toBuilder();
        if (args.has("--delimiter")) {
            String d = args.value("--delimiter");
            String actual = d.equals("\\t") || d.equalsIgnoreCase("tab") ? "\t" : d;
            if (actual.length() != 1) {
                throw new UsageException("--delimiter '" + d + "' is not one character (use \\t or tab for a tab)");
            }
            b.delimiter(actual.charAt(0));
        }
        if (args.has("--no-header") && args.has("--header")) {
            throw new UsageException("--header and --no-header contradict each other");
        }
        if (args.has("--no-header")) {
            b.header(false);
        } else if (args.has("--header")) {
            b.header(true);
        }
        if (args.has("--comment")) {
            String c = args.value("--comment");
            if (c.length() != 1) {
                throw new UsageException("--comment '" + c + "' is not one character (e.g. --comment '#')");
            }
            b.comment(c.charAt(0));
        }
        if (!args.values("--null-value").isEmpty()) {
            b.nullValues(args.values("--null-value").toArray(String[]::new));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** {@code 100} (records) or {@code 1%} / {@code 0.01} (a share of the records read). */
    static ErrorBudget budget(String s) {
        String t = s.trim();
        try {
            if (t.endsWith("%")) {
                double pct = Double.parseDouble(t.substring(0, t.length() - 1));
                if (pct >= 0 && pct <= 100) {
                    return ErrorBudget.fraction(pct / 100);
                }
            } else if (t.contains(".")) {
                double f = Double.parseDouble(t);
                if (f >= 0 && f <= 1) {
                    return ErrorBudget.fraction(f);
                }
            } else {
                long n = Long.parseLong(t);
                if (n >= 0) {
                    return ErrorBudget.count(n);
                }
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new UsageException("--max-errors '" + s + "' is not a count (100), a percentage (1%) or a fraction"
                + " (0.01)");
    }

    static int positiveInt(String option, String s) {
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new UsageException(option + " '" + s + "' is not a positive whole number");
    }

    /** The conversion's progress on one terminal line: bytes, rows, rate and time left. */
    static final class Bar implements ProgressListener {
        private static final int WIDTH = 30;
        private final PrintStream err;
        private boolean drawn;

        Bar(PrintStream err) {
            this.err = err;
        }

        @Override
        public void onProgress(Progress p) {
            if (p.elapsed().toMillis() < 500) {
                return; // quick conversions finish without a flash of bar
            }
            drawn = true;
            err.print("\r" + line(p) + "\u001b[K");
            err.flush();
        }

        static String line(Progress p) {
            StringBuilder b = new StringBuilder(p.phase()).append(' ');
            p.fraction().ifPresent(f -> {
                int fill = (int) Math.round(f * WIDTH);
                b.append('[').append("#".repeat(fill)).append(" ".repeat(WIDTH - fill)).append("] ")
                        .append(String.format(Locale.ROOT, "%3d%% ", (int) (f * 100)));
            });
            b.append(Text.size(p.bytesDone()));
            if (p.bytesTotal() > 0) {
                b.append(" / ").append(Text.size(p.bytesTotal()));
            }
            b.append(String.format(Locale.ROOT, ", %,d rows, %,.0f rows/s", p.rowsDone(), p.rowsPerSecond()));
            p.eta().ifPresent(eta -> b.append(", ").append(eta.toSeconds()).append(" s left"));
            return b.toString();
        }

        /**
         * Runs {@code work} with a bar attached through {@code attach} when stderr is a terminal people watch, and
         * clears the bar's line afterwards.
         */
        static <T> T around(Context ctx, java.util.function.Consumer<ProgressListener> attach,
                            java.util.function.Supplier<T> work) {
            Bar bar = ctx.interactiveStderr() ? new Bar(ctx.err) : null;
            if (bar != null) {
                attach.accept(bar);
            }
            try {
                return work.get();
            } finally {
                if (bar != null) {
                    bar.finish();
                }
            }
        }

        void finish() {
            if (drawn) {
                err.print("\r\u001b[K");
                err.flush();
            }
        }
    }
}
