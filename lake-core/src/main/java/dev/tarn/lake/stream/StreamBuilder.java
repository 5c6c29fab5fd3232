package dev.tarn.lake.stream;

import static java.util.Objects.requireNonNull;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.internal.stream.StreamConfig;
import dev.tarn.lake.internal.stream.StreamEngine;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Configures an {@link EventStream} into a raw dataset (from {@link Lake#stream(String)}), created
 * on the first commit like an ingest's. Defaults: objects of 64 MiB ({@link #maxBytes}) or 60 s
 * ({@link #maxAge}), whichever comes first; uncompressed NDJSON; partitioned by arrival date
 * ({@code ingest_date=YYYY-MM-DD}, UTC) as ingest is; a stream name of its own for each open.
 *
 * <pre>{@code
 * try (EventStream s = lake.stream("raw/events")
 *         .maxBytes(8 << 20)
 *         .maxAge(Duration.ofSeconds(30))
 *         .partitionBy("event_type")
 *         .intoTable("processed/events")
 *         .open()) { ... }
 * }</pre>
 *
 * A stream needs WRITE on its dataset (and on the table, with {@link #intoTable}).
 */
public final class StreamBuilder {
    /** The default size an object is rolled at: 64 MiB of NDJSON. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;

    /** The default age of the oldest buffered record at which the buffer is rolled. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(60);

    private final Lake lake;
    private final DatasetId dataset;
    private long maxBytes = DEFAULT_MAX_BYTES;
    private Duration maxAge = DEFAULT_MAX_AGE;
    private String partitionField;
    private boolean partitionByHour;
    private StreamCompression compression = StreamCompression.NONE;
    private DatasetId table;
    private String name;
    private Path spoolDirectory;

    /** Use {@link Lake#stream(String)}. */
    public StreamBuilder(Lake lake, DatasetId dataset) {
        this.lake = requireNonNull(lake, "lake is null");
        this.dataset = requireNonNull(dataset, "dataset is null");
    }

    /**
     * Rolls the buffer into objects when its NDJSON reaches this many bytes (before compression);
     * at least 1 KiB.
     */
    public StreamBuilder maxBytes(long bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("maxBytes must be at least 1 KiB, got " + bytes);
        }
        this.maxBytes = bytes;
        return this;
    }

    /** Rolls the buffer when its oldest record is this old; at least 10 ms. */
    public StreamBuilder maxAge(Duration age) {
        requireNonNull(age, "age is null");
        if (age.toMillis() < 10) {
            throw new IllegalArgumentException("maxAge must be at least 10 ms, got " + age);
        }
        this.maxAge = age;
        return this;
    }

    /**
     * Partitions objects by a top-level field of each record ({@code event_type=click/}); a record
     * without it, or with a value that is not a scalar, goes under {@code event_type=__null__/}.
     */
    public StreamBuilder partitionBy(String field) {
        requireNonNull(field, "field is null");
        if (field.isBlank()) {
            throw new IllegalArgumentException("partition field is blank");
        }
        this.partitionField = field;
        return this;
    }

    /**
     * Partitions objects by the hour each record arrived, in UTC ({@code
     * ingest_date=2026-12-03/ingest_hour=21/}); combined with {@link #partitionBy}, the field comes
     * first.
     */
    public StreamBuilder partitionByHour() {
        this.partitionByHour = true;
        return this;
    }

    public StreamBuilder compression(StreamCompression compression) {
        this.compression = requireNonNull(compression, "compression is null");
        return this;
    }

    /**
     * Also appends every rolled segment's records to a Delta table (created on first use from the
     * records' inferred schema), exactly once per segment; needs lake-table on the class path.
     */
    public StreamBuilder intoTable(DatasetId table) {
        this.table = requireNonNull(table, "table is null");
        return this;
    }

    public StreamBuilder intoTable(String table) {
        return intoTable(DatasetId.parse(table));
    }

    /**
     * Names the stream (the naming rule of zones and datasets). A named stream reopened resumes its
     * spool and its sequence numbers; only one process at a time may hold it. Without a name each
     * open gets a fresh one.
     */
    public StreamBuilder name(String name) {
        this.name = Names.check("stream", name);
        return this;
    }

    /**
     * Where the write-ahead spool lives; it must be on a local disk. Default: {@code .spool/}
     * inside a local lake's directory, or {@code ~/.tarn/spool/} for a lake in an object store.
     */
    public StreamBuilder spoolDirectory(Path directory) {
        this.spoolDirectory = requireNonNull(directory, "directory is null");
        return this;
    }

    /**
     * Opens the stream: recovers what earlier processes left in the spools of this dataset, then
     * accepts appends.
     *
     * @throws dev.tarn.lake.exceptions.PermissionDeniedException without WRITE on the dataset
     * @throws dev.tarn.lake.exceptions.TarnException {@code INVALID_OPERATION} if the dataset is a
     *     table, or the named stream is open in another process
     */
    public EventStream open() {
        return StreamEngine.open(
                lake,
                new StreamConfig(
                        dataset,
                        maxBytes,
                        maxAge,
                        partitionField,
                        partitionByHour,
                        compression,
                        table,
                        name,
                        spoolDirectory));
    }
}
