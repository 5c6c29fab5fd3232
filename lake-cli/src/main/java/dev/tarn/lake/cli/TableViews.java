package dev.tarn.lake.cli;

import dev.tarn.lake.table.CompactionResult;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.HistoryEntry;
import dev.tarn.lake.table.Snapshot;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.VacuumResult;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The records the table commands print, one Java record per JSON shape with JSON-typed values
 * (numbers as numbers, lists as lists): like {@link Views}, the single source of their JSON shapes,
 * and never a Java {@code toString}.
 */
final class TableViews {
    /**
     * How many paths a table-mode listing shows before it summarises the rest (-o json always has
     * them all).
     */
    static final int LISTED = 10;

    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9]\\d{0,17})");
    private static final Pattern DECIMAL =
            Pattern.compile("-?(0|[1-9]\\d*)\\.\\d+([eE][-+]?\\d+)?");

    private TableViews() {}

    /** A table's protocol: the reader and writer versions and features it requires. */
    record Protocol(
            int minReaderVersion,
            int minWriterVersion,
            List<String> readerFeatures,
            List<String> writerFeatures) {}

    /**
     * A table's newest commit: operation and user are null when its log has no commit information.
     */
    record LastCommit(long version, Instant timestamp, String operation, String user) {}

    /**
     * What {@code describe} and {@code ls} show of a table, from its newest version's log alone (no
     * data file is read): the row count is the sum of the files' {@code numRecords} statistics, or
     * null when a file has none.
     */
    record TableInfo(
            long version,
            Long rows,
            long files,
            long bytes,
            List<String> partitionColumns,
            Protocol protocol,
            LastCommit lastCommit) {
        static TableInfo of(Table t) {
            Snapshot s = t.snapshot();
            long rows = s.recordCount();
            List<HistoryEntry> last = t.history(1);
            LastCommit commit;
            if (!last.isEmpty()) {
                HistoryEntry h = last.get(0);
                commit = new LastCommit(h.version(), h.timestamp(), h.operation(), h.userName());
            } else {
                commit = new LastCommit(s.version(), s.timestamp(), null, null);
            }
            return new TableInfo(
                    s.version(),
                    rows < 0 ? null : rows,
                    s.files().size(),
                    s.sizeInBytes(),
                    List.copyOf(s.partitionColumns()),
                    new Protocol(
                            s.minReaderVersion(),
                            s.minWriterVersion(),
                            s.readerFeatures(),
                            s.writerFeatures()),
                    commit);
        }
    }

    /** One history entry, its parameters and metrics typed: Delta keeps them all as text. */
    record HistoryView(
            long version,
            Instant timestamp,
            String operation,
            String user,
            Map<String, Object> parameters,
            Map<String, Object> metrics) {
        static HistoryView of(HistoryEntry h) {
            return new HistoryView(
                    h.version(),
                    h.timestamp(),
                    h.operation(),
                    h.userName(),
                    typed(h.parameters()),
                    typed(h.metrics()));
        }
    }

    /**
     * Delta's operationParameters and operationMetrics are strings: numbers become numbers, and the
     * values that hold JSON (partitionBy, sourceObjects...) become the arrays and objects they
     * encode.
     */
    static Map<String, Object> typed(Map<String, String> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        values.keySet().stream().sorted().forEach(k -> m.put(k, typed(values.get(k))));
        return m;
    }

    static Object typed(String v) {
        if (v == null) {
            return null;
        }
        if (INTEGER.matcher(v).matches()) {
            return Long.parseLong(v);
        }
        if (DECIMAL.matcher(v).matches()) {
            return Double.parseDouble(v);
        }
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        String t = v.strip();
        if (t.startsWith("[") || t.startsWith("{")) {
            try {
                return CliJson.MAPPER.readValue(t, Object.class);
            } catch (IOException e) {
                return v; // text that merely starts with a bracket ("[row predicate]")
            }
        }
        return v;
    }

    /** {@code optimize}: counts and bytes before and after, and every path replaced and written. */
    record CompactionView(
            String table,
            boolean committed,
            Long version,
            Instant timestamp,
            long filesRemoved,
            long filesAdded,
            long bytesRemoved,
            long bytesAdded,
            List<String> removedFiles,
            List<String> addedFiles) {
        static CompactionView of(String table, CompactionResult r, Snapshot before, Table t) {
            Map<String, Long> oldSizes = new HashMap<>();
            before.files().forEach(f -> oldSizes.put(f.path(), f.size()));
            long bytesBefore =
                    r.removedFiles().stream().mapToLong(p -> oldSizes.getOrDefault(p, 0L)).sum();
            long bytesAfter = 0;
            if (r.committed()) {
                Map<String, Long> newSizes = new HashMap<>();
                for (DataFile f : t.snapshot(r.commit().version()).files()) {
                    newSizes.put(f.path(), f.size());
                }
                bytesAfter =
                        r.addedFiles().stream().mapToLong(p -> newSizes.getOrDefault(p, 0L)).sum();
            }
            return new CompactionView(
                    table,
                    r.committed(),
                    r.committed() ? r.commit().version() : null,
                    r.committed() ? r.commit().timestamp() : null,
                    r.removedFiles().size(),
                    r.addedFiles().size(),
                    bytesBefore,
                    bytesAfter,
                    r.removedFiles(),
                    r.addedFiles());
        }

        /**
         * {@code optimize: 4,882 files → 201, 23.0 MiB → 1.9 MiB}: the paths are in {@code -o
         * json}.
         */
        String text() {
            if (!committed) {
                return "optimize "
                        + table
                        + ": nothing to compact (no partition has several small files)\n";
            }
            return "optimize "
                    + table
                    + ": "
                    + count(filesRemoved)
                    + " files \u2192 "
                    + count(filesAdded)
                    + ", "
                    + Text.size(bytesRemoved)
                    + " \u2192 "
                    + Text.size(bytesAdded)
                    + " (version "
                    + version
                    + ")\n";
        }
    }

    /** {@code vacuum}: the retention, and the files deleted (or that would be, with --dry-run). */
    record VacuumView(
            String table,
            boolean dryRun,
            long retentionSeconds,
            long count,
            List<String> files,
            long bytes) {
        static VacuumView of(String table, VacuumResult r, java.time.Duration retain) {
            return new VacuumView(
                    table,
                    r.dryRun(),
                    retain.toSeconds(),
                    r.deletedFiles().size(),
                    r.deletedFiles(),
                    r.deletedBytes());
        }
    }

    /**
     * {@code restore} (and {@code delete}, which adds its predicate and rows): the version a change
     * committed.
     */
    record CommitView(
            String table,
            long version,
            Instant timestamp,
            String operation,
            int filesAdded,
            int filesRemoved) {
        static CommitView of(
                dev.tarn.lake.catalog.DatasetId id, dev.tarn.lake.table.CommitResult c) {
            return new CommitView(
                    id.toString(),
                    c.version(),
                    c.timestamp(),
                    c.operation(),
                    c.filesAdded(),
                    c.filesRemoved());
        }
    }

    /**
     * {@code convert}: what a conversion of a raw dataset's new objects into a table wrote (or that
     * it had none).
     */
    record ConvertView(
            String source,
            String table,
            boolean converted,
            Long tableVersion,
            long sourceVersion,
            List<String> objects,
            long rowsWritten,
            long rowsQuarantined,
            String quarantine,
            List<String> notes) {
        static ConvertView of(dev.tarn.lake.table.ConvertResult r) {
            return new ConvertView(
                    r.source().toString(),
                    r.table().toString(),
                    r.converted(),
                    r.converted() ? r.tableVersion() : null,
                    r.sourceVersion(),
                    r.objects(),
                    r.rowsWritten(),
                    r.rowsQuarantined(),
                    r.quarantine(),
                    r.notes());
        }
    }

    /** {@code history} without a table: a catalog commit, its parameters sorted by name. */
    record CatalogCommitView(
            long version,
            Instant timestamp,
            String operation,
            String user,
            Map<String, String> parameters) {
        static CatalogCommitView of(dev.tarn.lake.catalog.CatalogCommit c) {
            return new CatalogCommitView(
                    c.version(),
                    c.timestamp(),
                    c.operation(),
                    c.principal(),
                    new java.util.TreeMap<>(c.parameters()));
        }
    }

    /**
     * {@code lineage}: a source a table version read, at which version, and the raw objects it
     * converted.
     */
    record LineageView(
            long version,
            Instant timestamp,
            String operation,
            String source,
            Object sourceVersion,
            List<String> objects) {}

    /**
     * {@code delete}: the commit, the predicate given and how many rows it deleted (null if the log
     * lacks it).
     */
    record DeleteView(
            @com.fasterxml.jackson.annotation.JsonUnwrapped CommitView commit,
            String predicate,
            Long rowsDeleted) {}

    /** The first {@link #LISTED} paths, then how many more there are. */
    static void listed(StringBuilder b, List<String> paths) {
        int shown = Math.min(LISTED, paths.size());
        for (int i = 0; i < shown; i++) {
            b.append("  ").append(Text.oneLine(paths.get(i))).append('\n');
        }
        if (paths.size() > shown) {
            b.append("  ... and ")
                    .append(count(paths.size() - shown))
                    .append(" more (-o json lists them all)\n");
        }
    }

    /** 4,882. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A retention as people write it: 7d, 36h, 90m, 45s. */
    static String duration(java.time.Duration d) {
        long s = d.toSeconds();
        if (s % 86400 == 0 && s > 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
