package dev.tarn.lake.format.parquet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Tarn's one Parquet codec factory: page compression over zstd-jni, snappy-java and java.util.zip,
 * so that no Hadoop codec class is ever loaded. The format module's encoder compresses with it and
 * {@link ParquetFiles} decompresses with it, for every module. Compressors are used by one writer
 * thread each.
 */
@SuppressWarnings(
        "deprecation") // BytesInput.toByteArray(): the page bytes are needed as one array for the
// codecs
public final class ParquetCodecs implements CompressionCodecFactory {
    private final int zstdLevel;
    private final java.util.EnumMap<CompressionCodecName, BytesInputCompressor> cache =
            new java.util.EnumMap<>(CompressionCodecName.class);

    public ParquetCodecs(int zstdLevel) {
        this.zstdLevel = zstdLevel;
    }

    /**
     * One compressor per codec, reused by every file of one writer thread (a zstd context holds
     * native memory).
     */
    @Override
    public synchronized BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return cache.computeIfAbsent(codec, this::newCompressor);
    }

    private BytesInputCompressor newCompressor(CompressionCodecName codec) {
        switch (codec) {
            case UNCOMPRESSED:
                return new Compressor(codec) {
                    @Override
                    public BytesInput compress(BytesInput bytes) {
                        return bytes;
                    }
                };
            case ZSTD:
                return new Compressor(codec) {
                    private ZstdCompressCtx ctx;
                    private byte[] out = new byte[0];

                    @Override
                    public BytesInput compress(BytesInput bytes) throws IOException {
                        if (ctx == null) {
                            ctx = new ZstdCompressCtx();
                            ctx.setLevel(zstdLevel);
                        }
                        byte[] in = bytes.toByteArray();
                        int bound = (int) Zstd.compressBound(in.length);
                        if (out.length < bound) {
                            out = new byte[bound];
                        }
                        int n = ctx.compressByteArray(out, 0, out.length, in, 0, in.length);
                        return BytesInput.from(java.util.Arrays.copyOf(out, n));
                    }

                    @Override
                    public void release() {
                        // kept for the next file; freed by ParquetCodecs.close()
                    }

                    @Override
                    public void close() {
                        if (ctx != null) {
                            ctx.close();
                            ctx = null;
                        }
                    }
                };
            case SNAPPY:
                return new Compressor(codec) {
                    @Override
                    public BytesInput compress(BytesInput bytes) throws IOException {
                        return BytesInput.from(Snappy.compress(bytes.toByteArray()));
                    }
                };
            case GZIP:
                return new Compressor(codec) {
                    @Override
                    public BytesInput compress(BytesInput bytes) throws IOException {
                        ByteArrayOutputStream bo =
                                new ByteArrayOutputStream((int) Math.max(64, bytes.size() / 3));
                        try (GZIPOutputStream gz = new GZIPOutputStream(bo, 1 << 16)) {
                            bytes.writeAllTo(gz);
                        }
                        return BytesInput.from(bo.toByteArray());
                    }
                };
            default:
                throw new IllegalArgumentException("unsupported compression " + codec);
        }
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize)
                    throws IOException {
                return BytesInput.from(
                        decompressBytes(codec, bytes.toByteArray(), uncompressedSize));
            }

            @Override
            public void decompress(
                    ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                    throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                output.put(decompressBytes(codec, in, uncompressedSize));
            }

            @Override
            public void release() {}
        };
    }

    public static byte[] decompressBytes(CompressionCodecName codec, byte[] in, int size)
            throws IOException {
        switch (codec) {
            case UNCOMPRESSED:
                return in;
            case ZSTD:
                return Zstd.decompress(in, size);
            case SNAPPY:
                return Snappy.uncompress(in);
            case GZIP:
                try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(in))) {
                    return gz.readAllBytes();
                }
            default:
                throw new IOException("unsupported compression " + codec);
        }
    }

    @Override
    public void release() {
        // compressors live as long as this factory; see close()
    }

    /** Frees native compression contexts. */
    public synchronized void close() {
        for (BytesInputCompressor c : cache.values()) {
            ((Compressor) c).close();
        }
        cache.clear();
    }

    private abstract static class Compressor implements BytesInputCompressor {
        private final CompressionCodecName codec;

        Compressor(CompressionCodecName codec) {
            this.codec = codec;
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {}

        void close() {}
    }
}
