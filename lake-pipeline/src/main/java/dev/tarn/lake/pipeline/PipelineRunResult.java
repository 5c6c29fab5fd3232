package dev.tarn.lake.pipeline;

import java.util.List;

/**
 * What one pass over a pipeline's steps did.
 *
 * @param pipeline the pipeline's name
 * @param steps each step's attempt, in run order
 */
public record PipelineRunResult(String pipeline, List<StepRun> steps) {
    public PipelineRunResult {
        steps = List.copyOf(steps);
    }

    /** Whether a step failed. */
    public boolean failed() {
        return steps.stream().anyMatch(s -> s.outcome() == StepRun.Outcome.FAILED);
    }

    /** Whether a step did anything. */
    public boolean changed() {
        return steps.stream().anyMatch(s -> s.outcome() == StepRun.Outcome.RAN);
    }
}
