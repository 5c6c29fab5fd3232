package dev.tarn.lake.table.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Delta table properties Tarn honours. */
public final class TableProperties {
    public static final String CHECKPOINT_INTERVAL = "delta.checkpointInterval";
    public static final String DELETED_FILE_RETENTION = "delta.deletedFileRetentionDuration";
    public static final int DEFAULT_CHECKPOINT_INTERVAL = 10;
    private static final long WEEK = 7L * 24 * 3600 * 1000;
    private static final Pattern INTERVAL =
            Pattern.compile("(?i)\\s*interval\\s+(\\d+)\\s+(\\w+?)s?\\s*");

    private TableProperties() {}

    public static int checkpointInterval(TableState s) {
        String v =
                s.metadata() == null ? null : s.metadata().configuration().get(CHECKPOINT_INTERVAL);
        if (v == null) {
            // A lake-wide default for tables that do not set one (tests use it to get checkpoints
            // early).
            return Math.max(
                    1,
                    Integer.getInteger(
                            "tarn.table.checkpointInterval", DEFAULT_CHECKPOINT_INTERVAL));
        }
        try {
            return Math.max(1, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_CHECKPOINT_INTERVAL;
        }
    }

    /**
     * {@code delta.deletedFileRetentionDuration} ("interval 1 week" by default), in milliseconds.
     */
    public static long deletedFileRetentionMillis(TableState s) {
        String v =
                s.metadata() == null
                        ? null
                        : s.metadata().configuration().get(DELETED_FILE_RETENTION);
        if (v == null) {
            return WEEK;
        }
        Matcher m = INTERVAL.matcher(v);
        if (!m.matches()) {
            return WEEK;
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "millisecond":
                return n;
            case "second":
                return n * 1000;
            case "minute":
                return n * 60_000;
            case "hour":
                return n * 3_600_000;
            case "day":
                return n * 86_400_000;
            case "week":
                return n * WEEK;
            default:
                return WEEK;
        }
    }
}
