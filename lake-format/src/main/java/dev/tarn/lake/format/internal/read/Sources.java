package dev.tarn.lake.format.internal.read;

import com.github.luben.zstd.ZstdInputStream;
import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.Input;
import dev.tarn.lake.format.InputFormat;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Opens inputs: transparent gzip/zstd decompression (by magic bytes), BOM removal, transcoding to
 * UTF-8.
 */
public final class Sources {
    private Sources() {}

    /** Counts bytes read from the raw (stored) stream, for progress. */
    public static final class Counting extends FilterInputStream {
        public volatile long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = in.read();
            if (c >= 0) {
                count++;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(n);
            count += s;
            return s;
        }
    }

    /**
     * An opened input: {@code data} yields decompressed UTF-8 bytes without BOM; {@code raw} counts
     * stored bytes.
     */
    public static final class Opened implements AutoCloseable {
        public final InputStream data;
        public final Counting raw;
        final String compression;

        Opened(InputStream data, Counting raw, String compression) {
            this.data = data;
            this.raw = raw;
            this.compression = compression;
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }

    public static Opened open(Input input, Charset charset, boolean stripBom) {
        Counting raw = new Counting(input.open());
        try {
            BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
            b.mark(4);
            byte[] m = new byte[4];
            int n = b.readNBytes(m, 0, 4);
            b.reset();
            InputStream data;
            String comp;
            if (n >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
                data = new BufferedInputStream(new GZIPInputStream(b, 1 << 16), 1 << 16);
                comp = "gzip";
            } else if (n >= 4
                    && (m[0] & 0xff) == 0x28
                    && (m[1] & 0xff) == 0xb5
                    && (m[2] & 0xff) == 0x2f
                    && (m[3] & 0xff) == 0xfd) {
                data = new BufferedInputStream(new ZstdInputStream(b), 1 << 17);
                comp = "zstd";
            } else {
                data = b;
                comp = null;
            }
            if (charset != null && !charset.equals(StandardCharsets.UTF_8)) {
                data =
                        new Transcoding(
                                new InputStreamReader(
                                        data,
                                        charset.newDecoder()
                                                .onMalformedInput(CodingErrorAction.REPORT)
                                                .onUnmappableCharacter(CodingErrorAction.REPORT)),
                                input.name(),
                                charset);
                data = new BufferedInputStream(data, 1 << 16);
            }
            if (stripBom) {
                data.mark(3);
                byte[] bom = new byte[3];
                int k = data.readNBytes(bom, 0, 3);
                if (!(k == 3
                        && (bom[0] & 0xff) == 0xef
                        && (bom[1] & 0xff) == 0xbb
                        && (bom[2] & 0xff) == 0xbf)) {
                    data.reset();
                }
            }
            return new Opened(data, raw, comp);
        } catch (IOException e) {
            try {
                raw.close();
            } catch (IOException ignored) {
                // reported below
            }
            throw new FormatException(input.name() + ": cannot open: " + e.getMessage(), e);
        }
    }

    /** Re-encodes characters from another charset as UTF-8; malformed input is an error. */
    static final class Transcoding extends InputStream {
        private final Reader reader;
        private final String source;
        private final Charset charset;
        private final CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder();
        private final CharBuffer cb = CharBuffer.allocate(8192);
        private final ByteBuffer bb = ByteBuffer.allocate(8192 * 3);
        private boolean eof;

        Transcoding(Reader reader, String source, Charset charset) {
            this.reader = reader;
            this.source = source;
            this.charset = charset;
            bb.flip();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (!bb.hasRemaining()) {
                if (eof) {
                    return -1;
                }
                int n;
                try {
                    n = reader.read(cb);
                } catch (CharacterCodingException e) {
                    throw new FormatException(
                            source + ": input is not valid " + charset + ": " + e);
                }
                if (n < 0) {
                    eof = true;
                }
                cb.flip();
                bb.clear();
                enc.encode(cb, bb, eof);
                cb.compact();
                bb.flip();
            }
            int k = Math.min(len, bb.remaining());
            bb.get(b, off, k);
            return k;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /** The format a name suggests, or AUTO. */
    public static InputFormat formatFromName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String c : new String[] {".gz", ".gzip", ".zst", ".zstd"}) {
            if (n.endsWith(c)) {
                n = n.substring(0, n.length() - c.length());
            }
        }
        if (n.endsWith(".ndjson") || n.endsWith(".jsonl") || n.endsWith(".ldjson")) {
            return InputFormat.NDJSON;
        }
        if (n.endsWith(".json") || n.endsWith(".geojson")) {
            return InputFormat.JSON;
        }
        if (n.endsWith(".csv")) {
            return InputFormat.CSV;
        }
        if (n.endsWith(".tsv") || n.endsWith(".tab")) {
            return InputFormat.TSV;
        }
        if (n.endsWith(".avro")) {
            return InputFormat.AVRO;
        }
        return InputFormat.AUTO;
    }

    /** The format the first bytes suggest. */
    public static InputFormat formatFromContent(byte[] head, int n) {
        if (n >= 4 && head[0] == 'O' && head[1] == 'b' && head[2] == 'j' && head[3] == 1) {
            return InputFormat.AVRO;
        }
        for (int i = 0; i < n; i++) {
            byte c = head[i];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                continue;
            }
            return c == '{' || c == '[' ? InputFormat.JSON : InputFormat.CSV;
        }
        return InputFormat.CSV;
    }
}
