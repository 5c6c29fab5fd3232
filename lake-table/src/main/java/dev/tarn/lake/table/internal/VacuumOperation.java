package dev.tarn.lake.table.internal;

import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.table.Vacuum;
import dev.tarn.lake.table.VacuumResult;
import dev.tarn.lake.table.internal.Actions.Action;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.table.internal.Actions.RemoveFile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Deletes the files no version inside the retention needs. */
final class VacuumOperation implements Vacuum {
    private final DefaultTable table;
    private Duration retention = Duration.ofDays(7);

    VacuumOperation(DefaultTable table) {
        this.table = table;
    }

    @Override
    public Vacuum retention(Duration r) {
        if (r.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative");
        }
        this.retention = r;
        return this;
    }

    @Override
    public VacuumResult apply() {
        return run(true);
    }

    @Override
    public VacuumResult commit() {
        return run(false);
    }

    private VacuumResult run(boolean dryRun) {
        DeltaLog log = table.log();
        long now = table.runtime().clock().millis();
        long cutoff = now - retention.toMillis();
        TableState latest = log.latest();
        Set<String> keep = new HashSet<>();
        latest.files().keySet().forEach(p -> keep.add(PathCodec.decode(p)));
        for (RemoveFile r : latest.tombstones().values()) {
            if (r.deletionTimestamp() == null || r.deletionTimestamp() >= cutoff) {
                keep.add(PathCodec.decode(r.path()));
            }
        }
        // The version current at the cutoff and every later one: their live files are needed for
        // time travel.
        long from;
        try {
            from = log.versionAsOf(Instant.ofEpochMilli(cutoff));
        } catch (NotFoundException e) {
            from = Math.max(0, log.earliestCommit());
        }
        try {
            log.at(from).files().keySet().forEach(p -> keep.add(PathCodec.decode(p)));
        } catch (NotFoundException e) {
            // that version cannot be reconstructed any more; the tombstones above still protect its
            // files
        }
        for (long v = from + 1; v <= latest.version(); v++) {
            Optional<List<Action>> actions = log.readCommit(v);
            if (actions.isEmpty()) {
                continue;
            }
            for (Action a : actions.get()) {
                if (a instanceof AddFile f) {
                    keep.add(PathCodec.decode(f.path()));
                }
            }
        }
        String prefix = table.keyPrefix();
        List<String> deleted = new ArrayList<>();
        long bytes = 0;
        for (ObjectStat s : log.store().list(prefix)) {
            String rel = s.key().substring(prefix.length());
            if (hidden(rel) || keep.contains(rel) || s.lastModified().toEpochMilli() >= cutoff) {
                continue;
            }
            if (dryRun || log.store().delete(s.key())) {
                deleted.add(rel);
                bytes += s.size();
            }
        }
        return new VacuumResult(deleted, bytes, dryRun);
    }

    /** The log and anything under a segment starting with '_' or '.' is not data. */
    private static boolean hidden(String rel) {
        for (String seg : rel.split("/")) {
            if (seg.startsWith("_") || seg.startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
