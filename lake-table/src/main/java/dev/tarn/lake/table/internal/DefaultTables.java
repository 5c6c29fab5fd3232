package dev.tarn.lake.table.internal;

import dev.tarn.lake.Lake;
import dev.tarn.lake.NotFoundException;
import dev.tarn.lake.TarnException;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.internal.DefaultLake;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.table.CreateTable;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;

import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Tables} over a {@link DefaultLake}. */
public final class DefaultTables implements Tables {
    /** One log object per table per store, so that every handle in this JVM shares the cached newest state. */
    private static final Map<ObjectStore, Map<DatasetId, DeltaLog>> LOGS =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final DefaultLake lake;
    private final Runtime rt;

    public DefaultTables(Lake lake) {
        if (!(lake instanceof DefaultLake d)) {
            throw new IllegalArgumentException("tables need a lake opened with Lake.open or Lake.builder()");
        }
        this.lake = d;
        this.rt = new Runtime(d);
    }

    /** What operations need from the lake. */
    public static final class Runtime {
        private final DefaultLake lake;

        Runtime(DefaultLake lake) {
            this.lake = lake;
        }

        public DefaultLake lake() {
            return lake;
        }

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
            return Integer.getInteger("tarn.table.maxCommitAttempts", Transaction.DEFAULT_MAX_ATTEMPTS);
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

    /** Registers the dataset in the lake's catalog as a table (idempotent; safe against concurrent creators). */
    void register(DatasetId id) {
        lake.ensureDataset(id, DatasetKind.TABLE);
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
            var ds = lake.catalog().dataset(id);
            if (ds.isPresent() && ds.get().kind() != DatasetKind.TABLE) {
                throw new TarnException(id + " is a dataset of kind " + ds.get().kind().id() + ", not a table");
            }
            throw new dev.tarn.lake.table.NoSuchTableException(id);
        }
        return new DefaultTable(rt, id, log);
    }

    @Override
    public boolean exists(DatasetId id) {
        rt.authorize(Privilege.READ, id);
        return logOf(id).exists();
    }

    @Override
    public dev.tarn.lake.table.Convert newConvert(DatasetId source, DatasetId table) {
        return new ConvertOperation(this, rt, source, table);
    }
}
