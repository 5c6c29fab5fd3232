package dev.tarn.lake.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads a table with Spark and delta-spark, the reference implementation of the Delta protocol, in
 * a child JVM on lake-spark-check's class path (Spark's Jackson, Hadoop and Parquet versions are
 * not Tarn's). See {@code dev.tarn.lake.sparkcheck.SparkRead} for the output: schema JSON, protocol
 * line, one JSON line per row.
 */
final class Spark {
    /** What Spark saw. */
    record Result(String schemaJson, String protocol, List<String> rows) {}

    private Spark() {}

    /** lake-spark-check's built classes and class path file, found beside this module. */
    static String classPath() throws IOException {
        Path module = Path.of("..", "lake-spark-check", "target").toAbsolutePath().normalize();
        Path cpFile = module.resolve("spark.classpath");
        if (!Files.isRegularFile(cpFile)) {
            throw new IllegalStateException(
                    "no " + cpFile + ": build lake-spark-check first (the reactor does)");
        }
        return module.resolve("classes")
                + java.io.File.pathSeparator
                + Files.readString(cpFile).trim();
    }

    static Result read(Path table, String orderColumn, Path scratch)
            throws IOException, InterruptedException {
        List<String> lines =
                run(
                        "dev.tarn.lake.sparkcheck.SparkRead",
                        List.of(table.toString(), orderColumn),
                        scratch,
                        "read " + table,
                        2);
        return new Result(lines.get(0), lines.get(1), List.copyOf(lines.subList(2, lines.size())));
    }

    /**
     * Appends each query's result to its table with Spark ({@code
     * dev.tarn.lake.sparkcheck.SparkAppend}, arguments in pairs TABLE QUERY); one line per append,
     * {@code appended} or {@code refused CLASS: MESSAGE}.
     */
    static List<String> append(List<String> tableQueryPairs, Path scratch)
            throws IOException, InterruptedException {
        return run(
                "dev.tarn.lake.sparkcheck.SparkAppend",
                tableQueryPairs,
                scratch,
                "append to " + tableQueryPairs.get(0),
                tableQueryPairs.size() / 2);
    }

    /** Runs a main class of lake-spark-check in a child JVM; its output lines. */
    private static List<String> run(
            String main, List<String> args, Path scratch, String what, int minLines)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                java,
                                "-Xmx1g",
                                "-XX:TieredStopAtLevel=1",
                                "-Duser.home=" + scratch,
                                "-Djava.io.tmpdir=" + scratch,
                                "-Dspark.local.dir=" + scratch));
        for (String p :
                List.of(
                        "java.lang",
                        "java.lang.invoke",
                        "java.lang.reflect",
                        "java.io",
                        "java.net",
                        "java.nio",
                        "java.util",
                        "java.util.concurrent",
                        "java.util.concurrent.atomic",
                        "sun.nio.ch",
                        "sun.nio.cs",
                        "sun.security.action",
                        "sun.util.calendar")) {
            cmd.add("--add-opens=java.base/" + p + "=ALL-UNNAMED");
        }
        cmd.addAll(List.of("-Dio.netty.tryReflectionSetAccessible=true", "-cp", classPath(), main));
        cmd.addAll(args);
        Path out = Files.createTempFile(scratch, "spark", ".out");
        Path err = Files.createTempFile(scratch, "spark", ".err");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("Spark did not " + what + " in 5 minutes");
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || lines.size() < minLines) {
            String e = Files.readString(err);
            throw new IllegalStateException(
                    "Spark cannot "
                            + what
                            + " (exit "
                            + p.exitValue()
                            + "):\n"
                            + e.substring(Math.max(0, e.length() - 4000)));
        }
        return lines;
    }
}
