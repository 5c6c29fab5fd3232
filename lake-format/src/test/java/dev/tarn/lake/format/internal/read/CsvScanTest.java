package dev.tarn.lake.format.internal.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The chunk splitter's quote-aware scan agrees with the record parser on boundaries, lines and
 * records.
 */
class CsvScanTest {
    @Test
    void scanAgreesWithTheParser() {
        SplittableRandom r = new SplittableRandom(11);
        String[] pieces = {
            "a",
            "bc",
            "",
            "\r",
            "x y",
            "\"q\"",
            "\"with,comma\"",
            "\"two\nlines\"",
            "\"say \"\"hi\"\"\"",
            "\"\"",
            "1.5"
        };
        for (int round = 0; round < 3000; round++) {
            StringBuilder sb = new StringBuilder();
            int records = r.nextInt(1, 12);
            for (int k = 0; k < records; k++) {
                int fields = r.nextInt(0, 4);
                for (int f = 0; f < fields; f++) {
                    if (f > 0) {
                        sb.append(',');
                    }
                    sb.append(pieces[r.nextInt(pieces.length)]);
                }
                sb.append(r.nextInt(5) == 0 ? "\r\n" : "\n");
            }
            if (r.nextBoolean()) {
                sb.append("tail,\"open");
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            Csv.Scan scan = new Csv.Scan();
            Csv.scan(b, 0, b.length, (byte) ',', (byte) '"', (byte) '"', scan);

            Csv csv = new Csv((byte) ',', (byte) '"', (byte) '"', false);
            int pos = 0;
            long lines = 0, recs = 0;
            while (pos < scan.boundary) {
                pos = csv.parseRecord(b, pos, scan.boundary, 0, "t");
                lines += csv.newlines;
                if (csv.count > 0 || csv.error != null) {
                    recs++;
                }
            }
            String ctx = sb.toString().replace("\n", "\\n").replace("\r", "\\r");
            assertEquals(scan.boundary, pos, ctx);
            assertEquals(scan.lines, lines, ctx);
            assertEquals(scan.records, recs, ctx);
        }
    }

    @Test
    void scanAgreesWithTheParserOnCommentLines() {
        SplittableRandom r = new SplittableRandom(17);
        String[] pieces = {"a", "", "\"q\"", "\"two\n#lines\"", "#x", "1"};
        String[] comments = {"# it's \"open", "#", "#,\"a\",b", "# \"\"\""};
        for (int round = 0; round < 3000; round++) {
            StringBuilder sb = new StringBuilder();
            int records = r.nextInt(1, 12);
            for (int k = 0; k < records; k++) {
                if (r.nextInt(3) == 0) {
                    sb.append(comments[r.nextInt(comments.length)]);
                } else {
                    int fields = r.nextInt(1, 4);
                    for (int f = 0; f < fields; f++) {
                        if (f > 0) {
                            sb.append(',');
                        }
                        // a field starting with '#' after the first one is data, not a comment
                        String p = pieces[r.nextInt(pieces.length)];
                        sb.append(f == 0 && (p.startsWith("#") || p.isEmpty()) ? "x" + p : p);
                    }
                }
                sb.append(r.nextInt(5) == 0 ? "\r\n" : "\n");
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            Csv.Scan scan = new Csv.Scan();
            Csv.scan(b, 0, b.length, (byte) ',', (byte) '"', (byte) '"', '#', scan);

            Csv csv = new Csv((byte) ',', (byte) '"', (byte) '"', false, '#', java.util.List.of());
            int pos = 0;
            long lines = 0, recs = 0, commentLines = 0;
            while (pos < scan.boundary) {
                boolean comment = b[pos] == '#';
                pos = csv.parseRecord(b, pos, scan.boundary, 0, "t");
                lines += csv.newlines;
                commentLines += comment ? 1 : 0;
                if (csv.count > 0 || csv.error != null) {
                    recs++;
                }
            }
            String ctx = sb.toString().replace("\n", "\\n").replace("\r", "\\r");
            assertEquals(b.length, scan.boundary, ctx);
            assertEquals(scan.boundary, pos, ctx);
            assertEquals(scan.lines, lines, ctx);
            assertEquals(scan.records, recs, ctx);
            assertEquals(records, recs + commentLines, ctx);
        }
    }
}
