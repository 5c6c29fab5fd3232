package dev.tarn.lake.format;

import dev.tarn.lake.types.SchemaChange;
import dev.tarn.lake.types.StructType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a conversion did. Immutable.
 *
 * @param inputs the input names, in order
 * @param schema the schema the files were written with, after merging all inputs
 * @param changes columns that widened or were added, and why
 * @param rowsRead records read (written + quarantined)
 * @param rowsWritten rows written to Parquet
 * @param rowsQuarantined records sent to the quarantine
 * @param bytesRead input bytes consumed, as stored
 * @param files the Parquet files made visible (empty when the job failed)
 * @param quarantine where the quarantine was written, or null if nothing was quarantined / none
 *     configured
 * @param attempts 1, or 2 when a value beyond the inference sample forced a full inference pass and
 *     a rerun
 * @param notes detection results and adjustments worth knowing (detected delimiter, renamed
 *     headers, ...)
 * @param duration wall time of the whole conversion
 */
public record ConversionReport(
        List<String> inputs,
        StructType schema,
        List<SchemaChange> changes,
        long rowsRead,
        long rowsWritten,
        long rowsQuarantined,
        long bytesRead,
        List<OutputFileInfo> files,
        String quarantine,
        int attempts,
        List<String> notes,
        Duration duration) {
    public ConversionReport {
        inputs = List.copyOf(inputs);
        changes = List.copyOf(changes);
        files = List.copyOf(files);
        notes = List.copyOf(notes);
        Objects.requireNonNull(duration, "duration");
    }

    /** Rows per second over the whole conversion. */
    public double rowsPerSecond() {
        double s = duration.toNanos() / 1e9;
        return s > 0 ? rowsRead / s : 0;
    }

    /** A short multi-line summary for logs and the CLI. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        "%,d rows read, %,d written, %,d quarantined in %.2f s (%,.0f rows/s), %d file(s)%n",
                        rowsRead,
                        rowsWritten,
                        rowsQuarantined,
                        duration.toMillis() / 1000.0,
                        rowsPerSecond(),
                        files.size()));
        sb.append("schema: ").append(schema).append('\n');
        for (SchemaChange c : changes) {
            sb.append("  ").append(c).append('\n');
        }
        for (String n : notes) {
            sb.append("note: ").append(n).append('\n');
        }
        if (quarantine != null) {
            sb.append("quarantine: ").append(quarantine).append('\n');
        }
        return sb.toString();
    }
}
