package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One dataset with a malformed CSV among good ones: {@code lake sql} fails naming the object and
 * the reason, {@code --skip-bad-objects} returns the good rows and names what it skipped, and
 * {@code describe} names the bad object next to the schema of the others.
 */
class BadObjectsCliTest {
    private static final String MIXED = "raw/sales/ingest_date=2026-12-01/mar.csv";

    @TempDir Path dir;
    CliRunner lake;

    @BeforeEach
    void setUp() throws Exception {
        lake = new CliRunner(dir.resolve("lake"));
        Files.writeString(dir.resolve("jan.csv"), "date,value\n2026-01-01,1\n2026-01-02,2\n");
        Files.writeString(dir.resolve("feb.csv"), "date,value\n2026-02-01,3\n2026-02-02,4\n");
        Files.writeString(
                dir.resolve("mar.csv"),
                "date,value\r\n2026-03-01,5\n2026-03-02,6\r\n2026-03-03,7\n");
        var r =
                lake.run(
                        "ingest",
                        "raw/sales",
                        dir.resolve("jan.csv").toString(),
                        dir.resolve("feb.csv").toString(),
                        dir.resolve("mar.csv").toString(),
                        "--partition",
                        "ingest_date=2026-12-01");
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void theErrorNamesTheObjectAndTheReason() {
        var r = lake.run("sql", "SELECT date, sum(value) FROM raw.sales GROUP BY 1 ORDER BY 1");
        assertEquals(1, r.code(), r.toString());
        assertEquals("", r.out());
        assertEquals(
                "lake: query failed: raw/sales cannot be read: object "
                        + MIXED
                        + " is malformed: mixed line"
                        + " endings (CRLF and LF) (lake sql --skip-bad-objects, or SqlOptions.skipBadObjects(true), reads"
                        + " the rest)\n",
                r.stderr());
        assertFalse(r.stderr().contains("not found"));
    }

    @Test
    void skipBadObjectsReturnsTheGoodRowsAndNamesTheSkippedObject() throws Exception {
        var r =
                lake.run(
                        "sql",
                        "--skip-bad-objects",
                        "SELECT date, value FROM raw.sales ORDER BY date",
                        "-o",
                        "csv");
        assertEquals(0, r.code(), r.toString());
        assertEquals(
                "date,value\n2026-01-01,1\n2026-01-02,2\n2026-02-01,3\n2026-02-02,4\n", r.out());
        assertEquals(
                "lake: skipped "
                        + MIXED
                        + ": mixed line endings (CRLF and LF)\n"
                        + "lake: 1 malformed object was left out (--skip-bad-objects)\n",
                r.stderr());

        var j =
                lake.run(
                        "sql",
                        "--skip-bad-objects",
                        "SELECT count(*) AS n FROM raw.sales",
                        "-o",
                        "json");
        assertEquals(0, j.code(), j.toString());
        assertEquals(4, j.json().get(0).get("n").asLong(), "stdout stays the rows");
        JsonNode note = CliRunner.JSON.readTree(j.stderr().strip());
        JsonNode skipped = note.get("skippedObjects");
        assertEquals(1, skipped.size());
        assertEquals("raw/sales", skipped.get(0).get("dataset").asText());
        assertEquals(MIXED, skipped.get(0).get("object").asText());
        assertEquals("mixed line endings (CRLF and LF)", skipped.get(0).get("reason").asText());

        // the skipped object is still in the lake, as ingested
        assertEquals(3, lake.run("ls", "raw/sales", "-o", "json").json().size());
    }

    @Test
    void describeNamesTheBadObjectAndShowsTheSchemaOfTheOthers() {
        var r = lake.run("describe", "raw/sales", "-o", "json");
        assertEquals(
                1, r.code(), "as doctor: the document, and exit 1 for what cannot be read: " + r);
        assertEquals(
                "lake: raw/sales has 1 object SQL cannot read: "
                        + MIXED
                        + " (mixed line endings (CRLF and"
                        + " LF)); queries on it fail, 'lake sql --skip-bad-objects' reads the rest, 'lake doctor' checks the"
                        + " bytes\n",
                r.stderr());
        JsonNode d = r.json();
        assertEquals("date", d.get("schema").get(0).get("name").asText());
        assertEquals("DATE", d.get("schema").get(0).get("type").asText());
        assertEquals(3, d.get("schema").size(), "date, value, ingest_date: " + d.get("schema"));
        assertEquals(1, d.get("badObjects").size());
        assertEquals(MIXED, d.get("badObjects").get(0).get("object").asText());
        String text = lake.run("describe", "raw/sales").out();
        assertTrue(
                text.contains("\nschema:      date DATE, value INTEGER, ingest_date DATE\n"), text);
        assertTrue(
                text.contains(
                        "\nmalformed:   1 object SQL cannot read (queries fail naming them; 'lake sql"
                                + " --skip-bad-objects' reads the rest): "
                                + MIXED
                                + " (mixed line endings (CRLF and LF))\n"),
                text);
        assertFalse(text.contains("NULL"), text);
    }
}
