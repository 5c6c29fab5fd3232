package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed command's exit code is its error code's (docs/errors.md); with -o json the error is one
 * JSON document on stderr that names the code, without it the one stderr line keeps the form
 * scripts parse ({@code lake: MESSAGE}).
 */
class ErrorCodesCliTest {
    @TempDir Path dir;
    CliRunner lake;

    @BeforeEach
    void setUp() {
        lake = new CliRunner(dir.resolve("lake"));
    }

    @Test
    void theExitCodeIsTheErrorCodesAndTheTextLineKeepsItsForm() {
        var missing = lake.run("ls");
        assertEquals(1, missing.code(), missing::toString);
        assertTrue(missing.stderr().matches("lake: no lake at [^\\[]*\n"), missing::toString);

        assertEquals(0, lake.run("init").code());
        var name = lake.run("ls", "RAW/x");
        assertEquals(2, name.code(), name::toString);
        assertTrue(
                name.stderr().startsWith("lake: ") && !name.stderr().contains("[INVALID_NAME]"),
                name::toString);

        var zone = lake.run("ls", "nope");
        assertEquals(1, zone.code(), zone::toString);
        assertTrue(
                zone.stderr().startsWith("lake: ") && zone.stderr().lines().count() == 1,
                zone::toString);

        var usage = lake.run("ls", "--no-such-option");
        assertEquals(2, usage.code(), usage::toString);
        assertTrue(
                usage.stderr().startsWith("lake: unknown option '--no-such-option'"),
                usage::toString);
    }

    @Test
    void withJsonOutputTheErrorIsAJsonDocument() throws Exception {
        assertEquals(0, lake.run("init").code());
        var r = lake.run("ls", "nope", "-o", "json");
        assertEquals(1, r.code(), r::toString);
        assertEquals(0, r.stdout().length, "nothing on stdout");
        assertEquals(1, r.stderr().lines().count(), r::toString);
        JsonNode error = CliRunner.JSON.readTree(r.stderr()).get("error");
        assertEquals("NOT_FOUND", error.get("code").asText());
        assertEquals("NOT_FOUND", error.get("category").asText());
        assertEquals(1, error.get("exitCode").asInt());
        assertTrue(error.get("message").asText().contains("'nope'"), error::toString);

        var name = lake.run("ls", "RAW/x", "--output", "json");
        assertEquals(2, name.code(), name::toString);
        JsonNode n = CliRunner.JSON.readTree(name.stderr()).get("error");
        assertEquals("INVALID_NAME", n.get("code").asText());
        assertEquals(2, n.get("exitCode").asInt());

        // a command line that is wrong as typed is told as text, whatever --output says
        var usage = lake.run("cat", "raw/t/a.csv", "-o", "json");
        assertEquals(2, usage.code(), usage::toString);
        assertTrue(
                usage.stderr().startsWith("lake: ") && !usage.stderr().startsWith("{"),
                usage::toString);
    }
}
