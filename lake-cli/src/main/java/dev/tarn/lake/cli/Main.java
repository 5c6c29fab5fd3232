package dev.tarn.lake.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Ansi.IStyle;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.IParamLabelRenderer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The {@code lake} command. {@link #run} is the whole CLI with its streams and environment passed
 * in, so that it can be tested in-process; {@link #main} wires it to the process. The commands are
 * picocli {@code @Command} classes under {@link LakeCommand}; {@link Errors} turns every error into
 * a message and an exit code.
 */
public final class Main {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    /** Help is as wide as the old hand-written help, which fits a 120-column terminal. */
    private static final int HELP_WIDTH = 110;

    private Main() {}

    public static void main(String[] args) {
        OutputStream out =
                new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        int code =
                run(
                        System.in,
                        out,
                        new FileOutputStream(FileDescriptor.err),
                        System.getenv(),
                        args);
        try {
            out.flush();
        } catch (IOException e) {
            // stdout closed early (e.g. 'lake cat ... | head'): nothing more to say
        }
        System.exit(code);
    }

    /** Runs the CLI; returns the exit code. Nothing here calls {@code System.exit}. */
    public static int run(
            InputStream in,
            OutputStream out,
            OutputStream err,
            Map<String, String> env,
            String... args) {
        Context ctx = new Context(in, out, err, env);
        Errors errors = new Errors(ctx);
        PrintWriter stdout = new PrintWriter(ctx.out, true);
        try {
            CommandLine cl = commandLine(ctx, errors, args);
            cl.setOut(stdout);
            cl.setErr(new PrintWriter(ctx.err, true));
            CommandLine help = helpRequested(cl, args);
            if (help != null) {
                ctx.out.print(help.getUsageMessage());
                return OK;
            }
            return cl.execute(args);
        } catch (RuntimeException e) {
            return errors.handle(e);
        } finally {
            stdout.flush();
            ctx.out.flush();
            ctx.err.flush();
        }
    }

    /** The command tree, each command given {@code ctx}, errors going to {@code errors}. */
    static CommandLine commandLine(Context ctx, Errors errors, String[] args) {
        LakeCommand top = new LakeCommand();
        top.ctx = ctx;
        CommandLine cl = new CommandLine(top);
        // Only the command the line runs, when it names one and asks for no help: every other needs
        // them all.
        String name = commandWord(cl, args);
        boolean one =
                name != null
                        && !name.equals("help")
                        && LakeCommand.COMMANDS.stream().anyMatch(c -> commandName(c).equals(name))
                        && List.of(args).stream()
                                .takeWhile(a -> !a.equals("--"))
                                .noneMatch(Main::isHelp);
        for (Class<?> c : LakeCommand.COMMANDS) {
            if (!one || commandName(c).equals(name)) {
                cl.addSubcommand(c);
            }
        }
        give(cl, ctx);
        // Like the parser this replaced: an option's value is the next argument whatever it looks
        // like.
        cl.setAllowOptionsAsOptionParameters(true);
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setColorScheme(Help.defaultColorScheme(Ansi.OFF));
        cl.setHelpFactory(
                (spec, colors) ->
                        new Help(spec, colors) {
                            @Override
                            public IParamLabelRenderer parameterLabelRenderer() {
                                return new SpacedLabels(super.parameterLabelRenderer());
                            }
                        });
        cl.getHelpSectionMap()
                .put(
                        UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                        help -> commandTable(help.commandSpec()));
        cl.setParameterExceptionHandler(errors);
        cl.setExecutionExceptionHandler(errors);
        return cl;
    }

    /**
     * Gives every command {@code ctx}, and its help one layout: usage, description, arguments,
     * options.
     */
    private static void give(CommandLine cl, Context ctx) {
        if (cl.getCommand() instanceof CliCommand c) {
            c.ctx = ctx;
        }
        UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
        usage.abbreviateSynopsis(true)
                .descriptionHeading("%n")
                .parameterListHeading("%nArguments:%n");
        if (cl.getCommandSpec().parent() != null) {
            usage.optionListHeading("%nOptions (the global ones before or after the command):%n");
        }
        // The header is the command's line in 'lake --help'; its own help starts with its usage.
        List<String> sections = new ArrayList<>(cl.getHelpSectionKeys());
        sections.remove(UsageMessageSpec.SECTION_KEY_HEADER_HEADING);
        sections.remove(UsageMessageSpec.SECTION_KEY_HEADER);
        cl.setHelpSectionKeys(sections);
        for (CommandLine sub : cl.getSubcommands().values()) {
            give(sub, ctx);
        }
    }

    /**
     * The command whose help {@code --help} or {@code -h} asks for, or null. Help wins over
     * everything else on the line before {@code --} (a bad name, an unknown option), as it always
     * has; so it is found before picocli parses, which would convert values first.
     */
    private static CommandLine helpRequested(CommandLine root, String[] args) {
        int i = 0;
        boolean leading = false;
        while (i < args.length
                && args[i].startsWith("-")
                && !args[i].equals("-")
                && !args[i].equals("--")) {
            if (isHelp(args[i])) {
                leading = true;
            } else {
                OptionSpec o = root.getCommandSpec().findOption(args[i]);
                if (o != null && o.arity().max() > 0 && i + 1 < args.length) {
                    i++;
                }
            }
            i++;
        }
        boolean later = false;
        for (int j = i; j < args.length && !args[j].equals("--"); j++) {
            later |= isHelp(args[j]);
        }
        if (!leading && !later) {
            return null;
        }
        CommandLine at = root;
        int j = i;
        while (j < args.length && at.getSubcommands().containsKey(args[j])) {
            at = at.getSubcommands().get(args[j++]);
        }
        if (!leading && at == root) {
            throw new UsageException(
                    "unknown command '"
                            + args[i]
                            + "'; commands: "
                            + commandList(root.getCommandSpec())
                            + " (see 'lake --help')");
        }
        if (!leading && !at.getSubcommands().isEmpty() && j < args.length && !isHelp(args[j])) {
            throw new UsageException(
                    "unknown command '"
                            + commandName(at.getCommandSpec())
                            + " "
                            + args[j]
                            + "'; see 'lake "
                            + commandName(at.getCommandSpec())
                            + " --help'");
        }
        return at;
    }

    /**
     * The first argument after the top command's options: the command's name, if the line is right.
     */
    private static String commandWord(CommandLine root, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-") || a.equals("-")) {
                return a;
            }
            if (a.equals("--")) {
                return null;
            }
            OptionSpec o = root.getCommandSpec().findOption(a);
            if (o != null && o.arity().max() > 0) {
                i++;
            }
        }
        return null;
    }

    private static String commandName(Class<?> command) {
        return command.getAnnotation(picocli.CommandLine.Command.class).name();
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    /** The command {@code words} name below {@code root} ({@code zone create}), or null. */
    static CommandLine find(CommandLine root, List<String> words) {
        CommandLine at = root;
        for (String w : words) {
            at = at.getSubcommands().get(w);
            if (at == null) {
                return null;
            }
        }
        return at;
    }

    /** As typed: {@code ingest}, {@code zone create}; {@code lake} for the top command. */
    static String commandName(CommandSpec spec) {
        String q = spec.qualifiedName(" ");
        return q.startsWith("lake ") ? q.substring(5) : q;
    }

    /** The commands a user can run, as typed, each with its arguments and what it does. */
    private static List<String[]> commands(CommandSpec root) {
        List<String[]> rows = new ArrayList<>();
        for (CommandLine c : root.subcommands().values()) {
            CommandSpec s = c.getCommandSpec();
            if (s.usageMessage().hidden()) {
                continue;
            }
            List<CommandSpec> leaves = new ArrayList<>();
            if (s.subcommands().isEmpty()) {
                leaves.add(s);
            } else {
                // an alias ('pipeline check') maps to the same command: listed once
                s.subcommands().values().stream()
                        .map(CommandLine::getCommandSpec)
                        .distinct()
                        .forEach(leaves::add);
            }
            for (CommandSpec l : leaves) {
                StringBuilder usage = new StringBuilder(commandName(l));
                for (PositionalParamSpec p : l.positionalParameters()) {
                    if (p.hidden() || p.hideParamSyntax()) {
                        usage.append(p.hidden() ? "" : " " + p.paramLabel());
                        continue;
                    }
                    boolean optional = p.arity().min() == 0;
                    boolean many = p.arity().max() > 1;
                    usage.append(' ')
                            .append(optional ? "[" : "")
                            .append(p.paramLabel())
                            .append(optional ? "]" : "")
                            .append(many ? "..." : "");
                }
                String[] header = l.usageMessage().header();
                rows.add(
                        new String[] {
                            commandName(l), usage.toString(), header.length > 0 ? header[0] : ""
                        });
            }
        }
        return rows;
    }

    /**
     * The commands that take {@code --output}, as typed ({@code zone create}): each prints a
     * documented shape.
     */
    static List<String> reportingCommands() {
        Context none =
                new Context(
                        InputStream.nullInputStream(),
                        OutputStream.nullOutputStream(),
                        OutputStream.nullOutputStream(),
                        Map.of());
        CommandLine root = commandLine(none, new Errors(none), new String[0]);
        List<String> names = new ArrayList<>();
        for (String[] row : commands(root.getCommandSpec())) {
            if (find(root, List.of(row[0].split(" "))).getCommand() instanceof CliCommand c
                    && c.reports()) {
                names.add(row[0]);
            }
        }
        return names;
    }

    /**
     * {@code init, ingest, ..., zone create, dataset set, help}: for messages about an unknown
     * command.
     */
    static String commandList(CommandSpec root) {
        return String.join(", ", commands(root).stream().map(r -> r[0]).toList());
    }

    /**
     * The command list of {@code lake --help}: one row per command, its arguments and what it does.
     */
    private static String commandTable(CommandSpec spec) {
        StringBuilder b = new StringBuilder();
        for (String[] row : commands(spec.root())) {
            if (spec != spec.root() && !row[0].startsWith(commandName(spec) + " ")) {
                continue;
            }
            String usage = row[1];
            if (usage.length() > 22) {
                b.append("  ")
                        .append(usage)
                        .append('\n')
                        .append(" ".repeat(25))
                        .append(row[2])
                        .append('\n');
            } else {
                b.append(String.format("  %-22s %s%n", usage, row[2]));
            }
        }
        return b.toString();
    }

    /**
     * Option labels as {@code --partition K=V} (the docs' spelling); {@code --partition=K=V} parses
     * too.
     */
    private record SpacedLabels(IParamLabelRenderer positional) implements IParamLabelRenderer {
        @Override
        public Text renderParameterLabel(ArgSpec arg, Ansi ansi, List<IStyle> styles) {
            if (!arg.isOption()) {
                return positional.renderParameterLabel(arg, ansi, styles);
            }
            return ansi.new Text(arg.arity().max() == 0 ? "" : " " + arg.paramLabel());
        }

        @Override
        public String separator() {
            return " ";
        }
    }
}
