package dev.tarn.lake.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
    @TempDir
    Path dir;

    @Test
    void ndjsonToParquet() throws Exception {
        Path in = dir.resolve("a.ndjson");
        Files.writeString(in, "{\"a\":1,\"b\":\"x\",\"c\":{\"d\":1.5},\"e\":[1,2]}\n{\"a\":2,\"b\":null,\"e\":[]}\n",
                StandardCharsets.UTF_8);
        ConversionReport r = Conversion.of(in).output(Output.file(dir.resolve("a.parquet"))).run();
        System.out.println(r.summary());
        try (Duck d = new Duck()) {
            System.out.println(d.describe("'" + dir.resolve("a.parquet") + "'"));
            System.out.println(d.rows("SELECT * FROM '" + dir.resolve("a.parquet") + "' ORDER BY a"));
            assertEquals("2", d.one("SELECT count(*) FROM '" + dir.resolve("a.parquet") + "'"));
        }
    }
}
