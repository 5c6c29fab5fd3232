package dev.tarn.lake.internal.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.lake.catalog.Format;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatSnifferTest {
    static Format sniff(String name, String content) {
        byte[] b =
                content.replace("\\n", "\n").replace("\\t", "\t").getBytes(StandardCharsets.UTF_8);
        return FormatSniffer.detect(name, b, b.length).format();
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "events.ndjson | {\"a\":1}\\n{\"a\":2}\\n | NDJSON",
                "events.jsonl  | {\"a\":1}\\n | NDJSON",
                "events.log    | {\"a\":1}\\n{\"a\":2}\\n | NDJSON",
                "doc.json      | {\\n  \"a\": 1\\n}\\n | JSON",
                "one.json      | {\"a\":1} | JSON",
                "arr.json      | [{\"a\":1},{\"a\":2}] | JSON",
                "noext         | [1,2,3] | JSON",
                "data.csv      | id,name\\n1,x\\n | CSV",
                "data.csv      | justonecolumn\\n1\\n | CSV",
                "data.txt      | id,name\\n1,\"x, y\"\\n2,z\\n | CSV",
                "data          | a;b;c\\n1;2;3\\n | CSV",
                "data.tsv      | a b\\n | TSV",
                "data          | a\\tb\\n1\\t2\\n | TSV",
                "notes.txt     | hello world\\nsecond line | TEXT",
                "ragged        | a,b\\nc\\n | TEXT",
                "x.parquet     | PAR1.... | PARQUET",
                "renamed.bin   | PAR1.... | PARQUET",
                "x.avro        | `Obj\u0001` | AVRO",
                "events.ndjson.gz | \u001f\u008b | NDJSON",
                "empty.txt     | `` | TEXT",
            })
    void detects(String name, String content, Format expected) {
        assertEquals(expected, sniff(name.strip(), content.strip()));
    }

    @org.junit.jupiter.api.Test
    void invalidUtf8AndNulBytesAreBinary() {
        byte[] latin1 = "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(
                Format.BINARY, FormatSniffer.detect("menu.txt", latin1, latin1.length).format());
        byte[] nul = {'a', 0, 'b'};
        assertEquals(Format.BINARY, FormatSniffer.detect("x.csv", nul, nul.length).format());
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        var d = FormatSniffer.detect("cat.png", png, png.length);
        assertEquals(Format.BINARY, d.format());
        assertEquals("image/png", d.contentType());
    }

    @org.junit.jupiter.api.Test
    void aMultiByteCharacterCutByTheHeadIsTextButOneCutByTheEndIsNot() {
        // 5 ASCII bytes, then two-byte characters: the head's last byte is the first half of one
        byte[] big = ("a\tb\nx" + "é".repeat(FormatSniffer.HEAD)).getBytes(StandardCharsets.UTF_8);
        assertEquals(Format.TSV, FormatSniffer.detect("x", big, FormatSniffer.HEAD).format());
        byte[] truncated = java.util.Arrays.copyOf("a\tb\né".getBytes(StandardCharsets.UTF_8), 5);
        assertEquals(
                Format.BINARY, FormatSniffer.detect("x", truncated, truncated.length).format());
    }
}
