package dev.tarn.lake.format.internal.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.internal.read.Chunk;
import dev.tarn.lake.format.internal.read.Csv;
import dev.tarn.lake.format.internal.read.Retaining;
import dev.tarn.lake.format.internal.read.Sources;
import dev.tarn.lake.format.internal.read.Src;
import dev.tarn.lake.format.internal.read.Swar;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * The reading side of a {@link Pipeline}, run on the calling thread: cuts each input into chunks at
 * record boundaries (delimited text by scanning, JSON documents through Jackson, Avro by records)
 * and hands them to the workers. A record is never split across chunks, so a worker can parse a
 * chunk on its own.
 */
final class InputReader {
    private final Pipeline pipeline;
    // the input is closed by produce(); Jackson must not close it at the end of the input, where
    // the error path
    // still reads the rest of a broken document
    private final JsonFactory factory =
            JsonFactory.builder()
                    .disable(com.fasterxml.jackson.core.StreamReadFeature.AUTO_CLOSE_SOURCE)
                    .build();

    /** The number of the next chunk: chunks are numbered in input order, across inputs. */
    private long seq;

    InputReader(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    void produce(Src s) {
        Sources.Opened o =
                Sources.open(
                        s.input,
                        pipeline.charset,
                        s.format != dev.tarn.lake.format.InputFormat.AVRO);
        pipeline.current = o.raw;
        try {
            switch (s.format) {
                case NDJSON:
                case CSV:
                case TSV:
                    produceDelimited(s, o.data);
                    break;
                case JSON:
                    if (s.layout == Src.LINES) {
                        produceDelimited(s, o.data);
                    } else {
                        produceDocuments(s, o.data);
                    }
                    break;
                case AVRO:
                    produceAvro(s, o.data);
                    break;
                default:
                    throw new IllegalStateException("unresolved format " + s.format);
            }
        } catch (Pipeline.Stopped e) {
            // a worker failed; its failure is reported
        } catch (IOException e) {
            throw new UncheckedIOException(s.name() + ": cannot read: " + e.getMessage(), e);
        } finally {
            long n = o.raw.count;
            try {
                o.close();
            } catch (IOException ignored) {
                // reading is over
            }
            pipeline.current = null;
            pipeline.doneBytes.addAndGet(n);
        }
    }

    /** NDJSON and CSV: fill buffers, cut at the last record boundary, carry the rest over. */
    private void produceDelimited(Src s, InputStream in) throws IOException {
        boolean csv =
                s.format == dev.tarn.lake.format.InputFormat.CSV
                        || s.format == dev.tarn.lake.format.InputFormat.TSV;
        byte delim = 0, quote = 0, esc = 0;
        int comment = -1;
        if (csv) {
            comment = Csv.comment(s.csv);
            delim = (byte) (char) s.csv.delimiter();
            quote = (byte) s.csv.quote();
            esc = (byte) s.csv.escape();
        }
        long skip = s.dataStart;
        while (skip > 0) {
            long k = in.skip(skip);
            if (k <= 0) {
                if (in.read() < 0) {
                    break;
                }
                k = 1;
            }
            skip -= k;
        }
        long base = s.dataStart;
        long line = s.dataStartLine;
        long record = 0;
        byte[] carry = null;
        int carryLen = 0;
        Csv.Scan scan = new Csv.Scan();
        boolean eof = false;
        while (!eof && !pipeline.stop) {
            byte[] buf = pipeline.takeBuffer(carryLen + 1);
            boolean pooled = buf.length == Pipeline.CHUNK;
            int len = 0;
            if (carryLen > 0) {
                System.arraycopy(carry, 0, buf, 0, carryLen);
                len = carryLen;
            }
            int cut;
            while (true) {
                while (len < buf.length) {
                    int n = in.read(buf, len, buf.length - len);
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    len += n;
                }
                if (eof) {
                    cut = len;
                    scanCount(csv, buf, len, delim, quote, esc, comment, scan);
                    break;
                }
                if (csv) {
                    Csv.scan(buf, 0, len, delim, quote, esc, comment, scan);
                    cut = scan.boundary;
                } else {
                    cut = lastNewline(buf, len) + 1;
                    scan.lines = countNewlines(buf, cut);
                    scan.records = scan.lines;
                }
                if (cut > 0) {
                    break;
                }
                if (buf.length >= Chunk.MAX_RECORD) {
                    throw new FormatException(
                            s.name()
                                    + " line "
                                    + line
                                    + ": a record longer than "
                                    + (Chunk.MAX_RECORD >> 20)
                                    + " MiB"
                                    + (csv ? " (is a quote left open?)" : ""));
                }
                byte[] bigger = Arrays.copyOf(buf, buf.length * 2);
                if (pooled) {
                    pipeline.recycle(
                            buf); // the pool keeps its size when a long record needs a bigger
                    // buffer
                }
                buf = bigger;
                pooled = false;
            }
            carryLen = len - cut;
            if (carryLen > 0) {
                if (carry == null || carry.length < carryLen) {
                    carry = new byte[Math.max(carryLen, 1 << 16)];
                }
                System.arraycopy(buf, cut, carry, 0, carryLen);
            }
            if (cut > 0) {
                Chunk c = new Chunk(csv ? Chunk.CSV : Chunk.NDJSON, s, seq++);
                c.first = base == s.dataStart;
                c.buf = buf;
                c.pooled = pooled;
                c.len = cut;
                c.base = base + s.bom;
                c.startLine = line;
                c.startRecord = record;
                pipeline.send(c);
            } else if (pooled) {
                pipeline.recycle(buf);
            }
            base += cut;
            line += scan.lines;
            record += scan.records;
            if (pipeline.mode == Pipeline.Mode.INFER
                    && pipeline.recordLimit > 0
                    && record >= pipeline.recordLimit) {
                s.sampledRecords = record;
                return;
            }
        }
        s.sampledRecords = record;
        s.exhausted = true;
    }

    private static void scanCount(
            boolean csv, byte[] buf, int len, byte d, byte q, byte e, int comment, Csv.Scan scan) {
        if (csv) {
            Csv.scan(buf, 0, len, d, q, e, comment, scan);
            // the tail after the last LF is one more record if not blank (nor a comment)
            long extra = 0;
            for (int i = scan.boundary;
                    i < len && !(comment >= 0 && buf[scan.boundary] == comment);
                    i++) {
                if (buf[i] != '\r' && buf[i] != '\n') {
                    extra = 1;
                    break;
                }
            }
            scan.records += extra;
        } else {
            scan.lines = countNewlines(buf, len);
            scan.records = scan.lines;
        }
    }

    private static int lastNewline(byte[] b, int len) {
        for (int i = len - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static long countNewlines(byte[] b, int len) {
        return Swar.countNewlines(b, len);
    }

    /**
     * JSON documents (array, concatenated, at a path): Jackson finds record boundaries; workers
     * parse records.
     */
    private void produceDocuments(Src s, InputStream in) throws IOException {
        Retaining rin = new Retaining(in);
        long record = 0;
        Chunk c = null;
        int cLen = 0;
        try (JsonParser p = factory.createParser(rin)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                s.exhausted = true;
                return;
            }
            boolean inArray;
            if (s.layout == Src.PATH) {
                navigate(p, s);
                inArray = true;
                t = p.nextToken();
            } else if (s.layout == Src.ARRAY) {
                if (t != JsonToken.START_ARRAY) {
                    throw new FormatException(s.name() + ": expected a top-level JSON array");
                }
                inArray = true;
                t = p.nextToken();
            } else {
                inArray = false;
            }
            while (!pipeline.stop) {
                if (t == null || (inArray && t == JsonToken.END_ARRAY)) {
                    break;
                }
                long start = p.currentTokenLocation().getByteOffset();
                long line = p.currentTokenLocation().getLineNr();
                record++;
                String error = null;
                long end;
                try {
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        p.skipChildren();
                    }
                    end = p.currentLocation().getByteOffset();
                } catch (JsonProcessingException e) {
                    error =
                            "invalid JSON: "
                                    + e.getOriginalMessage()
                                    + " (the rest of the input cannot be parsed)";
                    rin.drain();
                    end = rin.end();
                }
                int n = (int) (end - start);
                if (n > Chunk.MAX_RECORD) {
                    throw new FormatException(
                            s.name()
                                    + " line "
                                    + line
                                    + ": a record longer than "
                                    + (Chunk.MAX_RECORD >> 20)
                                    + " MiB");
                }
                if (c == null || cLen + n > c.buf.length || c.spans >= 8192) {
                    if (c != null) {
                        c.len = cLen;
                        pipeline.send(c);
                    }
                    c = new Chunk(Chunk.SPANS, s, seq++);
                    c.first = record == 1;
                    c.buf = pipeline.takeBuffer(n);
                    c.pooled = c.buf.length == Pipeline.CHUNK;
                    c.base = 0;
                    cLen = 0;
                }
                rin.copy(start, end, c.buf, cLen);
                c.addSpan(cLen, cLen + n, line, record, start + s.bom, error);
                cLen += n;
                rin.release(end);
                if (error != null) {
                    break;
                }
                if (pipeline.mode == Pipeline.Mode.INFER
                        && pipeline.recordLimit > 0
                        && record >= pipeline.recordLimit) {
                    break;
                }
                try {
                    t = p.nextToken();
                } catch (JsonProcessingException e) {
                    long at = p.currentLocation().getByteOffset();
                    rin.drain();
                    long stopAt = rin.end();
                    int m = (int) Math.min(stopAt - at, Chunk.MAX_RECORD);
                    Chunk e2 = new Chunk(Chunk.SPANS, s, seq++);
                    e2.buf = new byte[Math.max(m, 0)];
                    rin.copy(at, at + m, e2.buf, 0);
                    e2.len = m;
                    e2.addSpan(
                            0,
                            m,
                            p.currentLocation().getLineNr(),
                            record + 1,
                            at + s.bom,
                            "invalid JSON: "
                                    + e.getOriginalMessage()
                                    + " (the rest of the input cannot be parsed)");
                    if (c != null) {
                        c.len = cLen;
                        pipeline.send(c);
                        c = null;
                    }
                    pipeline.send(e2);
                    break;
                }
            }
        }
        if (c != null) {
            c.len = cLen;
            pipeline.send(c);
        }
        s.sampledRecords = record;
        s.exhausted = true;
    }

    private void navigate(JsonParser p, Src s) throws IOException {
        String[] path = s.jsonPath;
        for (int depth = 0; depth < path.length; depth++) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new FormatException(
                        s.name()
                                + ": expected an object at "
                                + String.join(".", Arrays.copyOf(path, depth))
                                + " to find \""
                                + path[depth]
                                + "\"");
            }
            boolean found = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals(path[depth])) {
                    found = true;
                    break;
                }
                p.skipChildren();
            }
            if (!found) {
                throw new FormatException(
                        s.name()
                                + ": no field \""
                                + String.join(".", Arrays.copyOf(path, depth + 1))
                                + "\" in the document");
            }
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new FormatException(
                    s.name() + ": \"" + String.join(".", path) + "\" is not an array");
        }
    }

    private void produceAvro(Src s, InputStream in) throws IOException {
        if (pipeline.mode == Pipeline.Mode.INFER) {
            return;
        }
        try (DataFileStream<GenericRecord> r =
                new DataFileStream<>(in, new GenericDatumReader<>())) {
            List<GenericRecord> batch = new ArrayList<>(Pipeline.BATCH);
            long record = 0;
            while (r.hasNext() && !pipeline.stop) {
                batch.add(r.next());
                if (batch.size() == 2048) {
                    Chunk c = new Chunk(Chunk.AVRO, s, seq++);
                    c.records = batch;
                    c.startRecord = record;
                    record += batch.size();
                    pipeline.send(c);
                    batch = new ArrayList<>(Pipeline.BATCH);
                }
            }
            if (!batch.isEmpty()) {
                Chunk c = new Chunk(Chunk.AVRO, s, seq++);
                c.records = batch;
                c.startRecord = record;
                pipeline.send(c);
            }
        } catch (org.apache.avro.AvroRuntimeException e) {
            throw new FormatException(s.name() + ": invalid Avro file: " + e.getMessage(), e);
        }
        s.exhausted = true;
    }
}
