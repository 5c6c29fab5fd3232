package dev.tarn.lake.format.parquet;

import dev.tarn.lake.format.Compression;
import dev.tarn.lake.format.internal.encode.ParquetRows;
import dev.tarn.lake.format.internal.encode.RowFile;
import dev.tarn.lake.format.internal.write.Staged;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.types.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Tarn's one Parquet writer for every module: the format module's encoder (the one conversion
 * writes data files with), writing rows of a Tarn schema to an object of a store. The object
 * appears only on {@link #commit()}; closing without a commit discards it, so a failed write leaves
 * the store as it was.
 *
 * <p>Rows are {@code Object[]} in the schema's field order; values as the encoder takes them: a
 * struct is an {@code Object[]}, a list an {@code Object[]} of its elements, a map an {@code
 * Object[]} of {@code Object[]{key, value}} pairs (string keys); STRING as {@link String}, {@code
 * byte[]} or parquet-java {@code Binary}; BOOLEAN, INT, LONG, FLOAT, DOUBLE boxed; BYTE and SHORT
 * as {@link Integer}; DATE as epoch days ({@link Integer}); TIMESTAMP and TIMESTAMP_NTZ as
 * microseconds ({@link Long}); DECIMAL as {@link java.math.BigDecimal} of the column's scale (or,
 * up to precision 9, its unscaled {@link Integer}; up to 18, its unscaled {@link Long}). Every
 * column is written optional; statistics, page index and dictionary encoding are as in converted
 * data files. {@link Rows#of} turns rows read by {@link ParquetFiles} into this form.
 */
public final class RowWriter implements AutoCloseable {
    private final Staged.Store staged;
    private final RowFile file;
    private final ParquetCodecs codecs;
    private long rows;
    private boolean done;

    private RowWriter(Staged.Store staged, RowFile file, ParquetCodecs codecs) {
        this.staged = staged;
        this.file = file;
        this.codecs = codecs;
    }

    /**
     * Starts writing {@code key} (which must not exist yet) with {@code schema}, pages compressed
     * with {@code compression}; {@code metadata} goes to the footer's key/value metadata.
     */
    public static RowWriter create(
            ObjectStore store,
            String key,
            DataType schema,
            Compression compression,
            Map<String, String> metadata) {
        check(schema);
        ParquetCodecs codecs = new ParquetCodecs(3);
        Staged.Store staged = Staged.Store.create(store, key);
        try {
            ParquetRows.Settings s =
                    new ParquetRows.Settings()
                            .compression(CompressionCodecName.valueOf(compression.name()));
            return new RowWriter(staged, new RowFile(staged, schema, s, metadata, codecs), codecs);
        } catch (IOException | RuntimeException e) {
            staged.discard();
            codecs.close();
            throw e instanceof IOException io
                    ? new UncheckedIOException("cannot write " + key, io)
                    : (RuntimeException) e;
        }
    }

    /**
     * The codec a file's pages were compressed with, when this writer can write it; {@code
     * fallback} otherwise.
     */
    public static Compression compression(CompressionCodecName codec, Compression fallback) {
        for (Compression c : Compression.values()) {
            if (c.name().equals(codec.name())) {
                return c;
            }
        }
        return fallback;
    }

    /**
     * Throws IllegalArgumentException, saying why, when the encoder cannot write {@code t}
     * (non-string map keys).
     */
    public static void check(DataType t) {
        if (!stringKeys(t)) {
            throw new IllegalArgumentException(
                    "cannot write "
                            + t
                            + " to Parquet: the writer takes VARCHAR map keys"
                            + " only");
        }
    }

    private static boolean stringKeys(DataType t) {
        return switch (t.kind()) {
            case STRUCT -> t.asStruct().fields().stream().allMatch(f -> stringKeys(f.type()));
            case LIST -> stringKeys(t.asList().element());
            case MAP ->
                    t.asMap().key().kind() == DataType.Kind.STRING && stringKeys(t.asMap().value());
            default -> true;
        };
    }

    public void write(Object[] row) {
        try {
            file.write(row);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + staged.describe(), e);
        }
    }

    public long rows() {
        return rows;
    }

    /** Writes the footer and publishes the object; returns what the store reports about it. */
    public ObjectStat commit() {
        try {
            file.close();
            staged.commit();
            done = true;
            return staged.stat();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + staged.describe(), e);
        } finally {
            codecs.close();
        }
    }

    /** Discards the object unless committed. Idempotent. */
    @Override
    public void close() {
        if (!done) {
            done = true;
            try {
                file.abort();
            } catch (IOException | RuntimeException ignored) {
                // discarded below anyway
            }
            staged.discard();
            codecs.close();
        }
    }
}
