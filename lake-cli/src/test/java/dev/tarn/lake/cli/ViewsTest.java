package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.catalog.Format;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.ingest.IngestedObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The output records are the JSON contract: their keys come out in the documented order
 * (docs/cli.md), unwrapped records in place, timestamps as ISO 8601 text, and CSV reads the same
 * values.
 */
class ViewsTest {
    private static final Instant T = Instant.parse("2026-11-21T05:40:59.674157701Z");
    private static final DatasetId ID = DatasetId.of("raw", "events");
    private static final LakeObject OBJECT =
            new LakeObject(
                    ID,
                    "2026/e.ndjson",
                    12,
                    "ab".repeat(32),
                    "application/x-ndjson",
                    Format.NDJSON,
                    "e.ndjson",
                    T,
                    "/in/e.ndjson",
                    Map.of("day", "1"),
                    Map.of(),
                    4);

    private static List<String> keys(Record r) throws Exception {
        JsonNode n = CliJson.MAPPER.readTree(CliJson.write(r));
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void recordsWriteTheDocumentedKeysInOrder() throws Exception {
        assertEquals(Views.OBJECT_KEYS, keys(Views.ObjectView.of(OBJECT)));
        Dataset d =
                new Dataset(
                        ID,
                        DatasetKind.OBJECTS,
                        "ndjson",
                        1,
                        12,
                        T,
                        T,
                        4,
                        "ana",
                        null,
                        Map.of("pii", "no"));
        assertEquals(Views.DATASET_KEYS, keys(Views.DatasetView.of(d)));
        List<String> describe = new ArrayList<>(Views.DATASET_KEYS);
        describe.addAll(
                List.of("formats", "partitions", "notInSql", "schema", "badObjects", "table"));
        assertEquals(
                describe,
                keys(Views.DescribeView.of(d, List.of(OBJECT), null, null, List.of(), null)));

        String json = CliJson.write(Views.ObjectView.of(OBJECT));
        assertTrue(json.contains("\"ingestedAt\": \"2026-11-21T05:40:59.674157701Z\""), json);
        String dataset = CliJson.write(Views.DatasetView.of(d));
        assertTrue(
                dataset.contains("\"description\": null,"),
                "a null is written, not left out: " + dataset);
    }

    @Test
    void anIngestedObjectNamesWhatItDuplicatesOnlyWhenItIsADuplicate() throws Exception {
        var stored =
                Views.IngestedView.of(
                        new IngestedObject(
                                IngestedObject.Status.STORED, "e.ndjson", "/in/e.ndjson", OBJECT));
        List<String> expected = new ArrayList<>(Views.IngestedView.CSV_KEYS);
        expected.remove("duplicateOf");
        assertEquals(expected, keys(stored));
        var dup =
                Views.IngestedView.of(
                        new IngestedObject(
                                IngestedObject.Status.DUPLICATE,
                                "copy.ndjson",
                                "/in/copy.ndjson",
                                OBJECT));
        assertEquals(Views.IngestedView.CSV_KEYS, keys(dup));
        JsonNode n = CliJson.MAPPER.readTree(CliJson.write(dup));
        assertEquals(
                "copy.ndjson", n.get("originalName").asText(), "the name this ingest was given");
        assertEquals("2026/e.ndjson", n.get("duplicateOf").asText());

        // CSV reads the records' values: the unwrapped object's fields, a later key's value over an
        // earlier one's.
        String csv = Csv.records(Views.IngestedView.CSV_KEYS, List.of(stored, dup));
        List<String> lines = csv.lines().toList();
        assertEquals(String.join(",", Views.IngestedView.CSV_KEYS), lines.get(0));
        assertTrue(lines.get(1).startsWith("stored,raw/events,2026/e.ndjson,"), csv);
        assertTrue(
                lines.get(2)
                        .contains(
                                ",copy.ndjson,2026-11-21T05:40:59.674157701Z,/in/copy.ndjson,day=1,,4,"
                                        + "2026/e.ndjson"),
                csv);
        assertFalse(csv.contains("ObjectView["), "never a record's toString");
    }
}
