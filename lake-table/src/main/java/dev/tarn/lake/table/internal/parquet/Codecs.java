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

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                byte[] in = bytes.toByteArray();
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
                return BytesInput.from(inflate(bytes.toByteArray(), uncompressedSize));
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
}
