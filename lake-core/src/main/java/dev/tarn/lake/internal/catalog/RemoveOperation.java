package dev.tarn.lake.internal.catalog;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Remove;
import dev.tarn.lake.catalog.RemoveResult;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.internal.LakeContext;
import dev.tarn.lake.security.Privilege;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Takes objects out of a raw dataset: one entry of {@code remove} lines. The references are
 * resolved against the newest state at commit time (again on a retry), so an object another writer
 * removed first is reported missing rather than removed twice.
 */
public final class RemoveOperation implements Remove {
    private final LakeContext lake;
    private final DatasetId id;
    private final Set<String> refs = new LinkedHashSet<>();
    private String reason;

    public RemoveOperation(LakeContext lake, DatasetId id) {
        this.lake = lake;
        this.id = Objects.requireNonNull(id, "dataset");
    }

    @Override
    public Remove object(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException(
                    "object reference is empty; give a path, a file name or a sha256" + " prefix");
        }
        refs.add(ref);
        return this;
    }

    @Override
    public Remove reason(String reason) {
        this.reason = Reasons.check(reason);
        return this;
    }

    @Override
    public RemoveResult apply() {
        return run(false);
    }

    @Override
    public RemoveResult commit() {
        return run(true);
    }

    private RemoveResult run(boolean commit) {
        lake.authorize(Privilege.WRITE, id.toString());
        if (refs.isEmpty()) {
            throw new IllegalStateException("nothing to remove: name at least one object");
        }
        List<LakeObject> removed = new ArrayList<>();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("dataset", id.toString());
        params.put("objects", Integer.toString(refs.size()));
        if (reason != null) {
            params.put("reason", reason);
        }
        java.util.function.Function<CatalogState, List<CatalogAction>> plan =
                base -> {
                    removed.clear();
                    LakeContext.requireZone(base, id.zone());
                    DatasetEntry e =
                            base.dataset(id).orElseThrow(() -> CatalogView.noDataset(base, id));
                    if (!e.info().kind().equals(DatasetKind.OBJECTS.id())) {
                        throw new dev.tarn.lake.exceptions.TarnException(
                                dev.tarn.lake.exceptions.ErrorCode.INVALID_OPERATION,
                                id
                                        + " is a "
                                        + e.info().kind()
                                        + ": its rows are removed"
                                        + " with 'lake delete', the whole table with 'lake drop'");
                    }
                    CatalogView view = new CatalogView(base);
                    Map<String, LakeObject> byPath = new LinkedHashMap<>();
                    List<String> missing = new ArrayList<>();
                    for (String ref : refs) {
                        try {
                            LakeObject o = view.object(id, ref);
                            byPath.putIfAbsent(o.path(), o);
                        } catch (NotFoundException notFound) {
                            missing.add(refs.size() == 1 ? notFound.getMessage() : "'" + ref + "'");
                        }
                    }
                    if (!missing.isEmpty()) {
                        throw new NotFoundException(
                                refs.size() == 1
                                        ? missing.get(0)
                                        : "no object "
                                                + String.join(", ", missing)
                                                + " in "
                                                + id
                                                + "; nothing was removed (see 'lake ls "
                                                + id
                                                + "')");
                    }
                    String now = lake.clock().instant().toString();
                    List<CatalogAction> actions = new ArrayList<>();
                    for (LakeObject o : byPath.values()) {
                        removed.add(o);
                        actions.add(
                                new CatalogAction.RemoveObject(
                                        id.zone(), id.name(), o.path(), now));
                    }
                    return actions;
                };
        long version =
                commit
                        ? lake.commit("remove", params, plan).orElseThrow().version()
                        : CatalogPreview.of(lake, plan).version();
        return new RemoveResult(id, version, removed);
    }
}
