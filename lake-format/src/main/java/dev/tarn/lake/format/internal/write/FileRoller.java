package dev.tarn.lake.format.internal.write;

import dev.tarn.lake.format.internal.encode.ParquetRows;
import dev.tarn.lake.format.internal.encode.RowFile;
import dev.tarn.lake.format.parquet.ParquetCodecs;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes rows into Parquet files (Hive layout {@code col=value/} when partitioned), each rolled
 * over to a new file at the target size. Partitioned rows of a conversion go to a {@link
 * PartitionSpill.Buffer} when one is set, and are written partition by partition at the end ({@link
 * #closeOpen()} after each); without one, one file per partition stays open, at most {@link
 * #MAX_OPEN}. Used by one thread, or shared under {@link #lock}.
 */
public final class FileRoller {
    static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";
    private static final int MAX_OPEN = 32;
    private static final int SIZE_CHECK_EVERY = 4096;

    public final Object lock = new Object();
    private final Sink sink;
    private final DataType dataSchema;
    private final int[] partIdx;
    private final String[] partNames;
    private final DataType[] partTypes;
    private final int[] dataIdx;
    private final ParquetRows.Settings settings;
    private final long targetBytes;
    private final String prefix;
    private final boolean single;
    private int seq;
    private final ParquetCodecs codecs;
    private final LinkedHashMap<List<String>, Open> open = new LinkedHashMap<>(16, 0.75f, true);

    /** The one open file when nothing is partitioned. */
    private Open unpartitioned;

    /** Where partitioned rows go until the end of the conversion, or null to write them at once. */
    private PartitionSpill.Buffer spill;

    private static final class Open {
        final RowFile writer;
        final Sink.Handle handle;
        final Map<String, String> partition;
        long rows;
        long sinceCheck;

        Open(RowFile writer, Sink.Handle handle, Map<String, String> partition) {
            this.writer = writer;
            this.handle = handle;
            this.partition = partition;
        }
    }

    public FileRoller(
            Sink sink,
            DataType schema,
            List<String> partitionBy,
            ParquetRows.Settings settings,
            long targetBytes,
            String prefix) {
        this.sink = sink;
        this.settings = settings;
        this.targetBytes = targetBytes;
        this.prefix = prefix;
        this.single = sink.output().isSingle();
        this.codecs = new ParquetCodecs(settings.level);
        partIdx = new int[partitionBy.size()];
        partNames = new String[partitionBy.size()];
        partTypes = new DataType[partitionBy.size()];
        for (int i = 0; i < partIdx.length; i++) {
            partIdx[i] = schema.asStruct().indexOf(partitionBy.get(i));
            partNames[i] = partitionBy.get(i);
            partTypes[i] = schema.asStruct().fields().get(partIdx[i]).type();
        }
        List<Field> keep = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < schema.asStruct().fields().size(); i++) {
            final int fi = i;
            if (Arrays.stream(partIdx).noneMatch(p -> p == fi)) {
                keep.add(schema.asStruct().fields().get(i));
                idx.add(i);
            }
        }
        dataSchema = DataType.struct(keep);
        dataIdx = idx.stream().mapToInt(Integer::intValue).toArray();
    }

    public void write(Object[] row) {
        try {
            Open o;
            Object[] data = row;
            if (partIdx.length == 0) {
                // no map lookup per row (an access-ordered map reorders itself on every get)
                o = unpartitioned;
                if (o == null) {
                    o = openFile(List.of(), Map.of());
                    unpartitioned = o;
                }
            } else {
                List<String> key = new ArrayList<>(partIdx.length);
                for (int i = 0; i < partIdx.length; i++) {
                    key.add(partitionValue(row[partIdx[i]], partTypes[i]));
                }
                if (spill != null) {
                    spill.add(key, row);
                    return;
                }
                o = open.get(key);
                if (o == null) {
                    Map<String, String> pv = new LinkedHashMap<>();
                    for (int i = 0; i < partIdx.length; i++) {
                        pv.put(partNames[i], key.get(i));
                    }
                    o = openFile(key, pv);
                }
                data = new Object[dataIdx.length];
                for (int i = 0; i < dataIdx.length; i++) {
                    data[i] = row[dataIdx[i]];
                }
            }
            o.writer.write(data);
            o.rows++;
            if (++o.sinceCheck >= SIZE_CHECK_EVERY && !single) {
                o.sinceCheck = 0;
                if (o.writer.dataSize() >= targetBytes) {
                    finish(o);
                    open.values().remove(o);
                    if (o == unpartitioned) {
                        unpartitioned = null;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Parquet: " + e.getMessage(), e);
        }
    }

    private Open openFile(List<String> key, Map<String, String> partition) throws IOException {
        if (open.size() >= MAX_OPEN) {
            Iterator<Open> it = open.values().iterator();
            Open eldest = it.next();
            it.remove();
            finish(eldest);
        }
        StringBuilder rel = new StringBuilder();
        for (Map.Entry<String, String> e : partition.entrySet()) {
            rel.append(escape(e.getKey()))
                    .append('=')
                    .append(e.getValue() == null ? DEFAULT_PARTITION : escape(e.getValue()))
                    .append('/');
        }
        rel.append(prefix).append('-').append(String.format("%05d", seq++)).append(".parquet");
        Sink.Handle h = sink.create(rel.toString());
        RowFile w = new RowFile(h.staged(), dataSchema, settings, Map.of(), codecs);
        Open o = new Open(w, h, partition);
        open.put(key, o);
        return o;
    }

    private static void finish(Open o) throws IOException {
        o.writer.close();
        o.handle.staged().finished();
        o.handle.finished(o.rows, o.writer.rowGroups(), o.partition);
    }

    /** Partitioned rows go to this buffer, to be written by partition when the conversion ends. */
    public FileRoller spillTo(PartitionSpill.Buffer buffer) {
        this.spill = partIdx.length > 0 ? buffer : null;
        return this;
    }

    /** Finishes the open files (the next row opens a new one). */
    void closeOpen() {
        try {
            for (Open o : open.values()) {
                finish(o);
            }
            open.clear();
            unpartitioned = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish Parquet file: " + e.getMessage(), e);
        }
    }

    /** Opens an (empty) file when none was written, so a single-file output always exists. */
    public void touch() {
        if (open.isEmpty()
                && seq == 0
                && partIdx.length == 0
                && !dataSchema.asStruct().fields().isEmpty()) {
            try {
                unpartitioned = openFile(List.of(), Map.of());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write Parquet: " + e.getMessage(), e);
            }
        }
    }

    /** Closes every open file (writing footers); they stay staged until the sink commits. */
    public void finish() {
        if (spill != null) {
            spill.seal();
            codecs.close();
            return;
        }
        try {
            for (Open o : open.values()) {
                finish(o);
            }
            open.clear();
            unpartitioned = null;
            codecs.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish Parquet file: " + e.getMessage(), e);
        }
    }

    /** Closes open files quietly after a failure (the sink discards them). */
    public void abort() {
        for (Open o : open.values()) {
            try {
                o.writer.abort();
            } catch (IOException | RuntimeException ignored) {
                // discarded anyway
            }
        }
        open.clear();
        unpartitioned = null;
        codecs.close();
    }

    /**
     * Text of a partition value as it appears in a directory name; null for SQL NULL or an empty
     * string.
     */
    static String partitionValue(Object v, DataType t) {
        if (v == null) {
            return null;
        }
        switch (t.kind()) {
            case DATE:
                return LocalDate.ofEpochDay((Integer) v).toString();
            case TIMESTAMP:
                return Instant.EPOCH.plusNanos((Long) v * 1000).toString();
            case TIMESTAMP_NTZ:
                return LocalDateTime.ofEpochSecond(
                                Math.floorDiv((Long) v, 1_000_000L),
                                (int) Math.floorMod((Long) v, 1_000_000L) * 1000,
                                ZoneOffset.UTC)
                        .toString();
            case DECIMAL:
                return ((BigDecimal) v).toPlainString();
            default:
                {
                    String s =
                            v instanceof org.apache.parquet.io.api.Binary
                                    ? ((org.apache.parquet.io.api.Binary) v).toStringUsingUTF8()
                                    : v.toString();
                    return s.isEmpty() ? null : s;
                }
        }
    }

    /**
     * Hive-style escaping of a path segment: {@code %XX} for separators, quotes, control
     * characters.
     */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20
                    || c == 0x7f
                    || "\"#%'*/:=?\\{[]^".indexOf(c) >= 0
                    || (i == 0 && c == '.')) {
                sb.append('%').append(String.format("%02X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
