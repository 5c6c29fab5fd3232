package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DropResult;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Purge;
import dev.tarn.lake.catalog.PurgeResult;
import dev.tarn.lake.catalog.Remove;
import dev.tarn.lake.catalog.RemoveResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The commands that take data out of the lake: rm (objects), drop (a dataset or table), purge (bytes). */
final class RemoveCommands {
    private RemoveCommands() {
    }

    static List<Command> all() {
        return List.of(new RmCmd(), new DropCmd(), new PurgeCmd());
    }

    /** {@code --reason R}: said why, or not at all. */
    private static String reason(Args args) {
        if (!args.has("--reason")) {
            return null;
        }
        String r = args.value("--reason");
        if (r.isBlank()) {
            throw new UsageException("--reason is empty; say why, or leave it out");
        }
        return r;
    }

    /** {@code lake rm ZONE/DATASET/OBJECT... [--reason R]}. */
    static final class RmCmd implements Command {
        static final List<String> KEYS = List.of("dataset", "version", "previousVersion", "count", "reason",
                "objects");

        @Override
        public String name() {
            return "rm";
        }

        @Override
        public List<Args.Opt> options() {
            return List.of(Args.Opt.value("--reason"));
        }

        @Override
        public int run(Context ctx, Args args) {
            if (args.positionals().isEmpty()) {
                throw new UsageException("missing ZONE/DATASET/OBJECT; see 'lake rm --help'");
            }
            DatasetId dataset = null;
            List<String> refs = new ArrayList<>();
            for (String ref : args.positionals()) {
                Map.Entry<DatasetId, String> r = CatCommand.objectRef(ref);
                if (dataset != null && !dataset.equals(r.getKey())) {
                    throw new UsageException("'" + ref + "' is in " + r.getKey() + ", '" + args.positionals().get(0)
                            + "' in " + dataset + ": one 'lake rm' removes objects of one dataset (one commit);"
                            + " run it once per dataset");
                }
                dataset = r.getKey();
                refs.add(r.getValue());
            }
            String reason = reason(args);
            try (Lake lake = ctx.openExisting()) {
                Remove rm = lake.remove(dataset).objects(refs);
                if (reason != null) {
                    rm.reason(reason);
                }
                RemoveResult r = rm.commit();
                List<Map<String, Object>> objects = new ArrayList<>();
                for (LakeObject o : r.removed()) {
                    objects.add(Views.object(o));
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dataset", dataset.toString());
                m.put("version", r.version());
                m.put("previousVersion", r.version() - 1);
                m.put("count", (long) r.removed().size());
                m.put("reason", reason);
                m.put("objects", objects);
                StringBuilder text = new StringBuilder("removed " + TableViews.count(r.removed().size())
                        + " object(s) from " + dataset + ": catalog version " + r.version() + "\n");
                TableViews.listed(text, r.removed().stream().map(LakeObject::path).toList());
                text.append("their bytes stay until 'lake purge'; 'lake ls ").append(dataset).append(" --as-of ")
                        .append(r.version() - 1).append("' still lists them\n");
                if (ctx.output == Context.Output.CSV) {
                    ctx.out.print(Csv.write(Views.OBJECT_KEYS, objects)); // a row per object removed
                } else {
                    ctx.record(m, KEYS, text.toString());
                }
            }
            return Main.OK;
        }
    }

    /** {@code lake drop ZONE/DATASET [--force] [--reason R]}. */
    static final class DropCmd implements Command {
        static final List<String> KEYS = List.of("dataset", "kind", "version", "objects", "bytes", "forced",
                "readers", "reason");

        @Override
        public String name() {
            return "drop";
        }

        @Override
        public List<Args.Opt> options() {
            return List.of(Args.Opt.flag("--force"), Args.Opt.value("--reason"));
        }

        @Override
        public int run(Context ctx, Args args) {
            args.expectPositionals("ZONE/DATASET");
            DatasetId id = DatasetId.parse(args.positionals().get(0));
            String reason = reason(args);
            try (Lake lake = ctx.openExisting()) {
                var drop = lake.drop(id);
                if (args.has("--force")) {
                    drop.force();
                }
                if (reason != null) {
                    drop.reason(reason);
                }
                DropResult r;
                try {
                    r = drop.commit();
                } catch (dev.tarn.lake.exceptions.NotFoundException | dev.tarn.lake.exceptions.PermissionDeniedException e) {
                    throw e;
                } catch (dev.tarn.lake.exceptions.TarnException e) {
                    throw new dev.tarn.lake.exceptions.TarnException(e.errorCode(), e.getMessage().replace(" (Drop.force())", ""), e);
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dataset", id.toString());
                m.put("kind", r.dataset().kind().id());
                m.put("version", r.version());
                m.put("objects", r.dataset().objects());
                m.put("bytes", r.dataset().bytes());
                m.put("forced", args.has("--force"));
                m.put("readers", r.readers());
                m.put("reason", reason);
                StringBuilder text = new StringBuilder("dropped " + (r.dataset().kind()
                        == dev.tarn.lake.catalog.DatasetKind.TABLE ? "table " : "raw dataset ") + id);
                if (r.dataset().kind() == dev.tarn.lake.catalog.DatasetKind.OBJECTS) {
                    text.append(" (").append(TableViews.count(r.dataset().objects())).append(" object(s), ")
                            .append(Text.size(r.dataset().bytes())).append(')');
                }
                text.append(": catalog version ").append(r.version()).append("; its bytes stay until 'lake purge'\n");
                for (String reader : r.readers()) {
                    text.append("note: ").append(Text.oneLine(reader)).append(" still reads it\n");
                }
                ctx.record(m, KEYS, text.toString());
            }
            return Main.OK;
        }
    }

    /** {@code lake purge [--older-than DURATION] [--dry-run] [--reason R]}. */
    static final class PurgeCmd implements Command {
        static final List<String> KEYS = List.of("dryRun", "retentionSeconds", "version", "count", "bytes",
                "objects");
        static final List<String> ITEM_KEYS = List.of("key", "size", "dataset", "reason");

        @Override
        public String name() {
            return "purge";
        }

        @Override
        public List<Args.Opt> options() {
            return List.of(Args.Opt.value("--older-than"), Args.Opt.flag("--dry-run"), Args.Opt.value("--reason"));
        }

        @Override
        public int run(Context ctx, Args args) {
            args.expectPositionals();
            Duration retention = args.has("--older-than") ? olderThan(args.value("--older-than"))
                    : Duration.ofDays(7);
            String reason = reason(args);
            try (Lake lake = ctx.openExisting()) {
                Purge p = lake.purge().olderThan(retention);
                if (reason != null) {
                    p.reason(reason);
                }
                PurgeResult r = args.has("--dry-run") ? p.apply() : p.commit();
                List<Map<String, Object>> objects = new ArrayList<>();
                for (PurgeResult.Item i : r.deleted()) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("key", i.key());
                    o.put("size", i.size());
                    o.put("dataset", i.dataset());
                    o.put("reason", i.why());
                    objects.add(o);
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dryRun", r.dryRun());
                m.put("retentionSeconds", retention.toSeconds());
                m.put("version", r.version() < 0 ? null : r.version());
                m.put("count", (long) r.deleted().size());
                m.put("bytes", r.bytes());
                m.put("objects", objects);
                StringBuilder text = new StringBuilder((r.dryRun() ? "would delete " : "deleted ")
                        + TableViews.count(r.deleted().size()) + " stored object(s), " + Text.size(r.bytes())
                        + " (retention " + TableViews.duration(retention) + ")"
                        + (r.version() >= 0 ? ": catalog version " + r.version() : "") + "\n");
                TableViews.listed(text, r.deleted().stream().map(PurgeResult.Item::key).toList());
                if (ctx.output == Context.Output.CSV) {
                    ctx.out.print(Csv.write(ITEM_KEYS, objects)); // a row per stored object deleted
                } else {
                    ctx.record(m, KEYS, text.toString());
                }
            }
            return Main.OK;
        }

        private static Duration olderThan(String text) {
            try {
                return Text.duration(text);
            } catch (UsageException e) {
                throw new UsageException("--older-than '" + text + "' is not a duration; write e.g. 0s, 90m, 36h,"
                        + " 7d");
            }
        }
    }
}
