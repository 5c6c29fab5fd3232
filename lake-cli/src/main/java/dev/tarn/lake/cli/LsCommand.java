package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.catalog.Zone;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code lake ls [ZONE[/DATASET]]}. */
final class LsCommand implements Command {
    @Override
    public String name() {
        return "ls";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.value("--as-of"));
    }

    @Override
    public int run(Context ctx, Args args) {
        List<String> pos = args.positionals();
        if (pos.size() > 1) {
            throw new UsageException("unexpected argument '" + pos.get(1) + "'; 'lake ls' takes at most one"
                    + " ZONE or ZONE/DATASET");
        }
        String target = pos.isEmpty() ? null : pos.get(0);
        DatasetId id = null;
        if (target != null) {
            if (target.contains("/")) {
                id = DatasetId.parse(target);
            } else {
                Names.check("zone", target);
            }
        }
        Long asOf = CatCommand.asOf(args);
        try (Lake lake = ctx.openExisting()) {
            Catalog c = asOf == null ? lake.catalog() : lake.catalog(asOf);
            if (target == null) {
                zones(ctx, c);
            } else if (id == null) {
                datasets(ctx, asOf == null ? lake : null, c, target);
            } else {
                objects(ctx, c, id);
            }
        }
        return Main.OK;
    }

    private static void zones(Context ctx, Catalog c) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Zone z : c.zones()) {
            rows.add(Views.zone(z, c.datasets().stream().filter(d -> d.id().zone().equals(z.name())).count()));
        }
        ctx.list(rows, Views.ZONE_KEYS, List.of(
                Table.Column.left("ZONE", r -> (String) r.get("zone")),
                Table.Column.right("DATASETS", r -> String.valueOf(r.get("datasets"))),
                Table.Column.left("DESCRIPTION", r -> str(r.get("description")))), "no zones");
    }

    private static void datasets(Context ctx, Lake lake, Catalog c, String zone) {
        List<Map<String, Object>> rows = new ArrayList<>();
        dev.tarn.lake.table.Tables tables = null;
        for (Dataset d : c.datasets(zone)) {
            Map<String, Object> row = Views.dataset(d);
            if (d.kind() == dev.tarn.lake.catalog.DatasetKind.TABLE && lake != null) {
                // Only for the newest version: a table's log shows it now, not as an earlier catalog version knew it.
                tables = tables == null ? dev.tarn.lake.table.Tables.of(lake) : tables;
                table(ctx, tables, d, row);
            }
            rows.add(row);
        }
        ctx.list(rows, Views.DATASET_KEYS, List.of(
                Table.Column.left("DATASET", r -> (String) r.get("dataset")),
                Table.Column.left("KIND", r -> str(r.get("kind"))),
                Table.Column.left("FORMAT", r -> str(r.get("format"))),
                Table.Column.right("OBJECTS", r -> String.valueOf(r.get("objects"))),
                Table.Column.right("SIZE", r -> Text.size((Long) r.get("bytes"))),
                Table.Column.left("LAST MODIFIED", r -> Text.time((Instant) r.get("lastModified"))),
                Table.Column.left("OWNER", r -> str(r.get("owner")))),
                "no datasets in zone " + zone + " (create one with 'lake ingest " + zone + "/NAME FILE')");
    }

    private static void objects(Context ctx, Catalog c, DatasetId id) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LakeObject o : c.objects(id)) {
            rows.add(Views.object(o));
        }
        ctx.list(rows, Views.OBJECT_KEYS, List.of(
                Table.Column.left("PATH", r -> (String) r.get("path")),
                Table.Column.right("SIZE", r -> Text.size((Long) r.get("size"))),
                Table.Column.left("FORMAT", r -> str(r.get("format"))),
                Table.Column.left("INGESTED", r -> Text.time((Instant) r.get("ingestedAt"))),
                Table.Column.left("SHA256", r -> (String) r.get("sha256"))),
                "no objects in " + id);
    }

    /**
     * A table's files, bytes and last commit come from its log (the catalog only knows when it was registered). A
     * table whose log cannot be read keeps the catalog's figures and says why on stderr: one damaged table does not
     * hide the zone's other datasets.
     */
    private static void table(Context ctx, dev.tarn.lake.table.Tables tables, Dataset d, Map<String, Object> row) {
        try {
            if (tables.exists(d.id())) {
                TableViews.overlay(row, TableViews.info(tables.load(d.id())));
            }
        } catch (dev.tarn.lake.exceptions.TarnException e) {
            ctx.err.println("lake ls: table " + d.id() + ": " + Text.oneLine(String.valueOf(e.getMessage()))
                    + " (see 'lake doctor')");
        }
    }

    static String str(Object o) {
        return o == null ? "" : o.toString();
    }
}
