package dev.tarn.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog record damaged into something impossible (an object key with a {@code ..} segment, an
 * unknown format) is damage to the lake, not a usage error: exit 1 naming the entry and {@code lake
 * doctor}, never exit 2. Entries written before entries were sealed with a hash are read without
 * one, as these are.
 */
class DamagedRecordTest {
    @TempDir Path dir;
    CliRunner lake;

    @BeforeEach
    void setUp() throws Exception {
        lake = new CliRunner(dir.resolve("lake"));
        Path f = dir.resolve("a.ndjson");
        Files.writeString(f, "{\"a\":1}\n");
        assertEquals(0, lake.run("ingest", "raw/clicks", f.toString()).code());
    }

    /** Entry 2, as a Tarn without sealed entries would have written it, holding {@code add}. */
    void writeEntry2(String add) throws Exception {
        Files.writeString(
                lake.lake().resolve("_tarn/catalog/log/00000000000000000002.json"),
                "{\"commitInfo\":{\"timestamp\":\"2030-01-01T00:00:00Z\",\"operation\":\"ingest\"}}\n"
                        + "{\"add\":{\"zone\":\"raw\",\"dataset\":\"clicks\","
                        + add
                        + ",\"size\":1,"
                        + "\"sha256\":\"00\",\"contentType\":\"text/plain\",\"originalName\":\"x\","
                        + "\"ingestedAt\":\"2030-01-01T00:00:00Z\",\"source\":\"x\"}}\n");
    }

    @Test
    void anObjectKeyThatCannotBeAKeyExitsOneNamingTheEntry() throws Exception {
        writeEntry2("\"path\":\"p/../../../etc/passwd\",\"format\":\"text\"");
        for (String[] cmd :
                new String[][] {
                    {"ls", "raw/clicks"}, {"cat", "raw/clicks/passwd"}, {"describe", "raw/clicks"}
                }) {
            CliRunner.Result r = lake.run(cmd);
            assertEquals(1, r.code(), r::toString);
            assertTrue(r.stderr().contains("00000000000000000002.json"), r::toString);
            assertTrue(r.stderr().contains("invalid key"), r::toString);
            assertTrue(r.stderr().contains("lake doctor"), r::toString);
        }
        CliRunner.Result doctor = lake.run("doctor");
        assertEquals(1, doctor.code(), doctor::toString);
        assertTrue(doctor.out().contains("corrupt_log_entry"), doctor::toString);
    }

    @Test
    void anUnknownFormatInARecordExitsOneNotTwo() throws Exception {
        writeEntry2("\"path\":\"x.bin\",\"format\":\"hologram\"");
        CliRunner.Result r = lake.run("ls", "raw/clicks");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.stderr().contains("00000000000000000002.json"), r::toString);
        assertTrue(r.stderr().contains("lake doctor"), r::toString);
    }

    @Test
    void catOfAnObjectCutBehindTheLakeExitsOneNamingIt() throws Exception {
        Path f = dir.resolve("big.ndjson");
        Files.writeString(f, "{\"a\":1}\n".repeat(20000));
        CliRunner.Result in = lake.run("ingest", "raw/clicks", f.toString(), "-o", "json");
        String key = in.json().get("objects").get(0).get("key").asText();
        Path stored = lake.lake().resolve(key);
        byte[] bytes = Files.readAllBytes(stored);
        Files.write(stored, java.util.Arrays.copyOf(bytes, bytes.length - 8)); // whole lines gone
        CliRunner.Result r = lake.run("cat", "raw/clicks/big.ndjson");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.stderr().contains(key) && r.stderr().contains("lake doctor"), r::toString);
        bytes[100] = 'X';
        Files.write(stored, bytes); // same size, other bytes
        r = lake.run("cat", "raw/clicks/big.ndjson");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.stderr().contains("altered"), r::toString);
    }
}
