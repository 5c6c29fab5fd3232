package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetUpdate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code lake dataset set ZONE/DATASET [--owner O] [--description D] [--tag K=V]... [--untag K]...}. */
final class DatasetSetCommand implements Command {
    @Override
    public String name() {
        return "dataset set";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.value("--owner"), Args.Opt.value("--description", "-d"),
                Args.Opt.repeated("--tag", "-t"), Args.Opt.repeated("--untag"));
    }

    @Override
    public int run(Context ctx, Args args) {
        args.expectPositionals("ZONE/DATASET");
        DatasetId id = DatasetId.parse(args.positionals().get(0));
        Map<String, String> tags = new LinkedHashMap<>();
        for (String t : args.values("--tag")) {
            Map.Entry<String, String> kv = Args.keyValue("--tag", t);
            if (kv.getKey().isBlank()) {
                throw new UsageException("--tag '" + t + "' has a blank key");
            }
            tags.put(kv.getKey(), kv.getValue());
        }
        for (String k : args.values("--untag")) {
            if (k.isBlank()) {
                throw new UsageException("--untag needs a tag key");
            }
            if (tags.containsKey(k)) {
                throw new UsageException("tag '" + k + "' is both set and removed");
            }
            tags.put(k, null);
        }
        if (!args.has("--owner") && !args.has("--description") && tags.isEmpty()) {
            throw new UsageException("nothing to set: give --owner, --description, --tag or --untag; see"
                    + " 'lake dataset set --help'");
        }
        try (Lake lake = ctx.openExisting()) {
            Catalog c = lake.catalog();
            c.datasets(id.zone()); // an unknown zone says so, listing the zones
            if (c.dataset(id).isEmpty()) {
                throw new NotFoundException("no dataset " + id + " in this lake (datasets are created by their"
                        + " first ingest; see 'lake ls " + id.zone() + "')");
            }
            DatasetUpdate u = lake.updateDataset(id);
            if (args.has("--owner")) {
                u.owner(args.value("--owner"));
            }
            if (args.has("--description")) {
                u.description(args.value("--description"));
            }
            tags.forEach(u::tag);
            Dataset d = u.commit();
            Map<String, Object> m = Views.describe(d, lake.catalog().objects(id));
            ctx.record(m, DescribeCommand.KEYS, DescribeCommand.table(m));
        }
        return Main.OK;
    }
}
