package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetUpdate;
import dev.tarn.lake.exceptions.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lake dataset set ZONE/DATASET [--owner O] [--description D] [--tag K=V]... [--untag
 * K]...}.
 */
@Command(
        name = "set",
        header = "set a dataset's owner, description or tags",
        description =
                "Changes the settable properties of an existing dataset in one commit; prints the dataset.")
final class DatasetSetCommand extends CliCommand {
    @Parameters(paramLabel = "ZONE/DATASET", converter = Converters.Dataset.class)
    DatasetId id;

    @Option(names = "--owner", paramLabel = "O", description = "who owns the dataset")
    String owner;

    @Option(
            names = {"--description", "-d"},
            paramLabel = "D",
            description = "what the dataset holds")
    String description;

    @Option(
            names = {"--tag", "-t"},
            paramLabel = "K=V",
            converter = Converters.Kv.class,
            description = "set tag K to V (repeatable)")
    List<Converters.KeyValue> tag = new ArrayList<>();

    @Option(names = "--untag", paramLabel = "K", description = "remove tag K (repeatable)")
    List<String> untag = new ArrayList<>();

    @Override
    int run() {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Converters.KeyValue kv : tag) {
            if (kv.key().isBlank()) {
                throw new UsageException("--tag '" + kv.text() + "' has a blank key");
            }
            tags.put(kv.key(), kv.value());
        }
        for (String k : untag) {
            if (k.isBlank()) {
                throw new UsageException("--untag needs a tag key");
            }
            if (tags.containsKey(k)) {
                throw new UsageException("tag '" + k + "' is both set and removed");
            }
            tags.put(k, null);
        }
        if (owner == null && description == null && tags.isEmpty()) {
            throw new UsageException(
                    "nothing to set: give --owner, --description, --tag or --untag; see"
                            + " 'lake dataset set --help'");
        }
        try (Lake lake = ctx.openExisting()) {
            Catalog c = lake.catalog();
            c.datasets(id.zone()); // an unknown zone says so, listing the zones
            if (c.dataset(id).isEmpty()) {
                throw new NotFoundException(
                        "no dataset "
                                + id
                                + " in this lake (datasets are created by their"
                                + " first ingest; see 'lake ls "
                                + id.zone()
                                + "')");
            }
            DatasetUpdate u = lake.updateDataset(id);
            if (owner != null) {
                u.owner(owner);
            }
            if (description != null) {
                u.description(description);
            }
            tags.forEach(u::tag);
            Dataset d = u.commit();
            var m = Views.DatasetSummary.of(Views.DatasetView.of(d), lake.catalog().objects(id));
            ctx.record(
                    m,
                    DescribeCommand.KEYS,
                    DescribeCommand.table(new Views.DescribeView(m, null, null, null, null)));
        }
        return Main.OK;
    }
}
