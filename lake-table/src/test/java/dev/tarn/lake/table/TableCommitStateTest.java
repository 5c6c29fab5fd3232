package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.CommitStateUnknownException;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.storage.ForwardingObjectStore;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.ObjectWriter;
import dev.tarn.lake.storage.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table commit whose Delta log entry is written and then reported as failed (a timeout after the
 * request was sent), or not written: the log entry is read back, and the outcome is the commit's
 * (landed: success; absent: the failure, the table as it was; unreadable:
 * CommitStateUnknownException, with the files the entry references kept).
 */
class TableCommitStateTest {
    /**
     * A real local store whose next write of a Delta log entry, once armed, fails after or before
     * landing.
     */
    static final class AmbiguousStore extends ForwardingObjectStore {
        final ObjectStore real;
        volatile Boolean land; // null: not armed
        volatile boolean goAway;
        volatile boolean away;

        AmbiguousStore(ObjectStore real) {
            super(real);
            this.real = real;
        }

        private static boolean logEntry(String key) {
            return key.contains("/_delta_log/")
                    && key.endsWith(".json")
                    && !key.contains("checkpoint");
        }

        private void checkReadable(String key) {
            if (away && key.contains("/_delta_log/")) {
                throw new UncheckedIOException(
                        new IOException("connection refused reading " + key + " (injected)"));
            }
        }

        @Override
        public ObjectWriter newWriter(String key, WriteMode mode) {
            ObjectWriter w = real.newWriter(key, mode);
            Boolean armed = land;
            if (armed == null || !logEntry(key)) {
                return w;
            }
            land = null;
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
                    if (armed) {
                        w.commit();
                    }
                    away = goAway;
                    throw new UncheckedIOException(
                            new IOException(
                                    "timed out waiting for the answer to writing "
                                            + key
                                            + " (injected)"));
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
    Lake plain; // the lake on the local store, opened to lend its store to the wrapper (no
    // internal class needed)
    AmbiguousStore store;
    Lake lake;
    TestData data;
    Table t;

    @BeforeEach
    void open() {
        plain = Lake.open(dir);
        store = new AmbiguousStore(plain.store());
        lake = Lake.builder().store(store).open();
        data = new TestData(lake);
        t = Tables.of(lake).create("processed/c", ConflictTest.SCHEMA, "day");
        for (int i = 0; i < 3; i++) {
            t.newAppend()
                    .addFile(
                            data.file(
                                    t,
                                    "day=2026-11-01/f" + i + ".parquet",
                                    i * 10,
                                    i * 10 + 10,
                                    Map.of("day", "2026-11-01")))
                    .commit();
        }
    }

    @AfterEach
    void close() {
        data.close();
        lake.close();
        plain.close();
    }

    private boolean stored(Table table, DataFile f) {
        return store.real.stat("processed/c/" + f.path()).isPresent();
    }

    @Test
    void aCompactionWhoseEntryLandedBeforeTheFailureCommits() {
        long before = t.snapshot().version();
        store.land = true;
        CompactionResult r = t.newCompaction().commit();
        assertEquals(before + 1, r.commit().version());
        Snapshot s = Tables.of(lake).load("processed/c").snapshot();
        assertEquals(before + 1, s.version());
        assertEquals(1, s.files().size());
        assertTrue(stored(t, s.files().get(0)), "the merged file stays");
    }

    @Test
    void aCompactionWhoseEntryDidNotLandFailsAndLeavesTheTableAsItWas() {
        Snapshot before = t.snapshot();
        List<String> keys = store.real.list("processed/c/").stream().map(ObjectStat::key).toList();
        store.land = false;
        UncheckedIOException e =
                assertThrows(UncheckedIOException.class, () -> t.newCompaction().commit());
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertEquals(before.version(), Tables.of(lake).load("processed/c").snapshot().version());
        assertEquals(
                keys,
                store.real.list("processed/c/").stream().map(ObjectStat::key).toList(),
                "the merged file is removed again");
    }

    @Test
    void aCompactionWhoseEntryCannotBeReadBackIsUnknownAndKeepsItsFile() {
        long version = t.snapshot().version() + 1;
        store.land = true;
        store.goAway = true;
        CommitStateUnknownException e =
                assertThrows(CommitStateUnknownException.class, () -> t.newCompaction().commit());
        assertEquals(ErrorCode.COMMIT_STATE_UNKNOWN, e.errorCode());
        assertEquals(version, e.version());
        assertTrue(e.entry().startsWith("processed/c/_delta_log/"), e.entry());
        assertTrue(e.getMessage().contains("lake doctor"), e.getMessage());
        store.away = false;
        store.goAway = false;
        Snapshot s = Tables.of(lake).load("processed/c").snapshot();
        assertEquals(version, s.version(), "it had landed");
        assertEquals(1, s.files().size());
        assertTrue(stored(t, s.files().get(0)), "the file the landed entry references was kept");
    }
}
