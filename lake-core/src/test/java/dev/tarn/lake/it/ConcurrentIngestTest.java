package dev.tarn.lake.it;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.doctor.DoctorReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Issue acceptance 4: 4 threads and 2 other JVMs ingest the same 200 files into one dataset at once. */
class ConcurrentIngestTest {
    @TempDir
    Path tmp;

    @Test
    void everyDistinctFileIsStoredExactlyOnce() throws Exception {
        Path inputs = tmp.resolve("inputs");
        Files.createDirectories(inputs);
        Map<String, String> shaByName = new HashMap<>();
        Random rnd = new Random(7);
        for (int i = 0; i < 200; i++) {
            // 190 distinct contents and 10 files that repeat another's bytes under another name
            byte[] bytes = i < 190 ? ("{\"file\":" + i + ",\"pad\":\"" + "x".repeat(rnd.nextInt(2000)) + "\"}\n")
                    .getBytes() : Files.readAllBytes(inputs.resolve(String.format("f%03d.ndjson", i - 190)));
            String name = String.format("f%03d.ndjson", i);
            Files.write(inputs.resolve(name), bytes);
            shaByName.put(name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
        Path dir = tmp.resolve("lake");
        DatasetId ds = DatasetId.parse("raw/events");
        try (Lake lake = Lake.open(dir)) {
            Path goFile = tmp.resolve("go");
            List<String> opts = List.of("-Dgo=" + goFile);
            List<Process> procs = List.of(
                    Jvm.process(opts, IngestMain.class, "files", dir.toString(), ds.toString(), inputs.toString())
                            .start(),
                    Jvm.process(opts, IngestMain.class, "tree", dir.toString(), ds.toString(), inputs.toString())
                            .start());
            List<java.io.BufferedReader> outs = new ArrayList<>();
            for (Process p : procs) {
                var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
                assertEquals("ready", r.readLine());
                outs.add(r);
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                threads.add(pool.submit(() -> {
                    List<Path> files = new ArrayList<>();
                    try (var s = Files.list(inputs)) {
                        s.forEach(files::add);
                    }
                    Collections.shuffle(files, new Random(seed));
                    go.await();
                    int stored = 0;
                    for (Path f : files) {
                        stored += lake.ingest(ds).file(f).commit().stored().size();
                    }
                    return stored;
                }));
            }
            Files.createFile(goFile);
            go.countDown();
            int storedByThreads = 0;
            for (Future<Integer> f : threads) {
                storedByThreads += f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            int storedByProcesses = 0;
            for (int i = 0; i < procs.size(); i++) {
                Process p = procs.get(i);
                String out = outs.get(i).lines().collect(java.util.stream.Collectors.joining("\n"));
                assertTrue(p.waitFor(5, TimeUnit.MINUTES), "process finished");
                assertEquals(0, p.exitValue(), out);
                storedByProcesses += Integer.parseInt(out.lines().filter(l -> l.startsWith("stored "))
                        .findFirst().orElseThrow(() -> new AssertionError(out)).substring(7));
            }

            List<LakeObject> objects = lake.catalog().objects(ds);
            assertEquals(190, objects.size(), "one object per distinct content");
            assertEquals(190, storedByThreads + storedByProcesses, "each stored by exactly one writer");
            assertEquals(190, objects.stream().map(LakeObject::sha256).distinct().count());
            assertEquals(shaByName.values().stream().distinct().sorted().toList(),
                    objects.stream().map(LakeObject::sha256).sorted().toList());
            for (LakeObject o : objects) {
                assertEquals(o.size(), Files.size(dir.resolve(o.key())), "whole object on disk: " + o.key());
            }
            DoctorReport report = lake.doctor().check();
            assertTrue(report.isClean(), () -> "doctor: " + report.findings());
            assertEquals(190, report.objectsChecked());
            // the log's versions are contiguous and every entry is readable
            long version = lake.catalog().version();
            try (var s = Files.list(dir.resolve("_tarn/catalog/log"))) {
                assertEquals(version + 1, s.count());
            }
        }
    }
}
