package dev.tarn.lake.pipeline.internal;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.pipeline.sink.Sink;
import dev.tarn.lake.pipeline.sink.SinkRequest;
import dev.tarn.lake.pipeline.sink.SinkResult;
import dev.tarn.lake.pipeline.sink.Sinks;
import dev.tarn.lake.query.SaveOptions;
import dev.tarn.lake.query.SavedTable;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.spi.LakeInternals;
import dev.tarn.lake.table.Convert;
import dev.tarn.lake.table.ConvertResult;
import dev.tarn.lake.table.Snapshot;
import dev.tarn.lake.table.Tables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Runs one step once, incrementally: it compares what its inputs hold now with what its progress
 * log says it has done, does what is new, and records it. Exactly once across crashes:
 *
 * <ul>
 *   <li>convert: the conversion itself consumes each object once (its own Delta transaction); the
 *       log only says how far it got;
 *   <li>sql: the run is logged as pending with the input versions it reads, and its table commit
 *       carries Delta's {@code txn} (application {@code PIPELINE/STEP}, version = run number), so a
 *       run resumed after a crash sees whether the commit landed and does not repeat it;
 *   <li>sink: the send is logged as pending with the version and the previous one; a resumed run
 *       sends exactly that again, which sinks make idempotent.
 * </ul>
 */
public final class StepExecutor {
    /** What one attempt did. */
    public enum Outcome {
        RAN,
        UP_TO_DATE,
        WAITING,
        FAILED
    }

    /** The attempt's outcome, with the step's state after it. */
    public record Attempt(Outcome outcome, String detail, StepState state) {}

    private final Lake lake;
    private final String pipeline;
    private final Plan plan;
    private final String holder;

    public StepExecutor(Lake lake, String pipeline, Plan plan, String holder) {
        this.lake = lake;
        this.pipeline = pipeline;
        this.plan = plan;
        this.holder = holder;
    }

    public ProgressLog log(StepSpec step) {
        LakeInternals in = LakeInternals.of(lake);
        return new ProgressLog(in.store(), pipeline, step.name());
    }

    /** The transaction application of a step's table commits. */
    public static String appId(String pipeline, String step) {
        return pipeline + "/" + step;
    }

    /** Runs {@code step} once; a failure is recorded in its log and returned, not thrown. */
    public Attempt run(StepSpec step, ProgressLog log) {
        LakeInternals in = LakeInternals.of(lake);
        StepState state = log.read();
        try {
            for (DatasetId id : plan.inputs().get(step.name())) {
                in.authorize(Privilege.READ, id.toString());
            }
            if (step.output() != null) {
                in.authorize(Privilege.WRITE, step.output().toString());
            }
            if (step instanceof StepSpec.ConvertStep c) {
                return convert(c, log, state);
            } else if (step instanceof StepSpec.SqlStep q) {
                return sql(q, log, state);
            } else {
                return sink((StepSpec.SinkStep) step, log, state);
            }
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            boolean lost =
                    e instanceof TarnException t
                            && t.errorCode() == ErrorCode.COMMIT_CONFLICT
                            && why.startsWith("another runner recorded progress");
            if (!lost) {
                try {
                    state = log.read().failed(why, now(), holder);
                    log.write(state);
                } catch (RuntimeException unrecorded) {
                    e.addSuppressed(unrecorded);
                }
            }
            return new Attempt(Outcome.FAILED, why, state);
        }
    }

    private Attempt convert(StepSpec.ConvertStep c, ProgressLog log, StepState state) {
        Dataset from = lake.catalog().dataset(c.from()).orElse(null);
        if (from == null) {
            return new Attempt(Outcome.WAITING, c.from() + " does not exist yet", state);
        }
        Long seen = state.inputs().get(c.from().toString());
        if (seen != null && seen >= from.lastVersion() && state.lastError() == null) {
            return new Attempt(Outcome.UP_TO_DATE, null, state);
        }
        if (from.objects() == 0) {
            return new Attempt(Outcome.WAITING, c.from() + " has no objects yet", state);
        }
        Convert cv = Tables.of(lake).newConvert(c.from(), c.to());
        if (!c.partitionBy().isEmpty()) {
            cv.partitionBy(c.partitionBy().toArray(String[]::new));
        }
        if (c.mode() != null) {
            cv.mode(c.mode());
        }
        if (c.policy() != null) {
            cv.schemaPolicy(c.policy());
        }
        if (c.jsonPath() != null) {
            cv.jsonPath(c.jsonPath().toArray(String[]::new));
        }
        if (c.errorBudget() != null) {
            cv.errorBudget(c.errorBudget());
        }
        if (c.maxColumns() != null) {
            cv.maxColumns(c.maxColumns());
        }
        ConvertResult r = cv.commit();
        long output =
                r.converted()
                        ? r.tableVersion()
                        : Tables.of(lake).load(c.to()).snapshot().version();
        long consumed = Math.max(r.sourceVersion(), from.lastVersion());
        StepState next =
                state.done(
                        state.run() + 1,
                        Map.of(c.from().toString(), consumed),
                        output,
                        now(),
                        holder);
        log.write(next);
        return new Attempt(
                r.converted() ? Outcome.RAN : Outcome.UP_TO_DATE,
                r.converted()
                        ? r.objects().size()
                                + " objects, "
                                + r.rowsWritten()
                                + " rows"
                                + (r.rowsQuarantined() > 0
                                        ? ", " + r.rowsQuarantined() + " quarantined"
                                        : "")
                        : null,
                next);
    }

    private Attempt sql(StepSpec.SqlStep q, ProgressLog log, StepState state) {
        Tables tables = Tables.of(lake);
        String app = appId(pipeline, q.name());
        if (state.pending() != null) {
            // a run that began and was cut short: its commit carries the run number if it landed
            StepState.Pending p = state.pending();
            if (tables.exists(q.to())) {
                Snapshot s = tables.load(q.to()).snapshot();
                if (s.transactionVersion(app) >= p.run()) {
                    state = state.done(p.run(), p.inputs(), s.version(), now(), holder);
                    log.write(state);
                }
            }
        }
        Map<String, Long> current = new LinkedHashMap<>();
        for (DatasetId id : plan.inputs().get(q.name())) {
            Dataset d = lake.catalog().dataset(id).orElse(null);
            if (d == null) {
                return new Attempt(Outcome.WAITING, id + " does not exist yet", state);
            }
            current.put(
                    id.toString(),
                    d.kind() == DatasetKind.TABLE
                            ? tables.load(id).snapshot().version()
                            : d.lastVersion());
        }
        if (state.run() > 0 && current.equals(state.inputs()) && state.pending() == null) {
            return new Attempt(Outcome.UP_TO_DATE, null, state);
        }
        Map<DatasetId, String> relations = new LinkedHashMap<>();
        for (DatasetId id : plan.inputs().get(q.name())) {
            Dataset d = lake.catalog().dataset(id).orElseThrow();
            if (d.kind() != DatasetKind.TABLE) {
                continue; // a raw dataset is read as it is now
            }
            long to = current.get(id.toString());
            if (q.append()) {
                Long after = state.inputs().get(id.toString());
                relations.put(id, Sql.relationAdded(id, after == null ? -1 : after, to));
            } else {
                relations.put(id, Sql.relationAt(id, to));
            }
        }
        long run = state.run() + 1;
        state = state.begin(new StepState.Pending(run, current, -1), holder);
        log.write(state);
        String query = RelationRewrite.rewrite(q.query(), relations);
        SavedTable saved =
                Sql.of(lake)
                        .save(
                                query,
                                q.to(),
                                q.append()
                                        ? SaveOptions.append(app, run)
                                        : SaveOptions.replace(app, run));
        StepState next = state.done(run, current, saved.version(), now(), holder);
        log.write(next);
        return new Attempt(Outcome.RAN, saved.rows() + " rows", next);
    }

    private Attempt sink(StepSpec.SinkStep k, ProgressLog log, StepState state) {
        Tables tables = Tables.of(lake);
        String key = k.from().toString();
        String sendId = pipeline + "/" + k.name();
        long version;
        long previous;
        long run;
        if (state.pending() != null) {
            // a send that began and was cut short: send exactly it again (sinks make that
            // idempotent)
            run = state.pending().run();
            version = state.pending().inputs().get(key);
            previous = state.pending().previous();
        } else {
            if (!tables.exists(k.from())) {
                return new Attempt(Outcome.WAITING, k.from() + " does not exist yet", state);
            }
            version = tables.load(k.from()).snapshot().version();
            if (state.output() >= version) {
                return new Attempt(Outcome.UP_TO_DATE, null, state);
            }
            previous = state.output();
            run = state.run() + 1;
            state = state.begin(new StepState.Pending(run, Map.of(key, version), previous), holder);
            log.write(state);
        }
        SinkResult r;
        try (Sink sink = Sinks.open(k.spec())) {
            r =
                    sink.send(
                            new SinkRequest(
                                    lake,
                                    k.from(),
                                    version,
                                    previous < 0 ? OptionalLong.empty() : OptionalLong.of(previous),
                                    sendId));
        }
        StepState next = state.done(run, Map.of(key, version), version, now(), holder);
        log.write(next);
        return new Attempt(
                Outcome.RAN,
                r.alreadySent() ? "version " + version + " was sent already" : r.rows() + " rows",
                next);
    }

    /** How far each input is ahead of what the step last did (versions not yet processed). */
    public long lag(StepSpec step, StepState state) {
        long lag = 0;
        Tables tables = Tables.of(lake);
        List<DatasetId> inputs = plan.inputs().get(step.name());
        for (DatasetId id : inputs) {
            Dataset d = lake.catalog().dataset(id).orElse(null);
            if (d == null) {
                continue;
            }
            long now =
                    d.kind() == DatasetKind.TABLE
                            ? tables.load(id).snapshot().version()
                            : d.lastVersion();
            Long seen = state.inputs().get(id.toString());
            if (step instanceof StepSpec.ConvertStep) {
                lag += seen == null || seen < now ? 1 : 0; // catalog versions are lake-wide
            } else {
                lag += Math.max(0, now - (seen == null ? -1 : seen));
            }
        }
        return lag;
    }

    private long now() {
        return LakeInternals.of(lake).clock().millis();
    }
}
