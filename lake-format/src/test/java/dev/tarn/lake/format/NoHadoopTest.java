package dev.tarn.lake.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Converting needs no Hadoop class: a child JVM without any Hadoop jar writes every codec. */
class NoHadoopTest {
    @TempDir Path dir;

    /** Run in the child JVM: converts args[0] to args[1] with every codec, prints OK. */
    public static void main(String[] args) {
        for (Compression c : Compression.values()) {
            Conversion.of(Path.of(args[0]))
                    .compression(c)
                    .output(Output.file(Path.of(args[1] + "-" + c + ".parquet")))
                    .commit();
        }
        try {
            Class.forName("org.apache.hadoop.conf.Configuration");
            System.out.println("HADOOP PRESENT");
        } catch (ClassNotFoundException expected) {
            System.out.println("OK");
        }
    }

    @Test
    void conversionRunsWithoutHadoopOnTheClassPath() throws Exception {
        Path in = dir.resolve("in.ndjson");
        Files.writeString(
                in,
                "{\"a\":1,\"t\":\"2024-01-01T00:00:00Z\",\"l\":[1.5]}\n",
                StandardCharsets.UTF_8);
        String cp =
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .filter(
                                e ->
                                        !e.contains("hadoop-common")
                                                && !e.contains("hadoop-client")
                                                && !e.contains("duckdb"))
                        .collect(Collectors.joining(File.pathSeparator));
        assertFalse(cp.contains("/org/apache/hadoop/"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p =
                new ProcessBuilder(
                                List.of(
                                        java,
                                        "-cp",
                                        cp,
                                        NoHadoopTest.class.getName(),
                                        in.toString(),
                                        dir.resolve("out").toString()))
                        .redirectErrorStream(true)
                        .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("OK"), output);
        try (Duck d = new Duck()) {
            for (Compression c : Compression.values()) {
                assertEquals(
                        "1", d.one("SELECT a FROM '" + dir.resolve("out-" + c + ".parquet") + "'"));
            }
        }
    }
}
