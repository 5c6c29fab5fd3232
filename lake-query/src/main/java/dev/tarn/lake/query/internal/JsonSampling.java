package dev.tarn.lake.query.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many rows DuckDB's JSON reader may sample per file of a dataset read with {@code
 * union_by_name}.
 *
 * <p>Why this exists: when sampling reads a file to its end, the reader keeps that file's buffer
 * (at least 32 MiB of the memory limit, however small the file) for the scan that follows. A
 * dataset of many small objects, each shorter than the sample, then needs 32 MiB per object before
 * the first row is read: 200 one-line objects failed with "failed to allocate data of size 32.0 MiB
 * (3.8 GiB/3.8 GiB used)". Sampling fewer rows than a file holds leaves its buffer to the scan,
 * which holds one per thread. So the sample is the largest that at most {@code keptFiles} of the
 * dataset's files are shorter than, counting the rows of newline-delimited files (up to DuckDB's
 * default sample, so a large file is read only that far, once per file: objects never change).
 *
 * <p>With {@code union_by_name} DuckDB also keeps a reader per file for the whole query: 20,000
 * one-line objects took 1.5 GB and ran out of file handles. A dataset of more than {@link #BATCH}
 * JSON files is therefore read with an explicit schema ({@link #columns}): the union of the schemas
 * DuckDB infers for batches of {@link #BATCH} files, one batch at a time (remembered, so that a
 * dataset that grows infers only its new batches).
 */
final class JsonSampling {
    /** DuckDB's default {@code sample_size}. */
    static final int DEFAULT_SAMPLE = 20_480;

    private static final int MAX_REMEMBERED = 1_000_000;

    /**
     * Files per schema-inference batch, and the most a dataset may have to be read with {@code
     * union_by_name}.
     */
    static final int BATCH = 256;

    private static final int MAX_BATCHES_REMEMBERED = 10_000;

    private final Map<Path, Integer> rows = Collections.synchronizedMap(new HashMap<>());
    private final Map<List<Path>, Map<String, String>> batchSchemas =
            Collections.synchronizedMap(
                    new java.util.LinkedHashMap<>(16, 0.75f, true) {
                        @Override
                        protected boolean removeEldestEntry(
                                Map.Entry<List<Path>, Map<String, String>> eldest) {
                            return size() > MAX_BATCHES_REMEMBERED;
                        }
                    });

    /**
     * The {@code columns} argument of {@code read_json} for these files: every column any of them
     * has, in order of first appearance, with DuckDB's common type where batches disagree (JSON if
     * there is none).
     */
    String columns(java.sql.Connection c, List<Path> files, boolean rowsKnown, int keptFiles)
            throws java.sql.SQLException {
        Map<String, String> all = new java.util.LinkedHashMap<>();
        for (int from = 0; from < files.size(); from += BATCH) {
            List<Path> batch =
                    List.copyOf(files.subList(from, Math.min(files.size(), from + BATCH)));
            Map<String, String> schema = batchSchemas.get(batch);
            if (schema == null) {
                schema = describe(c, batch, sampleSize(batch, rowsKnown, keptFiles));
                batchSchemas.put(batch, schema);
            }
            for (Map.Entry<String, String> e : schema.entrySet()) {
                String had = all.get(e.getKey());
                all.put(
                        e.getKey(),
                        had == null || had.equals(e.getValue())
                                ? e.getValue()
                                : commonType(c, had, e.getValue()));
            }
        }
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, String> e : all.entrySet()) {
            b.append(b.length() > 1 ? ", " : "")
                    .append(DuckEngine.quote(e.getKey()))
                    .append(": ")
                    .append(DuckEngine.quote(e.getValue()));
        }
        return b.append('}').toString();
    }

    private static Map<String, String> describe(java.sql.Connection c, List<Path> batch, int sample)
            throws java.sql.SQLException {
        String files =
                batch.stream()
                        .map(p -> DuckEngine.quote(p.toString()))
                        .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        Map<String, String> schema = new java.util.LinkedHashMap<>();
        try (java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs =
                        s.executeQuery(
                                "DESCRIBE SELECT * FROM read_json("
                                        + files
                                        + ", union_by_name = true, hive_partitioning = false, sample_size = "
                                        + sample
                                        + ")")) {
            while (rs.next()) {
                schema.put(rs.getString("column_name"), rs.getString("column_type"));
            }
        }
        return schema;
    }

    /** The type DuckDB gives a column holding values of both types, or JSON if it has none. */
    private static String commonType(java.sql.Connection c, String a, String b) {
        try (java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs =
                        s.executeQuery(
                                "DESCRIBE SELECT NULL::"
                                        + a
                                        + " AS v UNION ALL SELECT NULL::"
                                        + b
                                        + " AS v")) {
            return rs.next() ? rs.getString("column_type") : "JSON";
        } catch (java.sql.SQLException e) {
            return "JSON";
        }
    }

    /**
     * The sample size for these files, with at most {@code keptFiles} of them read to their end
     * while sampling. {@code rowsKnown} is false for files whose rows cannot be counted by lines
     * (JSON that may be an array or pretty-printed): each then counts as one row.
     */
    int sampleSize(List<Path> files, boolean rowsKnown, int keptFiles) {
        if (files.size() <= keptFiles) {
            return DEFAULT_SAMPLE;
        }
        List<Integer> counts = new ArrayList<>(files.size());
        for (Path f : files) {
            counts.add(rowsKnown ? rowsOf(f) : 1);
        }
        Collections.sort(counts);
        // the (keptFiles+1)-th shortest file must not be read to its end: sample no more rows than
        // it holds
        return Math.max(1, Math.min(DEFAULT_SAMPLE, counts.get(keptFiles)));
    }

    /**
     * Non-empty lines of a newline-delimited file, counted up to the default sample (1 if it cannot
     * be read).
     */
    private int rowsOf(Path file) {
        Integer known = rows.get(file);
        if (known != null) {
            return known;
        }
        int n = 0;
        boolean content = false;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; n < DEFAULT_SAMPLE && (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r && n < DEFAULT_SAMPLE; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        n += content ? 1 : 0;
                        content = false;
                    } else if (b != ' ' && b != '\t' && b != '\r') {
                        content = true;
                    }
                }
            }
            n += content ? 1 : 0;
        } catch (IOException e) {
            return 1; // DuckDB will say what is wrong with the file when it reads it
        }
        n = Math.max(1, n);
        if (rows.size() < MAX_REMEMBERED) {
            rows.put(file, n);
        }
        return n;
    }
}
