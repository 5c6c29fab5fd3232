package dev.tarn.lake.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * One command of the CLI ({@code ingest}, {@code zone create}...): a picocli {@code @Command} whose
 * options are its fields. {@link #call} applies the global options (those before the command, then
 * its own) and runs it.
 */
abstract class CliCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @Spec CommandSpec spec;

    /**
     * The streams, environment and global options it runs with; set by {@link Main} before parsing.
     */
    Context ctx;

    /** As typed: {@code ingest}, {@code zone create}. */
    final String name() {
        return Main.commandName(spec);
    }

    /** Whether it accepts {@code --output table|json|csv}. */
    boolean reports() {
        return true;
    }

    /** Runs it; returns the exit code. */
    abstract int run() throws Exception;

    /** {@code see 'lake NAME --help'}, the end of its usage errors. */
    final String helpHint() {
        return "see 'lake " + name() + " --help'";
    }

    @Override
    public final Integer call() throws Exception {
        if (spec.root().userObject() instanceof LakeCommand top) {
            top.global.applyTo(ctx);
        }
        global.applyTo(ctx);
        if (!reports() && global.outputGiven()) {
            throw new UsageException("'" + name() + "' does not take --output; " + helpHint());
        }
        return run();
    }

    /**
     * Exactly {@code names.length} positionals, named for the message when one is missing or extra.
     */
    final void expect(java.util.List<String> positionals, String... names) {
        if (positionals.size() < names.length) {
            throw new UsageException("missing " + names[positionals.size()] + "; " + helpHint());
        }
        if (positionals.size() > names.length) {
            throw new UsageException(
                    "unexpected argument '"
                            + positionals.get(names.length)
                            + "' for '"
                            + name()
                            + "'; "
                            + helpHint());
        }
    }
}
