package dev.tarn.lake.suite;

import dev.tarn.lake.Lake;
import dev.tarn.lake.storage.ObjectStat;
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
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Reads a table with Delta Kernel, the independent reader, to check that what Tarn committed is a Delta table anyone
 * can read. Kernel reads local files here, so the table's keys are first copied byte for byte out of the lake's
 * store (whatever the backend) into a directory.
 */
final class Kernel {
    private static final Engine ENGINE = DefaultEngine.create(new Configuration());

    record Result(long version, List<String> schema, List<String> rows) {
    }

    private Kernel() {
    }

    /** The table under {@code tablePrefix} at {@code version} (newest if null): each row as "col=value,...", sorted. */
    static Result read(Lake lake, String tablePrefix, Path scratch, Long version) throws IOException {
        Path dir = Files.createTempDirectory(scratch, "kernel");
        for (ObjectStat s : lake.store().list(tablePrefix)) {
            Path target = dir.resolve(s.key().substring(tablePrefix.length()));
            Files.createDirectories(target.getParent());
            try (InputStream in = lake.store().get(s.key())) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        io.delta.kernel.Table table = io.delta.kernel.Table.forPath(ENGINE, dir.toString());
        io.delta.kernel.Snapshot snap = version == null ? table.getLatestSnapshot(ENGINE)
                : table.getSnapshotAsOfVersion(ENGINE, version);
        try {
            return read(snap);
        } catch (Exception e) {
            throw new IllegalStateException("Delta Kernel cannot read " + tablePrefix + ": " + e, e);
        }
    }

    private static Result read(io.delta.kernel.Snapshot snap) throws Exception {
        StructType schema = snap.getSchema();
        List<String> cols = new ArrayList<>();
        for (StructField f : schema.fields()) {
            cols.add(f.getName() + ":" + f.getDataType());
        }
        Scan scan = snap.getScanBuilder().build();
        Row scanState = scan.getScanState(ENGINE);
        StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(ENGINE)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> fileRows = files.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row scanFile = fileRows.next();
                        FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
                        CloseableIterator<ColumnarBatch> data = ENGINE.getParquetHandler()
                                .readParquetFiles(one(status), physical, Optional.empty())
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
        return new Result(snap.getVersion(), cols, rows);
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
        return switch (v.getDataType().toString()) {
            case "long" -> Long.toString(v.getLong(r));
            case "integer" -> Integer.toString(v.getInt(r));
            case "double" -> Double.toString(v.getDouble(r));
            case "string" -> v.getString(r);
            case "boolean" -> Boolean.toString(v.getBoolean(r));
            default -> "<" + v.getDataType() + ">"; // the suite's tables hold no other types
        };
    }

    private static CloseableIterator<FileStatus> one(FileStatus f) {
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
            public void close() {
            }
        };
    }
}
