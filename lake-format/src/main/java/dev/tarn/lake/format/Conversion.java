package dev.tarn.lake.format;

import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.internal.engine.Engine;
import dev.tarn.lake.format.internal.engine.Settings;
import dev.tarn.lake.format.internal.infer.SchemaReader;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import dev.tarn.lake.types.SchemaPolicy;
import dev.tarn.lake.types.StructType;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Converts raw data (JSON, CSV/TSV, Avro; optionally .gz/.zst) to Parquet. Configure, then {@link
 * #commit()}:
 *
 * <pre>{@code
 * ConversionReport r = Conversion.of(Path.of("events.ndjson"))
 *         .output(Output.directory(Path.of("out")))
 *         .quarantine(Output.file(Path.of("bad.ndjson")))
 *         .errorBudget(ErrorBudget.fraction(0.01))
 *         .commit();
 * }</pre>
 *
 * Defaults: format detected, schema inferred from the first 100,000 records of each input (a value
 * beyond the sample that does not fit triggers one exact re-inference and rerun), {@link
 * SchemaPolicy#WIDEN} across inputs, {@link ErrorBudget#none()}, ZSTD, files rolled at 256 MiB, row
 * groups of 131,072 rows, one worker per core.
 *
 * <p>A {@code Conversion} is a mutable builder, not thread-safe; {@link #commit()} may be called
 * more than once.
 */
public final class Conversion {
    /** The column limit unless {@link #maxColumns} says otherwise. */
    public static final int DEFAULT_MAX_COLUMNS = 10_000;

    private Settings s;

    private Conversion(List<Input> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("at least one input is needed");
        }
        s = Settings.of(inputs);
    }

    /**
     * Converts these inputs (read in order; their schemas are merged under the {@link #policy
     * policy}).
     */
    public static Conversion of(Input... inputs) {
        return new Conversion(Arrays.asList(inputs));
    }

    public static Conversion of(List<Input> inputs) {
        return new Conversion(List.copyOf(inputs));
    }

    /** Converts local files. */
    public static Conversion of(Path... files) {
        return new Conversion(Arrays.stream(files).map(Input::file).toList());
    }

    /**
     * The input format; {@link InputFormat#AUTO} (the default) detects it from names and content.
     */
    public Conversion format(InputFormat format) {
        s = s.with(s.read().withFormat(Objects.requireNonNull(format, "format")));
        return this;
    }

    /** CSV dialect (delimiter, quote, escape, header); unset parts are detected. */
    public Conversion csv(CsvOptions options) {
        s = s.with(s.read().withCsv(Objects.requireNonNull(options, "options")));
        return this;
    }

    /**
     * For a single JSON document whose records are an array inside it: the field names leading to
     * that array, e.g. {@code jsonPath("features")} for GeoJSON. Without it, a single document
     * whose top-level object has exactly one member that is an array of objects yields that array's
     * elements (a note in the report names the member), and one with several such members is
     * refused. {@code jsonPath()} with no names reads each document as one record.
     */
    public Conversion jsonPath(String... path) {
        Settings.Read r = s.read().withJsonPath(List.of(path));
        s = s.with(r.format() == InputFormat.AUTO ? r.withFormat(InputFormat.JSON) : r);
        return this;
    }

    /**
     * An explicit schema. With the default STRICT policy, records that do not fit are quarantined.
     * Column names are matched regardless of case (as Delta and Spark do), so they must be unique
     * regardless of case; map keys must be VARCHAR (JSON object keys and Avro map keys are text).
     */
    public Conversion schema(StructType struct) {
        Objects.requireNonNull(struct, "struct");
        Schema.of(struct); // names unique regardless of case, or a clear IllegalArgumentException
        checkMapKeys(struct);
        s = s.with(s.inference().withSchema(struct, List.of()));
        return this;
    }

    /** An explicit schema, e.g. a Delta table's (see {@link #schema(StructType)}). */
    public Conversion schema(Schema schema) {
        return schema(schema.asStruct());
    }

    private static void checkMapKeys(DataType t) {
        switch (t.kind()) {
            case STRUCT:
                for (Field f : t.asStruct().fields()) {
                    checkMapKeys(f.type());
                }
                break;
            case LIST:
                checkMapKeys(t.asList().element());
                break;
            case MAP:
                if (t.asMap().key().kind() != DataType.Kind.STRING) {
                    throw new IllegalArgumentException("map keys must be VARCHAR, got " + t);
                }
                checkMapKeys(t.asMap().value());
                break;
            default:
                break;
        }
    }

    /**
     * An explicit schema given as an Avro record schema. A union of several non-null types becomes
     * a struct with one member per branch, which only Avro input can fill: with JSON or CSV input
     * such a schema is refused.
     */
    public Conversion schema(org.apache.avro.Schema avro) {
        schema(SchemaReader.fromAvro(avro).asStruct());
        s = s.with(s.inference().withSchema(s.inference().schema(), SchemaReader.unionPaths(avro)));
        return this;
    }

    /**
     * An explicit schema from an Avro {@code .avsc} file (see {@link
     * #schema(org.apache.avro.Schema)}).
     */
    public Conversion schema(Path avsc) {
        return schema(SchemaReader.parseAvsc(avsc));
    }

    // One setter per option, each checking its own argument and returning the builder: the shape
    // repeats here and in
    // lake-core's LakeBuilder on purpose (a shared helper would only hide which option is checked
    // how).

    /**
     * What happens to new columns and wider types across inputs and against an explicit schema.
     * Default: WIDEN without an explicit schema, STRICT with one.
     */
    public Conversion policy(SchemaPolicy policy) {
        s = s.with(s.inference().withPolicy(policy));
        return this;
    }

    /**
     * How many bad records are tolerated (default none). Anything but none needs a {@link
     * #quarantine}.
     */
    public Conversion errorBudget(ErrorBudget budget) {
        s = s.with(s.write().withBudget(Objects.requireNonNull(budget, "budget")));
        return this;
    }

    /**
     * Where bad records go, as NDJSON {@code {source, line, record, offset, raw, reason}}: a file
     * or store object, or a directory / store prefix (a file {@code quarantine-<job>.ndjson} in
     * it).
     */
    public Conversion quarantine(Output destination) {
        s = s.with(s.write().withQuarantine(destination));
        return this;
    }

    /** Where the Parquet files go. */
    public Conversion output(Output output) {
        s = s.with(s.write().withOutput(output));
        return this;
    }

    /** Page compression (default ZSTD). */
    public Conversion compression(Compression c) {
        s =
                s.with(
                        s.write()
                                .withCompression(
                                        Objects.requireNonNull(c, "compression"),
                                        s.write().compressionLevel()));
        return this;
    }

    /** ZSTD level (default 3). */
    public Conversion compressionLevel(int level) {
        s = s.with(s.write().withCompression(s.write().compression(), level));
        return this;
    }

    /** Hive-style partitioning by these top-level columns ({@code col=value/} directories). */
    public Conversion partitionBy(String... columns) {
        s = s.with(s.write().withPartitionBy(List.of(columns)));
        return this;
    }

    /** Start a new file when one reaches about this size (default 256 MiB). */
    public Conversion targetFileSize(long bytes) {
        s = s.with(s.write().withTargetFileBytes(bytes));
        return this;
    }

    /**
     * Row group limits: at most this many rows (default 131,072) and about this many buffered bytes
     * (64 MiB).
     */
    public Conversion rowGroup(int rows, long bytes) {
        s = s.with(s.write().withRowGroup(rows, bytes));
        return this;
    }

    /** Worker threads (default: available processors). With 1, row order is preserved. */
    public Conversion threads(int n) {
        s = s.with(s.run().withThreads(n));
        return this;
    }

    /** Receives progress about every {@code 250 ms}. */
    public Conversion progress(ProgressListener listener) {
        s = s.with(s.run().withProgress(listener));
        return this;
    }

    /** Reads text inputs in this charset (transcoded to UTF-8) instead of requiring UTF-8. */
    public Conversion charset(Charset charset) {
        s = s.with(s.read().withCharset(charset));
        return this;
    }

    /**
     * The most columns a record may have (default {@value #DEFAULT_MAX_COLUMNS}): a JSON object
     * with more fields, JSON records with more distinct fields together, or a CSV header with more
     * columns fail the conversion with an error naming the file, the line and the limit, before
     * they take the memory they would need.
     */
    public Conversion maxColumns(int n) {
        s = s.with(s.read().withMaxColumns(n));
        return this;
    }

    /** Records of each input used to infer the schema before converting (default 100,000). */
    public Conversion sampleRows(long n) {
        s = s.with(s.inference().withSampleRows(n));
        return this;
    }

    /** Infer the schema from every record (one extra pass over the input) instead of a sample. */
    public Conversion fullInference(boolean full) {
        s = s.with(s.inference().withFullInference(full));
        return this;
    }

    /**
     * Runs the conversion. Either every output file becomes visible and a report is returned, or
     * none does and an exception says why ({@link ErrorBudgetExceededException}, {@link
     * FormatException}, ...).
     */
    public ConversionReport commit() {
        return new Engine(s).run();
    }

    /**
     * Infers the schema the conversion would use, without writing anything: from the sample of each
     * input (or all records with {@link #fullInference(boolean) fullInference(true)}), merged under
     * the policy with the explicit schema if one is set. A value beyond the sample may still widen
     * it when the conversion runs.
     */
    public StructType inferSchema() {
        return new Engine(s).inferSchema();
    }

    /**
     * {@link #inferSchema()} together with where each input holds its records (the detected JSON
     * layout, e.g. the {@code features} array of a GeoJSON document), for readers that must see the
     * same records and types as this conversion would. Writes nothing.
     */
    public SchemaInference inspect() {
        return new Engine(s).inspect();
    }
}
