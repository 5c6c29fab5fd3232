package dev.tarn.lake.cli;

import dev.tarn.lake.Tarn;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lake}: the top command, its subcommands in the order help and error messages list them.
 */
@Command(
        name = "lake",
        versionProvider = LakeCommand.Version.class,
        abbreviateSynopsis = true,
        synopsisSubcommandLabel = "<command>",
        description = "Tarn: an embedded data lake.",
        optionListHeading = "%nGlobal options (before or after the command):%n",
        commandListHeading = "%nCommands:%n",
        footer = {
            "",
            "Exit codes: 0 success, 1 failure (or doctor found problems), 2 usage error (including invalid"
                    + " names).",
            "Run 'lake COMMAND --help' for a command's options."
        })
final class LakeCommand implements Callable<Integer> {
    /**
     * The commands, in the order help and error messages list them. Not the annotation's {@code
     * subcommands}: {@link Main} adds only the one a command line runs, as building every command's
     * model is most of the CLI's start-up time.
     */
    static final List<Class<?>> COMMANDS =
            List.of(
                    InitCommand.class,
                    IngestCommand.class,
                    LsCommand.class,
                    CatCommand.class,
                    DescribeCommand.class,
                    SqlCommand.class,
                    TableCommands.ConvertCmd.class,
                    ConvertFileCommand.class,
                    TableCommands.HistoryCmd.class,
                    TableCommands.LineageCmd.class,
                    TableCommands.OptimizeCmd.class,
                    TableCommands.VacuumCmd.class,
                    TableCommands.DeleteCmd.class,
                    TableCommands.RestoreCmd.class,
                    RemoveCommands.RmCmd.class,
                    RemoveCommands.DropCmd.class,
                    RemoveCommands.PurgeCmd.class,
                    DoctorCommand.class,
                    EventsCommand.class,
                    Zone.class,
                    DatasetGroup.class,
                    PipelineGroup.class,
                    HelpCommand.class,
                    VersionCommand.class);

    @Mixin GlobalOptions global;

    @Option(
            names = {"--version", "-V"},
            versionHelp = true,
            description = "print the version")
    boolean version;

    @Spec CommandSpec spec;

    Context ctx;

    @Override
    public Integer call() {
        global.applyTo(ctx);
        ctx.err.print(spec.commandLine().getUsageMessage());
        throw new UsageException("no command given; see 'lake --help'");
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lake " + Tarn.VERSION};
        }
    }

    /** {@code lake version}, as {@code lake --version}. */
    @Command(name = "version", hidden = true, description = "print the version")
    static final class VersionCommand extends CliCommand {
        @Override
        boolean reports() {
            return false;
        }

        @Override
        int run() {
            ctx.out.println("lake " + Tarn.VERSION);
            return Main.OK;
        }
    }

    /** A command that only holds commands ({@code zone create}): alone, it says which. */
    abstract static class Group implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            String name = spec.name();
            throw new UsageException(
                    "'"
                            + name
                            + "' needs a command: "
                            + String.join(", ", spec.subcommands().keySet())
                            + "; see 'lake "
                            + name
                            + " --help'");
        }
    }

    @Command(
            name = "zone",
            description = "Declares zones.",
            subcommands = ZoneCreateCommand.class,
            commandListHeading = "%nCommands:%n")
    static final class Zone extends Group {}

    @Command(
            name = "dataset",
            description = "Changes datasets.",
            subcommands = DatasetSetCommand.class,
            commandListHeading = "%nCommands:%n")
    static final class DatasetGroup extends Group {}

    @Command(
            name = "pipeline",
            description = "Runs declarative pipelines (docs/pipelines.md).",
            subcommands = {
                PipelineCommands.RunCmd.class,
                PipelineCommands.StatusCmd.class,
                PipelineCommands.ValidateCmd.class
            },
            commandListHeading = "%nCommands:%n")
    static final class PipelineGroup extends Group {}
}
