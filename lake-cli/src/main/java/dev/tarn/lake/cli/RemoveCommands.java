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
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that take data out of the lake: rm (objects), drop (a dataset or table), purge
 * (bytes).
 */
final class RemoveCommands {
    private RemoveCommands() {}

    /** {@code --reason R}, the same on rm, drop and purge: said why, or not at all. */
    static final class Reason {
        @Option(
                names = "--reason",
                paramLabel = "R",
                description = "why, recorded in the commit ('lake history')")
        String text;

        String get() {
            if (text != null && text.isBlank()) {
                throw new UsageException("--reason is empty; say why, or leave it out");
            }
            return text;
        }
    }

    /** {@code lake rm ZONE/DATASET/OBJECT... [--reason R]}. */
    @Command(
            name = "rm",
            header = "remove objects from a dataset (their bytes stay until purge)",
            description = {
                "Removes objects of one raw dataset from the catalog in one commit that records the user and",
                "the reason. OBJECT is a path, a file name or a sha256 prefix, as for 'lake cat'. The objects'",
                "bytes stay: earlier catalog versions still list and read them ('lake ls ZONE/DATASET --as-of",
                "VERSION', 'lake cat ... --as-of VERSION') until 'lake purge' deletes them after the retention.",
                "An object that does not exist fails the command (exit 1) and nothing is removed."
            })
    static final class RmCmd extends CliCommand {
        static final List<String> KEYS =
                List.of("dataset", "version", "previousVersion", "count", "reason", "objects");

        @Parameters(paramLabel = "ZONE/DATASET/OBJECT", arity = "1..*")
        List<String> objects;

        @Mixin Reason why;

        @Override
        int run() {
            DatasetId dataset = null;
            List<String> refs = new ArrayList<>();
            for (String ref : this.objects) {
                Map.Entry<DatasetId, String> r = CatCommand.objectRef(ref);
                if (dataset != null && !dataset.equals(r.getKey())) {
                    throw new UsageException(
                            "'"
                                    + ref
                                    + "' is in "
                                    + r.getKey()
                                    + ", '"
                                    + this.objects.get(0)
                                    + "' in "
                                    + dataset
                                    + ": one 'lake rm' removes objects of one dataset (one commit);"
                                    + " run it once per dataset");
                }
                dataset = r.getKey();
                refs.add(r.getValue());
            }
            String reason = why.get();
            try (Lake lake = ctx.openExisting()) {
                Remove rm = lake.remove(dataset).objects(refs);
                if (reason != null) {
                    rm.reason(reason);
                }
                RemoveResult r = rm.commit();
                List<Views.ObjectView> objects = new ArrayList<>();
                for (LakeObject o : r.removed()) {
                    objects.add(Views.ObjectView.of(o));
                }
                Views.RemoveView m =
                        new Views.RemoveView(
                                dataset.toString(),
                                r.version(),
                                r.version() - 1,
                                objects.size(),
                                reason,
                                objects);
                StringBuilder text =
                        new StringBuilder(
                                "removed "
                                        + TableViews.count(r.removed().size())
                                        + " object(s) from "
                                        + dataset
                                        + ": catalog version "
                                        + r.version()
                                        + "\n");
                TableViews.listed(text, r.removed().stream().map(LakeObject::path).toList());
                text.append("their bytes stay until 'lake purge'; 'lake ls ")
                        .append(dataset)
                        .append(" --as-of ")
                        .append(r.version() - 1)
                        .append("' still lists them\n");
                if (ctx.output == Context.Output.CSV) {
                    ctx.out.print(
                            Csv.records(Views.OBJECT_KEYS, objects)); // a row per object removed
                } else {
                    ctx.record(m, KEYS, text.toString());
                }
            }
            return Main.OK;
        }
    }

    /**
     * {@code lake drop ZONE/DATASET [--force] [--reason R]}. Its description, with the end of rm
     * before it, is alike in shape to purge's with the end of drop (they look repeated): help text
     * and the usual last lines of run(), not shared logic.
     */
    @Command(
            name = "drop",
            header = "drop a raw dataset or a table (its bytes stay until purge)",
            description = {
                "Drops a raw dataset or a table from the catalog in one commit that records the user and the",
                "reason. Its bytes stay until 'lake purge' deletes them after the retention; earlier catalog",
                "versions still list its objects. A dataset that another table's lineage reads (a table converted",
                "from it, or saved from a query over it) is refused (exit 1, nothing changed) unless --force.",
                "A dropped table's name can be used again once purge has deleted its files."
            })
    static final class DropCmd extends CliCommand {
        static final List<String> KEYS =
                List.of(
                        "dataset", "kind", "version", "objects", "bytes", "forced", "readers",
                        "reason");

        @Parameters(paramLabel = "ZONE/DATASET", converter = Converters.Dataset.class)
        DatasetId id;

        @Option(
                names = "--force",
                arity = "0",
                description = "drop even if other tables' lineage reads it (the commit names them)")
        boolean force;

        @Mixin Reason why;

        @Override
        int run() {
            String reason = why.get();
            try (Lake lake = ctx.openExisting()) {
                var drop = lake.drop(id);
                if (force) {
                    drop.force();
                }
                if (reason != null) {
                    drop.reason(reason);
                }
                DropResult r;
                try {
                    r = drop.commit();
                } catch (dev.tarn.lake.exceptions.NotFoundException
                        | dev.tarn.lake.exceptions.PermissionDeniedException e) {
                    throw e;
                } catch (dev.tarn.lake.exceptions.TarnException e) {
                    throw new dev.tarn.lake.exceptions.TarnException(
                            e.errorCode(), e.getMessage().replace(" (Drop.force())", ""), e);
                }
                Views.DropView m =
                        new Views.DropView(
                                id.toString(),
                                r.dataset().kind().id(),
                                r.version(),
                                r.dataset().objects(),
                                r.dataset().bytes(),
                                force,
                                r.readers(),
                                reason);
                StringBuilder text =
                        new StringBuilder(
                                "dropped "
                                        + (r.dataset().kind()
                                                        == dev.tarn.lake.catalog.DatasetKind.TABLE
                                                ? "table "
                                                : "raw dataset ")
                                        + id);
                if (r.dataset().kind() == dev.tarn.lake.catalog.DatasetKind.OBJECTS) {
                    text.append(" (")
                            .append(TableViews.count(r.dataset().objects()))
                            .append(" object(s), ")
                            .append(Text.size(r.dataset().bytes()))
                            .append(')');
                }
                text.append(": catalog version ")
                        .append(r.version())
                        .append("; its bytes stay until 'lake purge'\n");
                for (String reader : r.readers()) {
                    text.append("note: ").append(Text.oneLine(reader)).append(" still reads it\n");
                }
                ctx.record(m, KEYS, text.toString());
            }
            return Main.OK;
        }
    }

    /**
     * {@code lake purge [--older-than DURATION] [--dry-run] [--reason R]}. Its description, like
     * every command's, is lines of help text: alike in shape to drop's (they look repeated), not in
     * content.
     */
    @Command(
            name = "purge",
            header = "delete bytes no catalog or table version within the retention needs",
            description = {
                "Deletes the bytes no catalog version and no table version within the retention needs: objects",
                "removed with 'lake rm' or datasets dropped with 'lake drop' longer ago than the retention, and",
                "tables' files that time travel within it cannot reach (as 'lake vacuum' would). What the newest",
                "catalog lists is never deleted, nor files the catalog never named ('lake doctor' reports those).",
                "The purge is recorded as a catalog commit (user, reason, the keys deleted) before anything is",
                "deleted. Lists the first 10 objects; --output json lists them all."
            })
    static final class PurgeCmd extends CliCommand {
        static final List<String> KEYS =
                List.of("dryRun", "retentionSeconds", "version", "count", "bytes", "objects");
        static final List<String> ITEM_KEYS = List.of("key", "size", "dataset", "reason");

        @Option(
                names = "--older-than",
                paramLabel = "DURATION",
                description = "the retention (default 7d; e.g. 0s, 90m, 36h, 7d)")
        String olderThan;

        @Option(
                names = "--dry-run",
                arity = "0",
                description = "list what would be deleted, delete nothing")
        boolean dryRun;

        @Mixin Reason why;

        @Override
        int run() {
            Duration retention = olderThan != null ? olderThan(olderThan) : Duration.ofDays(7);
            String reason = why.get();
            try (Lake lake = ctx.openExisting()) {
                Purge p = lake.purge().olderThan(retention);
                if (reason != null) {
                    p.reason(reason);
                }
                PurgeResult r = dryRun ? p.apply() : p.commit();
                List<Views.PurgedView> objects = new ArrayList<>();
                for (PurgeResult.Item i : r.deleted()) {
                    objects.add(new Views.PurgedView(i.key(), i.size(), i.dataset(), i.why()));
                }
                Views.PurgeView m =
                        new Views.PurgeView(
                                r.dryRun(),
                                retention.toSeconds(),
                                r.version() < 0 ? null : r.version(),
                                objects.size(),
                                r.bytes(),
                                objects);
                StringBuilder text =
                        new StringBuilder(
                                (r.dryRun() ? "would delete " : "deleted ")
                                        + TableViews.count(r.deleted().size())
                                        + " stored object(s), "
                                        + Text.size(r.bytes())
                                        + " (retention "
                                        + TableViews.duration(retention)
                                        + ")"
                                        + (r.version() >= 0
                                                ? ": catalog version " + r.version()
                                                : "")
                                        + "\n");
                TableViews.listed(text, r.deleted().stream().map(PurgeResult.Item::key).toList());
                if (ctx.output == Context.Output.CSV) {
                    ctx.out.print(
                            Csv.records(ITEM_KEYS, objects)); // a row per stored object deleted
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
                throw new UsageException(
                        "--older-than '"
                                + text
                                + "' is not a duration; write e.g. 0s, 90m, 36h,"
                                + " 7d");
            }
        }
    }
}
