package dev.tarn.lake.cli;

import java.util.List;

/** One command of the CLI ({@code ingest}, {@code zone create}...). */
interface Command {
    /** As typed: {@code ingest}, {@code zone create}. */
    String name();

    /** The options it accepts besides the global ones. */
    List<Args.Opt> options();

    /** Whether it accepts {@code --output table|json|csv}. */
    default boolean reports() {
        return true;
    }

    /** Runs it; returns the exit code. */
    int run(Context ctx, Args args) throws Exception;
}
