package dev.tarn.lake.table.internal;

import dev.tarn.lake.table.internal.Actions.Action;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.table.internal.Actions.CommitInfo;
import dev.tarn.lake.table.internal.Actions.Metadata;
import dev.tarn.lake.table.internal.Actions.Protocol;
import dev.tarn.lake.table.internal.Actions.RemoveFile;
import dev.tarn.lake.table.internal.Actions.SetTransaction;
import dev.tarn.lake.types.Schema;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reconciled state of a table at one version: the newest protocol and metadata, the live files
 * (newest {@code add} per path), the tombstones (newest {@code remove} per path not re-added) and
 * the newest {@code txn} per application. Immutable; {@link Builder} replays commits.
 */
public final class TableState {
    private final long version;
    private final long timestamp;
    private final Protocol protocol;
    private final Metadata metadata;
    private final Map<String, AddFile> files;
    private final Map<String, RemoveFile> tombstones;
    private final Map<String, SetTransaction> txns;
    private volatile Schema schema;

    private TableState(
            long version,
            long timestamp,
            Protocol protocol,
            Metadata metadata,
            Map<String, AddFile> files,
            Map<String, RemoveFile> tombstones,
            Map<String, SetTransaction> txns) {
        this.version = version;
        this.timestamp = timestamp;
        this.protocol = protocol;
        this.metadata = metadata;
        this.files = Collections.unmodifiableMap(files);
        this.tombstones = Collections.unmodifiableMap(tombstones);
        this.txns = Collections.unmodifiableMap(txns);
    }

    public static TableState empty() {
        return new TableState(
                -1,
                0,
                null,
                null,
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>());
    }

    public long version() {
        return version;
    }

    /** The commit timestamp of {@link #version()}, in epoch milliseconds. */
    public long timestamp() {
        return timestamp;
    }

    public Protocol protocol() {
        return protocol;
    }

    public Metadata metadata() {
        return metadata;
    }

    /** Live files by their log path (URI-encoded). */
    public Map<String, AddFile> files() {
        return files;
    }

    public Map<String, RemoveFile> tombstones() {
        return tombstones;
    }

    public Map<String, SetTransaction> txns() {
        return txns;
    }

    public Schema schema() {
        Schema s = schema;
        if (s == null && metadata != null) {
            s = DeltaSchema.fromJson(metadata.schemaString());
            schema = s;
        }
        return s;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Replays commits on top of a state. Not thread-safe. */
    public static final class Builder {
        private long version;
        private long timestamp;
        private Protocol protocol;
        private Metadata metadata;
        private final LinkedHashMap<String, AddFile> files;
        private final LinkedHashMap<String, RemoveFile> tombstones;
        private final LinkedHashMap<String, SetTransaction> txns;

        private Builder(TableState s) {
            version = s.version;
            timestamp = s.timestamp;
            protocol = s.protocol;
            metadata = s.metadata;
            files = new LinkedHashMap<>(s.files);
            tombstones = new LinkedHashMap<>(s.tombstones);
            txns = new LinkedHashMap<>(s.txns);
        }

        public long version() {
            return version;
        }

        public long timestamp() {
            return timestamp;
        }

        /**
         * Applies the actions of commit {@code v}. {@code fallbackTimestamp} is used when the
         * commit has no {@code commitInfo.timestamp} (the entry's modification time).
         */
        public Builder apply(long v, List<Action> actions, long fallbackTimestamp) {
            if (v != version + 1) {
                throw new IllegalStateException(
                        "commit " + v + " does not follow version " + version);
            }
            long ts = fallbackTimestamp;
            for (Action a : actions) {
                if (a instanceof AddFile f) {
                    files.put(f.path(), f);
                    tombstones.remove(f.path());
                } else if (a instanceof RemoveFile r) {
                    AddFile gone = files.remove(r.path());
                    tombstones.put(
                            r.path(),
                            r.partitionValues() == null && gone != null
                                    ? gone.remove(
                                            r.deletionTimestamp() == null
                                                    ? 0
                                                    : r.deletionTimestamp(),
                                            r.dataChange())
                                    : r);
                } else if (a instanceof Metadata m) {
                    metadata = m;
                } else if (a instanceof Protocol p) {
                    protocol = p;
                } else if (a instanceof SetTransaction t) {
                    txns.put(t.appId(), t);
                } else if (a instanceof CommitInfo c && c.timestamp() != null) {
                    ts = c.timestamp();
                }
            }
            version = v;
            timestamp = ts;
            return this;
        }

        /** Loads a checkpoint's actions as the state at {@code v}. */
        public Builder load(long v, long ts, List<Action> actions) {
            for (Action a : actions) {
                if (a instanceof AddFile f) {
                    files.put(f.path(), f);
                } else if (a instanceof RemoveFile r) {
                    tombstones.put(r.path(), r);
                } else if (a instanceof Metadata m) {
                    metadata = m;
                } else if (a instanceof Protocol p) {
                    protocol = p;
                } else if (a instanceof SetTransaction t) {
                    txns.put(t.appId(), t);
                }
            }
            version = v;
            timestamp = ts;
            return this;
        }

        public TableState build() {
            return new TableState(version, timestamp, protocol, metadata, files, tombstones, txns);
        }
    }
}
