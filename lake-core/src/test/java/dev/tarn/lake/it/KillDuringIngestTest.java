package dev.tarn.lake.it;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.doctor.Finding;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;

/** Issue acceptance 5: a JVM killed with SIGKILL while ingesting a large stream. */
class KillDuringIngestTest {
    @TempDir Path tmp;

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 5_000_000, 20_000_000, 60_000_000})
    void noPartialObjectIsVisibleAndDoctorRepairsTheLeftover(long killAfterBytes) throws Exception {
        Path dir = tmp.resolve("lake");
        DatasetId ds = DatasetId.parse("raw/big");
        try (Lake lake = Lake.open(dir)) {
            lake.ingest(ds).bytes("before".getBytes(), "small.txt").commit();
        }
        Process p = Jvm.process(IngestMain.class, "endless", dir.toString(), ds.toString()).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            assertEquals("writing", r.readLine());
            // let it write a good amount
            Path tmpDir = dir.resolve(".tmp");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (staged(tmpDir) < killAfterBytes && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(staged(tmpDir) >= killAfterBytes, "the ingest was writing when killed");
            p.destroyForcibly(); // SIGKILL on Unix
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, p.exitValue(), "killed by SIGKILL");
        }

        try (Lake lake = Lake.open(dir)) {
            assertEquals(1, lake.catalog().objects(ds).size(), "only the object committed before");
            try (var s = Files.walk(dir.resolve("raw"))) {
                assertEquals(
                        1,
                        s.filter(Files::isRegularFile).count(),
                        "no partial object in the dataset");
            }
            DoctorReport check = lake.doctor().check();
            assertFalse(check.isClean());
            assertEquals(1, check.findings().size(), () -> check.findings().toString());
            Finding f = check.findings().get(0);
            assertEquals(Finding.Kind.LEFTOVER_TEMP, f.kind());
            assertTrue(f.detail().contains("process is gone"), f.detail());

            DoctorReport repaired = lake.doctor().repair();
            assertTrue(repaired.isClean());
            assertTrue(repaired.findings().get(0).repaired());
            assertTrue(lake.doctor().check().findings().isEmpty());
            assertEquals(0, staged(dir.resolve(".tmp")));
        }
    }

    private static long staged(Path tmpDir) throws Exception {
        if (!Files.isDirectory(tmpDir)) {
            return 0;
        }
        long total = 0;
        try (var s = Files.list(tmpDir)) {
            for (Path p : s.toList()) {
                try {
                    total += Files.size(p);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // finished meanwhile
                }
            }
        }
        return total;
    }
}
