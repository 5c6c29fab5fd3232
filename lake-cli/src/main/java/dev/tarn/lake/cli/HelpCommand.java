package dev.tarn.lake.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lake help [COMMAND]}: the same text as {@code lake COMMAND --help}. */
@Command(
        name = "help",
        header = "show help for a command",
        description = "Shows help for the CLI or for a command.")
final class HelpCommand extends CliCommand {
    @Parameters(
            paramLabel = "COMMAND",
            arity = "0..*",
            description = "a command, e.g. ingest or zone create")
    List<String> topic;

    @Override
    boolean reports() {
        return false;
    }

    @Override
    int run() {
        CommandLine root = spec.root().commandLine();
        List<String> words = topic == null ? List.of() : topic;
        CommandLine target = Main.find(root, words);
        if (target == null) {
            throw new UsageException(
                    "no command '"
                            + String.join(" ", words).trim()
                            + "'; commands: "
                            + Main.commandList(spec.root()));
        }
        ctx.out.print(target.getUsageMessage());
        return Main.OK;
    }
}
