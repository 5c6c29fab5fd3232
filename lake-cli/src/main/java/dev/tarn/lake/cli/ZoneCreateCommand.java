package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.catalog.Zone;

import java.util.List;
import java.util.Map;

/** {@code lake zone create NAME [--description D]}. */
final class ZoneCreateCommand implements Command {
    @Override
    public String name() {
        return "zone create";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.value("--description", "-d"));
    }

    @Override
    public int run(Context ctx, Args args) {
        args.expectPositionals("NAME");
        String name = Names.checkNew("zone", args.positionals().get(0));
        try (Lake lake = ctx.openExisting()) {
            Zone z = lake.createZone(name, args.value("--description"));
            Map<String, Object> m = Views.zone(z, 0);
            ctx.record(m, Views.ZONE_KEYS, "created zone " + z.name() + "\n");
        }
        return Main.OK;
    }
}
