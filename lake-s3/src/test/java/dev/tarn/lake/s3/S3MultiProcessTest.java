package dev.tarn.lake.s3;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.doctor.DoctorReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Catalog commits on S3 from 4 threads and 2 other JVMs at once, all ingesting the same files into one dataset: the
 * put-if-absent of each log entry is the only coordination. Every distinct content is stored exactly once and the
 * log's versions are contiguous.
 */
class S3MultiProcessTest {
    @TempDir
    Path tmp;

    @Test
    void threadsAndProcessesStoreEachDistinctFileExactlyOnce() throws Exception {
        Path inputs = Files.createDirectories(tmp.resolve("inputs"));
        Random rnd = new Random(23);
        Set<String> distinct = new TreeSet<>();
        for (int i = 0; i < 30; i++) {
            byte[] bytes = i < 26 ? ("{\"file\":" + i + ",\"pad\":\"" + "y".repeat(rnd.nextInt(4000)) + "\"}\n")
                    .getBytes(StandardCharsets.UTF_8)
                    : Files.readAllBytes(inputs.resolve(String.format("f%03d.ndjson", i - 26)));
            Files.write(inputs.resolve(String.format("f%03d.ndjson", i)), bytes);
            distinct.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
        S3TestServer server = S3TestServer.shared();
        String location = "s3://" + server.newBucket() + "/shared";
        DatasetId ds = DatasetId.parse("raw/events");
        Path go = tmp.resolve("go");

        var builder = Lake.builder().location(location);
        server.options().forEach(builder::storeOption);
        try (Lake lake = builder.open()) {
            List<Process> procs = new ArrayList<>();
            List<BufferedReader> outs = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                        "-Duser.home=" + tmp, "-Daws.endpointUrl=" + server.endpoint(),
                        "-Daws.accessKeyId=" + S3TestServer.ACCESS_KEY,
                        "-Daws.secretAccessKey=" + S3TestServer.SECRET_KEY,
                        "-cp", System.getProperty("java.class.path"), IngestFilesMain.class.getName(),
                        location, ds.toString(), inputs.toString(), String.valueOf(100 + p), go.toString())
                        .redirectErrorStream(true);
                pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
                pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
                Process proc = pb.start();
                procs.add(proc);
                BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(),
                        StandardCharsets.UTF_8));
                outs.add(r);
            }
            for (BufferedReader r : outs) {
                String first = r.readLine();
                assertEquals("ready", first, () -> first + "\n" + r.lines().collect(Collectors.joining("\n")));
            }

            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                threads.add(pool.submit(() -> {
                    List<Path> files = new ArrayList<>();
                    try (var s = Files.list(inputs)) {
                        s.forEach(files::add);
                    }
                    Collections.sort(files);
                    Collections.shuffle(files, new Random(seed));
                    start.await();
                    int stored = 0;
                    for (Path f : files) {
                        stored += lake.ingest(ds).file(f).commit().stored().size();
                    }
                    return stored;
                }));
            }
            Files.createFile(go);
            start.countDown();
            int stored = 0;
            for (Future<Integer> f : threads) {
                stored += f.get(3, TimeUnit.MINUTES);
            }
            pool.shutdown();
            for (int i = 0; i < procs.size(); i++) {
                String out = outs.get(i).lines().collect(Collectors.joining("\n"));
                assertTrue(procs.get(i).waitFor(3, TimeUnit.MINUTES), out);
                assertEquals(0, procs.get(i).exitValue(), out);
                stored += Integer.parseInt(out.lines().filter(l -> l.startsWith("stored ")).findFirst()
                        .orElseThrow(() -> new AssertionError(out)).substring(7));
            }

            List<LakeObject> objects = lake.catalog().objects(ds);
            assertEquals(distinct.size(), objects.size(), "one object per distinct content");
            assertEquals(distinct.size(), stored, "each stored by exactly one writer");
            assertEquals(distinct, new TreeSet<>(objects.stream().map(LakeObject::sha256).toList()));
            DoctorReport report = lake.doctor().check();
            assertTrue(report.isClean(), () -> "doctor: " + report.findings());
            long version = lake.catalog().version();
            assertEquals(version + 1, lake.store().list("_tarn/catalog/log/").size(), "contiguous log");
            assertTrue(lake.store().pendingWrites().isEmpty());
        }
    }
}
