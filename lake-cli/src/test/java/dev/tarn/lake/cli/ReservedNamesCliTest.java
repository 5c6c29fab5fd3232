package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zone names SQL cannot show: refused when made; a lake that has one still works, and doctor names
 * it.
 */
class ReservedNamesCliTest {
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
                "order"
            })
    void zoneCreateAndInitRefuseThem(String name) {
        CliRunner lake = new CliRunner(dir.resolve("lake"));
        assertEquals(0, lake.run("init").code());
        CliRunner.Result r = lake.run("zone", "create", name);
        assertEquals(2, r.code(), r::toString);
        assertTrue(
                r.stderr().startsWith("lake: zone name '" + name + "' is ")
                        && r.stderr().contains("SQL"),
                r::toString);
        assertFalse(lake.run("zones", "-o", "csv").out().contains(name));
        CliRunner other = new CliRunner(dir.resolve("other"));
        CliRunner.Result init = other.run("init", "--zones", "raw," + name);
        assertEquals(2, init.code(), init::toString);
        assertFalse(Files.exists(dir.resolve("other/_tarn")), "no lake made");
    }

    @Test
    void aLakeThatHasOneStillWorksAndDoctorNamesIt() throws Exception {
        Path root = dir.resolve("lake");
        CliRunner lake = new CliRunner(root);
        assertEquals(0, lake.run("init").code());
        assertEquals(0, lake.run("zone", "create", "extra").code());
        // as a lake written before the rule has it
        dev.tarn.lake.testing.LegacyCatalog.renameZoneInNewestEntry(
                root, "extra", "information_schema");
        Path clicks = dir.resolve("c.ndjson");
        Files.writeString(clicks, "{\"user\":1}\n{\"user\":2}\n");
        assertEquals(0, lake.run("ingest", "raw/clicks", clicks.toString()).code());
        assertEquals(0, lake.run("ingest", "information_schema/hidden", clicks.toString()).code());

        assertEquals(
                "n\n2\n",
                lake.run("sql", "SELECT count(*) AS n FROM raw.clicks", "-o", "csv").out());
        CliRunner.Result describe = lake.run("describe", "raw/clicks");
        assertEquals(0, describe.code(), describe::toString);
        assertTrue(describe.out().contains("user"), describe::toString);
        CliRunner.Result hidden = lake.run("sql", "SELECT * FROM information_schema.hidden");
        assertEquals(1, hidden.code(), hidden::toString);
        assertTrue(hidden.stderr().contains("RESERVED_NAME"), hidden::toString);

        CliRunner.Result doctor = lake.run("doctor", "-o", "json");
        assertEquals(1, doctor.code(), doctor::toString);
        JsonNode findings = doctor.json().get("findings");
        assertEquals(1, findings.size(), doctor::toString);
        assertEquals("reserved_name", findings.get(0).get("kind").asText());
        assertEquals("information_schema", findings.get(0).get("key").asText());
        CliRunner.Result text = lake.run("doctor");
        assertTrue(text.out().contains("information_schema"), text::toString);
    }
}
