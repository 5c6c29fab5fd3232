package dev.tarn.lake.security;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.exceptions.PermissionDeniedException;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.WriteMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Lake#store()} is behind the access policy like every other operation of a lake. */
class StoreAccessTest {
    private static final DatasetId CLICKS = DatasetId.of("raw", "clicks");

    /** admin may do anything; reader may read raw/clicks; guest may do nothing at all. */
    private static final AccessPolicy POLICY =
            (p, priv, res) ->
                    p.name().equals("admin")
                            || (p.name().equals("reader")
                                    && priv == Privilege.READ
                                    && !res.equals("lake"));

    @TempDir Path tmp;

    private Lake open() {
        return Lake.builder()
                .location(tmp.resolve("lake"))
                .principal(Principal.of("admin"))
                .accessPolicy(POLICY)
                .open();
    }

    @Test
    void aDeniedPrincipalCannotDeletePutOrReadThroughTheStore() {
        try (Lake lake = open()) {
            LakeObject o =
                    lake.ingest(CLICKS)
                            .bytes("a".getBytes(StandardCharsets.UTF_8), "a.txt")
                            .commit()
                            .objects()
                            .get(0)
                            .object();
            ObjectStore guest = lake.as(Principal.of("guest")).store();

            var e = assertThrows(PermissionDeniedException.class, () -> guest.delete(o.key()));
            assertTrue(e.getMessage().contains("guest may not write raw/clicks"), e.getMessage());
            assertTrue(lake.store().stat(o.key()).isPresent(), "the object is still there");

            assertThrows(
                    PermissionDeniedException.class,
                    () ->
                            guest.put(
                                    CLICKS.keyPrefix() + "b.txt",
                                    new byte[] {1},
                                    WriteMode.CREATE));
            assertThrows(
                    PermissionDeniedException.class,
                    () -> guest.newWriter(CLICKS.keyPrefix() + "c.txt", WriteMode.CREATE));
            assertTrue(
                    lake.store().stat(CLICKS.keyPrefix() + "b.txt").isEmpty(),
                    "nothing was written");
            assertTrue(
                    lake.store().stat(CLICKS.keyPrefix() + "c.txt").isEmpty(),
                    "nothing was written");

            assertThrows(PermissionDeniedException.class, () -> guest.get(o.key()));
            assertThrows(PermissionDeniedException.class, () -> guest.stat(o.key()));
            assertThrows(PermissionDeniedException.class, () -> guest.list(CLICKS.keyPrefix()));
            assertThrows(PermissionDeniedException.class, () -> guest.list(""));
            assertThrows(PermissionDeniedException.class, guest::pendingWrites);
        }
    }

    @Test
    void aReaderReadsItsDatasetButNotTheCatalogLogAndWritesNothing() {
        try (Lake lake = open()) {
            LakeObject o =
                    lake.ingest(CLICKS)
                            .bytes("a".getBytes(StandardCharsets.UTF_8), "a.txt")
                            .commit()
                            .objects()
                            .get(0)
                            .object();
            String catalogEntry = lake.store().list("_tarn/").get(0).key();
            ObjectStore reader = lake.as(Principal.of("reader")).store();

            assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), reader.getBytes(o.key()));
            assertEquals(
                    List.of(o.key()),
                    reader.list(CLICKS.keyPrefix()).stream().map(ObjectStat::key).toList());
            assertTrue(reader.stat(o.key()).isPresent());

            var e = assertThrows(PermissionDeniedException.class, () -> reader.delete(o.key()));
            assertTrue(e.getMessage().contains("reader may not write raw/clicks"), e.getMessage());
            assertThrows(PermissionDeniedException.class, () -> reader.get(catalogEntry));
            assertThrows(PermissionDeniedException.class, () -> reader.list("_tarn/"));
            assertThrows(PermissionDeniedException.class, () -> reader.delete(catalogEntry));
            assertTrue(lake.store().stat(o.key()).isPresent());
            assertTrue(lake.store().stat(catalogEntry).isPresent());
        }
    }

    @Test
    void aWholeLakeListingLeavesTheCatalogOutForAnyoneButAnAdmin() {
        AccessPolicy readAll = (p, priv, res) -> p.name().equals("admin") || priv == Privilege.READ;
        try (Lake lake =
                Lake.builder()
                        .location(tmp.resolve("lake"))
                        .principal(Principal.of("admin"))
                        .accessPolicy(readAll)
                        .open()) {
            LakeObject o =
                    lake.ingest(CLICKS)
                            .bytes("a".getBytes(StandardCharsets.UTF_8), "a.txt")
                            .commit()
                            .objects()
                            .get(0)
                            .object();
            List<String> all = lake.store().list("").stream().map(ObjectStat::key).toList();
            assertTrue(all.stream().anyMatch(k -> k.startsWith("_tarn/")), all.toString());
            assertTrue(all.contains(o.key()));

            ObjectStore reader = lake.as(Principal.of("reader")).store();
            assertEquals(List.of(o.key()), reader.list("").stream().map(ObjectStat::key).toList());
            assertEquals(
                    List.of(o.key()),
                    reader.list("", null, 1).stream().map(ObjectStat::key).toList());
            assertEquals(
                    List.of(), reader.list("_", null, 5), "the catalog log's keys stay hidden");
        }
    }

    @Test
    void theAllowedPrincipalUsesTheStoreAsBefore() {
        try (Lake lake = open()) {
            ObjectStore admin = lake.store();
            String key = CLICKS.keyPrefix() + "x.bin";
            admin.put(key, new byte[] {7}, WriteMode.CREATE);
            assertArrayEquals(new byte[] {7}, admin.getBytes(key));
            assertTrue(admin.delete(key));
            assertTrue(admin.stat(key).isEmpty());
            assertFalse(admin.list("_tarn/").isEmpty(), "an admin sees the catalog log");
            admin.close();
            assertTrue(
                    lake.catalog().datasets().isEmpty(),
                    "closing the handed-out store leaves the lake open");
        }
    }
}
