package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports of one dataset whose headers differ only in case become one table (the first spelling
 * kept); a header that names a column twice is a one-line error naming the file and line. Inputs
 * are generated with a BOM and CRLF line ends, as spreadsheet exports have them.
 */
class ColumnCaseCliTest {
    @TempDir Path dir;

    private Path export(String name, String... lines) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
        for (String l : lines) {
            b.writeBytes((l + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        return Files.write(dir.resolve(name), b.toByteArray());
    }

    @Test
    void headersDifferingOnlyInCaseConvertIntoOneTable() throws Exception {
        CliRunner lake = new CliRunner(dir.resolve("lake"));
        Path a = export("a.csv", "ID,Name,Score", "1,ann,10", "2,bob,20");
        Path b = export("b.csv", "id,name,score", "3,cy,30.5");
        assertEquals(0, lake.run("ingest", "raw/people", a.toString(), b.toString()).code());

        CliRunner.Result r = lake.run("convert", "raw/people", "processed/people", "-o", "json");
        assertEquals(0, r.code(), r.toString());
        assertEquals(3, r.json().get("rowsWritten").asLong(), r.toString());
        JsonNode rows =
                lake.run(
                                "sql",
                                "SELECT \"ID\", \"Name\", \"Score\" FROM processed.people ORDER BY 1",
                                "-o",
                                "json")
                        .json();
        assertEquals(3, rows.size(), rows.toString());
        assertEquals("cy", rows.get(2).get("Name").asText());
        assertEquals(30.5, rows.get(2).get("Score").asDouble());

        Path out = dir.resolve("people.parquet");
        CliRunner.Result file =
                lake.run("convert-file", a.toString(), b.toString(), out.toString(), "-o", "json");
        assertEquals(0, file.code(), file.toString());
        List<String> columns = new java.util.ArrayList<>();
        file.json()
                .get("schema")
                .forEach(c -> columns.add(c.get("name").asText() + " " + c.get("type").asText()));
        assertEquals(
                List.of("ID INTEGER", "Name VARCHAR", "Score DOUBLE"), columns, file.toString());
    }

    @Test
    void aHeaderNamingAColumnTwiceFailsWithFileAndLineAndLeavesTheLakeClean() throws Exception {
        CliRunner lake = new CliRunner(dir.resolve("lake"));
        Path dup = export("dup.csv", "id,name,ID", "1,a,2");
        assertEquals(0, lake.run("ingest", "raw/dups", dup.toString()).code());

        CliRunner.Result r = lake.run("convert", "raw/dups", "processed/dups");
        assertEquals(1, r.code(), r.toString());
        String err = r.stderr().strip();
        assertTrue(!err.contains("\n"), err);
        assertTrue(
                err.contains(
                        "dup.csv line 1: columns \"id\" and \"ID\" of the header differ only in case"),
                err);
        assertEquals(0, lake.run("doctor").code());

        CliRunner.Result file =
                lake.run("convert-file", dup.toString(), dir.resolve("o.parquet").toString());
        assertEquals(1, file.code(), file.toString());
        assertTrue(file.stderr().contains("dup.csv line 1:"), file.stderr());
        assertTrue(!Files.exists(dir.resolve("o.parquet")));
    }
}
