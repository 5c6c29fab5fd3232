package dev.tarn.lake.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test class path in a child JVM with a given heap, watching its peak RSS
 * in /proc.
 */
final class ChildJvm {
    record Result(int exit, String output, long peakRssKb) {}

    private ChildJvm() {}

    static Result run(String heap, Class<?> main, String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx" + heap,
                                "-cp",
                                System.getProperty("java.class.path"),
                                main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        Thread reader =
                new Thread(
                        () -> {
                            try {
                                output.append(new String(p.getInputStream().readAllBytes()));
                            } catch (IOException ignored) {
                                // the exit code says enough
                            }
                        });
        reader.start();
        long peakKb = 0;
        Path status = Path.of("/proc/" + p.pid() + "/status");
        while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peakKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | UncheckedIOException | NumberFormatException ignored) {
                // the process just ended
            }
        }
        reader.join();
        return new Result(p.exitValue(), output.toString(), peakKb);
    }
}
