package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.LakeBuilder;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.LakeNotFoundException;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.ingest.Ingest;
import dev.tarn.lake.ingest.IngestResult;
import dev.tarn.lake.ingest.IngestedObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lake ingest ZONE/DATASET PATH... [--partition K=V]... [--meta K=V]... [--force] [--name
 * NAME]}.
 */
@Command(
        name = "ingest",
        header = "store files, directory trees or stdin (-) in a dataset",
        description = {
            "Stores files byte for byte in a dataset, in one atomic commit; the dataset is created on first",
            "ingest, and the lake too if there is none yet (with the default zones). A directory is ingested",
            "as a tree (hidden files skipped). PATH '-' reads stdin.",
            "Bytes the dataset already holds are reported as duplicates and not stored again (exit 0)."
        })
final class IngestCommand extends CliCommand {
    /**
     * The core's rule for partition values (checked again by the core): checked here too so that a
     * bad value is refused before a new lake's directory is created.
     */
    @Parameters(index = "0", paramLabel = "ZONE/DATASET", converter = Converters.Dataset.class)
    DatasetId id;

    @Parameters(
            index = "1..*",
            arity = "0..*",
            paramLabel = "PATH",
            description = "a file, a directory, or - for stdin")
    List<String> paths = new ArrayList<>();

    @Option(
            names = {"--partition", "-p"},
            paramLabel = "K=V",
            converter = Converters.Kv.class,
            description = "store under K=V/ instead of ingest_date=YYYY-MM-DD/ (repeat for levels)")
    List<Converters.KeyValue> partitions = new ArrayList<>();

    @Option(
            names = {"--meta", "-m"},
            paramLabel = "K=V",
            converter = Converters.Kv.class,
            description = "add K=V to every object's metadata (repeatable)")
    List<Converters.KeyValue> metas = new ArrayList<>();

    // Alike in shape to ConvertFileCommand's --format and --schema (they look repeated): each
    // command's options are its own help text, not shared logic.
    @Option(
            names = {"--force", "-f"},
            arity = "0",
            description = "store bytes even if the dataset already holds them")
    boolean force;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "the object name for stdin (default: stdin)")
    String stdinName;

    @Override
    int run() {
        if (paths.isEmpty()) {
            throw new UsageException(
                    "missing PATH (a file, a directory, or - for stdin); see 'lake ingest --help'");
        }
        // Everything is checked before the lake is opened, so that a refused ingest leaves no
        // trace.
        Map<String, String> partition = new LinkedHashMap<>();
        for (Converters.KeyValue kv : partitions) {
            Names.check("partition key", kv.key());
            Names.checkPartitionValue(kv.key(), kv.value());
            if (partition.put(kv.key(), kv.value()) != null) {
                throw new UsageException("--partition gives " + kv.key() + " twice");
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (Converters.KeyValue kv : metas) {
            if (kv.key().isBlank()) {
                throw new UsageException("--meta '" + kv.text() + "' has a blank key");
            }
            meta.put(kv.key(), kv.value());
        }
        long stdinCount = paths.stream().filter("-"::equals).count();
        if (stdinCount > 1) {
            throw new UsageException("'-' (stdin) given more than once");
        }
        if (stdinName != null && stdinCount == 0) {
            throw new UsageException("--name names the stdin object; it needs PATH '-'");
        }
        if (stdinName != null && stdinName.isBlank()) {
            throw new UsageException(
                    "--name is blank; give the stdin object a name, e.g. --name events.ndjson");
        }
        for (String p : paths) {
            if (p.equals("-")) {
                continue;
            }
            Path path = Path.of(p);
            if (!Files.exists(path)) {
                throw new NotFoundException("no such file or directory: " + p);
            }
            if (!Files.isReadable(path)) {
                throw new NotFoundException("cannot read " + p + " (permission denied)");
            }
        }

        try (Lake lake = open(ctx, id)) {
            Ingest ingest = lake.ingest(id);
            for (String p : paths) {
                if (p.equals("-")) {
                    ingest.stream(ctx.in, stdinName != null ? stdinName : "stdin");
                } else {
                    ingest.path(Path.of(p));
                }
            }
            if (stdinCount == 1 && paths.size() == 1) {
                ingest.source("stdin");
            }
            partition.forEach(ingest::partition);
            meta.forEach(ingest::meta);
            if (force) {
                ingest.force();
            }
            ProgressBar bar = ctx.interactiveStderr() ? new ProgressBar(ctx.err) : null;
            IngestResult result;
            try {
                if (bar != null) {
                    ingest.progress(bar);
                }
                result = ingest.commit();
            } catch (IllegalStateException e) {
                // The core's "nothing to ingest": only empty directories (or only hidden files)
                // were given.
                throw new TarnException(
                        ErrorCode.INVALID_INPUT,
                        "nothing to ingest: "
                                + String.join(", ", paths)
                                + " holds no files (hidden files are skipped)");
            } finally {
                if (bar != null) {
                    bar.finish();
                }
            }
            print(ctx, result);
        }
        return Main.OK;
    }

    /**
     * The lake; a missing lake is created with the default zones, if the dataset's zone is one of
     * them.
     */
    private static Lake open(Context ctx, DatasetId id) {
        try {
            return ctx.openExisting();
        } catch (LakeNotFoundException e) {
            if (!LakeBuilder.DEFAULT_ZONES.contains(id.zone())) {
                throw new NotFoundException(
                        "no lake at "
                                + ctx.displayLocation()
                                + ", and a new lake's zones are "
                                + String.join(", ", LakeBuilder.DEFAULT_ZONES)
                                + ", not '"
                                + id.zone()
                                + "'; run 'lake init --zones ...' first");
            }
            return ctx.openOrCreate(List.of());
        }
    }

    private static void print(Context ctx, IngestResult r) {
        switch (ctx.output) {
            case JSON -> ctx.out.print(CliJson.write(Views.IngestView.of(r)));
            case CSV ->
                    ctx.out.print(
                            Csv.records(
                                    Views.IngestedView.CSV_KEYS,
                                    r.objects().stream().map(Views.IngestedView::of).toList()));
            case TABLE -> {
                StringBuilder b = new StringBuilder();
                // a line per object up to a point: a directory of thousands is summarised (-o json
                // has them all)
                int shown = 0;
                for (IngestedObject o : r.objects()) {
                    if (shown++ == TableViews.LISTED) {
                        b.append("... and ")
                                .append(TableViews.count(r.objects().size() - TableViews.LISTED))
                                .append(" more (-o json lists them all)\n");
                        break;
                    }
                    if (o.status() == IngestedObject.Status.DUPLICATE) {
                        b.append("duplicate: ")
                                .append(Text.visible(o.originalName()))
                                .append(" has the same bytes as ")
                                .append(o.object().path())
                                .append(" already in ")
                                .append(r.dataset())
                                .append("; not stored again (--force stores it anyway)\n");
                    } else {
                        b.append("stored: ")
                                .append(Text.visible(o.originalName()))
                                .append(" -> ")
                                .append(r.dataset())
                                .append('/')
                                .append(o.object().path())
                                .append(" (")
                                .append(Text.size(o.object().size()))
                                .append(", sha256 ")
                                .append(o.object().sha256(), 0, 12)
                                .append(")\n");
                    }
                }
                int stored = r.stored().size();
                int dups = r.duplicates().size();
                b.append(r.dataset())
                        .append(": ")
                        .append(stored)
                        .append(stored == 1 ? " object" : " objects")
                        .append(" stored, ")
                        .append(dups)
                        .append(dups == 1 ? " duplicate" : " duplicates");
                if (r.version() >= 0) {
                    b.append(" (catalog version ").append(r.version()).append(')');
                }
                b.append('\n');
                ctx.out.print(b);
            }
        }
    }
}
