package dev.tarn.lake.format.internal.read;

import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.CsvOptions;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.format.internal.infer.Temporal;
import dev.tarn.lake.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Finds out what an input is before it is read: its format (from its name, else its first bytes), a
 * byte order mark, and then by format the CSV delimiter and header (with unique column names), the
 * layout of a JSON document (lines, an array, concatenated documents or an array at a path), or an
 * Avro file's schema.
 */
public final class Detection {
    private final InputFormat format;
    private final CsvOptions csvOptions;
    private final List<String> jsonPath;
    private final Charset charset;
    private final int maxColumns;
    private final List<String> notes;

    /**
     * Detection under these settings (see {@code Settings.Read}); what it finds out (a delimiter, a
     * header, a JSON layout) is added to {@code notes} for the report.
     */
    public Detection(
            InputFormat format,
            CsvOptions csv,
            List<String> jsonPath,
            Charset charset,
            int maxColumns,
            List<String> notes) {
        this.format = format;
        this.csvOptions = csv;
        this.jsonPath = jsonPath;
        this.charset = charset;
        this.maxColumns = maxColumns;
        this.notes = notes;
    }

    /**
     * Fills in the format, BOM, and the CSV dialect and header, the JSON layout or the Avro schema
     * of an input.
     */
    public Src resolve(Src src) {
        InputFormat f = format;
        if (f == InputFormat.AUTO) {
            f = Sources.formatFromName(src.name());
        }
        byte[] head = new byte[64 << 10];
        int n;
        int bom = 0;
        try (Sources.Opened o = Sources.open(src.input, charset, false)) {
            n = o.data.readNBytes(head, 0, head.length);
            if (n >= 3
                    && (head[0] & 0xff) == 0xef
                    && (head[1] & 0xff) == 0xbb
                    && (head[2] & 0xff) == 0xbf) {
                bom = 3;
                System.arraycopy(head, 3, head, 0, n - 3);
                n -= 3;
            }
        } catch (IOException e) {
            throw new FormatException(src.name() + ": cannot read: " + e.getMessage(), e);
        }
        src.bom = bom;
        if (f == InputFormat.AUTO) {
            f = Sources.formatFromContent(head, n);
        }
        if (f == InputFormat.TSV) {
            src.format = InputFormat.CSV;
            src.csv = withDelimiter(csvOptions, '\t');
        } else {
            src.format = f;
        }
        switch (src.format) {
            case CSV:
                resolveCsv(src, head, n);
                break;
            case JSON:
                resolveJsonLayout(src);
                break;
            case NDJSON:
                src.layout = Src.LINES;
                break;
            case AVRO:
                src.avroType = readAvroSchema(src);
                break;
            default:
                throw new IllegalStateException();
        }
        return src;
    }

    private static CsvOptions withDelimiter(CsvOptions o, char d) {
        return o.toBuilder().delimiter(o.delimiter() != null ? o.delimiter() : d).build();
    }

    private void resolveCsv(Src src, byte[] head, int n) {
        CsvOptions o = src.csv != null ? src.csv : csvOptions;
        // only complete records of the sample
        int usable = n;
        if (n == head.length) {
            Csv.Scan sc = new Csv.Scan();
            Csv.scan(
                    head,
                    0,
                    n,
                    (byte) (o.delimiter() == null ? ',' : o.delimiter()),
                    (byte) o.quote(),
                    (byte) o.escape(),
                    Csv.comment(o),
                    sc);
            if (sc.boundary == 0) {
                // The first record is longer than the sample (a very wide header): read it whole,
                // up to what a
                // header of the column limit may take, rather than take its first part for the
                // header.
                head = longHead(src, o);
                n = head.length;
                Csv.scan(
                        head,
                        0,
                        n,
                        (byte) (o.delimiter() == null ? ',' : o.delimiter()),
                        (byte) o.quote(),
                        (byte) o.escape(),
                        Csv.comment(o),
                        sc);
            }
            usable = sc.boundary > 0 ? sc.boundary : n;
        }
        if (o.delimiter() == null) {
            char d = detectDelimiter(head, usable, o);
            o = withDelimiter(o, d);
            notes.add(src.name() + ": detected delimiter " + (d == '\t' ? "TAB" : "'" + d + "'"));
        }
        src.csv = o;
        Csv csv = new Csv(o);
        int pos = 0;
        long line = 1;
        while (pos < usable) {
            int start = pos;
            pos = csv.parseRecord(head, pos, usable, 0, src.name());
            if (csv.count == 0 && csv.error == null) {
                line += csv.newlines;
                continue;
            }
            csv.strings();
            boolean header =
                    o.header() != null
                            ? o.header()
                            : csv.error == null && looksLikeHeader(csv.fields, csv.count);
            if (o.header() == null) {
                notes.add(
                        src.name()
                                + ": "
                                + (header
                                        ? "detected a header row"
                                        : "no header row detected; columns are"
                                                + " named column1, column2, ..."));
            }
            if (csv.count > maxColumns) {
                throw new FormatException(
                        src.name()
                                + " line "
                                + line
                                + ": "
                                + csv.count
                                + " columns, more than the"
                                + " column limit of "
                                + maxColumns
                                + " (raise it with --max-columns)");
            }
            String[] names = new String[csv.count];
            for (int i = 0; i < csv.count; i++) {
                names[i] = header ? csv.fields[i] : null;
            }
            src.header = uniqueNames(src, names, line, o.header() == null);
            if (header) {
                src.dataStart = pos;
                src.dataStartLine = line + csv.newlines;
            } else {
                src.dataStart = start;
                src.dataStartLine = line;
            }
            return;
        }
        src.header = new String[0];
        src.dataStart = 0;
    }

    /**
     * The start of a CSV input whose first record did not fit the sample: as much as a first record
     * within the column limit can take (columns of up to 1 KiB each, at most the longest record
     * read at all); a longer first record is refused.
     */
    private byte[] longHead(Src src, CsvOptions o) {
        int max = (int) Math.min(Chunk.MAX_RECORD, (long) maxColumns * 1024 + 1);
        byte[] head;
        try (Sources.Opened in = Sources.open(src.input, charset, false)) {
            in.data.skipNBytes(src.bom);
            head = in.data.readNBytes(max);
        } catch (IOException e) {
            throw new FormatException(src.name() + ": cannot read: " + e.getMessage(), e);
        }
        Csv.Scan sc = new Csv.Scan();
        Csv.scan(
                head,
                0,
                head.length,
                (byte) (o.delimiter() == null ? ',' : o.delimiter()),
                (byte) o.quote(),
                (byte) o.escape(),
                Csv.comment(o),
                sc);
        if (sc.boundary == 0 && head.length == max) {
            throw new FormatException(
                    src.name()
                            + " line 1: the first record is longer than "
                            + (max >> 10)
                            + " KiB, more than a record of the column limit of "
                            + maxColumns
                            + " columns may take"
                            + " (raise it with --max-columns)");
        }
        return head;
    }

    /**
     * The column names of a CSV header. Columns are matched regardless of case (as Delta and Spark
     * do), so a name that repeats another in any case ({@code id,id} or {@code id,ID}) is an error
     * naming the file and line; an empty name becomes {@code column<n>} (with a suffix should a
     * header already use that name).
     */
    private String[] uniqueNames(Src src, String[] names, long line, boolean detected) {
        String[] out = new String[names.length];
        java.util.Map<String, String> used = new java.util.HashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null || names[i].isEmpty()) {
                continue;
            }
            String before = used.putIfAbsent(lower(names[i]), names[i]);
            if (before != null) {
                throw new FormatException(
                        src.name()
                                + " line "
                                + line
                                + ": "
                                + (before.equals(names[i])
                                        ? "column \"" + names[i] + "\" appears twice in the header"
                                        : "columns \""
                                                + before
                                                + "\" and \""
                                                + names[i]
                                                + "\" of the header differ only in case")
                                + " (column names must be unique regardless of case)"
                                + (detected
                                        ? "; if that line is data, not a header, convert with --no-header"
                                        : ""));
            }
            out[i] = names[i];
        }
        for (int i = 0; i < names.length; i++) {
            if (out[i] != null) {
                continue;
            }
            String base = "column" + (i + 1);
            String name = base;
            int k = 2;
            while (used.putIfAbsent(lower(name), name) != null) {
                name = base + "_" + k++;
            }
            if (names[i] != null) {
                notes.add(src.name() + ": header " + (i + 1) + " is empty, named \"" + name + "\"");
            }
            out[i] = name;
        }
        return out;
    }

    private void resolveJsonLayout(Src src) {
        if (jsonPath != null && !jsonPath.isEmpty()) {
            src.layout = Src.PATH;
            src.jsonPath = jsonPath.toArray(new String[0]);
            return;
        }
        JsonLayout l;
        try (Sources.Opened o = Sources.open(src.input, charset, true)) {
            l = JsonLayout.detect(src.name(), o.data, jsonPath == null);
        } catch (JsonLayout.Ambiguous e) {
            throw new FormatException(
                    e.getMessage(),
                    FormatException.Remedy.JSON_PATH,
                    " with Conversion.jsonPath(...), e.g. jsonPath(\""
                            + e.candidates.get(0)
                            + "\")");
        } catch (IOException e) {
            throw new FormatException(src.name() + ": cannot read: " + e.getMessage(), e);
        }
        src.layout = l.layout;
        src.jsonPath = l.path;
        if (l.note != null) {
            notes.add(src.name() + ": " + l.note);
        }
    }

    private DataType readAvroSchema(Src src) {
        try (InputStream in = src.input.open();
                DataFileStream<GenericRecord> r =
                        new DataFileStream<>(in, new GenericDatumReader<>())) {
            return AvroRows.toDataType(r.getSchema());
        } catch (IOException | org.apache.avro.AvroRuntimeException e) {
            throw new FormatException(
                    src.name() + ": not a readable Avro object container file: " + e.getMessage(),
                    e);
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    private static final char[] DELIMITER_CANDIDATES = {',', '\t', ';', '|'};

    /**
     * Picks the delimiter whose field count is the most consistent (and largest) over the sample's
     * records.
     */
    private static char detectDelimiter(byte[] sample, int len, CsvOptions o) {
        char best = ',';
        double bestScore = -1;
        for (char d : DELIMITER_CANDIDATES) {
            Csv csv =
                    new Csv(
                            (byte) d,
                            (byte) o.quote(),
                            (byte) o.escape(),
                            false,
                            Csv.comment(o),
                            List.of());
            List<Integer> counts = new ArrayList<>();
            int pos = 0;
            try {
                while (pos < len && counts.size() < 200) {
                    pos = csv.parseRecord(sample, pos, len, 0, "sample");
                    csv.strings();
                    if (csv.error == null && csv.count > 0) {
                        counts.add(csv.count);
                    }
                }
            } catch (RuntimeException e) {
                continue;
            }
            if (counts.isEmpty()) {
                continue;
            }
            int mode = mode(counts);
            if (mode < 2) {
                continue;
            }
            long agree = counts.stream().filter(c -> c == mode).count();
            double score = (double) agree / counts.size() * 1000 + mode;
            if (score > bestScore) {
                bestScore = score;
                best = d;
            }
        }
        return best;
    }

    private static int mode(List<Integer> xs) {
        java.util.Map<Integer, Integer> freq = new java.util.HashMap<>();
        int best = 0, bestN = 0;
        for (int x : xs) {
            int n = freq.merge(x, 1, Integer::sum);
            if (n > bestN || (n == bestN && x > best)) {
                best = x;
                bestN = n;
            }
        }
        return best;
    }

    /**
     * A first record is a header when its fields are all non-empty, distinct, and none reads as a
     * number, boolean, date or timestamp.
     */
    private static boolean looksLikeHeader(String[] first, int n) {
        if (n == 0) {
            return false;
        }
        // a name that repeats does not make the line data: the conversion then says the header
        // repeats a column
        NumText num = new NumText();
        for (int i = 0; i < n; i++) {
            String f = first[i];
            if (f == null || f.isEmpty()) {
                return false;
            }
            if (num.analyze(f) != NumText.NOT_A_NUMBER
                    || Csv.parseBool(f) != null
                    || Temporal.classify(f) != Temporal.NONE) {
                return false;
            }
        }
        return true;
    }
}
