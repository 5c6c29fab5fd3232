package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 4: a writer killed with SIGKILL at random points never leaves the table unreadable (by
 * Tarn or by Delta Kernel), and vacuum removes the data files it wrote but never committed.
 * Checkpoints every 3 commits, so kills also land while checkpoints are written. Default 50 kills;
 * 200 with the "soak" tag.
 *
 * <p>After each kill the table reads as the last version the killed writer reported. The writer
 * ({@link KillMain}) prints {@code V n} after commit {@code n} returns, one line per write to its
 * log file, so a complete line in the log is a commit that landed; the test takes the last complete
 * line (or, if there is none, the version the table had before this writer started) as the reported
 * version R. A kill can also land after a commit's log entry is created and before its line is
 * written (in the rest of the commit, its checkpoint, or the print), and a commit that was never
 * reported is still a commit: so the newest version, read by a fresh Tarn handle and by Delta
 * Kernel, must be R or R + 1, never anything else (a lost reported commit, or a commit appearing
 * from nowhere, fails), and the rows must be exactly that version's: one file of {@code records}
 * rows per append, every file present. The versions printed must also be consecutive from the one
 * before the writer started (it is the only writer). Tarn checks this after every kill, Kernel
 * after every tenth and at the end.
 */
class KillWriterTest {
    @TempDir Path dir;

    @Test
    void fiftyKills() throws Exception {
        run(50, 42);
    }

    @Test
    @Tag("soak")
    void twoHundredKills() throws Exception {
        run(200, System.nanoTime());
    }

    private void run(int kills, long seed) throws Exception {
        Random random = new Random(seed);
        Path lakeDir = dir.resolve("lake");
        long records = 3;
        try (Lake lake = Lake.open(lakeDir);
                TestData data = new TestData(lake)) {
            Table t =
                    Tables.of(lake)
                            .newCreate("processed/k")
                            .schema(
                                    Schema.of(
                                            Field.of("id", DataType.LONG),
                                            Field.of("name", DataType.STRING),
                                            Field.of("amount", DataType.decimal(18, 1))))
                            .property("delta.checkpointInterval", "3")
                            .commit();
            data.write(t, "_template/t.parquet", TestData.rows(0, records));
            String template = t.keyPrefix() + "_template/t.parquet";
            long lastSeen = 0;
            int unreported = 0;
            for (int k = 0; k < kills; k++) {
                Process p =
                        Jvm.process(
                                        KillMain.class,
                                        lakeDir.toString(),
                                        "processed/k",
                                        template,
                                        Long.toString(records))
                                .redirectOutput(dir.resolve("writer.log").toFile())
                                .start();
                // wait until the writer is in its loop, then kill it at a random point among its
                // commits (and, one
                // time in ten, during start-up)
                Path log = dir.resolve("writer.log");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                if (random.nextInt(10) > 0) {
                    while (System.nanoTime() < deadline
                            && !(java.nio.file.Files.exists(log)
                                    && java.nio.file.Files.readString(log).contains("READY"))) {
                        Thread.sleep(2);
                    }
                    Thread.sleep(random.nextInt(400));
                } else {
                    Thread.sleep(random.nextInt(300));
                }
                p.destroyForcibly();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                String out =
                        java.nio.file.Files.readString(
                                dir.resolve("writer.log"), StandardCharsets.UTF_8);
                assertTrue(!out.contains("Exception"), out);
                long reported = lastReported(out, lastSeen);
                // readable after every kill, by a fresh handle that trusts nothing cached, as the
                // version reported
                try (Lake fresh = Lake.open(lakeDir)) {
                    Snapshot s = Tables.of(fresh).load("processed/k").snapshot();
                    assertTrue(
                            s.version() == reported || s.version() == reported + 1,
                            "kill "
                                    + k
                                    + ": the writer"
                                    + " reported version "
                                    + reported
                                    + " last, the table is at "
                                    + s.version()
                                    + "\n"
                                    + out);
                    if (s.version() == reported + 1) {
                        unreported++;
                    }
                    lastSeen = s.version();
                    assertEquals(s.version(), s.files().size(), "one file per append commit");
                    assertEquals(s.version() * records, s.recordCount(), "kill " + k);
                    for (DataFile f : s.files()) {
                        assertTrue(
                                fresh.store().stat(t.keyPrefix() + f.path()).isPresent(), f.path());
                    }
                }
                if (k % 10 == 9) {
                    // and by Kernel too, every tenth kill (a read takes about half a second here;
                    // the end reads again)
                    KernelReader.Result kr =
                            KernelReader.read(data.root().resolve(t.keyPrefix()), null);
                    assertEquals(
                            lastSeen,
                            kr.version(),
                            "kill " + k + ": Kernel reads the same version");
                    assertEquals(
                            lastSeen * records,
                            kr.rows().size(),
                            "kill " + k + ": Kernel reads the same rows");
                }
            }
            assertTrue(lastSeen > kills / 2, "writers committed something: " + lastSeen);
            try (Lake fresh = Lake.open(lakeDir)) {
                Table t2 = Tables.of(fresh).load("processed/k");
                Snapshot s = t2.snapshot();
                Set<String> live =
                        s.files().stream().map(DataFile::path).collect(Collectors.toSet());
                Set<String> orphans = new HashSet<>();
                for (ObjectStat o : fresh.store().list(t2.keyPrefix())) {
                    String rel = o.key().substring(t2.keyPrefix().length());
                    if (!rel.startsWith("_") && !live.contains(rel)) {
                        orphans.add(rel);
                    }
                }
                VacuumResult v = t2.vacuum(Duration.ZERO);
                assertEquals(orphans, new HashSet<>(v.deletedFiles()));
                for (DataFile f : s.files()) {
                    assertTrue(fresh.store().stat(t2.keyPrefix() + f.path()).isPresent());
                }
                KernelReader.Result kr =
                        KernelReader.read(data.root().resolve(t2.keyPrefix()), null);
                assertEquals(s.version(), kr.version());
                assertEquals(s.files().size() * records, kr.rows().size());
                System.out.println(
                        kills
                                + " kills: "
                                + s.version()
                                + " commits ("
                                + unreported
                                + " kills landed"
                                + " after a commit and before its line), "
                                + orphans.size()
                                + " orphaned files vacuumed: "
                                + List.copyOf(orphans).subList(0, Math.min(3, orphans.size())));
            }
        }
    }

    /**
     * The last version a writer's log reports ({@code ifNone}, the version before it started, if
     * none), checking that the versions it printed follow that one without a gap. Only lines ending
     * in a newline count: the kill may cut a line short.
     */
    static long lastReported(String log, long ifNone) {
        long last = ifNone;
        int end = log.lastIndexOf('\n');
        for (String line : (end < 0 ? "" : log.substring(0, end)).split("\n")) {
            if (line.startsWith("V ")) {
                long v = Long.parseLong(line.substring(2).trim());
                assertEquals(last + 1, v, "the writer's versions follow each other:\n" + log);
                last = v;
            }
        }
        return last;
    }
}
