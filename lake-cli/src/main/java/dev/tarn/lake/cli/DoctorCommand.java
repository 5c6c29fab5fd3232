package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.doctor.Doctor;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.doctor.Finding;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lake doctor [--repair] [--grace DURATION] [--no-verify]}: exit 0 if clean, 1 if problems
 * remain.
 */
@Command(
        name = "doctor",
        header = "check the lake's consistency (and --repair it)",
        description = {
            "Checks that the catalog and the stored objects agree: missing objects, size or checksum",
            "mismatches, unreferenced objects, unfinished writes, stray files; and the catalog log itself",
            "(missing or damaged entries and checkpoints), also when every other command refuses it.",
            "Exit code 0 if the lake is clean (or all problems were repaired), 1 if problems remain."
        })
final class DoctorCommand extends CliCommand {
    static final List<String> FINDING_KEYS = List.of("kind", "key", "detail", "repaired");

    @Option(
            names = "--repair",
            arity = "0",
            description = {
                "remove what is safe to remove (unreferenced objects, abandoned writes) and rebuild the catalog log's",
                "damaged files (recovery entries, checkpoints), saying what could not be recovered; never removes",
                "bytes that any log entry names"
            })
    boolean repair;

    @Option(
            names = "--grace",
            paramLabel = "DURATION",
            converter = Converters.Time.class,
            description = {
                "how old such leftovers must be before --repair removes them (default 1h; e.g. 0s, 30s, 10m, 1h, 2d)"
            })
    Duration grace;

    @Option(
            names = "--no-verify",
            arity = "0",
            description = "check sizes only, do not re-hash every object")
    boolean noVerify;

    @Override
    int run() {
        DoctorReport r;
        try (Lake lake = ctx.openExisting()) {
            Doctor d = lake.doctor().verifyChecksums(!noVerify);
            if (grace != null) {
                d.grace(grace);
            }
            r = repair ? d.repair() : d.check();
        }
        Views.DoctorView m = Views.DoctorView.of(r, repair);
        switch (ctx.output) {
            case JSON -> ctx.out.print(CliJson.write(m));
            case CSV -> ctx.out.print(Csv.records(FINDING_KEYS, m.findings()));
            case TABLE -> ctx.out.print(table(r, m, repair));
        }
        return r.isClean() ? Main.OK : Main.FAILURE;
    }

    private static String table(DoctorReport r, Views.DoctorView m, boolean repair) {
        StringBuilder b = new StringBuilder();
        if (!r.findings().isEmpty()) {
            b.append(
                    Columns.write(
                            List.<Columns.Column<Views.FindingView>>of(
                                    Columns.Column.left("KIND", Views.FindingView::kind),
                                    Columns.Column.left(
                                            "REPAIRED", x -> x.repaired() ? "yes" : "no"),
                                    Columns.Column.left("KEY", Views.FindingView::key),
                                    Columns.Column.left("DETAIL", Views.FindingView::detail)),
                            m.findings()));
        }
        long open = r.findings().stream().filter(f -> !f.repaired()).count();
        long repaired = r.findings().size() - open;
        b.append("checked ")
                .append(r.objectsChecked())
                .append(" objects against catalog version ")
                .append(r.catalogVersion())
                .append(": ");
        if (r.findings().isEmpty()) {
            b.append("clean\n");
        } else if (open == 0) {
            b.append(repaired)
                    .append(repaired == 1 ? " problem" : " problems")
                    .append(" repaired; clean\n");
        } else {
            b.append(open).append(open == 1 ? " problem remains" : " problems remain");
            if (repaired > 0) {
                b.append(" (").append(repaired).append(" repaired)");
            }
            if (!repair && r.findings().stream().anyMatch(DoctorCommand::repairable)) {
                b.append("; 'lake doctor --repair' removes leftovers older than the grace period");
            }
            if (!repair && r.findings().stream().anyMatch(DoctorCommand::catalogDamage)) {
                b.append(
                        "; 'lake doctor --repair' rebuilds the catalog's damaged files and says what it cannot"
                                + " recover");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static boolean catalogDamage(Finding f) {
        return f.kind() == Finding.Kind.LOG_GAP
                || f.kind() == Finding.Kind.CORRUPT_LOG_ENTRY
                || f.kind() == Finding.Kind.BAD_CHECKPOINT;
    }

    private static boolean repairable(Finding f) {
        return f.kind() == Finding.Kind.UNREFERENCED_OBJECT
                || f.kind() == Finding.Kind.LEFTOVER_TEMP;
    }
}
