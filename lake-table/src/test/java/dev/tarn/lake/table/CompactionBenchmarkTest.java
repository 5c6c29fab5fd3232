package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.lake.Lake;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction of 100 small files (20,000 rows each, written by DuckDB) into one, timed from the
 * commit call to its return; and a row delete over the compacted file. Tagged "bench": run with
 * {@code mvn -pl lake-table test -Dtest=CompactionBenchmarkTest -Dtarn.excludedGroups=
 * -Dgroups=bench}; the numbers go to standard output.
 */
@Tag("bench")
class CompactionBenchmarkTest {
    private static final int FILES = 100;
    private static final int ROWS = 20_000;

    @TempDir Path dir;

    @Test
    void compactHundredFiles() {
        Schema schema =
                Schema.of(
                        Field.of("id", DataType.LONG),
                        Field.of("name", DataType.STRING),
                        Field.of("amount", DataType.decimal(18, 1)));
        try (Lake lake = Lake.open(dir.resolve("lake"));
                TestData data = new TestData(lake)) {
            Table t = Tables.of(lake).newCreate("processed/compact").schema(schema).commit();
            AppendFiles append = t.newAppend();
            long inputBytes = 0;
            for (int i = 0; i < FILES; i++) {
                DataFile f =
                        data.file(
                                t,
                                "part-" + i + ".parquet",
                                (long) i * ROWS,
                                (long) (i + 1) * ROWS,
                                java.util.Map.of());
                inputBytes += f.size();
                append.addFile(f);
            }
            append.commit();
            long t0 = System.nanoTime();
            CompactionResult r = t.newCompaction().targetFileSize(1L << 30).commit();
            long compactNanos = System.nanoTime() - t0;
            assertEquals(FILES, r.removedFiles().size());
            assertEquals(1, r.addedFiles().size());
            Snapshot s = t.snapshot();
            assertEquals((long) FILES * ROWS, s.recordCount());
            long outBytes = s.files().get(0).size();
            t0 = System.nanoTime();
            t.newRowDelete().rows(RowPredicate.eq("id", 7L)).commit();
            long deleteNanos = System.nanoTime() - t0;
            System.out.printf(
                    "compaction of %d files (%d rows, %d bytes) into one (%d bytes): %.0f ms%n",
                    FILES, (long) FILES * ROWS, inputBytes, outBytes, compactNanos / 1e6);
            System.out.printf(
                    "row delete rewriting the compacted file (%d rows): %.0f ms%n",
                    (long) FILES * ROWS, deleteNanos / 1e6);
        }
    }
}
