package dev.tarn.lake.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitioned output stays in bounded memory with many partition values: a child JVM with a 96 MiB
 * heap converts rows over 1,000 values (its spill buffers hold a fraction of the input, each
 * finished file is closed at once), and its peak RSS is read from /proc. The 2M-row measurement at
 * -Xmx256m is in docs/benchmarks.md.
 */
class PartitionMemoryTest {
    @TempDir Path dir;

    /**
     * Child entry point: converts INPUT into OUTDIR partitioned by "shard", prints the file count.
     */
    public static void main(String[] a) {
        ConversionReport r =
                Conversion.of(Path.of(a[0]))
                        .partitionBy("shard")
                        .threads(2)
                        .output(Output.directory(Path.of(a[1])))
                        .commit();
        System.out.println("files=" + r.files().size() + " rows=" + r.rowsWritten());
        System.out.println(String.join("\n", r.notes()));
    }

    @Test
    void aThousandPartitionValuesInASmallHeap() throws Exception {
        Path in = dir.resolve("in.ndjson");
        java.util.Random rnd = new java.util.Random(1);
        try (var w = Files.newBufferedWriter(in)) {
            for (int i = 0; i < 250_000; i++) {
                w.write(
                        "{\"shard\":"
                                + rnd.nextInt(1000)
                                + ",\"id\":"
                                + i
                                + ",\"text\":\""
                                + Long.toHexString(rnd.nextLong())
                                + Long.toHexString(rnd.nextLong())
                                + Long.toHexString(rnd.nextLong())
                                + "\",\"v\":"
                                + rnd.nextDouble()
                                + "}\n");
            }
        }
        assertTrue(
                Files.size(in) > 25 << 20, "the input is twice the spill memory of a 96 MiB heap");
        Path out = dir.resolve("out");
        ChildJvm.Result r =
                ChildJvm.run("96m", PartitionMemoryTest.class, in.toString(), out.toString());
        String output = r.output();
        long peakKb = r.peakRssKb();
        assertEquals(0, r.exit(), output);
        assertTrue(output.contains("files=1000 rows=250000"), output);
        assertTrue(output.contains("run(s) on local temp disk"), output);
        // heap 96 MiB plus the JVM's own code, metaspace and thread stacks
        assertTrue(peakKb < 400 << 10, "peak RSS " + (peakKb >> 10) + " MiB");
    }
}
