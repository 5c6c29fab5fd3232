package dev.tarn.lake.table;

import java.nio.file.Path;

/**
 * Converts the objects of a raw dataset (JSON, CSV, TSV, Avro, Parquet) into a table, incrementally
 * and exactly once: each run converts the objects the table has not consumed yet and commits them
 * with the catalog version it read, as a Delta {@code txn} of the application {@code
 * tarn-convert:ZONE/DATASET}; a second run, or one racing it in another process, finds them
 * consumed. Each commit records, as lineage, the source dataset, its catalog version and the
 * objects read.
 *
 * <pre>{@code
 * Tables.of(lake).newConvert(DatasetId.parse("raw/clicks"), DatasetId.parse("processed/clicks"))
 *         .partitionBy("event_type").commit();
 * }</pre>
 *
 * The table is created on the first run, its schema inferred from the data. Later runs hand the
 * table's schema to the conversion before a byte is written: a record that does not fit it is
 * quarantined, or the schema evolves as the {@link #schemaPolicy schema policy} allows. Records
 * that do not parse or fit go to {@code ZONE/TABLE/_quarantine/} (hidden from table readers) with
 * their reasons, recorded in the commit. A run that fails (too many bad records, a conflict) leaves
 * the table and the lake exactly as they were: no data file, no quarantine file.
 */
public interface Convert extends dev.tarn.lake.PendingUpdate<ConvertResult> {
    enum Mode {
        /** Add what is new since the last run (the default). */
        APPEND,
        /** Replace the table's data with a conversion of every object of the dataset. */
        OVERWRITE
    }

    /** Hive-style partitioning of a new table by these columns. */
    Convert partitionBy(String... columns);

    /** An explicit Avro schema ({@code .avsc}); records that do not fit it are quarantined. */
    Convert schema(Path avsc);

    Convert mode(Mode mode);

    /**
     * Lets the data extend the table's schema: new nullable columns, and wider column types through
     * Delta's {@code typeWidening} feature. The same as {@code schemaPolicy(SchemaPolicy.WIDEN)}.
     */
    Convert evolveSchema();

    /**
     * How the table's schema may change for this run's data (default {@link
     * dev.tarn.lake.types.SchemaPolicy#STRICT}: records with a column the table lacks, or a value
     * that needs a wider type, are quarantined); see {@link dev.tarn.lake.types.SchemaEvolution}
     * for the rules.
     */
    Convert schemaPolicy(dev.tarn.lake.types.SchemaPolicy policy);

    /**
     * Where the records lie inside JSON documents ({@code "features"}, {@code "data", "items"}); by
     * default the layout is detected and the path chosen is named in the result's notes. No names:
     * each document is one record.
     */
    Convert jsonPath(String... path);

    /**
     * How many bad records may go to the quarantine before the run fails with nothing committed
     * (default: 10% of the records read).
     */
    Convert errorBudget(dev.tarn.lake.format.ErrorBudget budget);

    /**
     * The most columns a record may have (default 10,000): a wider record fails the run with an
     * error naming the object, the line and the limit ({@code Conversion.maxColumns}).
     */
    Convert maxColumns(int n);

    /**
     * Receives the conversion's progress (bytes and rows done, rate, time left), as {@code
     * Conversion} reports it.
     */
    Convert progress(dev.tarn.lake.format.ProgressListener listener);

    /**
     * What a run would convert, checked as a run checks it before writing: the source objects it
     * would read and the catalog version it would consume up to ({@code tableVersion} -1, no rows:
     * nothing is read or written).
     */
    @Override
    ConvertResult apply();
}
