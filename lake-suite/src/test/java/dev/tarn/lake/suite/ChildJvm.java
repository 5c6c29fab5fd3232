package dev.tarn.lake.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM writing to the same lake, on this test's class path. It opens the lake, prints
 * "ready", waits for the go file (so that every writer, thread or process, starts on one signal),
 * works, and prints its results.
 */
final class ChildJvm {
    private final Process process;
    private final BufferedReader out;
    private final List<String> before = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        this.out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ChildJvm start(LakeLocation lake, Path goFile, Path home, Class<?> main, String... args)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                java,
                                "-Xmx256m",
                                "-XX:TieredStopAtLevel=1",
                                // no ~/.aws files of whoever runs the build: the store options are
                                // all the child uses
                                "-Duser.home=" + home,
                                "-D" + GO_PROPERTY + "=" + goFile));
        cmd.addAll(lake.jvmOptions());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        return new ChildJvm(pb.start());
    }

    static final String GO_PROPERTY = "tarn.suite.go";

    /**
     * Blocks until the child has opened the lake; fails with what it printed if it ended instead.
     * What it prints before (a library's warnings) is kept for the report.
     */
    void awaitReady() throws IOException {
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
            before.add(line);
        }
        if (line == null) {
            throw new AssertionError(
                    "child ended before it was ready:\n" + String.join("\n", before));
        }
    }

    /**
     * Waits for the child to end, asserts it succeeded, and returns what it printed after "ready".
     */
    List<String> finish() throws InterruptedException {
        List<String> lines = out.lines().toList();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "child finished");
        assertEquals(
                0,
                process.exitValue(),
                () ->
                        "child failed:\n"
                                + String.join("\n", before)
                                + "\n"
                                + String.join("\n", lines));
        return lines;
    }

    /** The one line the child printed that starts with {@code prefix}, without the prefix. */
    static String line(List<String> lines, String prefix) {
        return lines.stream()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no '" + prefix + "' in:\n" + String.join("\n", lines)));
    }

    /** In a child: says it is ready, then waits for the go file. */
    static void readyThenAwaitGo() throws InterruptedException {
        System.out.println("ready");
        System.out.flush();
        Path go = Path.of(System.getProperty(GO_PROPERTY));
        while (!Files.exists(go)) {
            Thread.sleep(5);
        }
    }

    static void go(Path goFile) {
        try {
            Files.createFile(goFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
