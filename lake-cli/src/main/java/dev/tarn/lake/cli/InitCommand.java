package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.catalog.Zone;
import dev.tarn.lake.exceptions.LakeNotFoundException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lake init [--zones a,b,c]}. */
@Command(
        name = "init",
        header = "create the lake (says so if it already exists)",
        description = {
            "Creates the lake at LOCATION with the zones raw, processed and analytics (or those given).",
            "If a lake already exists there, says so and changes nothing (exit 0)."
        })
final class InitCommand extends CliCommand {
    static final List<String> KEYS =
            List.of("location", "created", "lakeId", "catalogVersion", "zones");

    /** What {@code init} prints: where the lake is, whether it was created now, and its zones. */
    record InitView(
            String location,
            boolean created,
            String lakeId,
            long catalogVersion,
            List<Object> zones) {}

    @Option(
            names = "--zones",
            paramLabel = "a,b,c",
            description = "the zones of a new lake (ignored if the lake" + " exists)")
    String zoneList;

    @Override
    int run() {
        List<String> zones = new ArrayList<>();
        if (zoneList != null) {
            for (String z : zoneList.split(",", -1)) {
                String name = z.trim();
                Names.checkNew("zone", name);
                if (zones.contains(name)) {
                    throw new UsageException("--zones names zone '" + name + "' twice");
                }
                zones.add(name);
            }
        }
        boolean created;
        Lake lake;
        try {
            lake = ctx.openExisting();
            created = false;
        } catch (LakeNotFoundException e) {
            lake = ctx.openOrCreate(zones);
            created = true;
        }
        try (Lake l = lake) {
            Catalog c = l.catalog();
            List<Object> zs = new ArrayList<>();
            for (Zone z : c.zones()) {
                // a zone record each in JSON; CSV, one row, has their names
                zs.add(
                        ctx.output == Context.Output.CSV
                                ? z.name()
                                : Views.ZoneView.of(
                                        z,
                                        c.datasets().stream()
                                                .filter(d -> d.id().zone().equals(z.name()))
                                                .count()));
            }
            InitView m =
                    new InitView(
                            ctx.displayLocation(),
                            created,
                            c.lakeId() == null ? null : c.lakeId().toString(),
                            c.version(),
                            zs);
            String zoneNames = String.join(", ", c.zones().stream().map(Zone::name).toList());
            StringBuilder t = new StringBuilder();
            if (created) {
                t.append("created a lake at ")
                        .append(ctx.displayLocation())
                        .append(" with zones ")
                        .append(zoneNames)
                        .append('\n');
            } else {
                t.append("a lake already exists at ")
                        .append(ctx.displayLocation())
                        .append(" (zones: ")
                        .append(zoneNames)
                        .append("; catalog version ")
                        .append(c.version())
                        .append("); nothing changed\n");
                if (!zones.isEmpty()) {
                    ctx.err.println(
                            "lake: --zones ignored because the lake exists; add a zone with"
                                    + " 'lake zone create NAME'");
                }
            }
            ctx.record(m, KEYS, t.toString());
        }
        return Main.OK;
    }
}
