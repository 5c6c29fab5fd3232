package dev.tarn.lake.internal;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.event.LakeEvent;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.PermissionDeniedException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.internal.catalog.CatalogAction;
import dev.tarn.lake.internal.catalog.CatalogLog;
import dev.tarn.lake.internal.catalog.CatalogState;
import dev.tarn.lake.internal.storage.AuthorizedObjectStore;
import dev.tarn.lake.security.AccessPolicy;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.spi.LakeInternals;
import dev.tarn.lake.storage.ObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One handle's view of an opened lake for the code that implements it: the core's operations
 * (ingest, drop, purge, doctor...) and, through {@link LakeInternals}, Tarn's other modules. {@link
 * DefaultLake} is the user's side of the same handle and exposes none of this.
 */
public final class LakeContext implements LakeInternals {
    private static final System.Logger LOG = System.getLogger(LakeContext.class.getName());

    /** What every handle of one opened lake shares. */
    static final class Runtime {
        final ObjectStore store;
        final CatalogLog catalog;
        final AccessPolicy policy;
        final Clock clock;
        final Path deleteOnClose;
        final List<Consumer<LakeEvent>> listeners = new CopyOnWriteArrayList<>();
        final Map<Class<?>, AutoCloseable> components = new java.util.LinkedHashMap<>();
        boolean closed;

        // Plain field assignments, alike in layout only to DuckEngine's constructor (lake-query):
        // nothing to share between them.
        Runtime(
                ObjectStore store,
                CatalogLog catalog,
                AccessPolicy policy,
                Clock clock,
                Path deleteOnClose) {
            this.store = store;
            this.catalog = catalog;
            this.policy = policy;
            this.clock = clock;
            this.deleteOnClose = deleteOnClose;
        }
    }

    final Runtime runtime;
    private final Principal principal;

    /** A handle for a lake's own components, which check their callers' access themselves. */
    private final boolean trusted;

    /** What {@link Lake#store()} hands out: the store behind the access policy. */
    final ObjectStore guardedStore;

    LakeContext(Runtime runtime, Principal principal, boolean trusted) {
        this.runtime = runtime;
        this.principal = principal;
        this.trusted = trusted;
        this.guardedStore =
                trusted
                        ? runtime.store
                        : new AuthorizedObjectStore(runtime.store, principal, this::allows);
    }

    /**
     * Whether the policy lets this handle do {@code privilege} on {@code resource}: for readers
     * that leave out what the caller may not see (the change feed) rather than refuse.
     */
    public boolean allows(Privilege privilege, String resource) {
        return trusted || runtime.policy.allows(principal, privilege, resource);
    }

    /**
     * The store without the policy in front of it: the core's operations, like the modules,
     * authorize first.
     */
    @Override
    public ObjectStore store() {
        return runtime.store;
    }

    public CatalogLog catalogLog() {
        return runtime.catalog;
    }

    @Override
    public Clock clock() {
        return runtime.clock;
    }

    @Override
    public Principal principal() {
        return principal;
    }

    /** Throws {@link PermissionDeniedException} unless the policy allows it. */
    @Override
    public void authorize(Privilege privilege, String resource) {
        if (!allows(privilege, resource)) {
            throw new PermissionDeniedException(principal, privilege, resource);
        }
    }

    /**
     * A handle that the access policy does not restrict, for a component shared by every principal
     * of this lake (the SQL engine's views): it must not see less, or more, depending on who
     * happened to start it. The component checks each caller's access itself.
     */
    @Override
    public Lake trusted() {
        return new DefaultLake(new LakeContext(runtime, principal, true), false);
    }

    /** The zone must exist; the message lists those that do. */
    public static void requireZone(CatalogState state, String zone) {
        if (!state.zones().containsKey(zone)) {
            throw new NotFoundException(
                    "unknown zone '"
                            + zone
                            + "'; this lake's zones are "
                            + String.join(", ", state.zones().keySet())
                            + " (declare another with createZone or 'lake zone create')");
        }
    }

    /**
     * Makes sure a dataset of this kind exists in the catalog, creating it if needed. For modules
     * that own a dataset kind's files (tables): they register the dataset here and keep their own
     * log.
     */
    @Override
    public void ensureDataset(DatasetId id, DatasetKind kind) {
        authorize(Privilege.WRITE, id.toString());
        commit(
                "create-dataset",
                Map.of("dataset", id.toString(), "kind", kind.id()),
                base -> {
                    requireZone(base, id.zone());
                    var existing = base.dataset(id);
                    if (existing.isPresent()) {
                        if (!existing.get().info().kind().equals(kind.id())) {
                            throw new TarnException(
                                    ErrorCode.ALREADY_EXISTS,
                                    id
                                            + " already exists as a dataset of kind "
                                            + existing.get().info().kind()
                                            + ", not "
                                            + kind.id());
                        }
                        return List.of();
                    }
                    return List.of(
                            new CatalogAction.DatasetInfo(
                                    id.zone(),
                                    id.name(),
                                    kind.id(),
                                    runtime.clock.instant().toString(),
                                    null,
                                    null,
                                    Map.of(),
                                    null,
                                    null));
                });
    }

    /** Commits through the catalog log, then tells the listeners. */
    public Optional<CatalogLog.Committed> commit(
            String operation,
            Map<String, String> parameters,
            java.util.function.Function<CatalogState, List<CatalogAction>> plan) {
        Optional<CatalogLog.Committed> c =
                runtime.catalog.commit(operation, principal, parameters, plan);
        c.ifPresent(this::notifyListeners);
        return c;
    }

    private void notifyListeners(CatalogLog.Committed c) {
        if (runtime.listeners.isEmpty()) {
            return;
        }
        Set<DatasetId> datasets = new java.util.LinkedHashSet<>();
        int added = 0;
        int removed = 0;
        for (CatalogAction a : c.actions()) {
            if (a instanceof CatalogAction.AddObject o) {
                added++;
                datasets.add(DatasetId.of(o.zone(), o.dataset()));
            } else if (a instanceof CatalogAction.RemoveObject r) {
                removed++;
                datasets.add(DatasetId.of(r.zone(), r.dataset()));
            } else if (a instanceof CatalogAction.DatasetInfo d) {
                datasets.add(DatasetId.of(d.zone(), d.name()));
            } else if (a instanceof CatalogAction.DropDataset d) {
                datasets.add(DatasetId.of(d.zone(), d.name()));
            }
        }
        String operation = ((CatalogAction.CommitInfo) c.actions().get(0)).operation();
        publish(
                new LakeEvent(
                        LakeEvent.Kind.CATALOG,
                        c.version(),
                        c.timestamp(),
                        principal.name(),
                        operation,
                        new ArrayList<>(datasets),
                        added,
                        removed));
    }

    /**
     * Tells this lake's listeners about a commit. The catalog's commits come here by themselves;
     * modules with logs of their own (tables) call it after each of their commits.
     */
    @Override
    public void publish(LakeEvent event) {
        for (Consumer<LakeEvent> l : runtime.listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                // A listener's failure must not look like a failed commit: the commit is durable.
                LOG.log(
                        System.Logger.Level.WARNING,
                        "commit listener failed on " + event.kind() + " version " + event.version(),
                        e);
            }
        }
    }
}
