package dev.tarn.lake.table;

import dev.tarn.lake.Lake;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 2: 8 threads in this JVM and 2 other JVM processes append to one table at the same time; every commit
 * lands exactly once, versions are contiguous, the row count (read back by Delta Kernel) is exact.
 * The default run makes 50 commits per writer (about 10 s here); 200 per writer run with the "soak" tag.
 */
class ConcurrentAppendTest {
    @TempDir
    Path dir;

    @Test
    void eightThreadsAndTwoProcessesAppendFiftyEach() throws Exception {
        run(50);
    }

    @Test
    @Tag("soak")
    void eightThreadsAndTwoProcessesAppendTwoHundredEach() throws Exception {
        run(200);
    }

    private void run(int perWriter) throws Exception {
        int threads = 8;
        int processes = 2;
        long recordsPerFile = 3;
        Path lakeDir = dir.resolve("lake");
        try (Lake lake = Lake.open(lakeDir); TestData data = new TestData(lake)) {
            Table t = Tables.of(lake).create("processed/events", Schema.of(Field.of("id", DataType.LONG),
                    Field.of("name", DataType.STRING), Field.of("amount", DataType.decimal(18, 1)),
                    Field.of("w", DataType.STRING)), "w");
            data.write(t, "template/t.parquet", TestData.rows(0, recordsPerFile));
            String template = t.keyPrefix() + "template/t.parquet";

            List<Process> procs = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                procs.add(Jvm.process(AppendMain.class, lakeDir.toString(), "processed/events", "p" + p,
                        Integer.toString(perWriter), template, Long.toString(recordsPerFile)).start());
            }
            List<Long> versions = Collections.synchronizedList(new ArrayList<>());
            List<BufferedReader> outs = new ArrayList<>();
            for (Process p : procs) {
                BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                outs.add(r);
                String line;
                while ((line = r.readLine()) != null && !line.equals("READY")) {
                    System.out.println("child: " + line);
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String name = "t" + i;
                futures.add(pool.submit(() -> {
                    start.await();
                    AppendMain.appendLoop(lake, t, name, perWriter, template, recordsPerFile, versions::add);
                    return null;
                }));
            }
            start.countDown();
            List<String> childOutput = new ArrayList<>();
            for (BufferedReader r : outs) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("V ")) {
                        versions.add(Long.parseLong(line.substring(2)));
                    } else {
                        childOutput.add(line);
                    }
                }
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            for (Process p : procs) {
                assertTrue(p.waitFor(5, TimeUnit.MINUTES));
                assertEquals(0, p.exitValue(), "child failed: " + childOutput);
            }

            int writers = threads + processes;
            int commits = writers * perWriter;
            assertEquals(commits, versions.size(), "every commit() returned once");
            assertEquals(commits, new HashSet<>(versions).size(), "no version was returned twice");
            Snapshot s = t.snapshot();
            assertEquals(commits, s.version(), "versions are contiguous: 0 is the creation, then one per commit");
            Set<Long> expected = new HashSet<>();
            for (long v = 1; v <= commits; v++) {
                expected.add(v);
            }
            assertEquals(expected, new HashSet<>(versions));
            assertEquals(commits, s.files().size());
            assertEquals(commits * recordsPerFile, s.recordCount());
            for (String w : List.of("t0", "t7", "p0", "p1")) {
                assertEquals(perWriter, s.files(PartitionFilter.eq("w", w)).size(), "files of writer " + w);
            }
            // the history has every version exactly once, each a WRITE by Tarn
            List<HistoryEntry> h = t.history();
            assertEquals(commits + 1, h.size());
            assertTrue(h.stream().limit(commits).allMatch(e -> "WRITE".equals(e.operation()) && e.blindAppend()));
            // an independent reader sees every row exactly once
            KernelReader.Result k = KernelReader.read(data.root().resolve(t.keyPrefix()), null);
            assertEquals(commits * recordsPerFile, k.rows().size());
            assertEquals(commits, k.version());
            assertTrue(k.rows().stream().filter(r -> r.startsWith("id=0,")).count() == commits);
        }
    }
}
