package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Usage errors exit 2 with one line on stderr; --help exits 0 on every command; --version. */
class UsageTest {
    @TempDir Path dir;
    CliRunner lake;
    Path file;

    @BeforeEach
    void setUp() throws Exception {
        lake = new CliRunner(dir.resolve("lake"));
        file = dir.resolve("a.csv");
        Files.writeString(file, "a,b\n1,2\n");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "init",
                "ingest",
                "ls",
                "cat",
                "describe",
                "doctor",
                "zone",
                "zone create",
                "dataset",
                "dataset set"
            })
    void helpOnEveryCommandExitsZero(String command) {
        String[] words = command.split(" ");
        for (String flag : List.of("--help", "-h")) {
            String[] args = new String[words.length + 1];
            System.arraycopy(words, 0, args, 0, words.length);
            args[words.length] = flag;
            CliRunner.Result r = CliRunner.raw(Map.of(), new byte[0], args);
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().startsWith("Usage: lake " + words[0]), r::toString);
            assertEquals("", r.stderr());
        }
        // 'lake help COMMAND' and 'lake --help COMMAND' print the same text.
        CliRunner.Result help = CliRunner.raw(Map.of(), new byte[0], concat("help", words));
        assertEquals(0, help.code(), help::toString);
        assertEquals(
                CliRunner.raw(Map.of(), new byte[0], concat("--help", words)).out(), help.out());
        assertFalse(Files.exists(dir.resolve("lake")));
    }

    @Test
    void helpWinsOverOtherwiseBadArguments() {
        CliRunner.Result r = lake.run("ingest", "RAW/../x", "--bogus", "--help");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("--partition K=V"), r::toString);
    }

    @Test
    void mainHelpAndVersion() {
        for (String[] args :
                List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"help"})) {
            CliRunner.Result r = CliRunner.raw(Map.of(), new byte[0], args);
            assertEquals(0, r.code(), r::toString);
            for (String c :
                    List.of(
                            "init",
                            "ingest",
                            "ls",
                            "cat",
                            "describe",
                            "doctor",
                            "zone create",
                            "dataset set",
                            "--version",
                            "--lake",
                            "--output")) {
                assertTrue(r.out().contains(c), c);
            }
        }
        CliRunner.Result v = CliRunner.raw(Map.of(), new byte[0], "--version");
        assertEquals(0, v.code());
        assertTrue(v.out().matches("lake \\S+\\n"), v::toString);
        assertFalse(v.out().contains("${"), "the version is filtered in: " + v.out());
    }

    @Test
    void noCommandIsAUsageError() {
        CliRunner.Result r = CliRunner.raw(Map.of(), new byte[0]);
        assertEquals(2, r.code());
        assertTrue(r.stderr().contains("lake: no command given"), r::toString);
        assertEquals(0, r.stdout().length);
    }

    /** Each case: arguments, then a piece of the expected message. */
    @Test
    void usageErrorsExitTwoWithOneLine() throws Exception {
        assertEquals(0, lake.run("ingest", "raw/t", file.toString()).code());
        Map<String, String> before = CliRunner.snapshot(dir);
        List<List<String>> cases =
                List.of(
                        List.of("frobnicate", "unknown command 'frobnicate'"),
                        List.of("ls", "--bogus", "unknown option '--bogus' for 'ls'"),
                        List.of("--bogus", "ls", "unknown option '--bogus'"),
                        List.of("ingest", "missing ZONE/DATASET"),
                        List.of("ingest", "raw/t", "missing PATH"),
                        List.of(
                                "ingest",
                                "raw/t",
                                file.toString(),
                                "--partition",
                                "novalue",
                                "not KEY=VALUE"),
                        List.of(
                                "ingest",
                                "raw/t",
                                file.toString(),
                                "--meta",
                                "novalue",
                                "not KEY=VALUE"),
                        List.of(
                                "ingest",
                                "raw/t",
                                file.toString(),
                                "--partition",
                                "a=1",
                                "--partition",
                                "a=2",
                                "twice"),
                        List.of("ingest", "raw/t", "-", "-", "more than once"),
                        List.of(
                                "ingest",
                                "raw/t",
                                file.toString(),
                                "--name",
                                "x",
                                "needs PATH '-'"),
                        List.of("ingest", "raw/t", file.toString(), "--partition", "needs a value"),
                        List.of(
                                "ingest",
                                "raw/t",
                                file.toString(),
                                "--force=yes",
                                "takes no value"),
                        List.of("ingest", "raw", file.toString(), "names no zone"),
                        List.of("cat", "missing ZONE/DATASET/OBJECT"),
                        List.of("cat", "raw/t", "names no object"),
                        List.of("cat", "raw/t/a.csv", "extra", "unexpected argument 'extra'"),
                        List.of("cat", "raw/t/a.csv", "--output", "json", "does not take --output"),
                        List.of("describe", "missing ZONE/DATASET"),
                        List.of("describe", "raw", "names no zone"),
                        List.of("ls", "raw", "extra", "unexpected argument 'extra'"),
                        List.of("ls", "--output", "xml", "not one of table, json, csv"),
                        List.of("ls", "-o", "names no zone", "not one of table, json, csv"),
                        List.of("doctor", "--grace", "soon", "duration 'soon' is not valid"),
                        List.of("doctor", "--grace", "-1h", "is not valid"),
                        List.of("doctor", "--grace", "99999999999999999999999s", "is not valid"),
                        List.of("doctor", "extra", "unexpected argument 'extra'"),
                        List.of("zone", "needs a command"),
                        List.of("zone", "delete", "x", "unknown command 'zone delete'"),
                        List.of("zone", "create", "missing NAME"),
                        List.of("dataset", "set", "raw/t", "nothing to set"),
                        List.of("dataset", "set", "raw/t", "--tag", "x", "not KEY=VALUE"),
                        List.of(
                                "dataset",
                                "set",
                                "raw/t",
                                "--tag",
                                "k=v",
                                "--untag",
                                "k",
                                "both set and removed"),
                        List.of("dataset", "get", "raw/t", "unknown command 'dataset get'"),
                        List.of("init", "--zones", "raw,raw", "twice"),
                        List.of("init", "extra", "unexpected argument 'extra'"),
                        List.of("help", "nope", "no command 'nope'"));
        for (List<String> c : cases) {
            String[] args = c.subList(0, c.size() - 1).toArray(String[]::new);
            String expected = c.get(c.size() - 1);
            CliRunner.Result r = lake.run(args);
            assertEquals(2, r.code(), () -> c + "\n" + r);
            assertTrue(
                    r.stderr().startsWith("lake: ") && r.stderr().contains(expected),
                    () -> c + "\n" + r);
            assertEquals(1, r.stderr().lines().count(), () -> c + "\n" + r);
            assertEquals(0, r.stdout().length, () -> c + "\n" + r);
        }
        assertEquals(before, CliRunner.snapshot(dir));
        CliRunner.Result empty = CliRunner.raw(Map.of(), new byte[0], "--lake", "", "ls");
        assertEquals(2, empty.code(), empty::toString);
        assertTrue(empty.stderr().contains("--lake is empty"), empty::toString);
    }

    @Test
    void failuresExitOneWithOneLineAndStackTracesOnlyWhenVerbose() {
        CliRunner.Result r = lake.run("ls");
        assertEquals(1, r.code());
        assertEquals(
                "lake: no lake at " + dir.resolve("lake") + " (run 'lake init' to create one)\n",
                r.stderr());
        assertFalse(Files.exists(dir.resolve("lake")), "reading a missing lake does not create it");

        CliRunner.Result verbose = lake.run("ls", "--verbose");
        assertEquals(1, verbose.code());
        assertTrue(verbose.stderr().startsWith("lake: no lake at"), verbose::toString);
        assertTrue(
                verbose.stderr().contains("NotFoundException")
                        && verbose.stderr().contains("\tat "),
                verbose::toString);

        CliRunner.Result missing = lake.run("ingest", "raw/t", dir.resolve("nope.csv").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.stderr().contains("no such file or directory"), missing::toString);
        assertFalse(Files.exists(dir.resolve("lake")), "a failed ingest does not create the lake");
    }

    @Test
    void anEmptyDirectoryIsNothingToIngest() throws Exception {
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        Files.writeString(empty.resolve(".hidden"), "x");
        assertEquals(0, lake.run("init").code());
        CliRunner.Result r = lake.run("ingest", "raw/t", empty.toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals(
                "lake: nothing to ingest: "
                        + empty
                        + " holds no files (hidden files are skipped)"
                        + "\n",
                r.stderr());
    }

    @Test
    void readCommandsOnAMissingLakeFailWithoutCreatingIt() {
        for (String[] args :
                List.of(
                        new String[] {"ls"},
                        new String[] {"ls", "raw"},
                        new String[] {"describe", "raw/x"},
                        new String[] {"cat", "raw/x/y"},
                        new String[] {"doctor"},
                        new String[] {"zone", "create", "ml"},
                        new String[] {"dataset", "set", "raw/x", "--owner", "o"})) {
            CliRunner.Result r = lake.run(args);
            assertEquals(1, r.code(), r::toString);
            assertTrue(r.stderr().contains("run 'lake init'"), r::toString);
        }
        assertFalse(Files.exists(dir.resolve("lake")));
    }

    @Test
    void lakeLocationDefaultsToTarnLakeThenLakeData() throws Exception {
        Path viaEnv = dir.resolve("from-env");
        CliRunner.Result r =
                CliRunner.raw(
                        Map.of("TARN_LAKE", viaEnv.toString(), "TARN_TTY", "0"),
                        new byte[0],
                        "init");
        assertEquals(0, r.code(), r::toString);
        assertTrue(
                Files.isDirectory(viaEnv.resolve("_tarn")), "lake created where TARN_LAKE points");
        // --lake wins over TARN_LAKE.
        Path viaFlag = dir.resolve("from-flag");
        CliRunner.Result f =
                CliRunner.raw(
                        Map.of("TARN_LAKE", viaEnv.toString()),
                        new byte[0],
                        "init",
                        "--lake",
                        viaFlag.toString(),
                        "-o",
                        "json");
        assertEquals(0, f.code(), f::toString);
        assertEquals(viaFlag.toString(), f.json().get("location").asText());
        // Neither: ./lake-data, reported (not created) by a read command.
        CliRunner.Result d = CliRunner.raw(Map.of(), new byte[0], "ls");
        assertEquals(1, d.code());
        assertTrue(
                d.stderr().contains(Path.of("lake-data").toAbsolutePath().toString()), d::toString);
    }

    @Test
    void globalOptionsWorkAfterTheCommandToo() throws Exception {
        assertEquals(
                0,
                CliRunner.raw(Map.of(), new byte[0], "--lake", dir.resolve("l").toString(), "init")
                        .code());
        CliRunner.Result r =
                CliRunner.raw(
                        Map.of(),
                        new byte[0],
                        "ls",
                        "--output=json",
                        "--lake",
                        dir.resolve("l").toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals(3, r.json().size());
        // A later --lake or --output overrides an earlier one.
        CliRunner.Result twice =
                CliRunner.raw(
                        Map.of(),
                        new byte[0],
                        "--lake",
                        dir.resolve("nowhere").toString(),
                        "-o",
                        "csv",
                        "ls",
                        "--lake",
                        dir.resolve("l").toString(),
                        "--output",
                        "json");
        assertEquals(0, twice.code(), twice::toString);
        assertEquals(3, twice.json().size());
        assertFalse(Files.exists(dir.resolve("nowhere")));
        // '--' ends options: a file named like an option can be ingested.
        Path odd = dir.resolve("--odd.csv");
        Files.writeString(odd, "x\n");
        CliRunner.Result o =
                CliRunner.raw(
                        Map.of(),
                        new byte[0],
                        "--lake",
                        dir.resolve("l").toString(),
                        "ingest",
                        "raw/t",
                        "--",
                        odd.toString());
        assertEquals(0, o.code(), o::toString);
    }

    private static String[] concat(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }
}
