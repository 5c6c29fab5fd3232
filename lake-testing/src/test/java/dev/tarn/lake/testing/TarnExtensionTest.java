package dev.tarn.lake.testing;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

class TarnExtensionTest {
    static final List<Path> SEEN = new ArrayList<>();

    @AfterAll
    static void everyLakeWasDeleted() {
        assertFalse(SEEN.isEmpty());
        for (Path p : SEEN) {
            assertFalse(Files.exists(p), "deleted after its test: " + p);
        }
    }

    @Nested
    @ExtendWith(TarnExtension.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Declarative {
        @TempLake Lake lake;

        @Test
        @Order(1)
        void aFieldGetsAFreshLake() {
            SEEN.add(TarnExtension.directoryOf(lake));
            assertTrue(lake.catalog().datasets().isEmpty());
            lake.ingest("raw/clicks").bytes("{\"a\":1}\n".getBytes(), "a.ndjson").commit();
            assertEquals(1, lake.catalog().objects(DatasetId.parse("raw/clicks")).size());
        }

        @Test
        @Order(2)
        void theNextTestStartsEmptyAgain() {
            SEEN.add(TarnExtension.directoryOf(lake));
            assertTrue(lake.catalog().datasets().isEmpty(), "no data from the previous test");
        }

        @Test
        void aParameterIsTheSameLakeAsTheField(Lake param) {
            assertSame(lake, param);
        }

        @Test
        void zonesCanBeChosenPerParameter(@TempLake(zones = {"raw", "ml"}) Lake ml) {
            SEEN.add(TarnExtension.directoryOf(ml));
            assertNotSame(lake, ml);
            assertEquals(List.of("raw", "ml"), ml.zones().stream().map(z -> z.name()).toList());
        }
    }

    @Nested
    class Programmatic {
        @RegisterExtension final TarnExtension tarn = TarnExtension.withZones("raw", "ml");

        @Test
        void theExtensionHandsOutTheTestsLake() {
            Lake lake = tarn.lake();
            SEEN.add(TarnExtension.directoryOf(lake));
            assertEquals(List.of("raw", "ml"), lake.zones().stream().map(z -> z.name()).toList());
            lake.ingest("ml/models").bytes(new byte[] {0, 1, 2}, "model.bin").commit();
            assertEquals(1, lake.catalog().datasets("ml").size());
        }
    }

    @Test
    void lakeOutsideATestIsAClearError() {
        var e =
                assertThrows(
                        IllegalStateException.class, () -> TarnExtension.withZones("raw").lake());
        assertTrue(e.getMessage().contains("from a test method"));
    }
}
