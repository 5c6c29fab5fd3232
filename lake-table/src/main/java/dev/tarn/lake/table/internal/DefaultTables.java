package dev.tarn.lake.table.internal;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.spi.LakeInternals;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.table.CreateTable;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Tables} over any {@link Lake} that provides {@link LakeInternals}. */
public final class DefaultTables implements Tables {
    /**
     * One log object per table per store, so that every handle in this JVM shares the cached newest
     * state.
     */
    private static final Map<ObjectStore, Map<DatasetId, DeltaLog>> LOGS =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final LakeInternals lake;
    private final Runtime rt;

    public DefaultTables(Lake lake) {
        this.lake = LakeInternals.of(lake);
        this.rt = new Runtime(lake, this.lake);
    }

    /** What operations need from the lake. */
    public static final class Runtime {
        private final Lake handle;
        private final LakeInternals lake;

        Runtime(Lake handle, LakeInternals lake) {
            this.handle = handle;
            this.lake = lake;
        }

        /**
         * The user's handle: what operations read the catalog through, with its principal's rights.
         */
        public Lake lake() {
            return handle;
        }

        public LakeInternals internals() {
            return lake;
        }

        /**
         * The lake's store without the access policy: operations authorize first ({@link
         * #authorize}).
         */
        public ObjectStore store() {
            return lake.store();
        }

        public Clock clock() {
            return lake.clock();
        }

        public String principal() {
            return lake.principal().name();
        }

        public int maxAttempts() {
            return Integer.getInteger(
                    "tarn.table.maxCommitAttempts", Transaction.DEFAULT_MAX_ATTEMPTS);
        }

        public long checkpointInterval(TableState s) {
            return TableProperties.checkpointInterval(s);
        }

        public void authorize(Privilege p, DatasetId id) {
            lake.authorize(p, id.toString());
        }
    }

    DeltaLog logOf(DatasetId id) {
        return LOGS.computeIfAbsent(lake.store(), s -> new ConcurrentHashMap<>())
                .computeIfAbsent(id, i -> new DeltaLog(lake.store(), i.keyPrefix()));
    }

    /**
     * Registers the dataset in the lake's catalog as a table (idempotent; safe against concurrent
     * creators).
     */
    void register(DatasetId id) {
        requireNotDropped(id);
        lake.ensureDataset(id, DatasetKind.TABLE);
    }

    /**
     * The catalog's record of the table's drop, if it was dropped and no dataset of its name was
     * created since. Its log and files stay until a purge, but it is no table of the lake any more.
     */
    java.util.Optional<dev.tarn.lake.catalog.DroppedDataset> dropped(DatasetId id) {
        java.util.Optional<dev.tarn.lake.catalog.DroppedDataset> d;
        try {
            d =
                    lake.trusted().catalog().dropped().stream()
                            .filter(x -> x.id().equals(id))
                            .findFirst();
        } catch (TarnException unreadable) {
            // A damaged catalog log: tables are read from their own logs, as before drops existed;
            // a write still
            // refuses when it registers the table in the catalog.
            return java.util.Optional.empty();
        }
        if (d.isPresent()) {
            // A purge may have deleted the log behind the cached state: the next look reads the
            // store afresh.
            Map<DatasetId, DeltaLog> logs = LOGS.get(lake.store());
            if (logs != null) {
                logs.remove(id);
            }
        }
        return d;
    }

    /**
     * Refuses to write a table under the name of a dropped one whose files are still stored: the
     * new table would start from the old log, and the old table would come back.
     */
    void requireNotDropped(DatasetId id) {
        var d = dropped(id);
        if (d.isPresent() && logOf(id).exists()) {
            throw new TarnException(
                    ErrorCode.ALREADY_EXISTS,
                    id
                            + " was dropped in catalog version "
                            + d.get().version()
                            + " and its files are"
                            + " still stored; 'lake purge' deletes them once the retention has passed ('lake purge"
                            + " --older-than 0s' at once), after which the name is free again; or choose another name");
        }
    }

    @Override
    public CreateTable newCreate(DatasetId id) {
        rt.authorize(Privilege.WRITE, id);
        return new CreateTableOperation(this, rt, id, logOf(id));
    }

    @Override
    public Table load(DatasetId id) {
        rt.authorize(Privilege.READ, id);
        DeltaLog log = logOf(id);
        if (!log.exists()) {
            var ds = rt.lake().catalog().dataset(id);
            if (ds.isPresent() && ds.get().kind() != DatasetKind.TABLE) {
                throw new TarnException(
                        ErrorCode.INVALID_OPERATION,
                        id + " is a dataset of kind " + ds.get().kind().id() + ", not a table");
            }
            throw new dev.tarn.lake.exceptions.NoSuchTableException(id);
        }
        var d = dropped(id);
        if (d.isPresent()) {
            throw new NotFoundException(
                    "no table "
                            + id
                            + ": it was dropped in catalog version "
                            + d.get().version()
                            + " (its files stay until 'lake purge')");
        }
        return new DefaultTable(rt, id, log);
    }

    @Override
    public boolean exists(DatasetId id) {
        rt.authorize(Privilege.READ, id);
        return logOf(id).exists() && dropped(id).isEmpty();
    }

    @Override
    public dev.tarn.lake.table.Convert newConvert(DatasetId source, DatasetId table) {
        return new ConvertOperation(this, rt, source, table);
    }
}
