package dev.tarn.lake.internal.ingest;

import dev.tarn.lake.catalog.Names;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns what an ingest is given (file names, relative paths, partition values) into safe object
 * paths. The original names are kept in each object's metadata record; the paths only need to be
 * safe everywhere they go: local filesystems, S3 keys, Hive-style partition parsing in SQL engines
 * (which skip names starting with '_' or '.').
 */
final class ObjectNaming {
    static final String INGEST_DATE = "ingest_date";
    private static final int MAX_SEGMENT = 150;

    private ObjectNaming() {}

    /** The partition of an ingest: the user's values, or today's ingest date. */
    static Map<String, String> partition(Map<String, String> given, LocalDate today) {
        if (given.isEmpty()) {
            return Map.of(INGEST_DATE, today.toString());
        }
        Map<String, String> out = new LinkedHashMap<>();
        given.forEach(
                (k, v) ->
                        out.put(Names.check("partition key", k), Names.checkPartitionValue(k, v)));
        return out;
    }

    static String partitionPath(Map<String, String> partition) {
        StringBuilder b = new StringBuilder();
        partition.forEach((k, v) -> b.append(k).append('=').append(v).append('/'));
        return b.toString();
    }

    /**
     * A path segment safe on every store: ASCII letters, digits, '.', '_', '-', '='; no leading '.'
     * or '_'.
     */
    static String safeSegment(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok =
                    (c >= 'a' && c <= 'z')
                            || (c >= 'A' && c <= 'Z')
                            || (c >= '0' && c <= '9')
                            || c == '.'
                            || c == '_'
                            || c == '-'
                            || c == '=';
            b.append(ok ? c : '_');
        }
        String s = b.toString().replaceAll("^[._]+", "");
        if (s.isEmpty() || s.chars().allMatch(c -> c == '_' || c == '.')) {
            s = "object";
        }
        if (s.length() > MAX_SEGMENT) {
            String ext = FormatSniffer.extension(s);
            int keep = MAX_SEGMENT - (ext.isEmpty() ? 0 : ext.length() + 1);
            s = s.substring(0, keep) + (ext.isEmpty() ? "" : "." + ext);
        }
        return s;
    }

    /** A relative path ({@code a/b/c.csv}) made safe segment by segment. */
    static String safeRelativePath(String relative) {
        StringBuilder b = new StringBuilder();
        for (String seg : relative.replace('\\', '/').split("/")) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                continue;
            }
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(safeSegment(seg));
        }
        return b.length() == 0 ? "object" : b.toString();
    }

    /**
     * {@code dir/name.ext} becomes {@code dir/name-SUFFIX.ext}, for when the plain path is taken.
     */
    static String withSuffix(String path, String suffix) {
        int slash = path.lastIndexOf('/');
        String dir = path.substring(0, slash + 1);
        String file = path.substring(slash + 1);
        // Keep compound extensions together: events.ndjson.gz -> events-SUFFIX.ndjson.gz
        int dot = file.indexOf('.', 1);
        return dot < 0
                ? dir + file + "-" + suffix
                : dir + file.substring(0, dot) + "-" + suffix + file.substring(dot);
    }
}
