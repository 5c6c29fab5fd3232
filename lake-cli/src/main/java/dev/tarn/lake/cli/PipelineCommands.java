package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.pipeline.Pipeline;
import dev.tarn.lake.pipeline.PipelineRunResult;
import dev.tarn.lake.pipeline.PipelineRunner;
import dev.tarn.lake.pipeline.PipelineStatus;
import dev.tarn.lake.pipeline.Pipelines;
import dev.tarn.lake.pipeline.StepRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lake pipeline run|status|validate FILE}: declarative pipelines (docs/pipelines.md). */
final class PipelineCommands {
    private PipelineCommands() {}

    static final List<String> STEP_RUN_KEYS =
            List.of("step", "kind", "outcome", "run", "outputVersion", "inputs", "detail");
    static final List<String> STEP_STATUS_KEYS =
            List.of(
                    "step",
                    "kind",
                    "target",
                    "runs",
                    "inputs",
                    "outputVersion",
                    "lag",
                    "pending",
                    "lastRun",
                    "lastError",
                    "lastErrorAt",
                    "failures");

    private static final List<Columns.Column<StepRunView>> RUN_COLUMNS =
            List.of(
                    Columns.Column.left("STEP", StepRunView::step),
                    Columns.Column.left("KIND", StepRunView::kind),
                    Columns.Column.left("OUTCOME", StepRunView::outcome),
                    Columns.Column.right("RUN", x -> String.valueOf(x.run())),
                    Columns.Column.right("VERSION", x -> version(x.outputVersion())),
                    Columns.Column.left("DETAIL", x -> orEmpty(x.detail())));

    private static final List<Columns.Column<PipelineStatus.Step>> STATUS_COLUMNS =
            List.of(
                    Columns.Column.left("STEP", PipelineStatus.Step::step),
                    Columns.Column.left("KIND", PipelineStatus.Step::kind),
                    Columns.Column.left("TARGET", PipelineStatus.Step::target),
                    Columns.Column.right("RUNS", x -> String.valueOf(x.runs())),
                    Columns.Column.right("VERSION", x -> version(x.outputVersion())),
                    Columns.Column.right("LAG", x -> String.valueOf(x.lag())),
                    Columns.Column.left("LAST RUN", x -> orEmpty(x.lastRun())),
                    Columns.Column.left("LAST ERROR", x -> orEmpty(x.lastError())));

    private static String version(long v) {
        return v < 0 ? "-" : String.valueOf(v);
    }

    private static String orEmpty(Object o) {
        return o == null ? "" : o.toString();
    }

    /** {@code pipeline run}: one pass's steps. */
    record RunView(String pipeline, boolean failed, List<StepRunView> steps) {
        static RunView of(PipelineRunResult r) {
            return new RunView(
                    r.pipeline(), r.failed(), r.steps().stream().map(StepRunView::of).toList());
        }
    }

    /** One step of a pass. */
    record StepRunView(
            String step,
            String kind,
            String outcome,
            long run,
            long outputVersion,
            Map<String, Long> inputs,
            String detail) {
        static StepRunView of(StepRun s) {
            return new StepRunView(
                    s.step(),
                    s.kind(),
                    s.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    s.run(),
                    s.outputVersion(),
                    s.inputs(),
                    s.detail());
        }
    }

    /**
     * {@code pipeline status}: the steps are the pipeline module's own records (its components are
     * the documented keys, in order).
     */
    record StatusView(String pipeline, List<PipelineStatus.Step> steps) {
        static StatusView of(PipelineStatus s) {
            return new StatusView(s.pipeline(), s.steps());
        }
    }

    /** {@code pipeline validate}: valid, with the steps in run order. */
    record ValidView(String pipeline, boolean valid, List<String> steps) {}

    /** What the three commands share: the file, and the lake it is loaded against. */
    abstract static class FileCommand extends CliCommand {
        @Parameters(paramLabel = "FILE", description = "the pipeline file (YAML, or .json)")
        Path file;

        Pipeline load(Lake lake) {
            return Pipelines.load(lake, file, ctx.env);
        }
    }

    @Command(
            name = "run",
            header = "run a pipeline's steps (--once, or --watch)",
            description = {
                "Runs each step of the pipeline FILE in dependency order, incrementally: a convert step converts",
                "the objects its raw dataset gained, an sql step re-runs (replace) or reads the rows its input",
                "tables gained (append), a sink sends its table's new version. Progress is recorded in the lake,",
                "so a run killed at any point resumes without losing or repeating data. The file is checked",
                "first and nothing runs if it has problems. --once (the default) does one pass and exits 1 if a",
                "step failed; --watch keeps running, one runner per pipeline across processes (the others stand",
                "by), until stopped."
            })
    static final class RunCmd extends FileCommand {
        @Option(names = "--once", arity = "0", description = "one pass over the steps (default)")
        boolean once;

        @Option(
                names = "--watch",
                arity = "0",
                description =
                        "keep running: a pass every --interval while this runner holds the lease")
        boolean watch;

        @Option(
                names = "--interval",
                paramLabel = "DURATION",
                converter = Converters.Time.class,
                description = "time between passes with --watch (default 1s; e.g. 500ms, 10s, 1m)")
        Duration interval;

        @Override
        int run() throws Exception {
            if (once && watch) {
                throw new UsageException("give --once or --watch, not both; " + helpHint());
            }
            if (interval != null && !watch) {
                throw new UsageException("--interval goes with --watch; " + helpHint());
            }
            if (interval != null && (interval.isZero() || interval.isNegative())) {
                throw new UsageException("--interval must be positive; " + helpHint());
            }
            try (Lake lake = ctx.openExisting()) {
                Pipeline p = load(lake);
                if (!watch) {
                    PipelineRunResult r = p.runOnce();
                    print(r);
                    return r.failed() ? Main.FAILURE : Main.OK;
                }
                return watch(p);
            }
        }

        private int watch(Pipeline p) throws InterruptedException {
            CountDownLatch stop = new CountDownLatch(1);
            try (PipelineRunner runner =
                    p.start(interval == null ? Duration.ofSeconds(1) : interval)) {
                // SIGINT/SIGTERM: stop after the step in progress and give the lease up, so a
                // standby takes over at once instead of after the lease time
                Thread hook =
                        new Thread(
                                () -> {
                                    stop.countDown();
                                    runner.close();
                                },
                                "tarn-pipeline-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                long seen = 0;
                while (!stop.await(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    if (runner.passes() != seen) {
                        seen = runner.passes();
                        runner.lastResult()
                                .filter(r -> r.changed() || r.failed())
                                .ifPresent(this::print);
                    }
                }
            }
            return Main.OK;
        }

        /** With --watch, -o json prints NDJSON: one pass's document a line. */
        private static String line(RunView v) {
            try {
                return CliJson.MAPPER.writeValueAsString(v) + "\n";
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private void print(PipelineRunResult r) {
            RunView v = RunView.of(r);
            switch (ctx.output) {
                case JSON -> ctx.out.print(watch ? line(v) : CliJson.write(v));
                case CSV -> ctx.out.print(Csv.records(STEP_RUN_KEYS, v.steps()));
                case TABLE -> ctx.out.print(Columns.write(RUN_COLUMNS, v.steps()));
            }
            ctx.out.flush();
        }
    }

    // Alike in shape to ValidateCmd (the duplicates check pairs them): each command's declaration
    // is
    // its own help text, not shared logic.
    @Command(
            name = "status",
            header = "each step's progress and lag",
            description = {
                "Shows each step of the pipeline FILE as its recorded progress says: completed runs, the input",
                "versions its last run read, its output version (a sink: the version sent), its lag (versions",
                "its inputs have that it has not processed), whether a run is pending, the last run's time, and",
                "the last error."
            })
    static final class StatusCmd extends FileCommand {
        @Override
        int run() {
            try (Lake lake = ctx.openExisting()) {
                StatusView v = StatusView.of(load(lake).status());
                switch (ctx.output) {
                    case JSON -> ctx.out.print(CliJson.write(v));
                    case CSV -> ctx.out.print(Csv.records(STEP_STATUS_KEYS, v.steps()));
                    case TABLE -> ctx.out.print(Columns.write(STATUS_COLUMNS, v.steps()));
                }
            }
            return Main.OK;
        }
    }

    // Alike in shape to StatusCmd (the duplicates check pairs them): each command's declaration is
    // its own help text, not shared logic.
    @Command(
            name = "validate",
            aliases = "check",
            header = "check a pipeline file against the lake",
            description = {
                "Checks the pipeline FILE as every run does before it starts: keys, step kinds, names, inputs (in",
                "the lake or written by a step), the SQL (parsed, and planned when its inputs exist), and",
                "dependencies without cycles. Exit 0 if it is valid; 1 with every problem, each naming its line",
                "and step."
            })
    static final class ValidateCmd extends FileCommand {
        @Override
        int run() {
            try (Lake lake = ctx.openExisting()) {
                Pipeline p = load(lake);
                List<String> order = p.validate();
                ValidView v = new ValidView(p.name(), true, order);
                ctx.record(
                        v,
                        List.of("pipeline", "valid", "steps"),
                        "pipeline "
                                + p.name()
                                + " is valid; steps run in this order: "
                                + String.join(", ", order)
                                + "\n");
            }
            return Main.OK;
        }
    }
}
