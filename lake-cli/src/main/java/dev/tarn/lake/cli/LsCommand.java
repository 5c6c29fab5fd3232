package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.catalog.Zone;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lake ls [ZONE[/DATASET]]}. */
@Command(
        name = "ls",
        header = "list zones, the datasets of a zone, or the objects of a dataset",
        description = {
            "No argument: the zones with their dataset counts.",
            "ZONE: the datasets of the zone, raw datasets and tables alike, with their kind; for a table",
            "OBJECTS counts its data files and LAST MODIFIED is its last commit.",
            "ZONE/DATASET: the objects of the dataset, with size and sha256.",
            "--as-of VERSION lists the catalog as it was at that version, with the objects removed and the",
            "datasets dropped since."
        })
final class LsCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "ZONE[/DATASET]", arity = "0..1")
    String target;

    /** More than one is refused by the command, with a message saying what it takes. */
    @Parameters(index = "1..*", arity = "0..*", hidden = true)
    List<String> extra = new ArrayList<>();

    @Option(
            names = "--as-of",
            paramLabel = "VERSION",
            converter = Converters.NonNegative.class,
            description = "list the catalog as it was at that version")
    Long asOf;

    @Override
    int run() {
        if (!extra.isEmpty()) {
            throw new UsageException(
                    "unexpected argument '"
                            + extra.get(0)
                            + "'; 'lake ls' takes at most one"
                            + " ZONE or ZONE/DATASET");
        }
        DatasetId id = null;
        if (target != null) {
            if (target.contains("/")) {
                id = DatasetId.parse(target);
            } else {
                Names.check("zone", target);
            }
        }
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
        List<Views.ZoneView> rows = new ArrayList<>();
        for (Zone z : c.zones()) {
            rows.add(
                    Views.ZoneView.of(
                            z,
                            c.datasets().stream()
                                    .filter(d -> d.id().zone().equals(z.name()))
                                    .count()));
        }
        ctx.list(
                rows,
                Views.ZONE_KEYS,
                List.of(
                        Columns.Column.left("ZONE", Views.ZoneView::zone),
                        Columns.Column.right("DATASETS", r -> String.valueOf(r.datasets())),
                        Columns.Column.left("DESCRIPTION", r -> str(r.description()))),
                "no zones");
    }

    private static void datasets(Context ctx, Lake lake, Catalog c, String zone) {
        List<Views.DatasetView> rows = new ArrayList<>();
        dev.tarn.lake.table.Tables tables = null;
        for (Dataset d : c.datasets(zone)) {
            Views.DatasetView row = Views.DatasetView.of(d);
            if (d.kind() == dev.tarn.lake.catalog.DatasetKind.TABLE && lake != null) {
                // Only for the newest version: a table's log shows it now, not as an earlier
                // catalog version knew it.
                tables = tables == null ? dev.tarn.lake.table.Tables.of(lake) : tables;
                row = table(ctx, tables, d, row);
            }
            rows.add(row);
        }
        ctx.list(
                rows,
                Views.DATASET_KEYS,
                List.of(
                        Columns.Column.left("DATASET", Views.DatasetView::dataset),
                        Columns.Column.left("KIND", r -> str(r.kind())),
                        Columns.Column.left("FORMAT", r -> str(r.format())),
                        Columns.Column.right("OBJECTS", r -> String.valueOf(r.objects())),
                        Columns.Column.right("SIZE", r -> Text.size(r.bytes())),
                        Columns.Column.left("LAST MODIFIED", r -> Text.time(r.lastModified())),
                        Columns.Column.left("OWNER", r -> str(r.owner()))),
                "no datasets in zone "
                        + zone
                        + " (create one with 'lake ingest "
                        + zone
                        + "/NAME FILE')");
    }

    private static void objects(Context ctx, Catalog c, DatasetId id) {
        List<Views.ObjectView> rows = new ArrayList<>();
        for (LakeObject o : c.objects(id)) {
            rows.add(Views.ObjectView.of(o));
        }
        ctx.list(
                rows,
                Views.OBJECT_KEYS,
                List.of(
                        Columns.Column.left("PATH", Views.ObjectView::path),
                        Columns.Column.right("SIZE", r -> Text.size(r.size())),
                        Columns.Column.left("FORMAT", r -> str(r.format())),
                        Columns.Column.left("INGESTED", r -> Text.time(r.ingestedAt())),
                        Columns.Column.left("SHA256", Views.ObjectView::sha256)),
                "no objects in " + id);
    }

    /**
     * A table's files, bytes and last commit come from its log (the catalog only knows when it was
     * registered). A table whose log cannot be read keeps the catalog's figures and says why on
     * stderr: one damaged table does not hide the zone's other datasets.
     */
    private static Views.DatasetView table(
            Context ctx, dev.tarn.lake.table.Tables tables, Dataset d, Views.DatasetView row) {
        try {
            if (tables.exists(d.id())) {
                return row.with(TableViews.TableInfo.of(tables.load(d.id())));
            }
        } catch (dev.tarn.lake.exceptions.TarnException e) {
            ctx.err.println(
                    "lake ls: table "
                            + d.id()
                            + ": "
                            + Text.oneLine(String.valueOf(e.getMessage()))
                            + " (see 'lake doctor')");
        }
        return row;
    }

    static String str(Object o) {
        return o == null ? "" : o.toString();
    }
}
