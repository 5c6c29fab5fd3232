package dev.tarn.lake.catalog;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.doctor.Finding;
import dev.tarn.lake.exceptions.IllegalNameException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zones named like the SQL engine's catalogs and schemas (or like SQL keywords) are refused when
 * they would be made; a lake that has one from before still opens, and doctor names it.
 */
class ReservedZoneNamesTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "information_schema",
                "pg_catalog",
                "main",
                "memory",
                "system",
                "select",
                "order",
                "default",
                "join"
            })
    void zonesSqlCannotShowAreRefusedWhereverAZoneIsMade(String name) {
        try (Lake lake = Lake.open(dir.resolve("lake"))) {
            var e = assertThrows(IllegalNameException.class, () -> lake.createZone(name, "x"));
            assertTrue(e.getMessage().startsWith("zone name '" + name + "' is "), e.getMessage());
            assertTrue(e.getMessage().contains("SQL"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertEquals(
                    List.of("analytics", "processed", "raw"),
                    lake.zones().stream().map(Zone::name).sorted().toList(),
                    "nothing committed");
        }
        assertThrows(
                IllegalNameException.class,
                () -> Lake.builder().location(dir.resolve("other")).zones("raw", name));
        assertFalse(Files.exists(dir.resolve("other")), "no lake made");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"main", "memory", "system", "information_schema", "select", "order", "raw"})
    void datasetNamesHaveNoSuchConflict(String name) {
        // after the dot DuckDB takes every name of the rule (measured in lake-query's
        // ReservedNamesEngineTest)
        assertEquals(name, Names.checkNew("dataset", name));
        try (Lake lake = Lake.open(dir.resolve("lake"))) {
            lake.ingest(DatasetId.of("raw", name))
                    .bytes("a".getBytes(StandardCharsets.UTF_8), "a.txt")
                    .commit();
            assertTrue(lake.catalog().dataset(DatasetId.of("raw", name)).isPresent());
        }
    }

    @Test
    void aLakeThatAlreadyHasSuchAZoneOpensAndDoctorNamesIt() throws Exception {
        Path lakeDir = dir.resolve("lake");
        try (Lake lake = Lake.open(lakeDir)) {
            lake.createZone("extra", "made before such names were refused");
        }
        writeZoneByHand(lakeDir, "extra", "information_schema");
        try (Lake lake = Lake.open(lakeDir)) {
            assertTrue(lake.zones().stream().anyMatch(z -> z.name().equals("information_schema")));
            lake.ingest("raw/clicks")
                    .bytes("{}".getBytes(StandardCharsets.UTF_8), "c.ndjson")
                    .commit();
            DoctorReport r = lake.doctor().check();
            List<Finding> reserved =
                    r.findings().stream()
                            .filter(f -> f.kind() == Finding.Kind.RESERVED_NAME)
                            .toList();
            assertEquals(1, reserved.size(), r.findings().toString());
            assertEquals("information_schema", reserved.get(0).key());
            assertTrue(
                    reserved.get(0).detail().contains("catalog or schema of the SQL engine"),
                    reserved.get(0).detail());
            assertFalse(r.isClean());
            assertFalse(
                    lake.doctor().repair().findings().stream()
                            .filter(f -> f.kind() == Finding.Kind.RESERVED_NAME)
                            .findFirst()
                            .orElseThrow()
                            .repaired(),
                    "renaming a zone is the operator's decision");
        }
    }

    /**
     * Renames a zone in the catalog entry that created it, as a lake written before the rule (or by
     * hand) has it. Test-only: the entry keeps its number, so the log has no gap.
     */
    static void writeZoneByHand(Path lakeDir, String made, String name) throws Exception {
        Path log = lakeDir.resolve("_tarn/catalog/log");
        try (var entries = Files.list(log)) {
            Path newest = entries.sorted().reduce((a, b) -> b).orElseThrow();
            String text = Files.readString(newest);
            assertTrue(text.contains("\"" + made + "\""), text);
            Files.writeString(
                    newest, unsealed(text).replace("\"" + made + "\"", "\"" + name + "\""));
        }
    }

    /**
     * The entry as a Tarn that did not seal entries wrote it (no line count and hash on its first
     * line), so that editing it by hand stands for a lake written before, not for damage. The other
     * modules' tests use lake-testing's LegacyCatalog; lake-core's cannot depend on that module.
     */
    static String unsealed(String entry) {
        int nl = entry.indexOf('\n');
        String head =
                entry.substring(0, nl)
                        .replaceAll(",\"actions\":\\d+", "")
                        .replaceAll(",\"sha256\":\"[0-9a-f]{64}\"", "");
        return head + entry.substring(nl);
    }
}
