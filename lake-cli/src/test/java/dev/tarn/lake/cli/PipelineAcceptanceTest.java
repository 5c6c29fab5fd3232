package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's acceptance 1: its pipeline file, with a PostgreSQL sink beside the SQLite one, run
 * with {@code lake pipeline run --once}: exact tables and database rows; a re-run changes nothing;
 * two new raw objects flow through exactly once, and the sinks then hold exactly the new state.
 */
class PipelineAcceptanceTest {
    @RegisterExtension static PostgresServer postgres = new PostgresServer();

    @TempDir Path dir;

    static final String[] FIRST = {
        "{\"event_type\":\"view\",\"category\":\"books\",\"price\":12.5,\"quantity\":1,\"user\":\"u1\"}",
        "{\"event_type\":\"buy\",\"category\":\"books\",\"price\":12.5,\"quantity\":2,\"user\":\"u1\"}",
        "{\"event_type\":\"buy\",\"category\":\"games\",\"price\":59.99,\"quantity\":1,\"user\":\"u2\"}",
        "{\"event_type\":\"cart\",\"category\":\"toys\",\"price\":7.25,\"quantity\":4}",
        "{\"event_type\":\"view\",\"category\":\"garden & outdoor\",\"price\":0,\"quantity\":0,\"user\":null}"
    };
    static final String[] SECOND = {
        "{\"event_type\":\"buy\",\"category\":\"toys\",\"price\":7.25,\"quantity\":2,\"user\":\"u3\"}",
        "{\"event_type\":\"buy\",\"category\":\"music\",\"price\":9.99,\"quantity\":3,\"user\":\"u4\"}"
    };
    static final String[] THIRD = {
        "{\"event_type\":\"view\",\"category\":\"books\",\"price\":12.5,\"quantity\":1,\"user\":\"u5\"}"
    };

    @Test
    void theIssuesPipelineRunsOnceExactlyAndIncrementally() throws Exception {
        Path lakeDir = dir.resolve("lake");
        CliRunner cli = new CliRunner(lakeDir);
        String sqlite = "jdbc:sqlite:" + dir.resolve("shop.db");
        String pg = postgres.newDatabase();
        cli.env("SHOP_PG", pg);
        assertEquals(0, cli.run("init").code());
        Path file = dir.resolve("shop.yaml");
        Files.writeString(
                file,
                """
                steps:
                  - name: clicks
                    convert: {from: raw/clicks, to: processed/clicks, partition_by: [event_type]}
                  - name: revenue
                    sql: {to: analytics/revenue, mode: replace,
                          query: "SELECT category, sum(price * quantity) AS revenue FROM processed.clicks GROUP BY category"}
                  - name: revenue_db
                    sink: {from: analytics/revenue, jdbc: "SQLITE", table: revenue, mode: upsert, key: [category]}
                  - name: revenue_pg
                    sink: {from: analytics/revenue, jdbc: "${SHOP_PG}", table: revenue, mode: upsert, key: [category]}
                """
                        .replace("SQLITE", sqlite));
        land(cli, "first.ndjson", FIRST);
        var run = cli.run("pipeline", "run", file.toString(), "-o", "json");
        assertEquals(0, run.code(), run::toString);
        List<String> all = new ArrayList<>(List.of(FIRST));
        checkExact(lakeDir, sqlite, pg, all);
        Map<String, Long> versions = versions(lakeDir);

        var again = cli.run("pipeline", "run", file.toString(), "-o", "json");
        assertEquals(0, again.code(), again::toString);
        again.json()
                .get("steps")
                .forEach(
                        s ->
                                assertEquals(
                                        "up-to-date", s.get("outcome").asText(), again::toString));
        assertEquals(versions, versions(lakeDir), "a re-run changes nothing");
        checkExact(lakeDir, sqlite, pg, all);

        land(cli, "second.ndjson", SECOND);
        land(cli, "third.ndjson", THIRD);
        var third = cli.run("pipeline", "run", file.toString(), "-o", "json");
        assertEquals(0, third.code(), third::toString);
        all.addAll(List.of(SECOND));
        all.addAll(List.of(THIRD));
        checkExact(lakeDir, sqlite, pg, all);
        var status = cli.run("pipeline", "status", file.toString(), "-o", "json");
        assertEquals(0, status.code());
        status.json()
                .get("steps")
                .forEach(s -> assertEquals(0, s.get("lag").asLong(), status::toString));
        Map<String, Long> after = versions(lakeDir);
        assertEquals(0, cli.run("pipeline", "run", file.toString()).code());
        assertEquals(after, versions(lakeDir), "and again nothing changes");
    }

    private static void land(CliRunner cli, String name, String[] lines) throws Exception {
        Path f = Files.createTempDirectory("land").resolve(name);
        Files.writeString(f, String.join("\n", lines) + "\n");
        assertEquals(0, cli.run("ingest", "raw/clicks", f.toString()).code());
    }

    /** Revenue by category, computed here from the raw lines. */
    private static Map<String, Double> expected(List<String> lines) throws Exception {
        Map<String, Double> m = new TreeMap<>();
        for (String l : lines) {
            var n = CliRunner.JSON.readTree(l);
            m.merge(
                    n.get("category").asText(),
                    n.get("price").asDouble() * n.get("quantity").asLong(),
                    Double::sum);
        }
        m.replaceAll((k, v) -> Math.round(v * 1e6) / 1e6);
        return m;
    }

    private static void checkExact(Path lakeDir, String sqlite, String pg, List<String> lines)
            throws Exception {
        Map<String, Double> want = expected(lines);
        try (Lake lake = Lake.open(lakeDir)) {
            Sql sql = Sql.of(lake);
            assertEquals(
                    (long) lines.size(),
                    sql.query("SELECT count(*) FROM processed.clicks").rows().get(0).get(0));
            assertEquals(
                    want, rows(sql.resultSet("SELECT category, revenue FROM analytics.revenue")));
        }
        try (Connection c = DriverManager.getConnection(sqlite)) {
            assertEquals(
                    want,
                    rows(
                            c.createStatement()
                                    .executeQuery("SELECT category, revenue FROM revenue")));
        }
        try (Connection c = DriverManager.getConnection(pg)) {
            assertEquals(
                    want,
                    rows(
                            c.createStatement()
                                    .executeQuery("SELECT category, revenue FROM revenue")));
        }
    }

    private static Map<String, Double> rows(ResultSet rs) throws Exception {
        Map<String, Double> m = new TreeMap<>();
        try (rs) {
            while (rs.next()) {
                assertNull(
                        m.put(rs.getString(1), Math.round(rs.getDouble(2) * 1e6) / 1e6),
                        "one row per key");
            }
        }
        return m;
    }

    private static Map<String, Long> versions(Path lakeDir) {
        try (Lake lake = Lake.open(lakeDir)) {
            return Map.of(
                    "clicks", Tables.of(lake).load("processed/clicks").snapshot().version(),
                    "revenue", Tables.of(lake).load("analytics/revenue").snapshot().version());
        }
    }
}
