package dev.tarn.lake.cli;

import dev.tarn.lake.Tarn;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code lake} command. {@link #run} is the whole CLI with its streams and environment passed in, so that it
 * can be tested in-process; {@link #main} wires it to the process.
 */
public final class Main {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private static final List<Args.Opt> GLOBAL = List.of(
            Args.Opt.repeated("--lake"),
            Args.Opt.repeated("--store-option"),
            new Args.Opt("--verbose", false, true),
            Args.Opt.repeated("--output", "-o"));

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        for (Command c : List.of(new InitCommand(), new IngestCommand(), new LsCommand(), new CatCommand(),
                new DescribeCommand(), new DoctorCommand(), new ZoneCreateCommand(), new DatasetSetCommand(),
                new SqlCommand(), new ConvertFileCommand())) {
            COMMANDS.put(c.name(), c);
        }
        for (Command c : TableCommands.all()) {
            COMMANDS.put(c.name(), c);
        }
        for (Command c : RemoveCommands.all()) {
            COMMANDS.put(c.name(), c);
        }
    }

    private Main() {
    }

    /** The commands that take {@code --output}, as typed ({@code zone create}): each prints a documented shape. */
    static List<String> reportingCommands() {
        return COMMANDS.values().stream().filter(Command::reports).map(Command::name).toList();
    }

    public static void main(String[] args) {
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        int code = run(System.in, out, new FileOutputStream(FileDescriptor.err), System.getenv(), args);
        try {
            out.flush();
        } catch (IOException e) {
            // stdout closed early (e.g. 'lake cat ... | head'): nothing more to say
        }
        System.exit(code);
    }

    /** Runs the CLI; returns the exit code. Nothing here calls {@code System.exit}. */
    public static int run(InputStream in, OutputStream out, OutputStream err, Map<String, String> env,
                          String... args) {
        Context ctx = new Context(in, out, err, env);
        try {
            return dispatch(ctx, Arrays.asList(args));
        } catch (CatCommand.StdoutClosedException e) {
            if (ctx.verbose) {
                e.printStackTrace(ctx.err);
            }
            return FAILURE;
        } catch (UsageException e) {
            return fail(ctx, ErrorCode.USAGE, e.getMessage(), e);
        } catch (TarnException e) {
            return fail(ctx, e.errorCode(), e.getMessage(), e);
        } catch (UncheckedIOException e) {
            return fail(ctx, ErrorCode.IO_ERROR, ioMessage(e.getCause(), e.getMessage()), e);
        } catch (IOException e) {
            return fail(ctx, ErrorCode.IO_ERROR, ioMessage(e, null), e);
        } catch (IllegalArgumentException e) {
            return fail(ctx, ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
        } catch (Exception e) {
            return fail(ctx, ErrorCode.INTERNAL_ERROR, "unexpected error: " + e + " (run with --verbose for details)",
                    e);
        } finally {
            ctx.out.flush();
            ctx.err.flush();
        }
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
        String msg = context == null ? what : context.contains(what) ? context : context + ": " + what;
        return "I/O error: " + msg.trim();
    }

    /**
     * The one place a failed command is reported: one line on stderr, {@code lake: MESSAGE [CODE]}, or with
     * {@code -o json} one JSON document {@code {"error":{"code","category","exitCode","message"}}}; the exit code is
     * the error code's (docs/errors.md). A command line that is wrong as typed (USAGE) is always told as text: it may
     * be the --output option itself that is wrong.
     */
    private static int fail(Context ctx, ErrorCode code, String message, Throwable e) {
        ctx.out.flush();
        String m = Text.oneLine(message == null || message.isBlank() ? e.getClass().getName()
                : CliTerms.message(e, message));
        if (ctx.output == Context.Output.JSON && code != ErrorCode.USAGE) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", code.name());
            error.put("category", code.category().name());
            error.put("exitCode", code.exitCode());
            error.put("message", m);
            try {
                ctx.err.println(CliJson.MAPPER.writeValueAsString(Map.of("error", error)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
                ctx.err.println("lake: " + m + " [" + code.name() + "]");
            }
        } else {
            ctx.err.println("lake: " + m + " [" + code.name() + "]");
        }
        if (ctx.verbose) {
            e.printStackTrace(ctx.err);
        }
        return code.exitCode();
    }

    private static int dispatch(Context ctx, List<String> tokens) throws Exception {
        // Global options before the command.
        int i = 0;
        boolean help = false;
        boolean version = false;
        List<String> leading = new ArrayList<>();
        while (i < tokens.size() && tokens.get(i).startsWith("-") && !tokens.get(i).equals("-")
                && !tokens.get(i).equals("--")) {
            String t = tokens.get(i);
            if (t.equals("--help") || t.equals("-h")) {
                help = true;
                i++;
            } else if (t.equals("--version") || t.equals("-V")) {
                version = true;
                i++;
            } else {
                leading.add(t);
                String name = t.contains("=") ? t.substring(0, t.indexOf('=')) : t;
                boolean takesValue = GLOBAL.stream().anyMatch(o -> o.takesValue()
                        && (o.name().equals(name) || List.of(o.aliases()).contains(name)));
                if (takesValue && !t.contains("=") && i + 1 < tokens.size()) {
                    leading.add(tokens.get(i + 1));
                    i++;
                }
                i++;
            }
        }
        applyGlobals(ctx, Args.parse("lake", leading, GLOBAL));
        if (version) {
            ctx.out.println("lake " + Tarn.VERSION);
            return OK;
        }
        if (i >= tokens.size() || tokens.get(i).equals("--")) {
            if (help) {
                ctx.out.print(Help.MAIN);
                return OK;
            }
            ctx.err.print(Help.MAIN);
            throw new UsageException("no command given; see 'lake --help'");
        }
        String name = tokens.get(i++);
        if (help) {
            String sub = i < tokens.size() ? name + " " + tokens.get(i) : null;
            ctx.out.print(Help.of(sub != null && Help.COMMANDS.containsKey(sub) ? sub : name));
            return OK;
        }
        if (name.equals("help")) {
            List<String> rest = tokens.subList(i, tokens.size());
            String topic = String.join(" ", rest).trim();
            if (!topic.isEmpty() && !Help.COMMANDS.containsKey(topic)) {
                throw new UsageException("no command '" + topic + "'; commands: " + commandList());
            }
            ctx.out.print(topic.isEmpty() ? Help.MAIN : Help.of(topic));
            return OK;
        }
        if (name.equals("version")) {
            ctx.out.println("lake " + Tarn.VERSION);
            return OK;
        }
        if (name.equals("zone") || name.equals("dataset")) {
            String sub = i < tokens.size() ? tokens.get(i) : null;
            if (sub == null || sub.equals("--help") || sub.equals("-h")) {
                if (sub != null) {
                    ctx.out.print(Help.of(name));
                    return OK;
                }
                throw new UsageException("'" + name + "' needs a command: " + (name.equals("zone") ? "create" : "set")
                        + "; see 'lake " + name + " --help'");
            }
            String full = name + " " + sub;
            if (!COMMANDS.containsKey(full)) {
                throw new UsageException("unknown command '" + full + "'; see 'lake " + name + " --help'");
            }
            name = full;
            i++;
        }
        Command cmd = COMMANDS.get(name);
        if (cmd == null) {
            throw new UsageException("unknown command '" + name + "'; commands: " + commandList()
                    + " (see 'lake --help')");
        }
        List<String> rest = tokens.subList(i, tokens.size());
        if (Args.wantsHelp(rest)) {
            ctx.out.print(Help.of(name));
            return OK;
        }
        List<Args.Opt> opts = new ArrayList<>(cmd.options());
        opts.addAll(GLOBAL);
        Args args = Args.parse(name, rest, opts);
        applyGlobals(ctx, args);
        if (!cmd.reports() && args.has("--output")) {
            throw new UsageException("'" + name + "' does not take --output; see 'lake " + name + " --help'");
        }
        return cmd.run(ctx, args);
    }

    private static void applyGlobals(Context ctx, Args a) {
        if (a.has("--lake")) {
            String l = a.last("--lake");
            if (l.isBlank()) {
                throw new UsageException("--lake is empty; give the lake's directory");
            }
            ctx.location = l;
        }
        for (String kv : a.values("--store-option")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--store-option '" + kv + "' is not KEY=VALUE (e.g. --store-option"
                        + " endpoint=http://127.0.0.1:9000)");
            }
            ctx.storeOptions.put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
        }
        if (a.has("--verbose")) {
            ctx.verbose = true;
        }
        if (a.has("--output")) {
            ctx.output = Context.Output.parse(a.last("--output"));
            ctx.outputGiven = true;
        }
    }

    private static String commandList() {
        return "init, ingest, ls, cat, describe, sql, convert, convert-file, history, lineage, optimize, vacuum,"
                + " delete, restore, rm, drop, purge, doctor, zone create, dataset set, help";
    }
}
