package dev.tarn.lake.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where each step of a pipeline is, from its recorded progress and its inputs' versions now.
 *
 * @param pipeline the pipeline's name
 * @param steps in run order
 */
public record PipelineStatus(String pipeline, List<Step> steps) {
    public PipelineStatus {
        steps = List.copyOf(steps);
    }

    /**
     * One step's status.
     *
     * @param step its name
     * @param kind convert, sql or sink
     * @param target what it writes ({@code zone/name}, or the sink's target)
     * @param runs its completed runs
     * @param inputs the input versions its last completed run read
     * @param outputVersion its output's version after that run (a sink: the version sent), -1 if
     *     none
     * @param lag versions its inputs have that it has not processed yet (0: up to date)
     * @param pending true if a run began and has not been recorded as done (it resumes first)
     * @param lastRun when a run last completed, or null
     * @param lastError the last failure since then, or null
     * @param lastErrorAt when it happened, or null
     * @param failures failures in a row
     */
    public record Step(
            String step,
            String kind,
            String target,
            long runs,
            Map<String, Long> inputs,
            long outputVersion,
            long lag,
            boolean pending,
            Instant lastRun,
            String lastError,
            Instant lastErrorAt,
            int failures) {
        public Step {
            inputs = Map.copyOf(inputs);
        }
    }
}
