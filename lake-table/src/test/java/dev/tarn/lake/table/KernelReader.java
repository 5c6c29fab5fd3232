package dev.tarn.lake.table;

import io.delta.kernel.Scan;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a table with Delta Kernel Java (the independent reader), every value as text as {@link
 * TestData} does: each row as {@code col=value,...}, sorted. Public for lake-suite's tests (through
 * this module's test jar).
 */
public final class KernelReader {
    private static final Engine ENGINE = DefaultEngine.create(new Configuration());

    public record Result(
            long version, List<String> schema, List<String> partitionColumns, List<String> rows) {}

    private KernelReader() {}

    /** The table in this local directory at {@code version} (the newest if null). */
    public static Result read(Path tableDir, Long version) throws Exception {
        io.delta.kernel.Table table = io.delta.kernel.Table.forPath(ENGINE, tableDir.toString());
        io.delta.kernel.Snapshot snap =
                version == null
                        ? table.getLatestSnapshot(ENGINE)
                        : table.getSnapshotAsOfVersion(ENGINE, version);
        return read(snap);
    }

    public static Result readAsOf(Path tableDir, long millis) throws Exception {
        io.delta.kernel.Table table = io.delta.kernel.Table.forPath(ENGINE, tableDir.toString());
        return read(table.getSnapshotAsOfTimestamp(ENGINE, millis));
    }

    private static Result read(io.delta.kernel.Snapshot snap) throws Exception {
        StructType schema = snap.getSchema();
        List<String> cols = new ArrayList<>();
        for (StructField f : schema.fields()) {
            String type =
                    f.getDataType() instanceof DecimalType d
                            ? "decimal(" + d.getPrecision() + "," + d.getScale() + ")"
                            : f.getDataType().toString();
            cols.add(f.getName() + ":" + type + (f.isNullable() ? "" : " not null"));
        }
        Scan scan = snap.getScanBuilder().build();
        Row scanState = scan.getScanState(ENGINE);
        StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(ENGINE)) {
            while (files.hasNext()) {
                FilteredColumnarBatch batch = files.next();
                try (CloseableIterator<Row> fileRows = batch.getRows()) {
                    while (fileRows.hasNext()) {
                        Row scanFile = fileRows.next();
                        FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
                        CloseableIterator<ColumnarBatch> data =
                                ENGINE.getParquetHandler()
                                        .readParquetFiles(
                                                singleton(status), physical, Optional.empty())
                                        .map(FileReadResult::getData);
                        try (CloseableIterator<FilteredColumnarBatch> logical =
                                Scan.transformPhysicalData(ENGINE, scanState, scanFile, data)) {
                            while (logical.hasNext()) {
                                collect(logical.next(), schema, rows);
                            }
                        }
                    }
                }
            }
        }
        Collections.sort(rows);
        return new Result(snap.getVersion(), cols, snap.getPartitionColumnNames(), rows);
    }

    private static void collect(FilteredColumnarBatch b, StructType schema, List<String> out) {
        ColumnarBatch data = b.getData();
        Optional<ColumnVector> sel = b.getSelectionVector();
        for (int r = 0; r < data.getSize(); r++) {
            if (sel.isPresent() && (sel.get().isNullAt(r) || !sel.get().getBoolean(r))) {
                continue;
            }
            List<String> vals = new ArrayList<>();
            for (int c = 0; c < schema.length(); c++) {
                StructField f = schema.at(c);
                ColumnVector v = data.getColumnVector(data.getSchema().indexOf(f.getName()));
                vals.add(f.getName() + "=" + value(v, r));
            }
            out.add(String.join(",", vals));
        }
    }

    private static String value(ColumnVector v, int r) {
        if (v.isNullAt(r)) {
            return null;
        }
        io.delta.kernel.types.DataType t = v.getDataType();
        if (t instanceof DateType) {
            return LocalDate.ofEpochDay(v.getInt(r)).toString();
        }
        if (t instanceof TimestampType) {
            long micros = v.getLong(r);
            return Instant.ofEpochSecond(
                            Math.floorDiv(micros, 1_000_000),
                            Math.floorMod(micros, 1_000_000) * 1000L)
                    .toString();
        }
        if (t instanceof io.delta.kernel.types.TimestampNTZType) {
            // microseconds of a wall-clock value: no zone applies
            long micros = v.getLong(r);
            return java.time.LocalDateTime.ofEpochSecond(
                            Math.floorDiv(micros, 1_000_000),
                            (int) (Math.floorMod(micros, 1_000_000) * 1000L),
                            java.time.ZoneOffset.UTC)
                    .toString();
        }
        if (t instanceof DecimalType) {
            return TestData.text(v.getDecimal(r));
        }
        if (t instanceof DoubleType) {
            return TestData.text(v.getDouble(r));
        }
        if (t instanceof io.delta.kernel.types.MapType) {
            io.delta.kernel.data.MapValue m = v.getMap(r);
            List<String> entries = new ArrayList<>();
            for (int i = 0; i < m.getSize(); i++) {
                entries.add(value(m.getKeys(), i) + "=" + value(m.getValues(), i));
            }
            return "{" + String.join(", ", entries) + "}";
        }
        switch (t.toString()) {
            case "long":
                return Long.toString(v.getLong(r));
            case "integer":
                return Integer.toString(v.getInt(r));
            case "string":
                return v.getString(r);
            case "boolean":
                return Boolean.toString(v.getBoolean(r));
            default:
                return "<" + t + ">";
        }
    }

    private static CloseableIterator<FileStatus> singleton(FileStatus f) {
        return new CloseableIterator<>() {
            boolean done;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public FileStatus next() {
                done = true;
                return f;
            }

            @Override
            public void close() {}
        };
    }
}
