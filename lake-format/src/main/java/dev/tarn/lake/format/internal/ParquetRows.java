package dev.tarn.lake.format.internal;

import dev.tarn.lake.format.DataType;
import dev.tarn.lake.format.Field;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Rows ({@code Object[]} per struct) to Parquet with parquet-java's writer, without Hadoop at run time. */
final class ParquetRows {
    private ParquetRows() {
    }

    /** Writer settings shared by every file of a conversion. */
    static final class Settings {
        CompressionCodecName codec = CompressionCodecName.ZSTD;
        int level = 3;
        long rowGroupBytes = 64L << 20;
        int rowGroupRows = 131_072;
        int pageBytes = 1 << 20;
        boolean dictionary = true;
        java.util.Set<String> noDictionary = java.util.Set.of();
    }

    // ------------------------------------------------------------------ schema

    static MessageType messageType(DataType struct) {
        List<Type> fields = new ArrayList<>();
        for (Field f : struct.fields()) {
            fields.add(type(f.name(), f.type()));
        }
        return new MessageType("tarn_schema", fields);
    }

    private static Type type(String name, DataType t) {
        switch (t.kind()) {
            case BOOLEAN:
                return Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
            case INT:
                return Types.optional(PrimitiveTypeName.INT32).named(name);
            case LONG:
                return Types.optional(PrimitiveTypeName.INT64).named(name);
            case DOUBLE:
                return Types.optional(PrimitiveTypeName.DOUBLE).named(name);
            case STRING:
                return Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
            case BINARY:
                return Types.optional(PrimitiveTypeName.BINARY).named(name);
            case DATE:
                return Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(name);
            case TIMESTAMP:
                return Types.optional(PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named(name);
            case TIMESTAMP_LOCAL:
                return Types.optional(PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS)).named(name);
            case DECIMAL: {
                LogicalTypeAnnotation dec = LogicalTypeAnnotation.decimalType(t.scale(), t.precision());
                if (t.precision() <= 9) {
                    return Types.optional(PrimitiveTypeName.INT32).as(dec).named(name);
                }
                if (t.precision() <= 18) {
                    return Types.optional(PrimitiveTypeName.INT64).as(dec).named(name);
                }
                return Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(fixedBytes(t.precision())).as(dec)
                        .named(name);
            }
            case STRUCT: {
                Types.GroupBuilder<org.apache.parquet.schema.GroupType> g = Types.optionalGroup();
                for (Field f : t.fields()) {
                    g.addField(type(f.name(), f.type()));
                }
                return g.named(name);
            }
            case LIST:
                return Types.optionalGroup().as(LogicalTypeAnnotation.listType())
                        .addField(Types.repeatedGroup().addField(type("element", t.element())).named("list"))
                        .named(name);
            default:
                throw new IllegalArgumentException("unsupported type " + t);
        }
    }

    static int fixedBytes(int precision) {
        int n = 1;
        while (Math.pow(2, 8 * n - 1) <= Math.pow(10, precision)) {
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------------ write support

    static final class RowWriteSupport extends WriteSupport<Object[]> {
        private final MessageType schema;
        private final Plan plan;
        private final Map<String, String> meta;
        private RecordConsumer rc;

        RowWriteSupport(DataType struct, Map<String, String> meta) {
            this.schema = messageType(struct);
            this.plan = new Plan(struct, "");
            this.meta = meta;
        }

        /** Required by the abstract class; never called here (the writer is given a ParquetConfiguration). */
        @Override
        @SuppressWarnings("deprecation")
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, meta);
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, meta);
        }

        @Override
        public String getName() {
            return "tarn";
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.rc = recordConsumer;
        }

        @Override
        public void write(Object[] row) {
            rc.startMessage();
            fields(plan, row);
            rc.endMessage();
        }

        private void fields(Plan p, Object[] row) {
            String[] names = p.names;
            for (int i = 0; i < names.length; i++) {
                Object v = row[i];
                if (v != null) {
                    rc.startField(names[i], i);
                    value(p.children[i], v);
                    rc.endField(names[i], i);
                }
            }
        }

        private void value(Plan p, Object v) {
            switch (p.kind) {
                case BOOLEAN:
                    rc.addBoolean((Boolean) v);
                    break;
                case INT:
                case DATE:
                    rc.addInteger((Integer) v);
                    break;
                case LONG:
                case TIMESTAMP:
                case TIMESTAMP_LOCAL:
                    rc.addLong((Long) v);
                    break;
                case DOUBLE:
                    rc.addDouble((Double) v);
                    break;
                case STRING:
                    rc.addBinary(v instanceof Binary ? (Binary) v : Binary.fromString((String) v));
                    break;
                case BINARY:
                    rc.addBinary(Binary.fromConstantByteArray((byte[]) v));
                    break;
                case DECIMAL: {
                    BigDecimal d = (BigDecimal) v;
                    int prec = p.type.precision();
                    if (prec <= 9) {
                        rc.addInteger(d.unscaledValue().intValueExact());
                    } else if (prec <= 18) {
                        rc.addLong(d.unscaledValue().longValueExact());
                    } else {
                        rc.addBinary(Binary.fromConstantByteArray(fixed(d, fixedBytes(prec))));
                    }
                    break;
                }
                case STRUCT:
                    rc.startGroup();
                    fields(p, (Object[]) v);
                    rc.endGroup();
                    break;
                case LIST: {
                    Object[] a = (Object[]) v;
                    rc.startGroup();
                    if (a.length > 0) {
                        rc.startField("list", 0);
                        for (Object e : a) {
                            rc.startGroup();
                            if (e != null) {
                                rc.startField("element", 0);
                                value(p.element, e);
                                rc.endField("element", 0);
                            }
                            rc.endGroup();
                        }
                        rc.endField("list", 0);
                    }
                    rc.endGroup();
                    break;
                }
                default:
                    throw new IllegalStateException("unsupported " + p.type);
            }
        }

        private static byte[] fixed(BigDecimal d, int n) {
            byte[] u = d.unscaledValue().toByteArray();
            byte[] out = new byte[n];
            byte pad = (byte) (u[0] < 0 ? 0xff : 0);
            int k = n - u.length;
            for (int i = 0; i < k; i++) {
                out[i] = pad;
            }
            System.arraycopy(u, 0, out, k, u.length);
            return out;
        }
    }

    static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final RowWriteSupport support;

        Builder(OutputFile file, RowWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Required by the abstract class; never called here (the writer is given a ParquetConfiguration). */
        @Override
        @SuppressWarnings("deprecation")
        protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
            return support;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration conf) {
            return support;
        }
    }

    static ParquetWriter<Object[]> open(Staged staged, DataType struct, Settings s, Map<String, String> meta,
                                        Codecs codecs) throws IOException {
        Builder b = new Builder(new StagedOutputFile(staged), new RowWriteSupport(struct, meta));
        for (String col : s.noDictionary) {
            b.withDictionaryEncoding(col, false);
        }
        return b
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(codecs)
                .withCompressionCodec(s.codec)
                .withRowGroupSize(s.rowGroupBytes)
                .withRowGroupRowCountLimit(s.rowGroupRows)
                .withPageSize(s.pageBytes)
                .withDictionaryEncoding(s.dictionary)
                .withValidation(false)
                .withPageWriteChecksumEnabled(false)
                .withSizeStatisticsEnabled(false)
                .build();
    }

    /** A Parquet {@link OutputFile} over a staged destination. */
    static final class StagedOutputFile implements OutputFile {
        private final Staged staged;

        StagedOutputFile(Staged staged) {
            this.staged = staged;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return staged.stream();
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return staged.stream();
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }

        @Override
        public String getPath() {
            return staged.describe();
        }
    }
}
