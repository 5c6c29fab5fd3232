package dev.tarn.lake.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small helpers shared by the tests. */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {}

    static Path write(Path dir, String name, String content) {
        try {
            Path p = dir.resolve(name);
            Files.write(p, content.getBytes(StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            Path p = dir.resolve(name);
            Files.write(p, content);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The quarantine records of a file. */
    static List<JsonNode> quarantine(Path file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String q(Path parquet) {
        return "'" + parquet + "'";
    }

    /**
     * Converts {@code in} to one Parquet file with an unlimited budget and a quarantine next to it.
     */
    static ConversionReport lenient(Path in, Path out, Path quarantine) {
        return Conversion.of(in)
                .output(Output.file(out))
                .quarantine(Output.file(quarantine))
                .errorBudget(ErrorBudget.unlimited())
                .commit();
    }
}
