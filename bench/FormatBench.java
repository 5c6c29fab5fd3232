import dev.tarn.lake.format.Conversion;
import dev.tarn.lake.format.ConversionReport;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.format.Output;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One benchmark run, in its own JVM so that peak RSS is per run.
 * Usage: FormatBench (tarn|duckdb) (json|csv) INPUT OUTDIR THREADS [PARTITION_COLUMN]
 * Prints one line: engine format rows seconds rows/s bytes_out files (with a partition column: Hive-partitioned
 * output, Tarn's partitionBy against DuckDB's COPY ... (PARTITION_BY ...)).
 */
public final class FormatBench {
    public static void main(String[] a) throws Exception {
        String engine = a[0], fmt = a[1];
        Path in = Path.of(a[2]), out = Path.of(a[3]);
        int threads = Integer.parseInt(a[4]);
        String partition = a.length > 5 ? a[5] : null;
        clean(out);
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        long rows;
        if (engine.equals("tarn")) {
            Conversion c = Conversion.of(in)
                    .format(fmt.equals("json") ? InputFormat.NDJSON : InputFormat.CSV)
                    .threads(threads)
                    .output(Output.directory(out));
            if (partition != null) {
                c.partitionBy(partition);
            }
            ConversionReport r = c.commit();
            rows = r.rowsWritten();
            System.err.print(r.summary());
        } else {
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
                st.execute("SET threads=" + threads);
                st.execute("SET autoinstall_known_extensions=false");
                String read = fmt.equals("json") ? "read_json('" + in + "')" : "read_csv('" + in + "')";
                String target = partition == null ? out.resolve("out.parquet").toString() : out.toString();
                st.execute("COPY (SELECT * FROM " + read + ") TO '" + target + "' (FORMAT PARQUET, COMPRESSION ZSTD"
                        + (partition == null ? "" : ", PARTITION_BY (" + partition + ")") + ")");
                String written = partition == null ? "'" + target + "'"
                        : "read_parquet('" + out + "/**/*.parquet', hive_partitioning = true)";
                try (var rs = st.executeQuery("SELECT count(*) FROM " + written)) {
                    rs.next();
                    rows = rs.getLong(1);
                }
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        long bytes;
        long files;
        try (Stream<Path> w = Files.walk(out)) {
            var ps = w.filter(p -> p.toString().endsWith(".parquet")).toList();
            files = ps.size();
            long b = 0;
            for (Path p : ps) {
                b += Files.size(p);
            }
            bytes = b;
        }
        System.out.printf("%s %s rows=%d seconds=%.3f rows_per_s=%.0f out_bytes=%d files=%d%n", engine, fmt, rows, s,
                rows / s, bytes, files);
    }

    static void clean(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> w = Files.walk(dir)) {
                for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
