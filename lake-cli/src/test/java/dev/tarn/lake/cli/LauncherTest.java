package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./lake} launcher as a subprocess. The first tests run the CLI through it on a
 * temp lake (with the test classpath given as TARN_CLASSPATH, so no Maven build runs inside the
 * test); the last ones check its build logic against a copy of the script in a scratch repository,
 * with stand-ins for mvn and java on PATH.
 */
class LauncherTest {
    static final Path ROOT =
            Path.of(System.getProperty("tarn.repo.root", "..")).toAbsolutePath().normalize();
    static final Path LAUNCHER = ROOT.resolve("lake");

    @TempDir Path dir;

    record Proc(int code, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out() + "--- stderr\n" + stderr;
        }
    }

    static Proc exec(Path script, Map<String, String> env, byte[] stdin, String... args)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(script.getParent().toFile());
        pb.environment().remove("TARN_LAKE");
        pb.environment().remove("TARN_TTY");
        pb.environment().remove("TARN_CLASSPATH");
        pb.environment().remove("TARN_NO_BUILD");
        env.forEach(
                (k, v) -> {
                    if (v == null) {
                        pb.environment().remove(k);
                    } else {
                        pb.environment().put(k, v);
                    }
                });
        Process p = pb.start();
        CompletableFuture<byte[]> out =
                CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err =
                CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("launcher did not finish: " + cmd);
        }
        return new Proc(p.exitValue(), out.get(), new String(err.get(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The CLI's runtime classpath: this test JVM's own, which holds the CLI and all it depends on.
     */
    static String classpath() {
        return System.getProperty("java.class.path");
    }

    Map<String, String> env;

    @BeforeEach
    void setUp() {
        env = Map.of("TARN_CLASSPATH", classpath());
    }

    @Test
    void ingestLsCatAndDuplicateThroughTheRealLauncher() throws Exception {
        assertTrue(Files.isExecutable(LAUNCHER), "executable launcher at " + LAUNCHER);
        Path lake = dir.resolve("lake");
        byte[] events = "{\"user\":\"a\"}\n{\"user\":\"b\"}\n".getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("events.ndjson");
        Files.write(file, events);

        Proc ingest =
                exec(
                        LAUNCHER,
                        env,
                        new byte[0],
                        "--lake",
                        lake.toString(),
                        "ingest",
                        "raw/clicks",
                        file.toString());
        assertEquals(0, ingest.code(), ingest::toString);
        assertTrue(ingest.out().startsWith("stored: events.ndjson"), ingest::toString);
        assertFalse(
                ingest.stderr().contains("ingesting")
                        || ingest.stderr().contains("\r")
                        || ingest.stderr().contains("lake:"),
                "no progress bar or message when stderr is a pipe: " + ingest.stderr());

        Proc ls =
                exec(
                        LAUNCHER,
                        env,
                        new byte[0],
                        "--lake",
                        lake.toString(),
                        "ls",
                        "raw/clicks",
                        "--output",
                        "json");
        assertEquals(0, ls.code(), ls::toString);
        JsonNode o = new ObjectMapper().readTree(ls.stdout()).get(0);
        assertEquals(events.length, o.get("size").asLong());
        assertEquals(CliRunner.sha256(events), o.get("sha256").asText());

        Proc cat =
                exec(
                        LAUNCHER,
                        env,
                        new byte[0],
                        "--lake",
                        lake.toString(),
                        "cat",
                        "raw/clicks/events.ndjson");
        assertEquals(0, cat.code(), cat::toString);
        assertArrayEquals(events, cat.stdout());

        Proc dup =
                exec(
                        LAUNCHER,
                        env,
                        new byte[0],
                        "--lake",
                        lake.toString(),
                        "ingest",
                        "raw/clicks",
                        file.toString(),
                        "-o",
                        "json");
        assertEquals(0, dup.code(), dup::toString);
        JsonNode d = new ObjectMapper().readTree(dup.stdout());
        assertEquals(1, d.get("duplicates").asInt());
        assertEquals("duplicate", d.get("objects").get(0).get("status").asText());
    }

    @Test
    void binaryBytesThroughStdinAndStdoutOfTheProcess() throws Exception {
        byte[] all = new byte[256 * 64];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (i * 7 % 256);
        }
        Path lake = dir.resolve("lake");
        Proc in =
                exec(
                        LAUNCHER,
                        env,
                        all,
                        "--lake",
                        lake.toString(),
                        "ingest",
                        "raw/blobs",
                        "-",
                        "--name",
                        "blob.bin");
        assertEquals(0, in.code(), in::toString);
        Proc cat =
                exec(
                        LAUNCHER,
                        env,
                        new byte[0],
                        "--lake",
                        lake.toString(),
                        "cat",
                        "raw/blobs/blob.bin");
        assertEquals(0, cat.code(), cat::toString);
        assertArrayEquals(all, cat.stdout());
    }

    @Test
    void exitCodesAndErrorsPassThrough() throws Exception {
        Path lake = dir.resolve("lake");
        Proc hostile =
                exec(
                        LAUNCHER,
                        env,
                        new byte[0],
                        "--lake",
                        lake.toString(),
                        "ingest",
                        "../etc",
                        LAUNCHER.toString());
        assertEquals(2, hostile.code(), hostile::toString);
        assertTrue(hostile.stderr().startsWith("lake: "), hostile::toString);
        assertEquals(1, hostile.stderr().lines().count(), hostile::toString);
        assertFalse(Files.exists(lake));

        Proc missing = exec(LAUNCHER, env, new byte[0], "--lake", lake.toString(), "ls");
        assertEquals(1, missing.code(), missing::toString);
        Proc help = exec(LAUNCHER, env, new byte[0], "ingest", "--help");
        assertEquals(0, help.code(), help::toString);
        assertTrue(help.out().startsWith("Usage: lake ingest"), help::toString);

        // TARN_LAKE is the default location.
        Map<String, String> withLake =
                Map.of("TARN_CLASSPATH", classpath(), "TARN_LAKE", lake.toString());
        assertEquals(0, exec(LAUNCHER, withLake, new byte[0], "init").code());
        assertTrue(Files.isDirectory(lake.resolve("_tarn")));
    }

    // ---- build logic, against a scratch copy of the script

    private Path scratch;
    private Path log;

    /**
     * A repository skeleton with the launcher, and stand-ins for mvn and java that record what they
     * were asked.
     */
    private Map<String, String> scratchRepo() throws Exception {
        scratch = dir.resolve("repo");
        Files.createDirectories(scratch.resolve("lake-core/src/main/java"));
        Files.createDirectories(scratch.resolve("lake-cli/src/main/java"));
        Files.writeString(scratch.resolve("pom.xml"), "<project/>");
        Files.writeString(scratch.resolve("lake-core/pom.xml"), "<project/>");
        Files.writeString(scratch.resolve("lake-cli/pom.xml"), "<project/>");
        Files.writeString(scratch.resolve("lake-core/src/main/java/Core.java"), "class Core {}");
        Files.copy(LAUNCHER, scratch.resolve("lake"));
        log = dir.resolve("calls.log");
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        script(
                bin.resolve("mvn"),
                """
                #!/usr/bin/env bash
                echo "mvn $* in $(pwd)" >> "$FAKE_LOG"
                echo "[INFO] BUILD NOISE ON STDOUT"
                echo "[WARNING] build noise on stderr" >&2
                [ "${FAKE_MVN_FAIL:-0}" = 1 ] && exit 1
                lib=lake-cli/target/lib
                for a in "$@"; do case "$a" in -Dlake.cli.lib=*) lib="${a#-Dlake.cli.lib=}" ;; esac; done
                mkdir -p "$lib"
                echo jar > lake-cli/target/lake-cli-0.1.0-SNAPSHOT.jar
                echo "dep $(date +%s%N)" > "$lib/dep.jar"
                exit 0
                """);
        script(
                bin.resolve("java"),
                """
                #!/usr/bin/env bash
                echo "java" >> "$FAKE_LOG"
                echo "TARN_TTY=$TARN_TTY"
                for a in "$@"; do echo "arg[$a]"; done
                exit "${FAKE_JAVA_EXIT:-0}"
                """);
        return new java.util.HashMap<>(
                Map.of(
                        "PATH",
                        bin + File.pathSeparator + System.getenv("PATH"),
                        "FAKE_LOG",
                        log.toString()));
    }

    private static void script(Path p, String text) throws IOException {
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private long mvnCalls() throws IOException {
        return Files.exists(log)
                ? Files.readAllLines(log).stream().filter(l -> l.startsWith("mvn ")).count()
                : 0;
    }

    private Proc runScratch(Map<String, String> e, String... args) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(e);
        all.put("JAVA_HOME", null);
        return exec(scratch.resolve("lake"), all, new byte[0], args);
    }

    @Test
    void buildsOnFirstUseWithItsOutputOnStderrAndPassesArgumentsAndExitCode() throws Exception {
        Map<String, String> e = scratchRepo();
        Proc first = runScratch(e, "ls", "a b", "", "*", "$HOME");
        assertEquals(0, first.code(), first::toString);
        assertEquals(1, mvnCalls());
        String call = Files.readAllLines(log).get(0);
        assertTrue(call.contains("-pl lake-cli -am package"), call);
        assertTrue(call.endsWith(" in " + scratch.toRealPath()), call);
        assertFalse(
                first.out().contains("NOISE") || first.out().contains("noise"),
                "stdout is the command's only");
        assertTrue(first.stderr().contains("BUILD NOISE ON STDOUT"), first::toString);
        List<String> lines = first.out().lines().toList();
        assertEquals("TARN_TTY=0", lines.get(0), "stderr is a pipe, not a terminal");
        int main = lines.indexOf("arg[dev.tarn.lake.cli.Main]");
        assertTrue(main > 0, first::toString);
        assertEquals(
                List.of("arg[ls]", "arg[a b]", "arg[]", "arg[*]", "arg[$HOME]"),
                lines.subList(main + 1, lines.size()));
        String cp = lines.get(lines.indexOf("arg[-cp]") + 1);
        assertTrue(cp.contains("lake-cli-0.1.0-SNAPSHOT.jar:") && cp.endsWith("/lib/*]"), cp);

        e.put("FAKE_JAVA_EXIT", "3");
        Proc exit3 = runScratch(e, "doctor");
        assertEquals(3, exit3.code(), "the CLI's exit code passes through");
        assertEquals(1, mvnCalls(), "up to date: no second build");
    }

    @Test
    void rebuildsWhenSourcesOrPomsChangeOrTheJarIsMissing() throws Exception {
        Map<String, String> e = scratchRepo();
        assertEquals(0, runScratch(e, "ls").code());
        assertEquals(0, runScratch(e, "ls").code());
        assertEquals(1, mvnCalls());

        Path src = scratch.resolve("lake-core/src/main/java/Core.java");
        changedAfterLastBuild(src);
        assertEquals(0, runScratch(e, "ls").code());
        assertEquals(2, mvnCalls(), "a changed source file rebuilds");
        assertEquals(0, runScratch(e, "ls").code());
        assertEquals(2, mvnCalls(), "and then it is up to date");

        changedAfterLastBuild(scratch.resolve("lake-cli/pom.xml"));
        assertEquals(0, runScratch(e, "ls").code());
        assertEquals(3, mvnCalls(), "a changed module pom rebuilds");

        changedAfterLastBuild(scratch.resolve("pom.xml"));
        assertEquals(0, runScratch(e, "ls").code());
        assertEquals(4, mvnCalls(), "a changed parent pom rebuilds");

        Files.delete(scratch.resolve("lake-cli/target/lake-cli-0.1.0-SNAPSHOT.jar"));
        assertEquals(0, runScratch(e, "ls").code());
        assertEquals(5, mvnCalls(), "a missing jar rebuilds");

        // Test sources and other files do not.
        Path test = scratch.resolve("lake-core/src/test/T.java");
        Files.createDirectories(test.getParent());
        Files.writeString(test, "class T {}");
        changedAfterLastBuild(test);
        Files.writeString(scratch.resolve("README.md"), "x");
        changedAfterLastBuild(scratch.resolve("README.md"));
        assertEquals(0, runScratch(e, "ls").code());
        assertEquals(5, mvnCalls());
    }

    /**
     * Gives {@code file} a modification time after the last build's stamp (and not in the future).
     */
    private void changedAfterLastBuild(Path file) throws Exception {
        FileTime stamp =
                Files.getLastModifiedTime(scratch.resolve("lake-cli/target/lake-launcher.stamp"));
        while (!Instant.now().isAfter(stamp.toInstant().plusMillis(10))) {
            Thread.sleep(10);
        }
        Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    }

    @Test
    void aFailedBuildFailsWithOneMessageAndRunsNothing() throws Exception {
        Map<String, String> e = scratchRepo();
        e.put("FAKE_MVN_FAIL", "1");
        Proc p = runScratch(e, "ls");
        assertEquals(1, p.code(), p::toString);
        assertEquals(0, p.stdout().length, p::toString);
        assertTrue(p.stderr().contains("lake: building the command line failed"), p::toString);
        assertFalse(Files.readString(log).contains("java"), "the CLI did not run");
        e.remove("FAKE_MVN_FAIL");
        assertEquals(0, runScratch(e, "ls").code(), "the next run builds again");
        assertEquals(2, mvnCalls());
        Path dep = scratch.resolve("lake-cli/target/lib/dep.jar");
        String built = Files.readString(dep);

        // A failed rebuild leaves the previous build whole, and says how to run it.
        changedAfterLastBuild(scratch.resolve("lake-core/src/main/java/Core.java"));
        e.put("FAKE_MVN_FAIL", "1");
        Proc again = runScratch(e, "ls");
        assertEquals(1, again.code(), again::toString);
        assertTrue(again.stderr().contains("TARN_NO_BUILD=1"), again::toString);
        assertEquals(built, Files.readString(dep));
        assertFalse(Files.exists(scratch.resolve("lake-cli/target/lib.new")));
        e.put("TARN_NO_BUILD", "1");
        Proc previous = runScratch(e, "ls");
        assertEquals(0, previous.code(), previous::toString);
        assertTrue(previous.out().contains("arg[dev.tarn.lake.cli.Main]"), previous::toString);
        assertEquals(3, mvnCalls(), "TARN_NO_BUILD=1 does not build");
    }

    @Test
    void usesTheClassDataArchiveOnlyWhenItIsWholeAndOfThisBuild() throws Exception {
        Map<String, String> e = scratchRepo();
        Path target = scratch.resolve("lake-cli/target");
        Path archive = target.resolve("lake-cds.jsa");
        Proc first = runScratch(e, "ls");
        assertEquals(0, first.code(), first::toString);
        // The build tried once to record an archive (this stand-in java writes none): the run goes
        // on without.
        assertTrue(Files.exists(target.resolve("lake-cds.jsa.tried")));
        assertEquals(2, Files.readAllLines(log).stream().filter(l -> l.equals("java")).count());
        assertFalse(first.out().contains("SharedArchiveFile"), first::toString);
        assertEquals(0, runScratch(e, "ls").code());
        assertEquals(
                3,
                Files.readAllLines(log).stream().filter(l -> l.equals("java")).count(),
                "tried once only");

        // A whole archive of this build is used; the command's arguments follow it unchanged.
        Files.writeString(archive, "0123456789");
        Files.writeString(target.resolve("lake-cds.jsa.size"), "10\n");
        Proc with = runScratch(e, "ls", "x");
        assertTrue(
                with.out().contains("arg[-XX:SharedArchiveFile=" + archive.toRealPath() + "]"),
                with::toString);
        assertTrue(
                with.out().endsWith("arg[dev.tarn.lake.cli.Main]\narg[ls]\narg[x]\n"),
                with::toString);

        // Cut short (its size is not the one recorded), or switched off: not used, and the command
        // still runs.
        Files.writeString(archive, "01234");
        Proc cut = runScratch(e, "ls");
        assertEquals(0, cut.code(), cut::toString);
        assertFalse(cut.out().contains("SharedArchiveFile"), cut::toString);
        Files.writeString(archive, "0123456789");
        e.put("TARN_NO_CDS", "1");
        assertFalse(runScratch(e, "ls").out().contains("SharedArchiveFile"));
        e.remove("TARN_NO_CDS");

        // A new build drops the archive of the previous one.
        changedAfterLastBuild(scratch.resolve("lake-core/src/main/java/Core.java"));
        Proc rebuilt = runScratch(e, "ls");
        assertEquals(0, rebuilt.code(), rebuilt::toString);
        assertEquals(2, mvnCalls());
        assertFalse(Files.exists(archive));
        assertFalse(rebuilt.out().contains("SharedArchiveFile"), rebuilt::toString);
    }

    @Test
    void worksThroughASymlinkAndHonoursTarnTty() throws Exception {
        Map<String, String> e = scratchRepo();
        Path link = dir.resolve("elsewhere/lake");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, scratch.resolve("lake"));
        e.put("TARN_TTY", "1");
        e.put("JAVA_HOME", null);
        Proc p = exec(link, e, new byte[0], "ls");
        assertEquals(0, p.code(), p::toString);
        assertTrue(p.out().startsWith("TARN_TTY=1\n"), p::toString);
        assertTrue(
                Files.exists(scratch.resolve("lake-cli/target/lake-cli-0.1.0-SNAPSHOT.jar")),
                "built in the repository the link points to");
    }

    @Test
    void appendsTarnExtraClasspathAfterItsOwnJars() throws Exception {
        Map<String, String> e = scratchRepo();
        e.put("TARN_NO_CDS", "1");
        e.put("TARN_EXTRA_CLASSPATH", "/opt/drivers/mysql.jar:/opt/drivers/classes");
        Proc p = runScratch(e, "ls");
        assertEquals(0, p.code(), p::toString);
        String cp =
                p.out()
                        .lines()
                        .filter(l -> l.contains("lake-cli-0.1.0-SNAPSHOT.jar"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(p.toString()));
        assertTrue(
                cp.endsWith("/target/lib/*:/opt/drivers/mysql.jar:/opt/drivers/classes]"),
                p::toString);

        // with TARN_CLASSPATH too, and nothing added when it is empty
        e.put("TARN_CLASSPATH", "/cli/classes");
        assertTrue(
                runScratch(e, "ls")
                        .out()
                        .contains("arg[/cli/classes:/opt/drivers/mysql.jar:/opt/drivers/classes]"));
        e.put("TARN_EXTRA_CLASSPATH", "");
        assertTrue(runScratch(e, "ls").out().contains("arg[/cli/classes]\n"));
    }
}
