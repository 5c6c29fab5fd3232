package dev.tarn.lake.exceptions;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.internal.storage.LocalObjectStore;
import dev.tarn.lake.storage.ForwardingObjectStore;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectWriter;
import dev.tarn.lake.storage.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog commit whose write fails after it may have reached the store: the log entry is read
 * back, and the commit is ours (success), absent (the failure stands, nothing changed), or
 * unknowable (CommitStateUnknownException, and the objects the entry would reference are kept).
 */
class CommitStateUnknownTest {
    static final String LOG = "_tarn/catalog/log/";

    /**
     * A real local store that can, once, fail a write of a log entry after or before carrying it
     * out.
     */
    static class AmbiguousStore extends ForwardingObjectStore {
        final LocalObjectStore real;

        /** Key prefix whose next write lands and then reports a timeout. */
        volatile String landThenFail;

        /** Key prefix whose next write does not land and reports a timeout. */
        volatile String failWithoutLanding;

        /** Key prefix whose reads fail while set: the store went away after the write. */
        volatile String unreadable;

        /**
         * Whether the store goes away (reads of the failed key's prefix fail) right after the
         * injected failure.
         */
        volatile boolean goAway;

        AmbiguousStore(Path root) {
            super(new LocalObjectStore(root));
            this.real = (LocalObjectStore) delegate();
        }

        private static UncheckedIOException timeout(String key) {
            return new UncheckedIOException(
                    new IOException(
                            "timed out waiting for the answer to writing " + key + " (injected)"));
        }

        private void checkReadable(String key) {
            String u = unreadable;
            if (u != null && key.startsWith(u)) {
                throw new UncheckedIOException(
                        new IOException("connection refused reading " + key + " (injected)"));
            }
        }

        @Override
        public ObjectWriter newWriter(String key, WriteMode mode) {
            ObjectWriter w = real.newWriter(key, mode);
            boolean land;
            if (landThenFail != null && key.startsWith(landThenFail)) {
                landThenFail = null;
                land = true;
            } else if (failWithoutLanding != null && key.startsWith(failWithoutLanding)) {
                failWithoutLanding = null;
                land = false;
            } else {
                return w;
            }
            return new ObjectWriter() {
                @Override
                public String key() {
                    return w.key();
                }

                @Override
                public void write(int b) throws IOException {
                    w.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    w.write(b, off, len);
                }

                @Override
                public ObjectStat commit() {
                    if (land) {
                        w.commit();
                    }
                    if (goAway) {
                        unreadable = key.substring(0, key.lastIndexOf('/') + 1);
                    }
                    throw timeout(key);
                }

                @Override
                public void close() {
                    w.close();
                }
            };
        }

        @Override
        public InputStream get(String key) {
            checkReadable(key);
            return real.get(key);
        }

        @Override
        public InputStream get(String key, long offset, long length) {
            checkReadable(key);
            return real.get(key, offset, length);
        }
    }

    @TempDir Path dir;

    private static byte[] csv(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    @Test
    void aCommitThatLandedBeforeItsWriteFailedIsASuccess() {
        AmbiguousStore store = new AmbiguousStore(dir);
        try (Lake lake = Lake.builder().store(store).open()) {
            long before = lake.catalog().version();
            store.landThenFail = LOG;
            var result = lake.ingest("raw/clicks").bytes(csv("a,b\n1,2\n"), "c.csv").commit();
            assertEquals(before + 1, result.version(), "the entry that landed is the commit");
            assertEquals(1, lake.catalog().objects(DatasetId.parse("raw/clicks")).size());
        }
        try (Lake again = Lake.builder().store(new AmbiguousStore(dir)).open()) {
            assertEquals(
                    1,
                    again.catalog().objects(DatasetId.parse("raw/clicks")).size(),
                    "once, not twice");
            assertTrue(again.doctor().check().findings().isEmpty(), "nothing left behind");
        }
    }

    @Test
    void aCommitThatDidNotLandFailsWithTheWritesErrorAndChangesNothing() throws IOException {
        AmbiguousStore store = new AmbiguousStore(dir);
        try (Lake lake = Lake.builder().store(store).open()) {
            long before = lake.catalog().version();
            List<String> filesBefore = files(dir);
            store.failWithoutLanding = LOG;
            UncheckedIOException e =
                    assertThrows(
                            UncheckedIOException.class,
                            () ->
                                    lake.ingest("raw/clicks")
                                            .bytes(csv("a,b\n1,2\n"), "c.csv")
                                            .commit());
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
            assertEquals(before, lake.catalog().version());
            assertEquals(
                    filesBefore, files(dir), "the staged object is removed: the lake is as it was");
        }
    }

    @Test
    void aCommitWhoseEntryCannotBeReadBackIsUnknownAndKeepsItsObjects() {
        AmbiguousStore store = new AmbiguousStore(dir);
        try (Lake lake = Lake.builder().store(store).open()) {
            long version = lake.catalog().version() + 1;
            store.landThenFail = LOG;
            store.goAway = true;
            CommitStateUnknownException e =
                    assertThrows(
                            CommitStateUnknownException.class,
                            () ->
                                    lake.ingest("raw/clicks")
                                            .bytes(csv("a,b\n1,2\n"), "c.csv")
                                            .commit());
            assertEquals(ErrorCode.COMMIT_STATE_UNKNOWN, e.errorCode());
            assertEquals(version, e.version());
            assertEquals(LOG + String.format("%020d.json", version), e.entry());
            assertTrue(
                    e.getMessage().contains("version " + version)
                            && e.getMessage().contains("lake doctor"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(
                    e.getCause().getMessage().contains("timed out"),
                    "the write's failure is the cause");
            store.unreadable = null;
        }
        // It had landed: the object it references is still there and the lake is whole.
        try (Lake again = Lake.builder().store(new AmbiguousStore(dir)).open()) {
            var objects = again.catalog().objects(DatasetId.parse("raw/clicks"));
            assertEquals(1, objects.size());
            try (InputStream in = again.open(objects.get(0))) {
                assertArrayEquals(csv("a,b\n1,2\n"), in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertTrue(
                    again.doctor().check().findings().isEmpty(), again.doctor().check().toString());
        }
    }

    @Test
    void aRefusalBeforeAnythingWasSentIsNotReadBack() {
        AmbiguousStore store =
                new AmbiguousStore(dir) {
                    @Override
                    public ObjectWriter newWriter(String key, WriteMode mode) {
                        if (key.startsWith(LOG) && goAway) {
                            unreadable = LOG;
                            throw new TarnException(
                                    ErrorCode.STORE_ACCESS_DENIED, "denied (injected)");
                        }
                        return super.newWriter(key, mode);
                    }
                };
        try (Lake lake = Lake.builder().store(store).open()) {
            store.goAway = true;
            TarnException e =
                    assertThrows(
                            TarnException.class,
                            () -> lake.ingest("raw/clicks").bytes(csv("a\n1\n"), "c.csv").commit());
            assertEquals(
                    ErrorCode.STORE_ACCESS_DENIED,
                    e.errorCode(),
                    "the refusal itself, not an unknown state");
        }
    }
}
