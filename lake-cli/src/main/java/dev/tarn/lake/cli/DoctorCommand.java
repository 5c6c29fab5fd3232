package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.doctor.Doctor;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.doctor.Finding;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code lake doctor [--repair] [--grace DURATION] [--no-verify]}: exit 0 if clean, 1 if problems remain. */
final class DoctorCommand implements Command {
    static final List<String> FINDING_KEYS = List.of("kind", "key", "detail", "repaired");

    @Override
    public String name() {
        return "doctor";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.flag("--repair"), Args.Opt.value("--grace"), Args.Opt.flag("--no-verify"));
    }

    @Override
    public int run(Context ctx, Args args) {
        args.expectPositionals();
        Duration grace = args.has("--grace") ? Text.duration(args.value("--grace")) : null;
        boolean repair = args.has("--repair");
        DoctorReport r;
        try (Lake lake = ctx.openExisting()) {
            Doctor d = lake.doctor().verifyChecksums(!args.has("--no-verify"));
            if (grace != null) {
                d.grace(grace);
            }
            r = repair ? d.repair() : d.check();
        }
        Map<String, Object> m = Views.doctor(r, repair);
        switch (ctx.output) {
            case JSON -> ctx.out.print(Json.write(m));
            case CSV -> ctx.out.print(Csv.write(FINDING_KEYS, r.findings().stream().map(Views::finding).toList()));
            case TABLE -> ctx.out.print(table(r, repair));
        }
        return r.isClean() ? Main.OK : Main.FAILURE;
    }

    private static String table(DoctorReport r, boolean repair) {
        StringBuilder b = new StringBuilder();
        if (!r.findings().isEmpty()) {
            b.append(Table.write(List.of(
                    Table.Column.left("KIND", x -> (String) x.get("kind")),
                    Table.Column.left("REPAIRED", x -> (Boolean) x.get("repaired") ? "yes" : "no"),
                    Table.Column.left("KEY", x -> (String) x.get("key")),
                    Table.Column.left("DETAIL", x -> (String) x.get("detail"))),
                    r.findings().stream().map(Views::finding).toList()));
        }
        long open = r.findings().stream().filter(f -> !f.repaired()).count();
        long repaired = r.findings().size() - open;
        b.append("checked ").append(r.objectsChecked()).append(" objects against catalog version ")
                .append(r.catalogVersion()).append(": ");
        if (r.findings().isEmpty()) {
            b.append("clean\n");
        } else if (open == 0) {
            b.append(repaired).append(repaired == 1 ? " problem" : " problems").append(" repaired; clean\n");
        } else {
            b.append(open).append(open == 1 ? " problem remains" : " problems remain");
            if (repaired > 0) {
                b.append(" (").append(repaired).append(" repaired)");
            }
            if (!repair && r.findings().stream().anyMatch(DoctorCommand::repairable)) {
                b.append("; 'lake doctor --repair' removes leftovers older than the grace period");
            }
            if (!repair && r.findings().stream().anyMatch(DoctorCommand::catalogDamage)) {
                b.append("; 'lake doctor --repair' rebuilds the catalog's damaged files and says what it cannot"
                        + " recover");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static boolean catalogDamage(Finding f) {
        return f.kind() == Finding.Kind.LOG_GAP || f.kind() == Finding.Kind.CORRUPT_LOG_ENTRY
                || f.kind() == Finding.Kind.BAD_CHECKPOINT;
    }

    private static boolean repairable(Finding f) {
        return f.kind() == Finding.Kind.UNREFERENCED_OBJECT || f.kind() == Finding.Kind.LEFTOVER_TEMP;
    }
}
