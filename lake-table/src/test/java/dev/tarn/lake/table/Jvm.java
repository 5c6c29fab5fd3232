package dev.tarn.lake.table;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Starts another JVM on this test's class path (optionally filtered). */
final class Jvm {
    private Jvm() {}

    static ProcessBuilder process(Class<?> main, String... args) {
        return process(e -> true, main, args);
    }

    static ProcessBuilder process(Predicate<String> classPathEntry, Class<?> main, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (classPathEntry.test(e)) {
                cp.add(e);
            }
        }
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                java,
                                "-Xmx256m",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                String.join(File.pathSeparator, cp),
                                main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }
}
