package dev.tarn.lake.table;

import dev.tarn.lake.types.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A table at one version: immutable. */
public interface Snapshot {
    long version();

    /** The commit time of this version. */
    Instant timestamp();

    /** The table's unique id (the metaData id). */
    String tableId();

    Schema schema();

    List<String> partitionColumns();

    /** The table properties (metaData configuration). */
    Map<String, String> properties();

    /**
     * The constraints every row keeps: NOT NULL columns, column invariants and CHECK constraints
     * ({@link Constraint#of}).
     */
    default List<Constraint> constraints() {
        return Constraint.of(schema(), properties());
    }

    /** The live data files. */
    List<DataFile> files();

    default List<DataFile> files(PartitionFilter filter) {
        return files().stream()
                .filter(f -> filter.test(f.partitionValues()))
                .collect(Collectors.toList());
    }

    /** Sum of the files' record counts, or -1 if a file has no statistics. */
    default long recordCount() {
        long n = 0;
        for (DataFile f : files()) {
            if (f.recordCount() < 0) {
                return -1;
            }
            n += f.recordCount();
        }
        return n;
    }

    default long sizeInBytes() {
        return files().stream().mapToLong(DataFile::size).sum();
    }

    /**
     * The newest batch version application {@code appId} recorded with {@link
     * AppendFiles#transaction}, or -1.
     */
    long transactionVersion(String appId);

    int minReaderVersion();

    int minWriterVersion();

    /**
     * The protocol's reader features (table features, reader version 3), empty when the protocol
     * lists none.
     */
    default List<String> readerFeatures() {
        return List.of();
    }

    /**
     * The protocol's writer features (table features, writer version 7), empty when the protocol
     * lists none.
     */
    default List<String> writerFeatures() {
        return List.of();
    }
}
