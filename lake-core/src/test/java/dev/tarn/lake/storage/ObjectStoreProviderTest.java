package dev.tarn.lake.storage;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.TarnException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoreProviderTest {
    @TempDir Path tmp;

    @Test
    void aUriLocationOpensThroughTheProviderForItsScheme() {
        Path root = tmp.resolve("lake");
        try (Lake lake =
                Lake.builder().location("dir://" + root).storeOption("unused", "x").open()) {
            lake.ingest("raw/a").bytes("hi".getBytes(), "hi.txt").commit();
        }
        assertTrue(
                Files.isDirectory(root.resolve("_tarn/catalog/log")),
                "the lake was written through the store");
        try (Lake again = Lake.open(root)) {
            assertEquals(1, again.catalog().datasets().size());
        }
    }

    @Test
    void optionsAreCheckedByTheProvider() {
        var e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Lake.builder()
                                        .location("dir://" + tmp)
                                        .storeOption("regoin", "eu")
                                        .open());
        assertTrue(e.getMessage().contains("regoin"), e.getMessage());
    }

    @Test
    void aSchemeWithoutProviderSaysWhichModuleToAdd() {
        var e = assertThrows(TarnException.class, () -> Lake.open("s3://bucket/prefix"));
        assertTrue(e.getMessage().contains("dev.tarn:lake-s3"), e.getMessage());
        assertTrue(
                e.getMessage().contains("dir"),
                "lists the schemes that are available: " + e.getMessage());
    }

    @Test
    void storeOptionsOnALocalDirectoryAreAMistake() {
        assertThrows(
                IllegalStateException.class,
                () -> Lake.builder().location(tmp.resolve("x")).storeOption("region", "eu").open());
    }
}
