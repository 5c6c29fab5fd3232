package dev.tarn.lake.table.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.event.ChangeEvent;
import dev.tarn.lake.event.LakeEvent;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.spi.ChangeSource;
import dev.tarn.lake.spi.LakeInternals;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.table.internal.Actions.Action;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.table.internal.Actions.CommitInfo;
import dev.tarn.lake.table.internal.Actions.RemoveFile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Each table's {@code _delta_log/} as a source of the lake's change feed (registered as a {@link
 * ChangeSource} service): a version is an event with the commitInfo's operation, metrics, time and
 * user, and the data files it added and removed with {@code dataChange} (a compaction's rewrite
 * changes no data, so it lists none).
 *
 * <p>New versions are found by reading the entry after the last one seen: one lookup when there is
 * none. Only the first read of a table in a feed lists its log, to tell an entry not written yet
 * from one cleaned up after a checkpoint (Delta writers such as Spark delete entries older than
 * {@code delta.logRetentionDuration}): versions that are gone are an error naming where to resume,
 * never a silent jump.
 */
public final class TableChangeSource implements ChangeSource {
    @Override
    public DatasetKind kind() {
        return DatasetKind.TABLE;
    }

    @Override
    public Log open(Lake lake, DatasetId dataset) {
        return new TableLog(
                new DeltaLog(LakeInternals.of(lake).store(), dataset.keyPrefix()), dataset);
    }

    private static final class TableLog implements Log {
        private final DeltaLog log;
        private final DatasetId id;
        private boolean checked;

        TableLog(DeltaLog log, DatasetId id) {
            this.log = log;
            this.id = id;
        }

        @Override
        public List<ChangeEvent> after(long after, int max) {
            List<ChangeEvent> out = new ArrayList<>();
            long v = after + 1;
            while (out.size() < max) {
                Optional<byte[]> entry = log.commitLog().read(v);
                if (entry.isEmpty()) {
                    if (!checked && out.isEmpty()) {
                        requireNotCleanedUp(v);
                    }
                    break;
                }
                out.add(event(v, log.parse(v, entry.get())));
                v++;
            }
            checked = true;
            return out;
        }

        /** Entry {@code v} is absent: refuses if later ones exist (it was cleaned up). */
        private void requireNotCleanedUp(long v) {
            if (log.newerThan(v).isEmpty()) {
                return;
            }
            long oldest = log.earliestCommit();
            if (oldest <= v) {
                return; // a gap in the middle of the log: reading the entries reports it
            }
            throw new NotFoundException(
                    "table "
                            + id
                            + ": versions "
                            + v
                            + ".."
                            + (oldest - 1)
                            + " of its Delta log were cleaned up after a checkpoint (its oldest"
                            + " entry is version "
                            + oldest
                            + "), so the change feed cannot list what they changed; to go on after"
                            + " them, resume from "
                            + id
                            + "@"
                            + (oldest - 1)
                            + " (lake events --since "
                            + id
                            + "@"
                            + (oldest - 1)
                            + ")");
        }

        @Override
        public long versionBefore(Instant time) {
            long lo = -1;
            long hi = -1;
            for (ObjectStat s : log.store().list(log.logDir(), null)) {
                long v = log.entryVersion(s.key());
                if (v >= 0) {
                    lo = lo < 0 ? v : Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (hi < 0) {
                return -1;
            }
            // Entries before the oldest one left are gone: start after them, not with an error.
            lo = lo - 1;
            while (lo < hi) {
                long mid = lo + (hi - lo + 1) / 2;
                Optional<Instant> t = timestampOf(mid);
                if (t.isPresent() && t.get().isBefore(time)) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }

        @Override
        public Optional<Instant> timestampOf(long version) {
            return log.commitTimestamp(version).map(Instant::ofEpochMilli);
        }

        private ChangeEvent event(long version, List<Action> actions) {
            List<String> added = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            JsonNode info = null;
            for (Action a : actions) {
                if (a instanceof AddFile f && f.dataChange()) {
                    added.add(PathCodec.decode(f.path()));
                } else if (a instanceof RemoveFile r && r.dataChange()) {
                    removed.add(PathCodec.decode(r.path()));
                } else if (a instanceof CommitInfo c) {
                    info = c.json();
                }
            }
            Long ts = info == null ? null : Json.longOrNull(info, "timestamp");
            Instant at =
                    ts != null
                            ? Instant.ofEpochMilli(ts)
                            : log.store()
                                    .stat(log.entryKey(version))
                                    .map(ObjectStat::lastModified)
                                    .orElse(Instant.EPOCH);
            String user = info == null ? null : Json.text(info, "userName");
            return new ChangeEvent(
                    id.toString(),
                    LakeEvent.Kind.TABLE,
                    version,
                    at,
                    user,
                    operation(info),
                    List.of(id),
                    added,
                    removed,
                    metrics(info));
        }
    }

    /**
     * The feed's name for a Delta operation: {@code create-table}, {@code append}, {@code
     * overwrite}, {@code delete}, {@code compaction}, {@code restore}; others lower-cased with
     * dashes ({@code MERGE} is {@code merge}).
     */
    static String operation(JsonNode info) {
        String op = info == null ? null : Json.text(info, "operation");
        if (op == null || op.isBlank()) {
            return "unknown";
        }
        String mode = Json.text(info.path("operationParameters"), "mode");
        return switch (op.toUpperCase(Locale.ROOT)) {
            case "CREATE TABLE", "CREATE TABLE AS SELECT", "CREATE OR REPLACE TABLE" ->
                    "create-table";
            case "WRITE", "STREAMING UPDATE" ->
                    "overwrite".equalsIgnoreCase(mode) ? "overwrite" : "append";
            case "DELETE" -> "delete";
            case "OPTIMIZE" -> "compaction";
            default -> op.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        };
    }

    /** The commitInfo's {@code operationMetrics} that are whole numbers (Delta writes strings). */
    private static Map<String, Long> metrics(JsonNode info) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (info == null) {
            return out;
        }
        info.path("operationMetrics")
                .properties()
                .forEach(
                        e -> {
                            try {
                                out.put(e.getKey(), Long.parseLong(e.getValue().asText().trim()));
                            } catch (NumberFormatException notANumber) {
                                // a metric that is not a count (Spark writes some as text): left
                                // out
                            }
                        });
        return out;
    }
}
