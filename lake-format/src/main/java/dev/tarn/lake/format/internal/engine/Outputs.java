package dev.tarn.lake.format.internal.engine;

import dev.tarn.lake.format.OutputFileInfo;
import dev.tarn.lake.format.internal.encode.ParquetRows;
import dev.tarn.lake.format.internal.write.FileRoller;
import dev.tarn.lake.format.internal.write.PartitionSpill;
import dev.tarn.lake.format.internal.write.QuarantineWriter;
import dev.tarn.lake.format.internal.write.Sink;
import dev.tarn.lake.types.DataType;
import java.util.List;
import java.util.UUID;

/**
 * The outputs of one conversion attempt and their fate: the staged Parquet files (one sink), the
 * quarantine, and for partitioned output the spill of rows to local temp disk. Nothing becomes
 * visible before {@link #commit()}; on failure every staged file is discarded, and the quarantine
 * is kept only where its bad records explain the failure.
 */
final class Outputs {
    private final String jobId = UUID.randomUUID().toString().substring(0, 8);
    private final Settings.Write settings;
    private final DataType schema;
    private final ParquetRows.Settings parquet;
    private final Sink sink;
    private final QuarantineWriter quarantine;
    private final PartitionSpill spill;

    Outputs(Settings.Write settings, DataType schema, ParquetRows.Settings parquet, int threads) {
        this.settings = settings;
        this.schema = schema;
        this.parquet = parquet;
        this.sink = new Sink(settings.output(), jobId);
        this.quarantine =
                settings.quarantine() == null
                        ? null
                        : new QuarantineWriter(
                                new Sink(settings.quarantine(), jobId),
                                "quarantine-" + jobId + ".ndjson");
        this.spill =
                settings.partitionBy().isEmpty() || settings.output().isSingle()
                        ? null
                        : new PartitionSpill(
                                settings.partitionMemoryBytes() > 0
                                        ? settings.partitionMemoryBytes()
                                        : PartitionSpill.defaultMemory(),
                                threads);
    }

    /** The quarantine's writer, or null without a quarantine. */
    QuarantineWriter quarantine() {
        return quarantine;
    }

    /**
     * The spill of partitioned rows, or null when the output is not partitioned into a directory.
     */
    PartitionSpill spill() {
        return spill;
    }

    /**
     * The one roller every worker writes through for a single-file output, else null (each worker
     * rolls its own).
     */
    FileRoller sharedRoller() {
        return settings.output().isSingle() ? roller("part-" + jobId) : null;
    }

    /**
     * Worker {@code id}'s roller: it writes files, or with partitioning hands its rows to the
     * spill.
     */
    FileRoller workerRoller(int id) {
        return roller("part-" + jobId + "-" + id).spillTo(spill == null ? null : spill.buffer());
    }

    /** The roller writing partitions out of the spill on writing thread {@code id}. */
    FileRoller partitionRoller(int id) {
        return roller("part-" + jobId + "-" + id);
    }

    private FileRoller roller(String prefix) {
        return new FileRoller(
                sink, schema, settings.partitionBy(), parquet, settings.targetFileBytes(), prefix);
    }

    /**
     * Before a rerun: nothing of this attempt is kept, not even its quarantine (the rerun writes
     * its own).
     */
    void discardAll() {
        sink.discardAll();
        if (quarantine != null) {
            quarantine.discard();
        }
    }

    /**
     * The error budget was exceeded: no output, but the bad records are kept; returns where (or
     * null).
     */
    String discardKeepingBadRecords() {
        sink.discardAll();
        return quarantine == null ? null : quarantine.commit();
    }

    /**
     * Any other failure: no output; bad records found so far are kept, an empty quarantine is not.
     */
    void failed() {
        sink.discardAll();
        if (quarantine != null) {
            if (quarantine.count() > 0) {
                quarantine.commit();
            } else {
                quarantine.discard();
            }
        }
    }

    /**
     * Notes how much was spilled, if anything, and removes the run files (after success or
     * failure).
     */
    void closeSpill(List<String> notes) {
        if (spill == null) {
            return;
        }
        if (spill.spilledBytes() > 0) {
            notes.add(
                    String.format(
                            "partitioned rows were sorted through %d run(s) on local temp disk"
                                    + " (%.1f MiB)",
                            spill.spilledRuns(), spill.spilledBytes() / 1048576.0));
        }
        spill.discard();
    }

    /** Makes every output file visible; returns them. */
    List<OutputFileInfo> commit() {
        return sink.commitAll();
    }

    /** Makes the quarantine visible; returns where it is, or null without one. */
    String commitQuarantine() {
        return quarantine == null ? null : quarantine.commit();
    }
}
