package dev.tarn.lake.pipeline;

import java.util.Map;

/**
 * One step's attempt in a pass.
 *
 * @param step the step's name
 * @param kind convert, sql or sink
 * @param outcome what happened
 * @param run the step's run number after it (runs that completed)
 * @param outputVersion the output table's version after it (for a sink: the version sent), -1 if
 *     none
 * @param inputs the input versions its last completed run read
 * @param detail what it did or waits for, or its error; null when there is nothing to say
 */
public record StepRun(
        String step,
        String kind,
        Outcome outcome,
        long run,
        long outputVersion,
        Map<String, Long> inputs,
        String detail) {
    public StepRun {
        inputs = Map.copyOf(inputs);
    }

    public enum Outcome {
        /** It did something new and recorded it. */
        RAN,
        /** Nothing new in its inputs. */
        UP_TO_DATE,
        /** An input does not exist or hold anything yet. */
        WAITING,
        /** It failed (recorded in its progress, retried on the next pass). */
        FAILED,
        /** Not tried in this pass: backing off after failures. */
        BACKING_OFF
    }
}
