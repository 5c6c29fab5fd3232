package dev.tarn.lake.suite;

import io.delta.kernel.Scan;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a local table with Delta Kernel into Java values of the types a test expects: Integer,
 * Long, Double, ..., LocalDate, LocalDateTime (timestamp_ntz), Instant (timestamp), Map for structs
 * and maps, List for arrays. Unlike lake-table's text-based KernelReader, values keep their Java
 * type, so an INTEGER column read as a long is a difference a test sees.
 */
final class KernelValues {
    private static final Engine ENGINE = DefaultEngine.create(new Configuration());

    /**
     * The schema as {@code name:type} in Kernel's spelling, the partition columns, and every row.
     */
    record Result(
            List<String> schema,
            List<String> partitionColumns,
            List<Map<String, Object>> rows,
            long version) {}

    private KernelValues() {}

    static Result read(Path tableDir) throws Exception {
        io.delta.kernel.Table table = io.delta.kernel.Table.forPath(ENGINE, tableDir.toString());
        io.delta.kernel.Snapshot snap = table.getLatestSnapshot(ENGINE);
        StructType schema = snap.getSchema();
        List<String> cols = new ArrayList<>();
        for (StructField f : schema.fields()) {
            cols.add(f.getName() + ":" + f.getDataType());
        }
        Scan scan = snap.getScanBuilder().build();
        Row scanState = scan.getScanState(ENGINE);
        StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(ENGINE)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> fileRows = files.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row scanFile = fileRows.next();
                        FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
                        CloseableIterator<ColumnarBatch> data =
                                ENGINE.getParquetHandler()
                                        .readParquetFiles(
                                                io.delta.kernel.internal.util.Utils
                                                        .singletonCloseableIterator(status),
                                                physical,
                                                Optional.empty())
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
        return new Result(cols, snap.getPartitionColumnNames(), rows, snap.getVersion());
    }

    private static void collect(
            FilteredColumnarBatch b, StructType schema, List<Map<String, Object>> out) {
        ColumnarBatch data = b.getData();
        Optional<ColumnVector> sel = b.getSelectionVector();
        for (int r = 0; r < data.getSize(); r++) {
            if (sel.isPresent() && (sel.get().isNullAt(r) || !sel.get().getBoolean(r))) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (StructField f : schema.fields()) {
                Object v = value(data.getColumnVector(data.getSchema().indexOf(f.getName())), r);
                if (v != null) {
                    row.put(f.getName(), v);
                }
            }
            out.add(row);
        }
    }

    static Object value(ColumnVector v, int r) {
        if (v.isNullAt(r)) {
            return null;
        }
        DataType t = v.getDataType();
        if (t instanceof BooleanType) {
            return v.getBoolean(r);
        } else if (t instanceof ByteType) {
            return v.getByte(r);
        } else if (t instanceof ShortType) {
            return v.getShort(r);
        } else if (t instanceof IntegerType) {
            return v.getInt(r);
        } else if (t instanceof LongType) {
            return v.getLong(r);
        } else if (t instanceof FloatType) {
            return v.getFloat(r);
        } else if (t instanceof DoubleType) {
            return v.getDouble(r);
        } else if (t instanceof DecimalType) {
            return v.getDecimal(r);
        } else if (t instanceof StringType) {
            return v.getString(r);
        } else if (t instanceof DateType) {
            return LocalDate.ofEpochDay(v.getInt(r));
        } else if (t instanceof TimestampType) {
            long micros = v.getLong(r);
            return Instant.ofEpochSecond(
                    Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
        } else if (t instanceof TimestampNTZType) {
            long micros = v.getLong(r);
            return LocalDateTime.ofEpochSecond(
                    Math.floorDiv(micros, 1_000_000),
                    (int) (Math.floorMod(micros, 1_000_000) * 1000L),
                    ZoneOffset.UTC);
        } else if (t instanceof StructType st) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < st.length(); i++) {
                Object x = value(v.getChild(i), r);
                if (x != null) {
                    m.put(st.at(i).getName(), x);
                }
            }
            return m;
        } else if (t instanceof ArrayType) {
            ArrayValue a = v.getArray(r);
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < a.getSize(); i++) {
                l.add(value(a.getElements(), i));
            }
            return l;
        } else if (t instanceof MapType) {
            MapValue m = v.getMap(r);
            Map<Object, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < m.getSize(); i++) {
                out.put(value(m.getKeys(), i), value(m.getValues(), i));
            }
            return out;
        }
        throw new IllegalStateException("no Java value for Kernel type " + t);
    }
}
