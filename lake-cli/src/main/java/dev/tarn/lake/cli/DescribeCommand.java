package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.table.DeltaTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lake describe ZONE/DATASET}. */
@Command(
        name = "describe",
        header = "show a dataset's properties, counts, size, format, partitions, schema",
        description = {
            "Shows a dataset's properties (kind, format, owner, description, tags), its object count and",
            "bytes, the formats and partition values of its objects, and when it last changed.",
            "For a table, from its Delta log (no data is read): version, rows (the files' statistics, or",
            "unknown), files, bytes, schema, partition columns, protocol and features, and the last commit",
            "(time, version, operation, user).",
            "Objects SQL cannot read (a CSV with mixed line endings, a JSON file that does not parse) are",
            "named with their reasons; the description is printed, then exit 1 (as doctor does)."
        })
final class DescribeCommand extends CliCommand {
    static final List<String> KEYS = Views.DescribeView.CSV_KEYS;

    @Parameters(paramLabel = "ZONE/DATASET", converter = Converters.Dataset.class)
    DatasetId id;

    @Override
    int run() {
        try (Lake lake = ctx.openExisting()) {
            Catalog c = lake.catalog();
            c.datasets(id.zone()); // an unknown zone says so, listing the zones
            Dataset d =
                    c.dataset(id)
                            .orElseThrow(
                                    () ->
                                            new NotFoundException(
                                                    "no dataset "
                                                            + id
                                                            + " in this lake (datasets are created by their first ingest; see 'lake ls "
                                                            + id.zone()
                                                            + "')"));
            var objects = c.objects(id);
            Map<String, Long> left = notInSql(d, objects);
            List<Views.BadObjectView> bad = new ArrayList<>();
            List<Views.ColumnView> schema = schema(lake, d, bad);
            TableViews.TableInfo table = null;
            if (d.kind() == dev.tarn.lake.catalog.DatasetKind.TABLE) {
                var tables = dev.tarn.lake.table.Tables.of(lake);
                if (tables.exists(id)) {
                    table = TableViews.TableInfo.of(tables.load(id));
                }
            }
            Views.DescribeView m = Views.DescribeView.of(d, objects, left, schema, bad, table);
            ctx.record(m, KEYS, table(m));
            if (!bad.isEmpty()) {
                // As doctor does: the whole description, and exit 1 with the objects named, so that
                // a script sees
                // that queries on the dataset fail (an object changed behind the lake at the same
                // size shows here
                // too, before 'lake doctor' has hashed it).
                ctx.out.flush();
                ctx.err.println(
                        "lake: "
                                + id
                                + " has "
                                + bad.size()
                                + (bad.size() == 1 ? " object" : " objects")
                                + " SQL cannot read: "
                                + String.join(
                                        "; ",
                                        bad.stream()
                                                .map(
                                                        b ->
                                                                Text.oneLine(
                                                                        b.object()
                                                                                + " ("
                                                                                + b.reason()
                                                                                + ")"))
                                                .toList())
                                + "; queries on it fail, 'lake sql --skip-bad-objects' reads the rest, 'lake doctor' checks"
                                + " the bytes");
                return Main.FAILURE;
            }
        }
        return Main.OK;
    }

    private static final java.util.Set<String> STRUCTURED =
            java.util.Set.of("ndjson", "json", "csv", "tsv", "parquet", "mixed");

    /**
     * The columns SQL infers when it reads the dataset as it lies (schema on read), or null for
     * datasets SQL sees as object metadata only.
     */
    static List<Views.ColumnView> schema(
            Lake lake, Dataset d, List<Views.BadObjectView> badObjects) {
        if (d.kind() == dev.tarn.lake.catalog.DatasetKind.TABLE) {
            // The columns of the table's newest version, read from its log (which refuses if a
            // commit was lost).
            var tables = dev.tarn.lake.table.Tables.of(lake);
            if (!tables.exists(d.id())) {
                return null; // registered by a first convert that failed: no version yet
            }
            List<Views.ColumnView> cols = new ArrayList<>();
            for (var f : tables.load(d.id()).snapshot().schema().fields()) {
                cols.add(new Views.ColumnView(f.name(), DeltaTypes.name(f.type())));
            }
            return cols;
        }
        if (d.format() == null || !STRUCTURED.contains(d.format())) {
            return null;
        }
        var sql = dev.tarn.lake.query.Sql.of(lake);
        String view = "\"" + d.id().zone() + "\".\"" + d.id().name() + "\"";
        // Malformed objects are named with their reasons, and the schema is that of the others; a
        // dataset whose
        // objects are damaged (bytes gone or changed behind the lake) fails here, naming the
        // object: DESCRIBE only
        // binds the view, reading one row makes it report its failure instead of showing its
        // columns.
        var bad = sql.badObjects(d.id());
        bad.forEach(b -> badObjects.add(Views.BadObjectView.of(b)));
        if (bad.isEmpty()) {
            sql.query("SELECT 1 FROM " + view + " LIMIT 1");
        }
        var r = sql.query("DESCRIBE " + view);
        List<Views.ColumnView> cols = new ArrayList<>();
        for (int i = 0; i < r.rowCount(); i++) {
            if (!bad.isEmpty() && "tarn_unreadable".equals(r.get(i, "column_name"))) {
                continue; // the column of the view's failure (lake-query's CatalogViews), not the
                // data's
            }
            cols.add(
                    new Views.ColumnView(
                            String.valueOf(r.get(i, "column_name")),
                            String.valueOf(r.get(i, "column_type"))));
        }
        return cols;
    }

    /**
     * The objects of a raw dataset whose rows its SQL view leaves out (text, binary, Avro next to
     * NDJSON or CSV), by format; null when none are left out, or when the dataset has no rows to
     * read (its view is then a table of its objects' metadata, and none is left out).
     */
    static Map<String, Long> notInSql(Dataset d, List<dev.tarn.lake.catalog.LakeObject> objects) {
        if (d.kind() == dev.tarn.lake.catalog.DatasetKind.TABLE
                || objects.stream().noneMatch(o -> dev.tarn.lake.query.Sql.readsRows(o.format()))) {
            return null;
        }
        Map<String, Long> left = new java.util.TreeMap<>();
        for (var o : objects) {
            if (!dev.tarn.lake.query.Sql.readsRows(o.format())) {
                left.merge(o.format() == null ? "unknown" : o.format().id(), 1L, Long::sum);
            }
        }
        return left.isEmpty() ? null : left;
    }

    /** Properties as aligned {@code name: value} lines. */
    static String table(Views.DescribeView m) {
        Views.DatasetView d = m.dataset();
        TableViews.TableInfo table = m.table();
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"dataset", d.dataset()});
        lines.add(new String[] {"kind", LsCommand.str(d.kind())});
        lines.add(new String[] {"format", LsCommand.str(d.format())});
        if (table != null) {
            lines.add(new String[] {"version", String.valueOf(table.version())});
            lines.add(
                    new String[] {
                        "rows",
                        table.rows() == null
                                ? "unknown (a data file's log entry has no record count)"
                                : TableViews.count(table.rows())
                    });
            lines.add(new String[] {"files", TableViews.count(table.files())});
        } else {
            lines.add(new String[] {"objects", String.valueOf(d.objects())});
        }
        long bytes = d.bytes();
        lines.add(
                new String[] {
                    "size", Text.size(bytes) + (bytes >= 1024 ? " (" + bytes + " bytes)" : "")
                });
        lines.add(new String[] {"owner", LsCommand.str(d.owner())});
        lines.add(new String[] {"description", LsCommand.str(d.description())});
        lines.add(new String[] {"tags", Text.kv(d.tags())});
        lines.add(new String[] {"formats", Text.kv(m.summary().formats())});
        Map<String, Long> left = m.notInSql();
        if (left != null) {
            long n = left.values().stream().mapToLong(Long::longValue).sum();
            lines.add(
                    new String[] {
                        "not in SQL",
                        n
                                + (n == 1 ? " object" : " objects")
                                + " ("
                                + Text.kv(left)
                                + ") left out of the dataset's rows; SELECT * FROM tarn.objects lists them"
                    });
        }
        StringBuilder p = new StringBuilder();
        m.summary()
                .partitions()
                .forEach(
                        (k, v) -> {
                            if (p.length() > 0) {
                                p.append("; ");
                            }
                            p.append(k).append(": ").append(String.join(", ", v));
                        });
        if (table != null) {
            lines.add(
                    new String[] {
                        "partition columns", String.join(", ", table.partitionColumns())
                    });
            TableViews.Protocol protocol = table.protocol();
            List<String> features = new ArrayList<>(protocol.readerFeatures());
            protocol.writerFeatures().stream()
                    .filter(f -> !features.contains(f))
                    .forEach(features::add);
            lines.add(
                    new String[] {
                        "protocol",
                        "reader "
                                + protocol.minReaderVersion()
                                + ", writer "
                                + protocol.minWriterVersion()
                                + (features.isEmpty()
                                        ? ""
                                        : "; features: " + String.join(", ", features))
                    });
        } else {
            lines.add(new String[] {"partitions", p.toString()});
        }
        if (m.schema() != null) {
            lines.add(
                    new String[] {
                        "schema",
                        String.join(
                                ", ",
                                m.schema().stream().map(c -> c.name() + " " + c.type()).toList())
                    });
        }
        List<Views.BadObjectView> bad = m.badObjects();
        if (bad != null && !bad.isEmpty()) {
            lines.add(
                    new String[] {
                        "malformed",
                        bad.size()
                                + (bad.size() == 1 ? " object" : " objects")
                                + " SQL cannot read (queries fail naming them; 'lake sql --skip-bad-objects' reads the rest): "
                                + String.join(
                                        "; ",
                                        bad.stream()
                                                .map(b -> b.object() + " (" + b.reason() + ")")
                                                .toList())
                    });
        }
        lines.add(new String[] {"created", Text.time(d.createdAt())});
        if (table != null) {
            TableViews.LastCommit last = table.lastCommit();
            lines.add(
                    new String[] {
                        "last commit",
                        (last.timestamp() == null ? "" : Text.time(last.timestamp()))
                                + " version "
                                + last.version()
                                + (last.operation() == null ? "" : " " + last.operation())
                                + (last.user() == null ? "" : " by " + last.user())
                    });
        } else {
            lines.add(
                    new String[] {
                        "last change",
                        Text.time(d.lastModified()) + " (catalog version " + d.lastVersion() + ")"
                    });
        }
        int w = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
        StringBuilder b = new StringBuilder();
        for (String[] l : lines) {
            b.append(
                            (l[0] + ":" + " ".repeat(w - l[0].length() + 1) + Text.oneLine(l[1]))
                                    .stripTrailing())
                    .append('\n');
        }
        return b.toString();
    }
}
