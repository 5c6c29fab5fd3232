package dev.tarn.lake.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts another JVM on this test's class path. */
final class Jvm {
    private Jvm() {}

    static ProcessBuilder process(Class<?> main, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                java,
                                "-Xmx256m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }
}
