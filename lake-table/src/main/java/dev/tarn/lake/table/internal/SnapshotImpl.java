package dev.tarn.lake.table.internal;

import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.Snapshot;
import dev.tarn.lake.types.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A {@link Snapshot} over a {@link TableState}. */
final class SnapshotImpl implements Snapshot {
    private final TableState state;
    private volatile List<DataFile> files;

    SnapshotImpl(TableState state) {
        this.state = state;
    }

    TableState state() {
        return state;
    }

    @Override
    public long version() {
        return state.version();
    }

    @Override
    public Instant timestamp() {
        return Instant.ofEpochMilli(state.timestamp());
    }

    @Override
    public String tableId() {
        return state.metadata().id();
    }

    @Override
    public Schema schema() {
        return state.schema();
    }

    @Override
    public List<String> partitionColumns() {
        return state.metadata().partitionColumns();
    }

    @Override
    public Map<String, String> properties() {
        return state.metadata().configuration();
    }

    @Override
    public List<DataFile> files() {
        List<DataFile> f = files;
        if (f == null) {
            List<DataFile> l = new ArrayList<>(state.files().size());
            state.files().values().forEach(a -> l.add(FileCodec.toDataFile(a)));
            f = Collections.unmodifiableList(l);
            files = f;
        }
        return f;
    }

    @Override
    public long transactionVersion(String appId) {
        Actions.SetTransaction t = state.txns().get(appId);
        return t == null ? -1 : t.version();
    }

    @Override
    public int minReaderVersion() {
        return state.protocol().minReaderVersion();
    }

    @Override
    public int minWriterVersion() {
        return state.protocol().minWriterVersion();
    }

    @Override
    public List<String> readerFeatures() {
        List<String> l = state.protocol().readerFeatures();
        return l == null ? List.of() : List.copyOf(l);
    }

    @Override
    public List<String> writerFeatures() {
        List<String> l = state.protocol().writerFeatures();
        return l == null ? List.of() : List.copyOf(l);
    }

    @Override
    public String toString() {
        return "Snapshot[version " + version() + ", " + state.files().size() + " files]";
    }
}
