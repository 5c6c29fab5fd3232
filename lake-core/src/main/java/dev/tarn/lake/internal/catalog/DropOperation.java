package dev.tarn.lake.internal.catalog;

import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetModule;
import dev.tarn.lake.catalog.Drop;
import dev.tarn.lake.catalog.DropResult;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.internal.LakeContext;
import dev.tarn.lake.security.Privilege;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Takes a dataset out of the catalog: one entry with a {@code drop} line. Who reads it is asked of
 * the modules that record lineage ({@link DatasetModule}) before the commit; a reader that appears
 * between that look and the commit is not seen, as with any check-then-act across processes.
 */
public final class DropOperation implements Drop {
    private final LakeContext lake;
    private final DatasetId id;
    private boolean force;
    private String reason;

    public DropOperation(LakeContext lake, DatasetId id) {
        this.lake = lake;
        this.id = Objects.requireNonNull(id, "dataset");
    }

    @Override
    public Drop force() {
        this.force = true;
        return this;
    }

    @Override
    public Drop reason(String reason) {
        this.reason = Reasons.check(reason);
        return this;
    }

    /** What every module on the class path says reads the dataset. */
    public static List<String> readers(LakeContext lake, DatasetId id) {
        List<String> readers = new ArrayList<>();
        for (DatasetModule m :
                ServiceLoader.load(DatasetModule.class, DropOperation.class.getClassLoader())) {
            readers.addAll(m.readersOf(lake.trusted(), id));
        }
        return readers;
    }

    @Override
    public DropResult apply() {
        return run(false);
    }

    @Override
    public DropResult commit() {
        return run(true);
    }

    private DropResult run(boolean commit) {
        // Removing a whole dataset changes the lake's shape, as zones and dataset properties do:
        // the strongest right.
        lake.authorize(Privilege.ADMIN, id.toString());
        CatalogState now = lake.catalogLog().refresh();
        LakeContext.requireZone(now, id.zone());
        if (now.dataset(id).isEmpty()) {
            throw CatalogView.noDataset(now, id);
        }
        List<String> readers = readers(lake, id);
        if (!readers.isEmpty() && !force) {
            throw new TarnException(
                    ErrorCode.INVALID_OPERATION,
                    "cannot drop "
                            + id
                            + ": "
                            + String.join("; ", readers)
                            + " reads it; drop "
                            + (readers.size() == 1 ? "that" : "those")
                            + " first, or give --force"
                            + " (Drop.force()) to drop it anyway; nothing was changed");
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("dataset", id.toString());
        params.put("kind", now.dataset(id).get().info().kind());
        if (reason != null) {
            params.put("reason", reason);
        }
        if (force) {
            params.put("force", "true");
            if (!readers.isEmpty()) {
                params.put("readers", String.join("; ", readers));
            }
        }
        Dataset[] before = new Dataset[1];
        java.util.function.Function<CatalogState, List<CatalogAction>> plan =
                base -> {
                    LakeContext.requireZone(base, id.zone());
                    DatasetEntry e =
                            base.dataset(id).orElseThrow(() -> CatalogView.noDataset(base, id));
                    before[0] = e.toDataset();
                    return List.of(
                            new CatalogAction.DropDataset(
                                    id.zone(),
                                    id.name(),
                                    e.info().kind(),
                                    lake.clock().instant().toString(),
                                    null));
                };
        long version =
                commit
                        ? lake.commit("drop-dataset", params, plan).orElseThrow().version()
                        : CatalogPreview.of(lake, plan).version();
        return new DropResult(before[0], version, force ? readers : List.of());
    }
}
