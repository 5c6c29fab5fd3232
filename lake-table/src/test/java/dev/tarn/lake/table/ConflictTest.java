package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.CommitConflictException;
import dev.tarn.lake.table.internal.Transaction;
import dev.tarn.lake.types.Schema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 3 and the conflict rules: each test stages a race deterministically: the "loser" plans
 * against version N, then waits while the "winner" commits N+1, then tries to commit.
 */
class ConflictTest {
    static final Schema SCHEMA = TableRoundTripTest.SCHEMA;

    @TempDir Path dir;
    Lake lake;
    TestData data;
    Table t;

    @BeforeEach
    void open() {
        lake = Lake.open(dir.resolve("lake"));
        data = new TestData(lake);
        t = Tables.of(lake).create("processed/c", SCHEMA, "day");
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
        t.newAppend()
                .addFile(
                        data.file(
                                t,
                                "day=2026-11-02/g.parquet",
                                100,
                                110,
                                Map.of("day", "2026-11-02")))
                .commit();
    }

    @AfterEach
    void close() {
        data.close();
        lake.close();
    }

    /**
     * Runs {@code loser} until it has planned, then {@code winner} to completion, then lets the
     * loser commit.
     */
    private Throwable race(Supplier<CommitResult> loser, Supplier<CommitResult> winner)
            throws Exception {
        CountDownLatch planned = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<CommitResult> f =
                CompletableFuture.supplyAsync(
                        () -> {
                            Transaction.BEFORE_FIRST_ATTEMPT.set(
                                    () -> {
                                        planned.countDown();
                                        try {
                                            go.await(30, TimeUnit.SECONDS);
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                        }
                                    });
                            try {
                                return loser.get();
                            } finally {
                                Transaction.BEFORE_FIRST_ATTEMPT.remove();
                            }
                        });
        assertTrue(planned.await(30, TimeUnit.SECONDS));
        long before = t.snapshot().version();
        CommitResult w = winner.get();
        assertEquals(before + 1, w.version());
        go.countDown();
        try {
            f.get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private DataFile compacted() {
        data.write(t, "day=2026-11-01/compacted.parquet", TestData.rows(0, 30));
        return t.dataFile("day=2026-11-01/compacted.parquet", Map.of("day", "2026-11-01"));
    }

    private CommitResult compaction(DataFile into) {
        return t.newRewrite()
                .removeFiles(
                        List.of(
                                "day=2026-11-01/f0.parquet",
                                "day=2026-11-01/f1.parquet",
                                "day=2026-11-01/f2.parquet"))
                .addFile(into)
                .commit();
    }

    @Test
    void deleteLosesToCompactionOfTheSamePartition() throws Exception {
        DataFile into = compacted();
        long v = t.snapshot().version();
        Throwable e =
                race(
                        () ->
                                t.newDelete()
                                        .deleteWhere(PartitionFilter.eq("day", "2026-11-01"))
                                        .commit(),
                        () -> compaction(into));
        assertInstanceOf(CommitConflictException.class, e);
        assertTrue(
                e.getMessage().contains("OPTIMIZE")
                        && e.getMessage().contains("f0.parquet")
                        && e.getMessage().contains("nothing was written"),
                e.getMessage());
        assertEquals(v + 1, t.snapshot().version());
        assertEquals(40, t.snapshot().recordCount());
    }

    @Test
    void compactionLosesToDeleteOfTheSamePartition() throws Exception {
        DataFile into = compacted();
        Throwable e =
                race(
                        () -> compaction(into),
                        () ->
                                t.newDelete()
                                        .deleteWhere(PartitionFilter.eq("day", "2026-11-01"))
                                        .commit());
        assertInstanceOf(CommitConflictException.class, e);
        assertTrue(e.getMessage().contains("DELETE"), e.getMessage());
        assertEquals(10, t.snapshot().recordCount());
    }

    @Test
    void compactionOperationLosesToDeleteAndCleansUpItsFiles() throws Exception {
        CompactionResult[] result = new CompactionResult[1];
        Throwable e =
                race(
                        () -> {
                            result[0] =
                                    t.newCompaction()
                                            .where(PartitionFilter.eq("day", "2026-11-01"))
                                            .commit();
                            return result[0].commit();
                        },
                        () ->
                                t.newDelete()
                                        .deleteWhere(PartitionFilter.eq("day", "2026-11-01"))
                                        .commit());
        assertInstanceOf(CommitConflictException.class, e);
        assertEquals(null, result[0]);
        // the merged file the loser wrote is gone again; only the three original files remain in
        // the partition dir
        try (var files =
                java.nio.file.Files.list(data.root().resolve("processed/c/day=2026-11-01"))) {
            assertEquals(
                    List.of("f0.parquet", "f1.parquet", "f2.parquet"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void rowDeleteLosesToCompactionAndCleansUpItsRewrittenFile() throws Exception {
        DataFile into = compacted();
        Throwable e =
                race(
                        () -> t.newRowDelete().rows(RowPredicate.eq("id", 5)).commit(),
                        () -> compaction(into));
        assertInstanceOf(CommitConflictException.class, e);
        try (var files =
                java.nio.file.Files.list(data.root().resolve("processed/c/day=2026-11-01"))) {
            assertEquals(
                    List.of("compacted.parquet", "f0.parquet", "f1.parquet", "f2.parquet"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(40, t.snapshot().recordCount());
    }

    @Test
    void idempotentWritesOfOneApplicationConflictAndAreRemembered() throws Exception {
        DataFile a =
                data.file(t, "day=2026-11-01/a.parquet", 500, 505, Map.of("day", "2026-11-01"));
        DataFile b =
                data.file(t, "day=2026-11-01/b.parquet", 600, 605, Map.of("day", "2026-11-01"));
        Throwable e =
                race(
                        () -> t.newAppend().addFile(a).transaction("stream-1", 7).commit(),
                        () -> t.newAppend().addFile(b).transaction("stream-1", 7).commit());
        assertInstanceOf(CommitConflictException.class, e);
        assertTrue(e.getMessage().contains("stream-1"), e.getMessage());
        assertEquals(7, t.snapshot().transactionVersion("stream-1"));
        assertEquals(-1, t.snapshot().transactionVersion("other"));
        // other applications' appends still never conflict with it
        DataFile c =
                data.file(t, "day=2026-11-01/c.parquet", 700, 705, Map.of("day", "2026-11-01"));
        assertEquals(
                null,
                race(
                        () -> t.newAppend().addFile(c).transaction("stream-2", 1).commit(),
                        () -> t.newAppend().addFile(a).transaction("stream-1", 8).commit()));
        // remembered across checkpoints and fresh handles
        for (int i = 0; i < 10; i++) {
            t.newAppend()
                    .addFile(
                            data.file(
                                    t,
                                    "day=2026-11-05/x" + i + ".parquet",
                                    i,
                                    i + 1,
                                    Map.of("day", "2026-11-05")))
                    .commit();
        }
        try (Lake other = Lake.open(dir.resolve("lake"))) {
            Snapshot s = Tables.of(other).load("processed/c").snapshot();
            assertEquals(8, s.transactionVersion("stream-1"));
            assertEquals(1, s.transactionVersion("stream-2"));
            // Kernel reads the checkpoint with its txn rows
            assertEquals(
                    data.rowsOf(t, s),
                    KernelReader.read(data.root().resolve(t.keyPrefix()), null).rows());
        }
    }

    @Test
    void blindAppendsNeverConflict() throws Exception {
        DataFile a =
                data.file(t, "day=2026-11-01/a.parquet", 500, 505, Map.of("day", "2026-11-01"));
        DataFile b =
                data.file(t, "day=2026-11-01/b.parquet", 600, 605, Map.of("day", "2026-11-01"));
        Throwable e =
                race(
                        () -> t.newAppend().addFile(a).commit(),
                        () -> t.newAppend().addFile(b).commit());
        assertEquals(null, e);
        DataFile c =
                data.file(t, "day=2026-11-01/c.parquet", 700, 705, Map.of("day", "2026-11-01"));
        // a blind append also commits on top of a delete of its partition
        assertEquals(
                null,
                race(
                        () -> t.newAppend().addFile(c).commit(),
                        () ->
                                t.newDelete()
                                        .deleteWhere(PartitionFilter.eq("day", "2026-11-01"))
                                        .commit()));
        assertEquals(
                List.of("day=2026-11-01/c.parquet", "day=2026-11-02/g.parquet"),
                t.snapshot().files().stream().map(DataFile::path).sorted().toList());
    }

    @Test
    void deleteDoesNotConflictWithABlindAppendUnderWriteSerializable() throws Exception {
        DataFile a =
                data.file(t, "day=2026-11-01/a.parquet", 500, 505, Map.of("day", "2026-11-01"));
        assertEquals(
                null,
                race(
                        () ->
                                t.newDelete()
                                        .deleteWhere(PartitionFilter.eq("day", "2026-11-01"))
                                        .commit(),
                        () -> t.newAppend().addFile(a).commit()));
        assertEquals(
                List.of("day=2026-11-01/a.parquet", "day=2026-11-02/g.parquet"),
                t.snapshot().files().stream().map(DataFile::path).sorted().toList());
    }

    @Test
    void deleteConflictsWithAnOverwriteThatAddedToItsPartitions() throws Exception {
        DataFile a =
                data.file(t, "day=2026-11-02/a.parquet", 500, 505, Map.of("day", "2026-11-02"));
        Throwable e =
                race(
                        () ->
                                t.newDelete()
                                        .deleteWhere(PartitionFilter.eq("day", "2026-11-02"))
                                        .commit(),
                        () ->
                                t.newOverwrite()
                                        .overwrite(PartitionFilter.eq("day", "2026-11-02"))
                                        .addFile(a)
                                        .commit());
        assertInstanceOf(CommitConflictException.class, e);
    }

    @Test
    void partitionOverwritesOfDifferentPartitionsBothCommit() throws Exception {
        DataFile a =
                data.file(t, "day=2026-11-01/a.parquet", 500, 505, Map.of("day", "2026-11-01"));
        DataFile b =
                data.file(t, "day=2026-11-02/b.parquet", 600, 605, Map.of("day", "2026-11-02"));
        assertEquals(
                null,
                race(
                        () ->
                                t.newOverwrite()
                                        .overwrite(PartitionFilter.eq("day", "2026-11-01"))
                                        .addFile(a)
                                        .commit(),
                        () ->
                                t.newOverwrite()
                                        .overwrite(PartitionFilter.eq("day", "2026-11-02"))
                                        .addFile(b)
                                        .commit()));
        assertEquals(
                List.of("day=2026-11-01/a.parquet", "day=2026-11-02/b.parquet"),
                t.snapshot().files().stream().map(DataFile::path).sorted().toList());
    }

    @Test
    void aSchemaChangeConflictsWithEveryConcurrentWrite() throws Exception {
        data.write(t, "day=2026-11-03/wide.parquet", "SELECT 1::BIGINT AS id, 7 AS qty");
        DataFile wide = t.dataFile("day=2026-11-03/wide.parquet", Map.of("day", "2026-11-03"));
        DataFile a =
                data.file(t, "day=2026-11-01/a.parquet", 500, 505, Map.of("day", "2026-11-01"));
        Throwable e =
                race(
                        () -> t.newAppend().addFile(a).commit(),
                        () -> t.newAppend().addFile(wide).evolveSchema().commit());
        assertInstanceOf(CommitConflictException.class, e);
        assertTrue(e.getMessage().contains("metadata"), e.getMessage());
    }

    @Test
    void serializableIsolationMakesBlindAppendsCount() throws Exception {
        Table s =
                Tables.of(lake)
                        .newCreate("processed/ser")
                        .schema(SCHEMA)
                        .partitionBy("day")
                        .property("delta.isolationLevel", "Serializable")
                        .commit();
        s.newAppend()
                .addFile(
                        data.file(s, "day=2026-11-01/x.parquet", 0, 3, Map.of("day", "2026-11-01")))
                .commit();
        DataFile a =
                data.file(s, "day=2026-11-01/a.parquet", 500, 505, Map.of("day", "2026-11-01"));
        t = s;
        Throwable e =
                race(
                        () ->
                                s.newDelete()
                                        .deleteWhere(PartitionFilter.eq("day", "2026-11-01"))
                                        .commit(),
                        () -> s.newAppend().addFile(a).commit());
        assertInstanceOf(CommitConflictException.class, e);
        assertTrue(e.getMessage().contains("added data"), e.getMessage());
    }

    @Test
    void deletingAFileThatIsNotLiveFails() {
        assertThrows(
                dev.tarn.lake.exceptions.NotFoundException.class,
                () -> t.newDelete().deleteFile("day=2026-11-09/none.parquet").commit());
    }
}
