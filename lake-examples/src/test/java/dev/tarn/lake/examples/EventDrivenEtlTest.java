package dev.tarn.lake.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventDrivenEtlTest {
    @TempDir Path tmp;

    @Test
    void dropsFlowIntoTheDatabaseAndTheSubscriptionSeesEveryKpiVersionOnce() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Path dir = tmp.resolve("event-lake");
        EventDrivenEtl.Outcome o =
                new EventDrivenEtl(new PrintStream(buf, true, StandardCharsets.UTF_8)).run(dir);
        String out = buf.toString(StandardCharsets.UTF_8);

        // the database holds exactly the KPI table's rows, read back over plain JDBC
        assertFalse(o.analytics().isEmpty(), out);
        assertEquals(List.of("hats", "shirts", "shoes"), categories(o.analytics()), out);
        assertEquals(o.analytics(), o.database(), out);
        assertTrue(out.contains("equal, row for row"), out);

        // the KPI table: created (0), then rewritten once per pass that had new clicks (the first
        // pass and each of the three drops in watch mode); the subscription reacted to each
        // version once, in order
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), o.kpiVersions(), out);
        assertEquals(o.kpiVersions(), o.kpiVersionsSeen(), out);
        for (long v : o.kpiVersions()) {
            assertTrue(out.contains("[kpi-alerts] analytics/revenue@" + v + " "), out);
        }

        // every drop converted: the table holds each click once
        assertEquals(List.of(1250L, 1250L), clicks(dir)); // 400 + 400 + 3 x 150
        assertTrue(out.contains("clicks     convert UP_TO_DATE"), out);
        assertTrue(out.contains("drop 5 is in the table, the KPI and the database"), out);
        assertTrue(out.contains("dead letters: 0"), out);
    }

    private static List<Object> categories(List<List<Object>> rows) {
        return rows.stream().map(r -> r.get(0)).collect(Collectors.toList());
    }

    private static List<Long> clicks(Path dir) {
        try (var lake = dev.tarn.lake.Lake.open(dir)) {
            var r =
                    dev.tarn.lake.query.Sql.of(lake)
                            .query(
                                    "SELECT count(*), count(DISTINCT event_id) FROM processed.clicks");
            return List.of(((Number) r.get(0, 0)).longValue(), ((Number) r.get(0, 1)).longValue());
        }
    }
}
