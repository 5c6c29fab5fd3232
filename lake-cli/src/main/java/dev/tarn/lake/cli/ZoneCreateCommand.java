package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.catalog.Zone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lake zone create NAME [--description D]}. */
@Command(
        name = "create",
        header = "declare a new zone",
        description = {
            "Declares a new zone in an existing lake. Names SQL could not show as zone.dataset are refused",
            "(exit 2): the SQL engine's catalogs and schemas (main, memory, system, information_schema,",
            "pg_catalog) and SQL keywords such as select, order or join."
        })
final class ZoneCreateCommand extends CliCommand {
    @Parameters(paramLabel = "NAME", description = "the zone's name")
    String zoneName;

    @Option(
            names = {"--description", "-d"},
            paramLabel = "D",
            description = "what the zone holds")
    String description;

    @Override
    int run() {
        String name = Names.checkNew("zone", zoneName);
        try (Lake lake = ctx.openExisting()) {
            Zone z = lake.createZone(name, description);
            Views.ZoneView m = Views.ZoneView.of(z, 0);
            ctx.record(m, Views.ZONE_KEYS, "created zone " + z.name() + "\n");
        }
        return Main.OK;
    }
}
