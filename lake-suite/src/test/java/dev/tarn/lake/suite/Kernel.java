package dev.tarn.lake.suite;

import dev.tarn.lake.Lake;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.table.KernelReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads a table with Delta Kernel, the independent reader, to check that what Tarn committed is a
 * Delta table anyone can read. Kernel reads local files here, so the table's keys are first copied
 * byte for byte out of the lake's store (whatever the backend) into a directory, which lake-table's
 * {@link KernelReader} then reads.
 */
final class Kernel {
    private Kernel() {}

    /**
     * The table under {@code tablePrefix} at {@code version} (newest if null): each row as
     * "col=value,...", sorted.
     */
    static KernelReader.Result read(Lake lake, String tablePrefix, Path scratch, Long version)
            throws IOException {
        Path dir = Files.createTempDirectory(scratch, "kernel");
        for (ObjectStat s : lake.store().list(tablePrefix)) {
            Path target = dir.resolve(s.key().substring(tablePrefix.length()));
            Files.createDirectories(target.getParent());
            try (InputStream in = lake.store().get(s.key())) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try {
            return KernelReader.read(dir, version);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Delta Kernel cannot read " + tablePrefix + ": " + e, e);
        }
    }
}
