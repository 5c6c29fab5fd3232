package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.doctor.Finding;
import dev.tarn.lake.exceptions.BrokenLogException;
import dev.tarn.lake.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A Delta log that lost a commit is refused by every reader and writer, and the doctor says what it
 * can rebuild.
 */
class LogGapTest extends TableFixture {
    static final Schema SCHEMA = CheckpointTest.SCHEMA;

    Path log(String name) {
        return data.root().resolve("processed/t/_delta_log").resolve(name);
    }

    /** Versions 0 (create) to 3 (three appends of 2 rows each). */
    Table threeAppends() {
        Table t = tables.create("processed/t", SCHEMA);
        for (int i = 0; i < 3; i++) {
            t.newAppend()
                    .addFile(data.file(t, "f" + i + ".parquet", i * 10, i * 10 + 2, Map.of()))
                    .commit();
        }
        return t;
    }

    /** A lake opened afresh: nothing cached from before the damage. */
    Table reopen() {
        lake.close();
        lake = Lake.open(dir.resolve("lake"));
        tables = Tables.of(lake);
        return tables.load("processed/t");
    }

    List<String> logFiles() throws Exception {
        try (Stream<Path> s = Files.list(log(""))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static void refuses(String what, Executable e, String... mentions) {
        BrokenLogException x = assertThrows(BrokenLogException.class, e, what);
        for (String m : mentions) {
            assertTrue(x.getMessage().contains(m), what + ": " + x.getMessage());
        }
    }

    @Test
    void aMissingEntryIsRefusedByEveryReaderAndWriter() throws Exception {
        threeAppends();
        Files.delete(log("00000000000000000002.json"));
        refuses("load", this::reopen, "processed/t", "version 2", "3", "lake doctor");
        refuses("exists", () -> tables.exists("processed/t"));
        // Every writer starts from load (convert from exists): none can write past or into the gap.
        // lake-cli's TableLogFaultTest runs convert, vacuum, optimize, delete and restore on such a
        // table.
    }

    @Test
    void aHandleReadBeforeTheDamageNeverFillsTheGap() throws Exception {
        Table t = threeAppends();
        Files.delete(log("00000000000000000002.json"));
        // Its state was read while the log was whole, so appending version 4 after it is sound;
        // what it must never
        // do is write version 2.
        t.newAppend().addFile(data.file(t, "g.parquet", 100, 102, Map.of())).commit();
        assertFalse(Files.exists(log("00000000000000000002.json")));
        assertTrue(
                Files.exists(data.root().resolve("processed/t/f1.parquet")),
                "the lost version's file is kept");
        refuses("a fresh reader", this::reopen, "version 2");
    }

    @Test
    void aGarbledOrEmptyNewestEntryIsRefused() throws Exception {
        threeAppends();
        Files.writeString(log("00000000000000000003.json"), "{\"add\":{\"path\":\"f2.par");
        refuses("truncated", this::reopen, "00000000000000000003.json", "damaged", "lake doctor");
        Files.write(log("00000000000000000003.json"), new byte[0]);
        refuses("empty", this::reopen, "version 3", "empty");
    }

    @Test
    void aHintNewerThanTheEntriesIsRefused() throws Exception {
        threeAppends();
        Files.writeString(log("_last_checkpoint"), "{\"version\":7,\"size\":4}");
        refuses("hint", this::reopen, "_last_checkpoint names version 7", "newest entry is 3");
    }

    @Test
    void aLostEntryWithACheckpointOfItsVersionIsRefusedThenRebuiltByTheDoctor() throws Exception {
        System.setProperty("tarn.table.checkpointInterval", "3");
        try {
            Table t = threeAppends();
            List<String> rows = data.rowsOf(t, t.snapshot());
            assertTrue(Files.exists(log("00000000000000000003.checkpoint.parquet")));
            Files.delete(log("00000000000000000003.json"));
            refuses("checkpoint newer than the entries", this::reopen, "version 3", "checkpoint");
            DoctorReport check = lake.doctor().check();
            assertTrue(
                    check.findings().stream()
                            .anyMatch(
                                    f ->
                                            f.kind() == Finding.Kind.LOG_GAP
                                                    && f.key()
                                                            .endsWith("00000000000000000003.json")),
                    check.toString());
            DoctorReport repair = lake.doctor().repair();
            assertTrue(
                    repair.findings().stream()
                            .anyMatch(f -> f.kind() == Finding.Kind.LOG_GAP && f.repaired()),
                    repair.toString());
            Table again = reopen();
            assertEquals(3, again.snapshot().version());
            assertEquals(
                    rows,
                    data.rowsOf(again, again.snapshot()),
                    "the rebuilt entry gives the same rows");
            assertTrue(lake.doctor().check().isClean(), lake.doctor().check().toString());
        } finally {
            System.clearProperty("tarn.table.checkpointInterval");
        }
    }

    @Test
    void aDeleteMatchingNoRowsCommitsNothing() throws Exception {
        Table t = threeAppends();
        List<String> before = logFiles();
        CommitResult c = t.newRowDelete().rows(RowPredicate.eq("id", 999L)).commit();
        assertEquals(0, c.attempts(), "nothing committed");
        assertEquals(3, c.version(), "the version stays");
        assertEquals(before, logFiles());
        assertEquals(3, t.snapshot().version());
    }

    @Test
    void aRemovedNewestEntryIsWitnessedByItsChecksumAndRebuiltFromIt() throws Exception {
        Table t = threeAppends();
        List<String> rows = data.rowsOf(t, t.snapshot());
        assertTrue(
                Files.exists(log("00000000000000000003.crc")), "a checksum file after each commit");
        Files.delete(log("00000000000000000003.json"));
        refuses("newest entry removed", this::reopen, "version 3", "lake doctor");
        DoctorReport repair = lake.doctor().repair();
        assertTrue(
                repair.findings().stream()
                        .anyMatch(
                                f ->
                                        f.kind() == Finding.Kind.LOG_GAP
                                                && f.repaired()
                                                && f.detail().contains("checksum")),
                repair.toString());
        Table again = reopen();
        assertEquals(3, again.snapshot().version());
        assertEquals(rows, data.rowsOf(again, again.snapshot()), "rebuilt exactly");
        assertEquals(
                "REPAIR", again.history(1).get(0).operation(), "the rebuilt entry says what it is");
        assertTrue(lake.doctor().check().isClean(), lake.doctor().check().toString());
        KernelReader.Result k = KernelReader.read(data.root().resolve("processed/t"), null);
        assertEquals(rows.size(), k.rows().size(), "Delta Kernel reads the repaired table too");
    }
}
