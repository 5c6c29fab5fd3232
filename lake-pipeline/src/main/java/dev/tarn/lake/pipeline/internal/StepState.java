package dev.tarn.lake.pipeline.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * A step's progress as its newest log entry holds it: every entry is the whole state, so reading
 * the newest is enough.
 *
 * @param run the number of the last run that completed (0: none yet)
 * @param inputs the versions of what that run read ({@code zone/name} -> table version, or catalog
 *     version for raw datasets)
 * @param output the output's version after that run (for a sink: the table version sent), -1 if
 *     none
 * @param pending a run begun and not known to have completed: resumed, or found committed, first
 * @param lastRunAt when a run last completed (epoch millis), 0 if never
 * @param lastError the last failure's message, null after a success
 * @param lastErrorAt when it happened (epoch millis)
 * @param failures failures in a row since the last success (for backoff)
 * @param holder who wrote the entry (the runner and its lease epoch)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepState(
        long run,
        Map<String, Long> inputs,
        long output,
        Pending pending,
        long lastRunAt,
        String lastError,
        long lastErrorAt,
        int failures,
        String holder) {
    public StepState {
        inputs = inputs == null ? Map.of() : new TreeMap<>(inputs);
    }

    public static final StepState INITIAL =
            new StepState(0, Map.of(), -1, null, 0, null, 0, 0, null);

    /**
     * A run in flight.
     *
     * @param run its number (the Delta transaction version of an sql step's commit)
     * @param inputs what it reads up to
     * @param previous for a sink: the version sent before (-1: none)
     */
    public record Pending(long run, Map<String, Long> inputs, long previous) {
        public Pending {
            inputs = inputs == null ? Map.of() : new TreeMap<>(inputs);
        }
    }

    public StepState begin(Pending p, String holder) {
        return new StepState(
                run, inputs, output, p, lastRunAt, lastError, lastErrorAt, failures, holder);
    }

    public StepState done(long runNo, Map<String, Long> in, long out, long at, String holder) {
        return new StepState(runNo, in, out, null, at, null, 0, 0, holder);
    }

    public StepState failed(String error, long at, String holder) {
        return new StepState(
                run, inputs, output, pending, lastRunAt, error, at, failures + 1, holder);
    }
}
