package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's contract, frozen from the hand-written parser it replaced: the commands, every option
 * of each (name, aliases, whether it takes a value, whether it may repeat), which commands take
 * --output, the exit codes, and the first {@code lake: } line of usage errors. The golden files
 * under src/test/resources/contract/ were written by the old CLI; options.tsv lists its option
 * tables. The options are checked by calling the CLI, not by reading its classes, so the test holds
 * whatever parses the command line.
 *
 * <p>{@code -Dtarn.contract.write=true} rewrites help/*.txt and usage-errors.tsv from the current
 * CLI (review the diff: a change there is a change of the contract).
 */
class CliContractTest {
    private static final Path RESOURCES =
            Path.of(
                    System.getProperty("tarn.repo.root", ".."),
                    "lake-cli/src/test/resources/contract");

    @TempDir Path dir;

    /** One row of options.tsv: an option of a command ("lake" for the global ones). */
    record Opt(
            String command,
            String name,
            List<String> aliases,
            boolean takesValue,
            boolean repeatable) {}

    private static List<String[]> tsv(String name) {
        List<String[]> rows = new ArrayList<>();
        for (String line : resource(name).split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                rows.add(line.split("\t", -1));
            }
        }
        return rows;
    }

    private static String resource(String name) {
        try (InputStream in = CliContractTest.class.getResourceAsStream("/contract/" + name)) {
            if (in == null) {
                throw new AssertionError("no golden file contract/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commands in the order of options.tsv, each with whether it takes --output. */
    private static Map<String, Boolean> commands() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (String[] r : tsv("options.tsv")) {
            if (r[1].equals("-")) {
                m.put(r[0], r[5].equals("reports"));
            }
        }
        return m;
    }

    private static List<Opt> options() {
        List<Opt> l = new ArrayList<>();
        for (String[] r : tsv("options.tsv")) {
            if (!r[1].equals("-")) {
                l.add(
                        new Opt(
                                r[0],
                                r[1],
                                r[2].equals("-") ? List.of() : List.of(r[2].split(",")),
                                r[3].equals("1"),
                                r[4].equals("repeatable")));
            }
        }
        return l;
    }

    private CliRunner.Result lake(String... args) {
        return CliRunner.raw(
                Map.of("TARN_TTY", "0", "TARN_LAKE", dir.resolve("lake").toString()),
                new byte[0],
                args);
    }

    private static String[] words(String command, String... more) {
        List<String> l =
                new ArrayList<>(command.equals("lake") ? List.of() : List.of(command.split(" ")));
        l.addAll(List.of(more));
        return l.toArray(String[]::new);
    }

    private static String firstLakeLine(String stderr) {
        return stderr.lines()
                .filter(l -> l.startsWith("lake: "))
                .findFirst()
                .orElse("<none>: " + stderr);
    }

    private static String helpFile(String command) {
        return "help/" + (command.equals("lake") ? "lake" : command.replace(' ', '-')) + ".txt";
    }

    private static Set<String> longOptions(String text) {
        Set<String> s = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*[a-z]").matcher(text);
        while (m.find()) {
            s.add(m.group());
        }
        return s;
    }

    @Test
    void helpListsEveryCommandAndEveryOption() {
        CliRunner.Result main = lake("--help");
        assertEquals(0, main.code(), main::toString);
        for (String c : commands().keySet()) {
            assertTrue(main.out().contains(c), () -> "lake --help lists " + c + "\n" + main.out());
        }
        for (Opt o : options()) {
            if (o.command().equals("lake")) {
                assertTrue(main.out().contains(o.name()), () -> "lake --help lists " + o);
            }
        }
        List<String> tops = new ArrayList<>(List.of("lake"));
        tops.addAll(commands().keySet());
        for (String c : tops) {
            CliRunner.Result h = lake(words(c, "--help"));
            assertEquals(0, h.code(), h::toString);
            assertEquals("", h.stderr());
            assertTrue(
                    h.out().startsWith("Usage: lake" + (c.equals("lake") ? "" : " " + c)),
                    h::toString);
            for (Opt o : options()) {
                if (o.command().equals(c) || o.command().equals("lake")) {
                    assertTrue(
                            h.out().contains(o.name()),
                            () -> c + " --help lists " + o + "\n" + h.out());
                }
            }
            // What the old help named (options, and commands and options mentioned in the text),
            // the new names too.
            Set<String> missing = longOptions(resource(helpFile(c)));
            missing.removeAll(longOptions(h.out()));
            assertEquals(Set.of(), missing, () -> c + " --help\n" + h.out());
            // 'lake help X' prints what 'lake X --help' prints.
            if (!c.equals("lake")) {
                CliRunner.Result viaHelp = lake(words("help " + c));
                assertEquals(0, viaHelp.code(), viaHelp::toString);
                assertEquals(h.out(), viaHelp.out());
            }
        }
    }

    @Test
    void everyOptionKeepsItsNamesArityAndRepetition() {
        Map<String, Boolean> commands = commands();
        for (Opt o : options()) {
            List<String> targets =
                    o.command().equals("lake")
                            ? List.of("lake", "ls", "ingest", "zone create")
                            : List.of(o.command());
            for (String c : targets) {
                List<String> spellings = new ArrayList<>(List.of(o.name()));
                spellings.addAll(o.aliases());
                for (String s : spellings) {
                    if (o.takesValue()) {
                        // Last on the line with no value: the parser knows the option and that it
                        // needs one.
                        CliRunner.Result r = lake(words(c, s));
                        assertEquals(2, r.code(), () -> c + " " + s + "\n" + r);
                        assertEquals(
                                "option " + o.name() + " needs a value",
                                firstLakeLine(r.stderr())
                                        .replaceFirst("^lake: ", "")
                                        .replaceFirst(";.*", ""),
                                () -> c + " " + s + "\n" + r);
                    } else if (s.startsWith("--")) {
                        CliRunner.Result r = lake(words(c, s + "=x"));
                        assertEquals(2, r.code(), () -> c + " " + s + "=x\n" + r);
                        assertTrue(
                                firstLakeLine(r.stderr())
                                        .startsWith("lake: option " + o.name() + " takes no value"),
                                () -> c + " " + s + "=x\n" + r);
                    }
                }
                if (!o.repeatable() && !c.equals("lake")) {
                    // A value the option accepts, so that the repetition is what is refused (values
                    // are checked
                    // as they are read now, the second occurrence after the first).
                    List<String> tried = new ArrayList<>();
                    boolean refused = false;
                    for (String v :
                            o.takesValue()
                                    ? List.of("v", "1", "1h", "a=b", "raw/t", "1GiB")
                                    : List.of("")) {
                        String[] twice =
                                o.takesValue()
                                        ? words(c, o.name(), v, o.name(), v)
                                        : words(c, o.name(), o.name());
                        CliRunner.Result r = lake(twice);
                        tried.add(List.of(twice) + " -> " + r);
                        refused |=
                                r.code() == 2
                                        && firstLakeLine(r.stderr())
                                                .startsWith(
                                                        "lake: option "
                                                                + o.name()
                                                                + " given twice");
                    }
                    assertTrue(refused, () -> String.join("\n", tried));
                }
            }
        }
        for (String c : commands.keySet()) {
            CliRunner.Result bogus = lake(words(c, "--bogus-option"));
            assertEquals(2, bogus.code(), bogus::toString);
            assertTrue(
                    firstLakeLine(bogus.stderr())
                            .startsWith("lake: unknown option '--bogus-option' for '" + c + "'"),
                    bogus::toString);
            if (!commands.get(c)) {
                CliRunner.Result r = lake(words(c, "-o", "json"));
                assertEquals(2, r.code(), r::toString);
                assertTrue(
                        firstLakeLine(r.stderr())
                                .startsWith("lake: '" + c + "' does not take --output"),
                        r::toString);
            }
        }
    }

    /**
     * usage-errors.tsv: arguments (tab-separated), the exit code, and the first 'lake: ' line of
     * stderr.
     */
    @Test
    void badCallsKeepTheirExitCodeAndFirstLine() throws IOException {
        StringBuilder written =
                new StringBuilder(
                        "# arguments (\\t-separated; $LAKE is the lake directory)"
                                + " | exit code | first 'lake: ' line of stderr, or stdout's first line for exit 0\n");
        List<String> failures = new ArrayList<>();
        for (List<String> call : CALLS) {
            String[] args =
                    call.stream()
                            .map(a -> a.replace("$LAKE", dir.resolve("lake").toString()))
                            .toArray(String[]::new);
            CliRunner.Result r = lake(args);
            String line =
                    r.code() == 0
                            ? r.out().lines().findFirst().orElse("")
                            : firstLakeLine(r.stderr());
            line = line.replace(dir.resolve("lake").toString(), "$LAKE");
            String row = String.join("\t", call) + " | " + r.code() + " | " + line;
            written.append(row).append('\n');
            if (r.code() != 0 && r.stdout().length != 0) {
                failures.add(row + " (printed to stdout)");
            }
        }
        if (Boolean.getBoolean("tarn.contract.write")) {
            Files.writeString(RESOURCES.resolve("usage-errors.tsv"), written);
            Files.createDirectories(RESOURCES.resolve("help"));
            List<String> all = new ArrayList<>(List.of("lake"));
            all.addAll(commands().keySet());
            for (String c : all) {
                Files.writeString(RESOURCES.resolve(helpFile(c)), lake(words(c, "--help")).out());
            }
            return;
        }
        // Help's layout is picocli's now: of a help text only its first words, "Usage: lake
        // COMMAND", are compared.
        List<String> expected =
                List.of(resource("usage-errors.tsv").split("\n")).stream()
                        .map(CliContractTest::usageWords)
                        .toList();
        List<String> actual =
                List.of(written.toString().split("\n")).stream()
                        .map(CliContractTest::usageWords)
                        .toList();
        assertEquals(String.join("\n", expected), String.join("\n", actual));
        assertEquals(List.of(), failures);
    }

    /**
     * {@code ... | 0 | Usage: lake zone create NAME [--description D]} as {@code ... | 0 | Usage:
     * lake zone}.
     */
    private static String usageWords(String row) {
        Matcher m = Pattern.compile("^(.* \\| 0 \\| Usage: lake)( [a-z][a-z-]*)?.*$").matcher(row);
        return m.matches() ? m.group(1) + (m.group(2) == null ? "" : m.group(2)) : row;
    }

    /**
     * Calls that fail before touching a lake (or read a missing one), with their messages frozen.
     */
    private static final List<List<String>> CALLS =
            List.of(
                    List.of(),
                    List.of("--version"),
                    List.of("version"),
                    List.of("help"),
                    List.of("help", "nope"),
                    List.of("help", "zone", "create"),
                    List.of("frobnicate"),
                    List.of("--bogus", "ls"),
                    List.of("ls", "--bogus"),
                    List.of("--lake", "", "ls"),
                    List.of("--store-option", "novalue", "ls"),
                    List.of("--store-option", "region=x", "ls"),
                    List.of("--output", "xml", "ls"),
                    List.of("ls", "-o", "xml"),
                    List.of("ls"),
                    List.of("ls", "raw", "extra"),
                    List.of("ls", "--as-of", "x"),
                    List.of("ls", "--as-of", "-1"),
                    List.of("init", "extra"),
                    List.of("init", "--zones", "raw,raw"),
                    List.of("init", "--zones", ""),
                    List.of("init", "--zones", "Bad Zone"),
                    List.of("ingest"),
                    List.of("ingest", "raw/t"),
                    List.of("ingest", "raw", "x"),
                    List.of("ingest", "raw/t", "x", "--partition", "novalue"),
                    List.of("ingest", "raw/t", "x", "--meta", "=v"),
                    List.of("ingest", "raw/t", "-", "-"),
                    List.of("ingest", "raw/t", "x", "--name", "n"),
                    List.of("ingest", "raw/t", "x", "--force=yes"),
                    List.of("ingest", "raw/t", "x", "-f", "-f"),
                    List.of("cat"),
                    List.of("cat", "raw/t"),
                    List.of("cat", "raw/t/a", "extra"),
                    List.of("cat", "raw/t/a", "--output", "json"),
                    List.of("describe"),
                    List.of("describe", "raw"),
                    List.of("describe", "raw/t", "extra"),
                    List.of("doctor", "extra"),
                    List.of("doctor", "--grace", "soon"),
                    List.of("doctor", "--grace", "-1h"),
                    List.of("zone"),
                    List.of("zone", "--help", "x"),
                    List.of("zone", "delete"),
                    List.of("zone", "create"),
                    List.of("zone", "create", "a", "b"),
                    List.of("dataset"),
                    List.of("dataset", "get"),
                    List.of("dataset", "set"),
                    List.of("dataset", "set", "raw/t"),
                    List.of("dataset", "set", "raw/t", "--tag", "x"),
                    List.of("dataset", "set", "raw/t", "--tag", "k=v", "--untag", "k"),
                    List.of("sql", "--max-rows", "x", "select 1"),
                    List.of("sql", "--max-rows", "0", "select 1"),
                    List.of("sql", "--timeout", "soon", "select 1"),
                    List.of("sql", "--memory-limit", "lots", "select 1"),
                    List.of("sql", "a", "b"),
                    List.of("sql", "--save", "raw", "select 1"),
                    List.of("convert"),
                    List.of("convert", "raw/a"),
                    List.of("convert", "raw/a", "processed/b", "--mode", "upsert"),
                    List.of("convert", "raw/a", "processed/b", "--policy", "loose"),
                    List.of("convert", "raw/a", "processed/b", "--max-errors", "lots"),
                    List.of("convert", "raw/a", "processed/b", "--max-columns", "0"),
                    List.of("convert-file"),
                    List.of("convert-file", "in.json"),
                    List.of("convert-file", "in.json", "out.parquet", "--format", "xml"),
                    List.of("convert-file", "in.json", "out.parquet", "--compression", "lz9"),
                    List.of("convert-file", "in.json", "out.parquet", "--threads", "0"),
                    List.of("convert-file", "in.json", "out.parquet", "--header", "--no-header"),
                    List.of("convert-file", "in.json", "out.parquet", "--charset", "nope-8"),
                    List.of("convert-file", "in.json", "out.parquet", "--quarantine", "q.ndjson"),
                    List.of("history", "a", "b"),
                    List.of("history", "--limit", "x"),
                    List.of("lineage"),
                    List.of("optimize"),
                    List.of("vacuum"),
                    List.of("vacuum", "processed/t", "--retain", "soon"),
                    List.of("delete"),
                    List.of("delete", "processed/t"),
                    List.of("restore", "processed/t"),
                    List.of("restore", "processed/t", "x"),
                    List.of("rm"),
                    List.of("rm", "raw/t"),
                    List.of("drop"),
                    List.of("drop", "raw"),
                    List.of("purge", "extra"),
                    List.of("purge", "--older-than", "soon"),
                    List.of("purge", "--reason", ""),
                    List.of("events", "--since", "yesterday"),
                    List.of("events", "--since", "catalog@x"),
                    List.of("events", "-o", "csv"),
                    List.of("pipeline"),
                    List.of("pipeline", "run"),
                    List.of("pipeline", "run", "p.yaml", "--once", "--watch"),
                    List.of("pipeline", "run", "p.yaml", "--interval", "5s"),
                    List.of("pipeline", "status"),
                    List.of("pipeline", "check"));
}
