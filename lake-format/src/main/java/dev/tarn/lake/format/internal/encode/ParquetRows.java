package dev.tarn.lake.format.internal.encode;

import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/** The Parquet schema of rows and the writer settings. */
public final class ParquetRows {
    private ParquetRows() {}

    /** Writer settings shared by every file of a conversion. */
    public static final class Settings {
        public CompressionCodecName codec = CompressionCodecName.ZSTD;
        public int level = 3;
        public long rowGroupBytes = 64L << 20;
        public int rowGroupRows = 131_072;
        int pageBytes = 1 << 20;
        boolean dictionary = true;

        /** PLAIN size at which a column chunk's dictionary gives up (parquet-java's default). */
        int dictionaryBytes = 1 << 20;

        public java.util.Set<String> noDictionary = java.util.Set.of();

        public Settings() {}

        /** The page compression of the files written with these settings. */
        public Settings compression(CompressionCodecName c) {
            this.codec = c;
            return this;
        }
    }

    // ------------------------------------------------------------------ schema

    static MessageType messageType(DataType struct) {
        List<Type> fields = new ArrayList<>();
        for (Field f : struct.asStruct().fields()) {
            fields.add(type(f.name(), f.type()));
        }
        return new MessageType("tarn_schema", fields);
    }

    private static Type type(String name, DataType t) {
        switch (t.kind()) {
            case BOOLEAN:
                return Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
            case BYTE:
                return Types.optional(PrimitiveTypeName.INT32)
                        .as(LogicalTypeAnnotation.intType(8, true))
                        .named(name);
            case SHORT:
                return Types.optional(PrimitiveTypeName.INT32)
                        .as(LogicalTypeAnnotation.intType(16, true))
                        .named(name);
            case INT:
                return Types.optional(PrimitiveTypeName.INT32).named(name);
            case LONG:
                return Types.optional(PrimitiveTypeName.INT64).named(name);
            case FLOAT:
                return Types.optional(PrimitiveTypeName.FLOAT).named(name);
            case DOUBLE:
                return Types.optional(PrimitiveTypeName.DOUBLE).named(name);
            case STRING:
                return Types.optional(PrimitiveTypeName.BINARY)
                        .as(LogicalTypeAnnotation.stringType())
                        .named(name);
            case BINARY:
                return Types.optional(PrimitiveTypeName.BINARY).named(name);
            case DATE:
                return Types.optional(PrimitiveTypeName.INT32)
                        .as(LogicalTypeAnnotation.dateType())
                        .named(name);
            case TIMESTAMP:
                return Types.optional(PrimitiveTypeName.INT64)
                        .as(
                                LogicalTypeAnnotation.timestampType(
                                        true, LogicalTypeAnnotation.TimeUnit.MICROS))
                        .named(name);
            case TIMESTAMP_NTZ:
                return Types.optional(PrimitiveTypeName.INT64)
                        .as(
                                LogicalTypeAnnotation.timestampType(
                                        false, LogicalTypeAnnotation.TimeUnit.MICROS))
                        .named(name);
            case DECIMAL:
                {
                    LogicalTypeAnnotation dec =
                            LogicalTypeAnnotation.decimalType(
                                    t.asDecimal().scale(), t.asDecimal().precision());
                    if (t.asDecimal().precision() <= 9) {
                        return Types.optional(PrimitiveTypeName.INT32).as(dec).named(name);
                    }
                    if (t.asDecimal().precision() <= 18) {
                        return Types.optional(PrimitiveTypeName.INT64).as(dec).named(name);
                    }
                    return Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
                            .length(fixedBytes(t.asDecimal().precision()))
                            .as(dec)
                            .named(name);
                }
            case STRUCT:
                {
                    Types.GroupBuilder<org.apache.parquet.schema.GroupType> g =
                            Types.optionalGroup();
                    for (Field f : t.asStruct().fields()) {
                        g.addField(type(f.name(), f.type()));
                    }
                    return g.named(name);
                }
            case MAP:
                // keys are VARCHAR (Conversion.schema and the Avro mapping check), hence the one
                // required key type
                return Types.optionalGroup()
                        .as(LogicalTypeAnnotation.mapType())
                        .addField(
                                Types.repeatedGroup()
                                        .addField(
                                                Types.required(PrimitiveTypeName.BINARY)
                                                        .as(LogicalTypeAnnotation.stringType())
                                                        .named("key"))
                                        .addField(type("value", t.asMap().value()))
                                        .named("key_value"))
                        .named(name);
            case LIST:
                return Types.optionalGroup()
                        .as(LogicalTypeAnnotation.listType())
                        .addField(
                                Types.repeatedGroup()
                                        .addField(type("element", t.asList().element()))
                                        .named("list"))
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

    /**
     * A wide decimal as FIXED_LEN_BYTE_ARRAY: big-endian two's complement, sign-extended to {@code
     * n} bytes.
     */
    static byte[] fixed(BigDecimal d, int n) {
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
