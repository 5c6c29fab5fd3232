package dev.tarn.lake.suite;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.format.Conversion;
import dev.tarn.lake.format.Input;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.format.Output;
import dev.tarn.lake.table.HistoryEntry;
import dev.tarn.lake.table.KernelReader;
import dev.tarn.lake.table.PartitionFilter;
import dev.tarn.lake.table.Snapshot;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many writers on one lake at once, threads and other JVMs, with nothing but the store's
 * put-if-absent to coordinate them: catalog commits (ingest) and table commits (appends).
 */
abstract class ConcurrencySuite extends BackendTest {
    ConcurrencySuite(Backend backend) {
        super(backend);
    }

    @Test
    void fourThreadsAndTwoJvmsIngestingTheSameFilesStoreEachDistinctContentExactlyOnce()
            throws Exception {
        Path inputs = Files.createDirectories(tmp.resolve("inputs"));
        Random rnd = new Random(7);
        Set<String> distinct = new TreeSet<>();
        for (int i = 0; i < 200; i++) {
            // 190 distinct contents and 10 files that repeat another's bytes under another name
            byte[] bytes =
                    i < 190
                            ? utf8(
                                    "{\"file\":"
                                            + i
                                            + ",\"pad\":\""
                                            + "x".repeat(rnd.nextInt(2000))
                                            + "\"}\n")
                            : Files.readAllBytes(
                                    inputs.resolve(String.format("f%03d.ndjson", i - 190)));
            Files.write(inputs.resolve(String.format("f%03d.ndjson", i)), bytes);
            distinct.add(sha256(bytes));
        }
        assertEquals(190, distinct.size());
        DatasetId ds = DatasetId.parse("raw/events");
        LakeLocation location = newLocation();
        Path go = tmp.resolve("go");
        try (Lake lake = location.open()) {
            // one child commits file by file like the threads, the other the whole directory in one
            // commit
            List<ChildJvm> children =
                    List.of(
                            ChildJvm.start(
                                    location,
                                    go,
                                    tmp,
                                    IngestMain.class,
                                    "files",
                                    ds.toString(),
                                    inputs.toString(),
                                    "100"),
                            ChildJvm.start(
                                    location,
                                    go,
                                    tmp,
                                    IngestMain.class,
                                    "tree",
                                    ds.toString(),
                                    inputs.toString()));
            for (ChildJvm c : children) {
                c.awaitReady();
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                threads.add(
                        pool.submit(
                                () -> {
                                    List<Path> files = IngestMain.shuffled(inputs, seed);
                                    start.await();
                                    int stored = 0;
                                    for (Path f : files) {
                                        stored += lake.ingest(ds).file(f).commit().stored().size();
                                    }
                                    return stored;
                                }));
            }
            ChildJvm.go(go);
            start.countDown();
            int stored = 0;
            for (Future<Integer> f : threads) {
                stored += f.get(10, TimeUnit.MINUTES);
            }
            pool.shutdown();
            for (ChildJvm c : children) {
                stored += Integer.parseInt(ChildJvm.line(c.finish(), "stored "));
            }

            List<LakeObject> objects = lake.catalog().objects(ds);
            assertEquals(190, objects.size(), "one object per distinct content");
            assertEquals(190, stored, "each stored by exactly one writer");
            assertEquals(
                    distinct, new TreeSet<>(objects.stream().map(LakeObject::sha256).toList()));
            for (LakeObject o : objects) {
                assertEquals(
                        o.size(),
                        lake.store().stat(o.key()).orElseThrow().size(),
                        "whole object: " + o.key());
            }
            assertEquals(
                    190, lake.store().list(ds.keyPrefix()).size(), "no loser's copy left behind");
            DoctorReport report = lake.doctor().check();
            assertTrue(report.isClean(), () -> "doctor: " + report.findings());
            assertEquals(190, report.objectsChecked());
            assertTrue(lake.store().pendingWrites().isEmpty(), "no write left unfinished");
            // the log's versions are contiguous: entry N exists for every N up to the newest and no
            // further
            long version = lake.catalog().version();
            List<String> log =
                    lake.store().list("_tarn/catalog/log/").stream().map(s -> s.key()).toList();
            assertEquals(version + 1, log.size());
            assertEquals(
                    String.format("_tarn/catalog/log/%020d.json", version),
                    log.get(log.size() - 1));
        }
        try (Lake again = location.open()) {
            assertEquals(
                    190,
                    again.catalog().objects(ds).size(),
                    "a reopened lake sees the same objects");
        }
    }

    @Test
    void eightThreadsAndTwoJvmsAppendingFiftyCommitsEachToOneTableLandEveryCommitOnce()
            throws Exception {
        appendFromEveryWriter(50);
    }

    @Test
    @Tag("soak")
    void eightThreadsAndTwoJvmsAppendingTwoHundredCommitsEachToOneTableLandEveryCommitOnce()
            throws Exception {
        appendFromEveryWriter(200);
    }

    private void appendFromEveryWriter(int perWriter) throws Exception {
        int threads = 8;
        int processes = 2;
        long recordsPerFile = 3;
        LakeLocation location = newLocation();
        Path go = tmp.resolve("go");
        try (Lake lake = location.open()) {
            Table t =
                    Tables.of(lake)
                            .create(
                                    "processed/events",
                                    Schema.of(
                                            Field.of("id", DataType.INT),
                                            Field.of("name", DataType.STRING),
                                            Field.of("amount", DataType.DOUBLE),
                                            Field.of("w", DataType.STRING)),
                                    "w");
            String template = t.keyPrefix() + "template/t.parquet";
            Conversion.of(
                            Input.bytes(
                                    "t.ndjson",
                                    utf8(
                                            """
                            {"id":0,"name":"n0","amount":0.0}
                            {"id":1,"name":"n1","amount":1.5}
                            {"id":2,"name":"n2","amount":3.0}
                            """)))
                    .format(InputFormat.NDJSON)
                    .threads(1)
                    .output(Output.storeObject(lake.store(), template))
                    .commit();

            List<ChildJvm> children = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                children.add(
                        ChildJvm.start(
                                location,
                                go,
                                tmp,
                                AppendMain.class,
                                "processed/events",
                                "p" + p,
                                Integer.toString(perWriter),
                                template,
                                Long.toString(recordsPerFile)));
            }
            for (ChildJvm c : children) {
                c.awaitReady();
            }
            List<Long> versions = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String name = "t" + i;
                futures.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    AppendMain.appendLoop(
                                            lake,
                                            t,
                                            name,
                                            perWriter,
                                            template,
                                            recordsPerFile,
                                            versions::add);
                                    return null;
                                }));
            }
            ChildJvm.go(go);
            start.countDown();
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.MINUTES);
            }
            pool.shutdown();
            for (ChildJvm c : children) {
                for (String line : c.finish()) {
                    if (line.startsWith("V ")) {
                        versions.add(Long.parseLong(line.substring(2)));
                    }
                }
            }

            int writers = threads + processes;
            int commits = writers * perWriter;
            assertEquals(commits, versions.size(), "every commit() returned once");
            assertEquals(commits, new HashSet<>(versions).size(), "no version was returned twice");
            Snapshot s = t.snapshot();
            assertEquals(
                    commits,
                    s.version(),
                    "versions are contiguous: 0 is the creation, then one per commit");
            Set<Long> expected = new HashSet<>();
            for (long v = 1; v <= commits; v++) {
                expected.add(v);
            }
            assertEquals(expected, new HashSet<>(versions));
            assertEquals(commits, s.files().size());
            assertEquals(commits * recordsPerFile, s.recordCount());
            for (String w : List.of("t0", "t7", "p0", "p1")) {
                assertEquals(
                        perWriter,
                        s.files(PartitionFilter.eq("w", w)).size(),
                        "files of writer " + w);
            }
            List<HistoryEntry> h = t.history();
            assertEquals(commits + 1, h.size(), "the history has every version exactly once");
            assertTrue(
                    h.stream()
                            .limit(commits)
                            .allMatch(e -> "WRITE".equals(e.operation()) && e.blindAppend()));
            // an independent reader sees every row exactly once
            KernelReader.Result k = Kernel.read(lake, t.keyPrefix(), tmp, null);
            assertEquals(commits, k.version());
            assertEquals(commits * recordsPerFile, k.rows().size());
            assertEquals(commits, k.rows().stream().filter(r -> r.startsWith("id=0,")).count());
        }
    }
}
