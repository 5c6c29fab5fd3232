package dev.tarn.lake.testing.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExportCorpusTest {

    @Test
    void theSameSeedGivesTheSameBytes() {
        List<Shape> a = new ExportCorpus(7).all(), b = new ExportCorpus(7).all();
        for (int i = 0; i < a.size(); i++) {
            for (int f = 0; f < a.get(i).files().size(); f++) {
                assertArrayEquals(a.get(i).files().get(f).bytes(), b.get(i).files().get(f).bytes());
            }
        }
    }

    @Test
    void shapesHaveTheTraitsTheyAreMeantToTest() {
        ExportCorpus c = new ExportCorpus(7);
        byte[] geo = c.geoJson().files().get(0).bytes();
        assertTrue(geo.length > 64 * 1024, "GeoJSON must exceed 64 KiB, is " + geo.length);
        assertTrue(
                new String(geo, StandardCharsets.UTF_8).lines().count() > 1000, "pretty-printed");
        assertEquals((byte) 0xEF, c.naiveTimestampsWithT().files().get(0).bytes()[0], "BOM");
        assertTrue(
                new String(c.headerCase().files().get(1).bytes(), StandardCharsets.UTF_8)
                        .contains("\r\n"));
        Set<Object> regions = new HashSet<>();
        c.partitions().rows().forEach(r -> regions.add(r.get("region")));
        assertEquals(500, regions.size());
        assertEquals(10_000, c.partitions().rows().size());
        String first =
                new String(c.partitions().files().get(0).bytes(), StandardCharsets.UTF_8)
                        .lines()
                        .skip(1)
                        .findFirst()
                        .orElseThrow();
        assertTrue(!first.startsWith("0,"), "rows are shuffled");
    }
}
