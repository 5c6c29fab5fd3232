package dev.tarn.lake.table.internal.parquet;

import com.github.luben.zstd.Zstd;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Parquet compression without Hadoop: UNCOMPRESSED, SNAPPY (snappy-java), GZIP (java.util.zip) and ZSTD (zstd-jni).
 * The stock codec factory loads Hadoop's compressor classes; this one does not.
 */
public final class Codecs implements CompressionCodecFactory {
    public static final Codecs INSTANCE = new Codecs();

    private Codecs() {
    }

    private static volatile org.apache.parquet.ParquetReadOptions readOptions;

    /**
     * Read options that never touch Hadoop. Both public builders of {@code ParquetReadOptions} (and so every
     * {@code ParquetReader.Builder}) create a Hadoop {@code Configuration} or Hadoop's codec factory and fail with
     * NoClassDefFoundError when Hadoop is not on the class path; the options' own constructor does not, so it is
     * called directly (parquet-java 1.18.1's 18-argument constructor: every filter off, this codec factory).
     */
    public static org.apache.parquet.ParquetReadOptions readOptions() {
        org.apache.parquet.ParquetReadOptions o = readOptions;
        if (o == null) {
            try {
                var c = org.apache.parquet.ParquetReadOptions.class.getDeclaredConstructor(boolean.class,
                        boolean.class, boolean.class, boolean.class, boolean.class, boolean.class, boolean.class,
                        boolean.class, boolean.class, org.apache.parquet.filter2.compat.FilterCompat.Filter.class,
                        org.apache.parquet.format.converter.ParquetMetadataConverter.MetadataFilter.class,
                        CompressionCodecFactory.class, org.apache.parquet.bytes.ByteBufferAllocator.class, int.class,
                        java.util.Map.class, org.apache.parquet.crypto.FileDecryptionProperties.class,
                        org.apache.parquet.hadoop.ParquetMetricsCallback.class,
                        org.apache.parquet.conf.ParquetConfiguration.class);
                c.setAccessible(true);
                o = c.newInstance(false, false, false, false, false, false, false, false, false,
                        org.apache.parquet.filter2.compat.FilterCompat.NOOP,
                        org.apache.parquet.format.converter.ParquetMetadataConverter.NO_FILTER, INSTANCE,
                        new org.apache.parquet.bytes.HeapByteBufferAllocator(), 8 * 1024 * 1024,
                        java.util.Map.of(), null, null, new org.apache.parquet.conf.PlainParquetConfiguration());
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("this parquet-java version's ParquetReadOptions cannot be built"
                        + " without Hadoop (Tarn is built against 1.18.1): " + e, e);
            }
            readOptions = o;
        }
        return o;
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                byte[] in = bytes(bytes);
                switch (codec) {
                    case UNCOMPRESSED:
                        return BytesInput.from(in);
                    case SNAPPY:
                        return BytesInput.from(Snappy.compress(in));
                    case ZSTD:
                        return BytesInput.from(Zstd.compress(in, 3));
                    case GZIP: {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                            gz.write(in);
                        }
                        return BytesInput.from(out.toByteArray());
                    }
                    default:
                        throw new IOException("compression codec " + codec + " is not supported");
                }
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                return BytesInput.from(inflate(bytes(bytes), uncompressedSize));
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
                    throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                output.put(inflate(in, decompressedSize));
            }

            private byte[] inflate(byte[] in, int size) throws IOException {
                switch (codec) {
                    case UNCOMPRESSED:
                        return in;
                    case SNAPPY: {
                        byte[] out = new byte[size];
                        Snappy.uncompress(in, 0, in.length, out, 0);
                        return out;
                    }
                    case ZSTD:
                        return Zstd.decompress(in, size);
                    case GZIP:
                        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(in))) {
                            return gz.readNBytes(size);
                        }
                    default:
                        throw new IOException("compression codec " + codec + " is not supported");
                }
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public void release() {
    }

    private static byte[] bytes(BytesInput in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(0, in.size()));
        in.writeAllTo(out);
        return out.toByteArray();
    }
}
