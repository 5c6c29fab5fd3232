package dev.tarn.lake.pipeline;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.pipeline.internal.Plan;
import dev.tarn.lake.pipeline.internal.ProgressLog;
import dev.tarn.lake.pipeline.internal.RunnerLease;
import dev.tarn.lake.pipeline.internal.SpecParser;
import dev.tarn.lake.pipeline.internal.StepExecutor;
import dev.tarn.lake.pipeline.internal.StepSpec;
import dev.tarn.lake.pipeline.internal.StepState;
import dev.tarn.lake.pipeline.sink.JdbcSinkSpec;
import dev.tarn.lake.pipeline.sink.WebhookSinkSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A pipeline loaded from its file ({@link Pipelines#load}): steps that convert raw data into
 * tables, refine tables with SQL and send tables out of the lake, each run incrementally and in
 * dependency order, each one's progress recorded under {@code _tarn/pipelines/NAME/} so that a run
 * killed at any point resumes without losing or repeating data.
 */
public final class Pipeline {
    /** How long a runner's lease holds without renewal: a dead runner's work resumes after it. */
    static final Duration LEASE_TIME = Duration.ofSeconds(10);

    private final Lake lake;
    private final SpecParser.Parsed parsed;
    private final String source;

    Pipeline(Lake lake, SpecParser.Parsed parsed, String source) {
        this.lake = lake;
        this.parsed = parsed;
        this.source = source;
    }

    /** The pipeline's name (its file's {@code name:}, or the file's stem). */
    public String name() {
        return parsed.name();
    }

    /**
     * Every problem of the file against the lake as it is now, each with its line and step ({@code
     * "line 7: step 'revenue': ..."}); empty if it is valid.
     */
    public List<String> problems() {
        return plan().problems().stream().map(SpecParser.Problem::toString).toList();
    }

    /**
     * Checks the file against the lake: keys, step kinds, names, inputs (in the lake or written by
     * a step), the SQL (parsed, and planned when its inputs exist), dependencies without cycles.
     *
     * @return the step names in the order they run
     * @throws TarnException (INVALID_CONFIGURATION) naming every problem, each with its line and
     *     step
     */
    public List<String> validate() {
        return checked().steps().stream().map(StepSpec::name).toList();
    }

    private Plan plan() {
        return Plan.of(lake, parsed);
    }

    /** The plan, checked: throws naming every problem. */
    Plan checked() {
        Plan plan = plan();
        if (!plan.problems().isEmpty()) {
            List<String> p = plan.problems().stream().map(SpecParser.Problem::toString).toList();
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    source
                            + ": "
                            + (p.size() == 1 ? "" : p.size() + " problems: ")
                            + String.join("; ", p));
        }
        return plan;
    }

    /**
     * Runs each step once, in dependency order: each does what its inputs hold that it has not done
     * yet and records it. A step that fails is recorded with its error and the others go on; the
     * result tells.
     *
     * @throws TarnException if the file is not valid ({@link #validate}); nothing runs then
     */
    public PipelineRunResult runOnce() {
        Plan plan = checked();
        String holder = holder(0);
        RunnerLease lease = awaitLease(holder);
        try {
            return pass(plan, holder + "@" + lease.epoch(), s -> true);
        } finally {
            lease.release();
        }
    }

    /**
     * The pipeline's lease for one pass: a runner that died leaves it held until it expires, so
     * this waits up to the lease time (and a little) before saying who holds it.
     */
    private RunnerLease awaitLease(String holder) {
        long deadline = System.nanoTime() + LEASE_TIME.plusSeconds(2).toNanos();
        while (true) {
            var lease = RunnerLease.tryAcquire(lake, name(), holder, LEASE_TIME);
            if (lease.isPresent()) {
                return lease.get();
            }
            if (System.nanoTime() > deadline) {
                throw new TarnException(
                        ErrorCode.COMMIT_CONFLICT,
                        "pipeline "
                                + name()
                                + " is being run by "
                                + RunnerLease.holder(lake, name()).orElse("another runner")
                                + "; stop that runner, or let it do the work");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TarnException(
                        ErrorCode.INTERNAL_ERROR, "interrupted waiting for the lease");
            }
        }
    }

    /** One pass; steps that {@code due} refuses are left for later (backing off). */
    PipelineRunResult pass(Plan plan, String holder, Predicate<StepState> due) {
        StepExecutor ex = new StepExecutor(lake, name(), plan, holder);
        List<StepRun> runs = new ArrayList<>();
        for (StepSpec s : plan.steps()) {
            ProgressLog log = ex.log(s);
            StepState before = log.read();
            if (!due.test(before)) {
                runs.add(run(s, StepRun.Outcome.BACKING_OFF, before, before.lastError()));
                continue;
            }
            StepExecutor.Attempt a = ex.run(s, log);
            runs.add(run(s, StepRun.Outcome.valueOf(a.outcome().name()), a.state(), a.detail()));
        }
        return new PipelineRunResult(name(), runs);
    }

    private static StepRun run(StepSpec s, StepRun.Outcome o, StepState st, String detail) {
        return new StepRun(s.name(), s.kind(), o, st.run(), st.output(), st.inputs(), detail);
    }

    /**
     * Starts running the pipeline in the background, a pass every {@code interval}: only while this
     * runner holds the pipeline's lease, so of several processes running one pipeline exactly one
     * works and the others stand by to take over. A failed step is retried with exponential
     * backoff; the others go on.
     */
    public PipelineRunner start(Duration interval) {
        return new PipelineRunner(this, lake, interval, LEASE_TIME);
    }

    /** {@link #start(Duration)} with a pass every second. */
    public PipelineRunner start() {
        return start(Duration.ofSeconds(1));
    }

    String holder(long epoch) {
        return ProcessHandle.current().pid()
                + "/"
                + UUID.randomUUID().toString().substring(0, 8)
                + (epoch > 0 ? "@" + epoch : "");
    }

    /** Each step's recorded progress and its lag behind its inputs now. */
    public PipelineStatus status() {
        Plan plan = plan();
        StepExecutor ex = new StepExecutor(lake, name(), plan, "status");
        List<PipelineStatus.Step> steps = new ArrayList<>();
        for (StepSpec s : plan.steps()) {
            StepState st = ex.log(s).read();
            long lag;
            try {
                lag = ex.lag(s, st);
            } catch (TarnException e) {
                lag = -1; // an input this handle may not read, or gone
            }
            steps.add(
                    new PipelineStatus.Step(
                            s.name(),
                            s.kind(),
                            target(s),
                            st.run(),
                            st.inputs(),
                            st.output(),
                            lag,
                            st.pending() != null,
                            st.lastRunAt() > 0 ? Instant.ofEpochMilli(st.lastRunAt()) : null,
                            st.lastError(),
                            st.lastErrorAt() > 0 ? Instant.ofEpochMilli(st.lastErrorAt()) : null,
                            st.failures()));
        }
        return new PipelineStatus(name(), steps);
    }

    private static String target(StepSpec s) {
        if (s.output() != null) {
            return s.output().toString();
        }
        var spec = ((StepSpec.SinkStep) s).spec();
        if (spec instanceof JdbcSinkSpec j) {
            return withoutSecrets(j.url()) + " table " + j.table();
        }
        return withoutSecrets(((WebhookSinkSpec) spec).url().toString());
    }

    /** A URL as status may show it: no query string (where JDBC URLs carry passwords). */
    private static String withoutSecrets(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }

    /** The steps' names in run order, without checking the lake (for listing). */
    List<String> stepNames() {
        return parsed.steps().stream().map(StepSpec::name).toList();
    }
}
