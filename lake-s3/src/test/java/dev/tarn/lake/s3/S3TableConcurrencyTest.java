package dev.tarn.lake.s3;

import dev.tarn.lake.Lake;
import dev.tarn.lake.LakeBuilder;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.format.Conversion;
import dev.tarn.lake.format.Input;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.format.Output;
import dev.tarn.lake.format.OutputFileInfo;
import dev.tarn.lake.table.HistoryEntry;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** Issue acceptance: 8 threads and 2 other JVMs committing to one Delta table in S3, every commit exactly once. */
class S3TableConcurrencyTest {
    static final int COMMITS = Integer.getInteger("tarn.s3.tableCommits", 50);

    @TempDir
    Path tmp;

    /** Writes a one-row Parquet file under the table (through the format module, into the store) and appends it. */
    static void appendOneRow(Lake lake, Table table, String writer, int n) {
        byte[] row = ("{\"writer\":\"" + writer + "\",\"n\":" + n + "}\n").getBytes(StandardCharsets.UTF_8);
        var report = Conversion.of(Input.bytes(writer + "-" + n + ".ndjson", row)).format(InputFormat.NDJSON)
                .threads(1).output(Output.store(lake.store(), table.keyPrefix())).run();
        OutputFileInfo f = report.files().get(0);
        table.newAppend().addFile(table.dataFile(f.relative(), Map.of())).commit();
    }

    @Test
    void threadsAndProcessesAppendingToOneTableCommitEachOnce() throws Exception {
        S3TestServer server = S3TestServer.shared();
        String location = "s3://" + server.newBucket() + "/lake";
        LakeBuilder b = Lake.builder().location(location);
        server.options().forEach(b::storeOption);
        DatasetId id = DatasetId.parse("processed/events");
        Path go = tmp.resolve("go");
        try (Lake lake = b.open()) {
            // the table, created from its first file
            byte[] first = "{\"writer\":\"init\",\"n\":0}\n".getBytes(StandardCharsets.UTF_8);
            String prefix = id.keyPrefix();
            var report = Conversion.of(Input.bytes("init.ndjson", first)).format(InputFormat.NDJSON).threads(1)
                    .output(Output.store(lake.store(), prefix)).run();
            Tables tables = Tables.of(lake);
            // a DataFile is described by the table (it reads the footer): create the table, then append the file
            Table table = tables.newCreate(id).schema(dev.tarn.lake.table.Schema.of(
                    dev.tarn.lake.table.Field.of("writer", dev.tarn.lake.table.DataType.Primitive.STRING),
                    dev.tarn.lake.table.Field.of("n", dev.tarn.lake.table.DataType.Primitive.INTEGER))).commit();
            table.newAppend().addFile(table.dataFile(report.files().get(0).relative(), Map.of())).commit();

            List<Process> procs = new ArrayList<>();
            List<BufferedReader> outs = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                        "-Duser.home=" + tmp, "-Daws.endpointUrl=" + server.endpoint(),
                        "-Daws.accessKeyId=" + S3TestServer.ACCESS_KEY,
                        "-Daws.secretAccessKey=" + S3TestServer.SECRET_KEY,
                        "-cp", System.getProperty("java.class.path"), TableAppendMain.class.getName(),
                        location, id.toString(), "proc" + p, String.valueOf(COMMITS), go.toString())
                        .redirectErrorStream(true);
                pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
                pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
                procs.add(pb.start());
                outs.add(new BufferedReader(new InputStreamReader(procs.get(p).getInputStream(),
                        StandardCharsets.UTF_8)));
            }
            for (BufferedReader r : outs) {
                String line = r.readLine();
                assertEquals("ready", line, () -> line + "\n" + r.lines().collect(Collectors.joining("\n")));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String writer = "thread" + t;
                threads.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < COMMITS; i++) {
                        appendOneRow(lake, table, writer, i);
                    }
                    return null;
                }));
            }
            Files.createFile(go);
            start.countDown();
            for (Future<?> f : threads) {
                f.get(10, TimeUnit.MINUTES);
            }
            pool.shutdown();
            for (int p = 0; p < 2; p++) {
                String out = outs.get(p).lines().collect(Collectors.joining("\n"));
                assertTrue(procs.get(p).waitFor(10, TimeUnit.MINUTES));
                assertEquals(0, procs.get(p).exitValue(), out);
                assertTrue(out.contains("committed " + COMMITS), out);
            }

            var snap = tables.load(id).snapshot();
            int writers = 10;
            assertEquals(1 + (long) writers * COMMITS, snap.recordCount(), "every row once");
            assertEquals(1 + 1 + (long) writers * COMMITS, snap.version() + 1, "versions: create, init, then one"
                    + " per append");
            List<HistoryEntry> history = tables.load(id).history();
            List<Long> versions = history.stream().map(HistoryEntry::version).sorted().toList();
            for (int v = 0; v < versions.size(); v++) {
                assertEquals(v, versions.get(v), "contiguous versions");
            }
            assertEquals(1 + writers * COMMITS, snap.files().size());
        }
    }
}
