package dev.tarn.lake.cli;

import dev.tarn.lake.table.CompactionResult;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.HistoryEntry;
import dev.tarn.lake.table.Snapshot;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.VacuumResult;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The records the table commands print, as ordered maps of JSON-typed values (numbers as numbers, lists as lists):
 * like {@link Views}, the single source of their JSON shapes, and never a Java {@code toString}.
 */
final class TableViews {
    /** How many paths a table-mode listing shows before it summarises the rest (-o json always has them all). */
    static final int LISTED = 10;

    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9]\\d{0,17})");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9]\\d*)\\.\\d+([eE][-+]?\\d+)?");

    private TableViews() {
    }

    /**
     * What {@code describe} and {@code ls} show of a table, from its newest version's log alone (no data file is
     * read): the row count is the sum of the files' {@code numRecords} statistics, or null when a file has none.
     */
    static Map<String, Object> info(Table t) {
        Snapshot s = t.snapshot();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", s.version());
        long rows = s.recordCount();
        m.put("rows", rows < 0 ? null : rows);
        m.put("files", (long) s.files().size());
        m.put("bytes", s.sizeInBytes());
        m.put("partitionColumns", List.copyOf(s.partitionColumns()));
        Map<String, Object> protocol = new LinkedHashMap<>();
        protocol.put("minReaderVersion", s.minReaderVersion());
        protocol.put("minWriterVersion", s.minWriterVersion());
        protocol.put("readerFeatures", s.readerFeatures());
        protocol.put("writerFeatures", s.writerFeatures());
        m.put("protocol", protocol);
        List<HistoryEntry> last = t.history(1);
        Map<String, Object> commit = new LinkedHashMap<>();
        if (!last.isEmpty()) {
            HistoryEntry h = last.get(0);
            commit.put("version", h.version());
            commit.put("timestamp", h.timestamp());
            commit.put("operation", h.operation());
            commit.put("user", h.userName());
        } else {
            commit.put("version", s.version());
            commit.put("timestamp", s.timestamp());
            commit.put("operation", null);
            commit.put("user", null);
        }
        m.put("lastCommit", commit);
        return m;
    }

    /**
     * A table's dataset record as {@code ls} and {@code describe} show it: the catalog only knows when the table was
     * registered, so files, bytes and the last change come from the table's log.
     */
    static void overlay(Map<String, Object> dataset, Map<String, Object> info) {
        dataset.put("objects", info.get("files"));
        dataset.put("bytes", info.get("bytes"));
        Object t = ((Map<?, ?>) info.get("lastCommit")).get("timestamp");
        if (t != null) {
            dataset.put("lastModified", t);
        }
    }

    /** One history entry, its parameters and metrics typed: Delta keeps them all as text. */
    static Map<String, Object> history(HistoryEntry h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", h.version());
        m.put("timestamp", h.timestamp());
        m.put("operation", h.operation());
        m.put("user", h.userName());
        m.put("parameters", typed(h.parameters()));
        m.put("metrics", typed(h.metrics()));
        return m;
    }

    /**
     * Delta's operationParameters and operationMetrics are strings: numbers become numbers, and the values that hold
     * JSON (partitionBy, sourceObjects...) become the arrays and objects they encode.
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
    static Map<String, Object> compaction(String table, CompactionResult r, Snapshot before, Table t) {
        Map<String, Long> oldSizes = new HashMap<>();
        before.files().forEach(f -> oldSizes.put(f.path(), f.size()));
        long bytesBefore = r.removedFiles().stream().mapToLong(p -> oldSizes.getOrDefault(p, 0L)).sum();
        long bytesAfter = 0;
        if (r.committed()) {
            Map<String, Long> newSizes = new HashMap<>();
            for (DataFile f : t.snapshot(r.commit().version()).files()) {
                newSizes.put(f.path(), f.size());
            }
            bytesAfter = r.addedFiles().stream().mapToLong(p -> newSizes.getOrDefault(p, 0L)).sum();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table", table);
        m.put("committed", r.committed());
        m.put("version", r.committed() ? r.commit().version() : null);
        m.put("timestamp", r.committed() ? r.commit().timestamp() : null);
        m.put("filesRemoved", (long) r.removedFiles().size());
        m.put("filesAdded", (long) r.addedFiles().size());
        m.put("bytesRemoved", bytesBefore);
        m.put("bytesAdded", bytesAfter);
        m.put("removedFiles", r.removedFiles());
        m.put("addedFiles", r.addedFiles());
        return m;
    }

    static final List<String> COMPACTION_KEYS = List.of("table", "committed", "version", "timestamp",
            "filesRemoved", "filesAdded", "bytesRemoved", "bytesAdded", "removedFiles", "addedFiles");

    /** {@code optimize: 4,882 files → 201, 23.0 MiB → 1.9 MiB}: the paths are in {@code -o json}. */
    static String compactionText(Map<String, Object> m) {
        if (!(Boolean) m.get("committed")) {
            return "optimize " + m.get("table") + ": nothing to compact (no partition has several small files)\n";
        }
        return "optimize " + m.get("table") + ": " + count((Long) m.get("filesRemoved")) + " files \u2192 "
                + count((Long) m.get("filesAdded")) + ", " + Text.size((Long) m.get("bytesRemoved")) + " \u2192 "
                + Text.size((Long) m.get("bytesAdded")) + " (version " + m.get("version") + ")\n";
    }

    static Map<String, Object> vacuum(String table, VacuumResult r, java.time.Duration retain) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table", table);
        m.put("dryRun", r.dryRun());
        m.put("retentionSeconds", retain.toSeconds());
        m.put("count", (long) r.deletedFiles().size());
        m.put("files", r.deletedFiles());
        m.put("bytes", r.deletedBytes());
        return m;
    }

    static final List<String> VACUUM_KEYS = List.of("table", "dryRun", "retentionSeconds", "count", "files",
            "bytes");

    /** The first {@link #LISTED} paths, then how many more there are. */
    static void listed(StringBuilder b, List<String> paths) {
        int shown = Math.min(LISTED, paths.size());
        for (int i = 0; i < shown; i++) {
            b.append("  ").append(Text.oneLine(paths.get(i))).append('\n');
        }
        if (paths.size() > shown) {
            b.append("  ... and ").append(count(paths.size() - shown)).append(" more (-o json lists them all)\n");
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

    static String time(Object t) {
        return t instanceof Instant i ? Text.time(i) : "";
    }

    static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            l.forEach(o -> out.add(String.valueOf(o)));
        }
        return out;
    }
}
