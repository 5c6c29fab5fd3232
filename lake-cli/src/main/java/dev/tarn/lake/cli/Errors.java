package dev.tarn.lake.cli;

import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Every error of the CLI ends here, whether the command line is wrong (picocli's parameter
 * exceptions) or the command failed: this is the one place that picks the message ({@code lake:
 * ...}, one line; with {@code -o json} one JSON document {@code
 * {"error":{"code","category","exitCode","message"}}}) and the exit code, which is the {@link
 * ErrorCode}'s (docs/errors.md: 1 failure, 2 usage).
 */
final class Errors implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private static final Pattern WITHOUT_VALUE =
            Pattern.compile("option '([^']+)' should be specified without");

    private static final Pattern NOT_BOOLEAN = Pattern.compile("'(.*)' is not a boolean");

    private final Context ctx;

    Errors(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        return handle(usage(e, args));
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        return handle(e);
    }

    /** The exit code for {@code e}, after saying what went wrong on stderr. */
    int handle(Throwable e) {
        if (e instanceof CatCommand.StdoutClosedException) {
            if (ctx.verbose) {
                e.printStackTrace(ctx.err);
            }
            return Main.FAILURE;
        }
        if (e instanceof UsageException) {
            return fail(ErrorCode.USAGE, e.getMessage(), e);
        }
        if (e instanceof TarnException t) {
            return fail(t.errorCode(), e.getMessage(), e);
        }
        if (e instanceof UncheckedIOException u) {
            return fail(ErrorCode.IO_ERROR, ioMessage(u.getCause(), u.getMessage()), e);
        }
        if (e instanceof IOException io) {
            return fail(ErrorCode.IO_ERROR, ioMessage(io, null), e);
        }
        if (e instanceof IllegalArgumentException) {
            return fail(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
        }
        return fail(
                ErrorCode.INTERNAL_ERROR,
                "unexpected error: " + e + " (run with --verbose for details)",
                e);
    }

    /**
     * What a picocli parse error means, in the CLI's words (the messages of the parser picocli
     * replaced, which scripts and docs quote): a converter's own exception as it is, everything
     * else as a {@link UsageException}.
     */
    private static Throwable usage(ParameterException e, String[] args) {
        String command = Main.commandName(e.getCommandLine().getCommandSpec());
        boolean top = command.equals("lake");
        String hint = top ? "see 'lake --help'" : "see 'lake " + command + " --help'";
        // A repeatable flag (--verbose) given a value: picocli names the value, not the option.
        Throwable cause = e.getCause();
        Matcher b =
                NOT_BOOLEAN.matcher(
                        String.valueOf(cause != null ? cause.getMessage() : e.getMessage()));
        if (b.matches()) {
            for (String arg : args) {
                if (arg.startsWith("--") && arg.endsWith("=" + b.group(1))) {
                    return new UsageException(
                            "option "
                                    + arg.substring(0, arg.indexOf('='))
                                    + " takes no value; "
                                    + hint);
                }
            }
        }
        if (cause instanceof TypeConversionException t && e.getArgSpec() != null) {
            return new UsageException(
                    String.format(t.getMessage(), name(e.getArgSpec()), e.getValue()));
        }
        if (cause instanceof RuntimeException r && !(cause instanceof TypeConversionException)) {
            return r;
        }
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (arg.startsWith("-") && !arg.equals("-")) {
                String option =
                        arg.startsWith("--") && arg.indexOf('=') > 0
                                ? arg.substring(0, arg.indexOf('='))
                                : arg;
                return new UsageException(
                        "unknown option '"
                                + option
                                + "'"
                                + (top ? "" : " for '" + command + "'")
                                + "; "
                                + hint);
            }
            if (top) {
                return new UsageException(
                        "unknown command '"
                                + arg
                                + "'; commands: "
                                + Main.commandList(e.getCommandLine().getCommandSpec().root())
                                + " (see 'lake --help')");
            }
            if (!e.getCommandLine().getSubcommands().isEmpty()) {
                return new UsageException("unknown command '" + command + " " + arg + "'; " + hint);
            }
            return new UsageException(
                    "unexpected argument '" + arg + "' for '" + command + "'; " + hint);
        }
        // picocli reports a missing argument before an unknown option; the unknown option is the
        // worse mistake.
        String unknown =
                e instanceof MissingParameterException
                        ? unknownOption(e.getCommandLine(), args)
                        : null;
        if (unknown != null) {
            return new UsageException(
                    "unknown option '"
                            + unknown
                            + "'"
                            + (top ? "" : " for '" + command + "'")
                            + "; "
                            + hint);
        }
        if (e instanceof MissingParameterException
                && e.getCommandLine().getCommand() instanceof CliCommand c
                && !c.reports()
                && c.global != null
                && c.global.outputGiven()) {
            return new UsageException("'" + command + "' does not take --output; " + hint);
        }
        if (e instanceof MissingParameterException m && e.getArgSpec() instanceof OptionSpec o) {
            return new UsageException("option " + o.longestName() + " needs a value; " + hint);
        }
        if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()) {
            ArgSpec missing = m.getMissing().get(0);
            return new UsageException(
                    missing instanceof OptionSpec o
                            ? "option " + o.longestName() + " needs a value; " + hint
                            : "missing " + missing.paramLabel() + "; " + hint);
        }
        if (e instanceof OverwrittenOptionException o
                && o.getOverwritten() instanceof OptionSpec spec) {
            return new UsageException("option " + spec.longestName() + " given twice; " + hint);
        }
        if (e.getArgSpec() instanceof OptionSpec o && o.arity().max() == 0) {
            return new UsageException("option " + o.longestName() + " takes no value; " + hint);
        }
        Matcher m = WITHOUT_VALUE.matcher(String.valueOf(e.getMessage()));
        if (e instanceof MaxValuesExceededException && m.find()) {
            OptionSpec o = e.getCommandLine().getCommandSpec().findOption(m.group(1));
            return new UsageException(
                    "option "
                            + (o != null ? o.longestName() : m.group(1))
                            + " takes no value; "
                            + hint);
        }
        return new UsageException(e.getMessage() + "; " + hint);
    }

    /**
     * The first option on the line before {@code --} that neither {@code command} nor the top
     * command knows.
     */
    private static String unknownOption(CommandLine command, String[] args) {
        CommandSpec spec = command.getCommandSpec();
        for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
            String a = args[i];
            if (!a.startsWith("-") || a.equals("-")) {
                continue;
            }
            String name =
                    a.startsWith("--") && a.indexOf('=') > 0 ? a.substring(0, a.indexOf('=')) : a;
            OptionSpec o = spec.findOption(name);
            o = o != null ? o : spec.root().findOption(name);
            if (o == null) {
                return name;
            }
            if (o.arity().max() > 0 && name.equals(a)) {
                i++; // its value, whatever it looks like
            }
        }
        return null;
    }

    private static String name(ArgSpec a) {
        return a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
    }

    private static String ioMessage(IOException e, String context) {
        String what;
        if (e == null) {
            what = "";
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            what = "permission denied: " + e.getMessage();
        } else if (e instanceof java.nio.file.NoSuchFileException) {
            what = "no such file: " + e.getMessage();
        } else if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            what = f.getReason() + (f.getFile() != null ? ": " + f.getFile() : "");
        } else {
            what = String.valueOf(e.getMessage());
        }
        String msg =
                context == null ? what : context.contains(what) ? context : context + ": " + what;
        return "I/O error: " + msg.trim();
    }

    /**
     * The JSON error on stderr with {@code --output json}: {@code {"error": {code, category,
     * exitCode, message}}}.
     */
    record ErrorView(String code, String category, int exitCode, String message) {}

    /**
     * Says what went wrong and returns the code's exit code. The text line is the contract scripts
     * already parse ({@code lake: MESSAGE}); the code is in the JSON document. A command line that
     * is wrong as typed (USAGE) is always told as text: it may be the --output option itself that
     * is wrong.
     */
    private int fail(ErrorCode code, String message, Throwable e) {
        ctx.out.flush();
        String m =
                Text.oneLine(
                        message == null || message.isBlank()
                                ? e.getClass().getName()
                                : CliTerms.message(e, message));
        if (ctx.output == Context.Output.JSON && code != ErrorCode.USAGE) {
            ErrorView error =
                    new ErrorView(code.name(), code.category().name(), code.exitCode(), m);
            try {
                ctx.err.println(
                        CliJson.MAPPER.writeValueAsString(Map.of("error", error))); // one line
            } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
                ctx.err.println("lake: " + m);
            }
        } else {
            ctx.err.println("lake: " + m);
        }
        if (ctx.verbose) {
            e.printStackTrace(ctx.err);
        }
        return code.exitCode();
    }
}
