package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.LakeBuilder;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.LakeNotFoundException;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.ingest.Ingest;
import dev.tarn.lake.ingest.IngestResult;
import dev.tarn.lake.ingest.IngestedObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code lake ingest ZONE/DATASET PATH... [--partition K=V]... [--meta K=V]... [--force] [--name NAME]}. */
final class IngestCommand implements Command {
    /**
     * The core's rule for partition values (checked again by the core): checked here too so that a bad value is
     * refused before a new lake's directory is created.
     */

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.repeated("--partition", "-p"), Args.Opt.repeated("--meta", "-m"),
                Args.Opt.flag("--force", "-f"), Args.Opt.value("--name"));
    }

    @Override
    public int run(Context ctx, Args args) {
        List<String> pos = args.positionals();
        if (pos.isEmpty()) {
            throw new UsageException("missing ZONE/DATASET; see 'lake ingest --help'");
        }
        if (pos.size() < 2) {
            throw new UsageException("missing PATH (a file, a directory, or - for stdin); see 'lake ingest --help'");
        }
        // Everything is checked before the lake is opened, so that a refused ingest leaves no trace.
        DatasetId id = DatasetId.parse(pos.get(0));
        Map<String, String> partition = new LinkedHashMap<>();
        for (String p : args.values("--partition")) {
            Map.Entry<String, String> kv = Args.keyValue("--partition", p);
            Names.check("partition key", kv.getKey());
            Names.checkPartitionValue(kv.getKey(), kv.getValue());
            if (partition.put(kv.getKey(), kv.getValue()) != null) {
                throw new UsageException("--partition gives " + kv.getKey() + " twice");
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (String m : args.values("--meta")) {
            Map.Entry<String, String> kv = Args.keyValue("--meta", m);
            if (kv.getKey().isBlank()) {
                throw new UsageException("--meta '" + m + "' has a blank key");
            }
            meta.put(kv.getKey(), kv.getValue());
        }
        List<String> paths = pos.subList(1, pos.size());
        long stdinCount = paths.stream().filter("-"::equals).count();
        if (stdinCount > 1) {
            throw new UsageException("'-' (stdin) given more than once");
        }
        String stdinName = args.value("--name");
        if (stdinName != null && stdinCount == 0) {
            throw new UsageException("--name names the stdin object; it needs PATH '-'");
        }
        if (stdinName != null && stdinName.isBlank()) {
            throw new UsageException("--name is blank; give the stdin object a name, e.g. --name events.ndjson");
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
            if (args.has("--force")) {
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
                // The core's "nothing to ingest": only empty directories (or only hidden files) were given.
                throw new TarnException(ErrorCode.INVALID_INPUT, "nothing to ingest: " + String.join(", ", paths)
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

    /** The lake; a missing lake is created with the default zones, if the dataset's zone is one of them. */
    private static Lake open(Context ctx, DatasetId id) {
        try {
            return ctx.openExisting();
        } catch (LakeNotFoundException e) {
            if (!LakeBuilder.DEFAULT_ZONES.contains(id.zone())) {
                throw new NotFoundException("no lake at " + ctx.displayLocation() + ", and a new lake's zones are "
                        + String.join(", ", LakeBuilder.DEFAULT_ZONES) + ", not '" + id.zone()
                        + "'; run 'lake init --zones ...' first");
            }
            return ctx.openOrCreate(List.of());
        }
    }

    private static void print(Context ctx, IngestResult r) {
        switch (ctx.output) {
            case JSON -> ctx.out.print(Json.write(Views.ingest(r)));
            case CSV -> ctx.out.print(Csv.write(Views.INGEST_OBJECT_KEYS,
                    r.objects().stream().map(Views::ingested).toList()));
            case TABLE -> {
                StringBuilder b = new StringBuilder();
                // a line per object up to a point: a directory of thousands is summarised (-o json has them all)
                int shown = 0;
                for (IngestedObject o : r.objects()) {
                    if (shown++ == TableViews.LISTED) {
                        b.append("... and ").append(TableViews.count(r.objects().size() - TableViews.LISTED))
                                .append(" more (-o json lists them all)\n");
                        break;
                    }
                    if (o.status() == IngestedObject.Status.DUPLICATE) {
                        b.append("duplicate: ").append(Text.visible(o.originalName())).append(" has the same bytes as ")
                                .append(o.object().path()).append(" already in ").append(r.dataset())
                                .append("; not stored again (--force stores it anyway)\n");
                    } else {
                        b.append("stored: ").append(Text.visible(o.originalName())).append(" -> ").append(r.dataset()).append('/')
                                .append(o.object().path()).append(" (").append(Text.size(o.object().size()))
                                .append(", sha256 ").append(o.object().sha256(), 0, 12).append(")\n");
                    }
                }
                int stored = r.stored().size();
                int dups = r.duplicates().size();
                b.append(r.dataset()).append(": ").append(stored).append(stored == 1 ? " object" : " objects")
                        .append(" stored, ").append(dups).append(dups == 1 ? " duplicate" : " duplicates");
                if (r.version() >= 0) {
                    b.append(" (catalog version ").append(r.version()).append(')');
                }
                b.append('\n');
                ctx.out.print(b);
            }
        }
    }
}
