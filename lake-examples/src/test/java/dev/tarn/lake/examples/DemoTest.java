package dev.tarn.lake.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
    @TempDir Path tmp;

    @Test
    void theDemoTellsItsStoryAndLeavesAConsistentLake() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Path dir = tmp.resolve("demo-lake");
        new Demo(new PrintStream(buf, true, StandardCharsets.UTF_8)).run(dir);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("stored    raw/clicks/ingest_date="), out);
        assertTrue(out.contains("duplicate events.ndjson"), out);
        assertTrue(out.contains("clean (5 objects checked)"), out);
        assertTrue(out.contains("category | purchases | revenue"), out);
        assertTrue(out.contains("catalog=spring/hats-2.png"), out);
        assertTrue(
                out.contains("apply() previews: 1 object(s) to convert, nothing written yet"), out);
        assertTrue(
                out.contains("converted 1 object(s) of raw/clicks: 1000 rows at table version 1"),
                out);
        assertTrue(out.contains("converting again: nothing new"), out);
        assertTrue(
                out.contains(
                        "analytics/revenue_by_category: 3 rows, read from {processed/clicks=table@1}"),
                out);
        assertTrue(out.contains("at_creation | now"), out);
        try (Lake lake = Lake.open(dir)) {
            assertEquals(1, lake.catalog().objects(DatasetId.parse("raw/clicks")).size());
            assertEquals("csv", lake.catalog().dataset("raw/orders").orElseThrow().format());
            assertEquals("binary", lake.catalog().dataset("raw/images").orElseThrow().format());
            assertEquals("web-team", lake.catalog().dataset("raw/clicks").orElseThrow().owner());
            assertEquals(
                    "table", lake.catalog().dataset("processed/clicks").orElseThrow().kind().id());
            assertEquals(
                    "table",
                    lake.catalog()
                            .dataset("analytics/revenue_by_category")
                            .orElseThrow()
                            .kind()
                            .id());
        }
        // run twice: the demo starts over cleanly
        new Demo(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(dir);
    }
}
