package dev.tarn.lake.testing.corpus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One generated file of a {@link Shape}: its name (with the extension a real export would have) and
 * its bytes.
 */
public record ExportFile(String name, byte[] bytes) {
    public ExportFile {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(bytes, "bytes is null");
    }

    static ExportFile text(String name, String text, boolean bom) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        if (!bom) {
            return new ExportFile(name, body);
        }
        byte[] all = new byte[body.length + 3];
        all[0] = (byte) 0xEF;
        all[1] = (byte) 0xBB;
        all[2] = (byte) 0xBF;
        System.arraycopy(body, 0, all, 3, body.length);
        return new ExportFile(name, all);
    }

    /** Writes the file into {@code dir}; returns its path. */
    public Path writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.write(dir.resolve(name), bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
