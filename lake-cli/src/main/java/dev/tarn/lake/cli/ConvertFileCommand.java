package dev.tarn.lake.cli;

import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.Compression;
import dev.tarn.lake.format.Conversion;
import dev.tarn.lake.format.ConversionReport;
import dev.tarn.lake.format.CsvOptions;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.format.Output;
import dev.tarn.lake.types.SchemaChange;
import dev.tarn.lake.types.SchemaPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lake convert-file INPUT... OUTPUT [options]}: a one-off conversion of JSON, CSV or Avro
 * files to Parquet, outside any lake. OUTPUT ending in {@code .parquet} is one file; anything else
 * is a directory of files (rolled at the target size, or Hive-partitioned).
 */
@Command(
        name = "convert-file",
        header = "convert JSON, CSV or Avro files to Parquet, outside any lake",
        description = {
            "Converts files (JSON: NDJSON, arrays, documents; CSV/TSV; Avro; .gz and .zst decompressed) to",
            "Parquet, inferring the schema unless --schema gives one. OUTPUT ending in .parquet is one file;",
            "anything else is a directory of files (rolled at 256 MiB, or Hive-partitioned: about one file",
            "per partition value). Files appear whole or not at all. A progress bar shows on a terminal.",
            "",
            "By default any bad record fails the job, naming the record and why, and nothing is written.",
            "--max-errors lets the job set that many aside (a count, or a share such as 1%) in a",
            "quarantine: NDJSON records with the source, line, offset, raw text and reason, at --quarantine",
            "FILE or beside OUTPUT (NAME.quarantine.ndjson). Past the budget the job fails, with no output."
        })
final class ConvertFileCommand extends CliCommand {
    static final List<String> KEYS =
            List.of(
                    "inputs",
                    "output",
                    "files",
                    "rowsRead",
                    "rowsWritten",
                    "rowsQuarantined",
                    "quarantine",
                    "schema",
                    "changes",
                    "notes",
                    "seconds");

    @Parameters(
            paramLabel = "INPUT... OUTPUT",
            arity = "0..*",
            hideParamSyntax = true,
            description = "the files to convert, then the .parquet file or directory to write")
    List<String> pos = new ArrayList<>();

    // The options, like every command's, are lines of help text: --format and --schema are alike
    // in shape to IngestCommand's --force and --name (they look repeated), not in
    // content.
    @Option(
            names = {"--format", "-f"},
            paramLabel = "F",
            description = "auto (default: from the name and content), ndjson, json, csv, tsv, avro")
    String format;

    @Option(
            names = "--schema",
            paramLabel = "F.avsc",
            description = "an explicit Avro schema; records that do not fit are quarantined")
    String schema;

    @Option(
            names = "--policy",
            paramLabel = "P",
            description = {
                "strict, add-columns or widen: new columns and wider types across inputs (default: widen, or strict",
                "with --schema)"
            })
    String policy;

    @Option(
            names = "--delimiter",
            paramLabel = "C",
            description = "CSV delimiter (default: detected); \\t or tab for a tab")
    String delimiter;

    @Option(
            names = "--header",
            arity = "0",
            description = "the CSV's first line names the columns (default: detected)")
    boolean header;

    @Option(names = "--no-header", arity = "0", description = "the CSV's first line is data")
    boolean noHeader;

    @Option(
            names = "--comment",
            paramLabel = "C",
            description = "CSV lines starting with C are skipped (line numbers stay the file's)")
    String comment;

    @Option(
            names = "--null-value",
            paramLabel = "T",
            description = {
                "an unquoted CSV field equal to T is null (repeatable; \"T\" quoted stays text); the empty unquoted",
                "field is always null"
            })
    List<String> nullValues = new ArrayList<>();

    @Option(
            names = "--json-path",
            paramLabel = "A.B",
            description = {
                "the array of records inside a single JSON document (e.g. features); by default a document whose",
                "only array of objects is one member yields its elements (a note names it); '.' reads each document",
                "as one record"
            })
    String jsonPath;

    @Option(
            names = "--charset",
            paramLabel = "CS",
            description = "the input's encoding (default UTF-8; invalid UTF-8 is an error)")
    String charset;

    @Option(
            names = "--compression",
            paramLabel = "C",
            description = "zstd (default), snappy, gzip or none")
    String compression;

    // Alike in shape to TableCommands.ConvertCmd's --partition-by, --schema and --mode: a table's
    // options and a file's are separate, with their own help text.
    @Option(
            names = "--partition-by",
            paramLabel = "COL",
            description = "Hive-style directories by this column's values (repeatable)")
    List<String> partitionBy = new ArrayList<>();

    @Option(
            names = "--max-errors",
            paramLabel = "N|P%",
            description = "bad records the job may quarantine before it fails (default 0)")
    String maxErrors;

    @Option(
            names = "--quarantine",
            paramLabel = "FILE",
            description = "where quarantined records go (needs --max-errors)")
    String quarantineFile;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "parsing/encoding threads (default: one per core)")
    String threads;

    @Option(
            names = "--max-columns",
            paramLabel = "N",
            description = {
                "the most columns a record may have (default 10000): a wider JSON record or CSV header fails, naming",
                "the file, the line and the limit"
            })
    String maxColumns;

    @Override
    int run() {
        if (pos.isEmpty()) {
            throw new UsageException("missing INPUT and OUTPUT; see 'lake convert-file --help'");
        }
        if (pos.size() < 2) {
            throw new UsageException(
                    "missing OUTPUT (a .parquet file, or a directory); see 'lake convert-file --help'");
        }
        List<Path> inputs = pos.subList(0, pos.size() - 1).stream().map(Path::of).toList();
        for (Path in : inputs) {
            if (!Files.isRegularFile(in)) {
                throw new UsageException(
                        Files.exists(in)
                                ? "INPUT " + in + " is not a file"
                                : "no such file: " + in);
            }
        }
        Path out = Path.of(pos.get(pos.size() - 1));
        boolean single =
                out.getFileName() != null
                        && out.getFileName()
                                .toString()
                                .toLowerCase(Locale.ROOT)
                                .endsWith(".parquet");
        if (single && !partitionBy.isEmpty()) {
            throw new UsageException(
                    "--partition-by writes a directory of files; give a directory as OUTPUT, not "
                            + out);
        }
        if (single && Files.isDirectory(out)) {
            throw new UsageException(
                    "OUTPUT "
                            + out
                            + " is a directory; a file name ending in .parquet writes one file");
        }

        Conversion c =
                Conversion.of(inputs.toArray(Path[]::new))
                        .output(single ? Output.file(out) : Output.directory(out));
        if (format != null) {
            c.format(format(format));
        }
        if (schema != null) {
            Path avsc = Path.of(schema);
            if (!Files.isRegularFile(avsc)) {
                throw new UsageException(
                        "--schema " + avsc + ": no such file (an Avro schema, .avsc)");
            }
            c.schema(avsc);
        }
        if (policy != null) {
            c.policy(policy(policy));
        }
        c.csv(csv());
        if (jsonPath != null) {
            c.jsonPath(jsonPath(jsonPath));
        }
        if (charset != null) {
            try {
                c.charset(java.nio.charset.Charset.forName(charset));
            } catch (IllegalArgumentException e) {
                throw new UsageException(
                        "--charset '"
                                + charset
                                + "' is not a charset this JVM knows"
                                + " (e.g. UTF-8, ISO-8859-1, windows-1252)");
            }
        }
        if (compression != null) {
            c.compression(compression(compression));
        }
        if (!partitionBy.isEmpty()) {
            c.partitionBy(partitionBy.toArray(String[]::new));
        }
        if (threads != null) {
            c.threads(Converters.convert(new Converters.Positive(), "--threads", threads));
        }
        if (maxColumns != null) {
            c.maxColumns(
                    Converters.convert(new Converters.Positive(), "--max-columns", maxColumns));
        }
        Path quarantine = quarantineFile != null ? Path.of(quarantineFile) : null;
        if (maxErrors != null) {
            c.errorBudget(Converters.convert(new Converters.Budget(), "--max-errors", maxErrors));
            if (quarantine == null) {
                // beside the output, so that bad records are never dropped
                Path abs = out.toAbsolutePath();
                String base =
                        abs.getFileName() == null
                                ? "output"
                                : abs.getFileName().toString().replaceAll("(?i)\\.parquet$", "");
                quarantine =
                        (abs.getParent() == null ? abs : abs.getParent())
                                .resolve(base + ".quarantine.ndjson");
            }
        } else if (quarantine != null) {
            throw new UsageException(
                    "--quarantine needs --max-errors (how many bad records the job may set aside"
                            + " before it fails: a count such as 100, or a share such as 1%)");
        }
        if (quarantine != null) {
            c.quarantine(Output.file(quarantine));
        }
        ConversionReport r;
        try {
            r = ProgressBar.around(ctx, c::progress, c::commit);
        } catch (FormatException e) {
            throw inCliTerms(e, true);
        }
        var m =
                new Views.ConvertFileView(
                        r.inputs(),
                        out.toString(),
                        r.files().stream()
                                .map(f -> new Views.WrittenFile(f.location(), f.rows(), f.bytes()))
                                .toList(),
                        r.rowsRead(),
                        r.rowsWritten(),
                        r.rowsQuarantined(),
                        r.quarantine(),
                        columns(r.schema()),
                        r.changes().stream().map(ConvertFileCommand::change).toList(),
                        r.notes(),
                        r.duration().toMillis() / 1000.0);
        ctx.record(m, KEYS, r.summary());
        return Main.OK;
    }

    /**
     * The conversion's way past a failure, in this CLI's options rather than the Java API's ({@code
     * convertFile}: whether the command has the file-level options {@code --json-path}, {@code
     * --quarantine}, {@code --charset}).
     */
    static FormatException inCliTerms(FormatException e, boolean convertFile) {
        String hint =
                switch (e.remedy()) {
                    case JSON_PATH ->
                            convertFile
                                    ? " with --json-path, e.g. --json-path "
                                            + firstQuoted(e.reason())
                                    : ": convert the file with lake convert-file --json-path NAME, or store it as NDJSON";
                    case ERROR_BUDGET ->
                            ": allow some with --max-errors (a count such as 100, or a share such as 1%) to set"
                                    + " bad records aside"
                                    + (convertFile
                                            ? " in a quarantine (--quarantine FILE)"
                                            : " in the" + " table's quarantine")
                                    + " instead.";
                    case CHARSET ->
                            convertFile
                                    ? ", or give its encoding with --charset (e.g. --charset windows-1252)."
                                    : ".";
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
     * The columns written, as {@code describe} gives a schema: {@code [{name, type, nullable}]},
     * the type in SQL spelling ({@code BIGINT}, {@code VARCHAR[]}, {@code STRUCT(a BIGINT)}).
     */
    static List<Views.WrittenColumn> columns(dev.tarn.lake.types.StructType schema) {
        if (schema == null) {
            return null;
        }
        return schema.fields().stream()
                .map(f -> new Views.WrittenColumn(f.name(), f.type().sql(), f.nullable()))
                .toList();
    }

    /** {@code {column, from, to, reason}}: {@code from} is null for an added column. */
    private static Views.SchemaChangeView change(SchemaChange c) {
        return new Views.SchemaChangeView(
                c.column(),
                c.from() == null ? null : c.from().toString(),
                c.to() == null ? null : c.to().toString(),
                c.reason());
    }

    private static InputFormat format(String s) {
        try {
            return InputFormat.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException(
                    "--format '" + s + "' is not one of auto, ndjson, json, csv, tsv, avro");
        }
    }

    /**
     * {@code --json-path A.B}: the names of the path to the records ({@code .}: the document
     * itself).
     */
    static String[] jsonPath(String p) {
        if (p.isBlank()) {
            throw new UsageException(
                    "--json-path is empty; give the path to the records, e.g. features or data.items");
        }
        return p.equals(".") ? new String[0] : p.split("\\.");
    }

    static SchemaPolicy policy(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "strict" -> SchemaPolicy.STRICT;
            case "add-columns", "add_columns" -> SchemaPolicy.ADD_COLUMNS;
            case "widen" -> SchemaPolicy.WIDEN;
            default ->
                    throw new UsageException(
                            "--policy '" + s + "' is not one of strict, add-columns, widen");
        };
    }

    private static Compression compression(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "zstd" -> Compression.ZSTD;
            case "snappy" -> Compression.SNAPPY;
            case "gzip" -> Compression.GZIP;
            case "none", "uncompressed" -> Compression.UNCOMPRESSED;
            default ->
                    throw new UsageException(
                            "--compression '" + s + "' is not one of zstd, snappy, gzip, none");
        };
    }

    private CsvOptions csv() {
        CsvOptions.Builder b = CsvOptions.defaults().toBuilder();
        if (delimiter != null) {
            String d = delimiter;
            String actual = d.equals("\\t") || d.equalsIgnoreCase("tab") ? "\t" : d;
            if (actual.length() != 1) {
                throw new UsageException(
                        "--delimiter '" + d + "' is not one character (use \\t or tab for a tab)");
            }
            b.delimiter(actual.charAt(0));
        }
        if (noHeader && header) {
            throw new UsageException("--header and --no-header contradict each other");
        }
        if (noHeader) {
            b.header(false);
        } else if (header) {
            b.header(true);
        }
        if (comment != null) {
            String c = comment;
            if (c.length() != 1) {
                throw new UsageException(
                        "--comment '" + c + "' is not one character (e.g. --comment '#')");
            }
            b.comment(c.charAt(0));
        }
        if (!nullValues.isEmpty()) {
            b.nullValues(nullValues.toArray(String[]::new));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
