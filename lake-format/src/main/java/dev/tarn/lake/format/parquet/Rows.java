package dev.tarn.lake.format.parquet;

import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.StructType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Parquet records assembled straight into the rows {@link RowWriter} takes, so that a file can be
 * written again without an object model in between: the Tarn type says what a value becomes, the
 * file's Parquet type how it is stored (decimals as INT32, INT64 or bytes; timestamps as INT96 or
 * INT64 in any unit; two- and three-level lists). A field of the file that the Tarn struct lacks is
 * skipped; one the file lacks is null. A decimal stored as the writer stores it (INT32 up to
 * precision 9, INT64 up to 18) stays its unscaled {@link Integer} or {@link Long}, which the writer
 * takes as it is; other decimals become {@link BigDecimal}s.
 */
public final class Rows {
    private static final long JULIAN_EPOCH_DAY = 2_440_588L;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private Rows() {}

    /**
     * A materializer of {@code file}'s records as rows of {@code struct}, for parquet-column's
     * record readers.
     */
    public static RecordMaterializer<Object[]> materializer(MessageType file, StructType struct) {
        Object[][] current = new Object[1][];
        Struct root = new Struct(file, struct, row -> current[0] = (Object[]) row);
        return new RecordMaterializer<>() {
            @Override
            public Object[] getCurrentRecord() {
                return current[0];
            }

            @Override
            public GroupConverter getRootConverter() {
                return root;
            }
        };
    }

    private static Converter converter(Type type, DataType t, Consumer<Object> out) {
        switch (t.kind()) {
            case STRUCT:
                return new Struct(type.asGroupType(), t.asStruct(), out);
            case LIST:
                {
                    // three levels (list / element) unless the repeated field is the element itself
                    Type repeated = type.asGroupType().getType(0);
                    DataType element = t.asList().element();
                    Entry entry =
                            !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1
                                    ? new Entry(
                                            repeated.asGroupType(),
                                            new DataType[] {element},
                                            e -> e[0])
                                    : null;
                    return new Repeated(out, entry, repeated, element);
                }
            case MAP:
                return new Repeated(
                        out,
                        new Entry(
                                type.asGroupType().getType(0).asGroupType(),
                                new DataType[] {t.asMap().key(), t.asMap().value()},
                                e -> new Object[] {e[0], e[1]}),
                        null,
                        null);
            default:
                return primitive(type.asPrimitiveType(), t, out);
        }
    }

    /**
     * A struct: one converter per field of the file, each setting its slot (or nothing) of the row.
     */
    private static final class Struct extends GroupConverter {
        private final Converter[] children;
        private final Consumer<Object> out;
        private final int size;
        private Object[] row;

        Struct(GroupType type, StructType struct, Consumer<Object> out) {
            this.out = out;
            this.size = struct.fields().size();
            children = new Converter[type.getFieldCount()];
            for (int i = 0; i < children.length; i++) {
                Type ft = type.getType(i);
                int slot = struct.indexOf(ft.getName());
                if (slot < 0) {
                    children[i] = skip(ft);
                } else {
                    Field f = struct.fields().get(slot);
                    children[i] = converter(ft, f.type(), v -> row[slot] = v);
                }
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return children[fieldIndex];
        }

        @Override
        public void start() {
            row = new Object[size];
        }

        @Override
        public void end() {
            out.accept(row);
        }
    }

    /** A list or map: its repeated field's occurrences collected into an array. */
    private static final class Repeated extends GroupConverter {
        private final Converter child;
        private final Consumer<Object> out;
        private final List<Object> items = new ArrayList<>();

        /**
         * {@code entry} for a repeated group holding the element or key and value; else the
         * repeated element.
         */
        Repeated(Consumer<Object> out, Entry entry, Type repeated, DataType element) {
            this.out = out;
            if (entry != null) {
                entry.sink = items::add;
                child = entry;
            } else {
                child = converter(repeated, element, items::add);
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return child;
        }

        @Override
        public void start() {
            items.clear();
        }

        @Override
        public void end() {
            out.accept(items.toArray());
        }
    }

    /**
     * One occurrence of a list's or map's repeated group: its fields, then what the collection
     * holds of them.
     */
    private static final class Entry extends GroupConverter {
        private final Converter[] children;
        private final Object[] values;
        private final java.util.function.Function<Object[], Object> result;
        Consumer<Object> sink;

        Entry(
                GroupType type,
                DataType[] types,
                java.util.function.Function<Object[], Object> result) {
            this.result = result;
            values = new Object[types.length];
            children = new Converter[type.getFieldCount()];
            for (int i = 0; i < children.length; i++) {
                int slot = i;
                children[i] =
                        i < types.length
                                ? converter(type.getType(i), types[i], v -> values[slot] = v)
                                : skip(type.getType(i));
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return children[fieldIndex];
        }

        @Override
        public void start() {
            java.util.Arrays.fill(values, null);
        }

        @Override
        public void end() {
            sink.accept(result.apply(values));
        }
    }

    /**
     * A converter that drops a field's values (a field of the file the Tarn struct does not have).
     */
    private static Converter skip(Type type) {
        if (type.isPrimitive()) {
            // the defaults throw: every kind of value is taken and dropped
            return new PrimitiveConverter() {
                @Override
                public void addBinary(Binary value) {}

                @Override
                public void addBoolean(boolean value) {}

                @Override
                public void addDouble(double value) {}

                @Override
                public void addFloat(float value) {}

                @Override
                public void addInt(int value) {}

                @Override
                public void addLong(long value) {}
            };
        }
        GroupType g = type.asGroupType();
        Converter[] children = new Converter[g.getFieldCount()];
        for (int i = 0; i < children.length; i++) {
            children[i] = skip(g.getType(i));
        }
        return new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return children[fieldIndex];
            }

            @Override
            public void start() {}

            @Override
            public void end() {}
        };
    }

    private static PrimitiveConverter primitive(PrimitiveType p, DataType t, Consumer<Object> out) {
        switch (t.kind()) {
            case DECIMAL:
                {
                    int scale = t.asDecimal().scale();
                    int precision = t.asDecimal().precision();
                    PrimitiveType.PrimitiveTypeName physical = p.getPrimitiveTypeName();
                    if (physical == PrimitiveType.PrimitiveTypeName.INT32 && precision <= 9
                            || physical == PrimitiveType.PrimitiveTypeName.INT64
                                    && precision <= 18
                                    && precision > 9) {
                        // stored as the writer stores it: the unscaled number passes as it is, no
                        // BigDecimal per value
                        return new PrimitiveConverter() {
                            @Override
                            public void addInt(int v) {
                                out.accept(v);
                            }

                            @Override
                            public void addLong(long v) {
                                out.accept(v);
                            }
                        };
                    }
                    return new PrimitiveConverter() {
                        @Override
                        public void addInt(int v) {
                            out.accept(BigDecimal.valueOf(v, scale));
                        }

                        @Override
                        public void addLong(long v) {
                            out.accept(BigDecimal.valueOf(v, scale));
                        }

                        @Override
                        public void addBinary(Binary v) {
                            out.accept(new BigDecimal(new BigInteger(v.getBytes()), scale));
                        }
                    };
                }
            case TIMESTAMP:
            case TIMESTAMP_NTZ:
                {
                    long perMicro = unitDivisor(p);
                    return new PrimitiveConverter() {
                        @Override
                        public void addLong(long v) {
                            out.accept(
                                    perMicro < 0
                                            ? Math.multiplyExact(v, -perMicro)
                                            : Math.floorDiv(v, perMicro));
                        }

                        @Override
                        public void addBinary(Binary v) {
                            // INT96: nanoseconds of the day, then the Julian day, both
                            // little-endian
                            ByteBuffer b =
                                    ByteBuffer.wrap(v.getBytes()).order(ByteOrder.LITTLE_ENDIAN);
                            long nanos = b.getLong();
                            int day = b.getInt();
                            out.accept(
                                    (day - JULIAN_EPOCH_DAY) * MICROS_PER_DAY
                                            + Math.floorDiv(nanos, 1000L));
                        }
                    };
                }
            case LONG:
                return new PrimitiveConverter() {
                    @Override
                    public void addInt(int v) {
                        out.accept((long) v);
                    }

                    @Override
                    public void addLong(long v) {
                        out.accept(v);
                    }
                };
            default:
                return new PrimitiveConverter() {
                    @Override
                    public void addBoolean(boolean v) {
                        out.accept(v);
                    }

                    @Override
                    public void addInt(int v) {
                        out.accept(v);
                    }

                    @Override
                    public void addFloat(float v) {
                        out.accept(v);
                    }

                    @Override
                    public void addDouble(double v) {
                        out.accept(v);
                    }

                    @Override
                    public void addBinary(Binary v) {
                        out.accept(v);
                    }
                };
        }
    }

    /**
     * For an INT64 timestamp: the divisor that turns its unit into microseconds, or minus the
     * factor when the unit is coarser (milliseconds: -1000).
     */
    private static long unitDivisor(PrimitiveType p) {
        if (p.getLogicalTypeAnnotation()
                instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
            switch (ts.getUnit()) {
                case MILLIS:
                    return -1000L;
                case NANOS:
                    return 1000L;
                default:
                    return 1L;
            }
        }
        return 1L;
    }
}
