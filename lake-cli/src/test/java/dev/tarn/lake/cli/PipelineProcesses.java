package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** What the pipeline process tests share: raw objects landing, and runners in child JVMs. */
final class PipelineProcesses {
    private PipelineProcesses() {}

    /** Lands one NDJSON object of {@code rows} clicks with unique ids (object * 10 + i). */
    static void land(Lake lake, int object, int rows, String[] categories, AtomicInteger records) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            int id = object * 10 + i;
            b.append("{\"id\":")
                    .append(id)
                    .append(",\"category\":\"")
                    .append(categories[id % categories.length])
                    .append("\",\"price\":")
                    .append(1 + id % 7)
                    .append(".25,\"quantity\":")
                    .append(1 + id % 3)
                    .append("}\n");
        }
        lake.ingest("raw/clicks")
                .bytes(b.toString().getBytes(StandardCharsets.UTF_8), "o" + object + ".ndjson")
                .commit();
        records.addAndGet(rows);
    }

    /**
     * {@code lake pipeline run FILE --watch} in a child JVM, its output in {@code dir/out-NAME}.
     */
    static Process watch(Path lakeDir, Path file, Path dir, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb =
                new ProcessBuilder(
                                java,
                                "-XX:+UseSerialGC",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                System.getProperty("java.class.path"),
                                Main.class.getName(),
                                "--lake",
                                lakeDir.toString(),
                                "pipeline",
                                "run",
                                file.toString(),
                                "--watch",
                                "--interval",
                                "100ms")
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(dir.resolve("out-" + name).toFile())
                        .redirectError(dir.resolve("err-" + name).toFile());
        pb.environment().put("TARN_TTY", "0");
        return pb.start();
    }
}
